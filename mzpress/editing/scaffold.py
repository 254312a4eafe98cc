"""Creating pages: the right folder, a unique slug and complete front matter.

Used by ``mzpress new`` (an empty story, notice, response or campaign) and ``mzpress import-docx``
(a story with its body and images). Every value a writer gives is checked here against
``site_config/`` so that a mistyped unit or topic is caught before a file is written,
and nothing that already exists is ever overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mzpress.editing.atomic_files import TargetExistsError, write_new_files
from mzpress.model.schema import CAMPAIGN_KINDS, DEFAULT_PIN_DAYS, MAX_PIN_DAYS, TIMEZONE, parse_datetime
from mzpress.model.slugs import check_slug, slugify, unique_slug
from mzpress.model.suggestions import did_you_mean

CONTENT_DIR = "content"
# What ``mzpress new`` makes (response: 回应关切, a 情况通报 pinned on the home page for pin_days).
KINDS = {"story": "民政故事", "notice": "通知公告", "response": "回应关切", "campaign": "专题活动"}
# Every kind a page can be written as: a campaign's member page (an award nominee, a training session)
# comes only from ``mzpress import-docx --kind campaign-member --campaign FOLDER``.
PAGE_KINDS = {**KINDS, "member": "专题活动稿件"}
SECTION = {"story": "stories", "notice": "notices", "response": "responses", "campaign": "campaigns",
           "member": "campaigns"}
NOTICE_DAYS = 7  # a publicity period of 7 days: end = start + 6
_IMAGE_NAME = re.compile(r"^(?P<slug>.+)-\d+\.[A-Za-z0-9]+$")
_CHINESE_DATE = re.compile(
    r"^\s*(\d{4})\s*[年.]\s*(\d{1,2})\s*[月.]\s*(\d{1,2})\s*日?\s*(?:(\d{1,2})\s*[:：时]\s*(\d{2})\s*分?)?\s*$")


class ScaffoldError(ValueError):
    """A value the writer gave that cannot be used; the message says what to do instead."""


@dataclass
class PageRequest:
    """Everything needed to write one page. ``date`` is an aware datetime (Asia/Shanghai)."""

    kind: str
    title: str
    unit: str
    author: str
    editor: str
    date: dt.datetime
    date_has_time: bool = True
    summary: str = ""
    topics: list[str] = field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None
    campaign_kind: str | None = None
    campaign: str | None = None  # a member page's campaign folder under content/campaigns/
    issuer: str | None = None  # a response's 发布机关 (default: the site's name, written into the page)
    pin_days: int | None = None  # a response's days pinned on the home page (default DEFAULT_PIN_DAYS)
    slug: str | None = None
    cover: str | None = None
    cover_alt: str | None = None
    body: str = ""


# --- values ---------------------------------------------------------------------------------

def now() -> dt.datetime:
    return dt.datetime.now(TIMEZONE).replace(second=0, microsecond=0)


def parse_date(text: str, what: str = "日期") -> tuple[dt.datetime, bool]:
    """A date typed by a writer (``2025-03-12``, ``2025/3/12 09:30``, ``2025年3月12日``) and whether it has a time."""
    value = str(text).strip()
    match = _CHINESE_DATE.match(value)
    if match:
        year, month, day, hour, minute = match.groups()
        value = f"{year}-{month}-{day}" + (f" {hour}:{minute}" if hour else "")
    parsed = parse_datetime(value)
    if parsed is None:
        raise ScaffoldError(f"{what}“{text}”无法识别或不存在。请写成 2025-03-12 或 2025-03-12 09:30。")
    has_time = bool(re.search(r"\d:\d", value))
    return parsed, has_time


def format_datetime(value: dt.datetime, has_time: bool = True) -> str:
    if not has_time:
        return value.strftime("%Y-%m-%d")
    if value.second:
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value.strftime("%Y-%m-%d %H:%M")


def resolve_choice(value: str, choices: Mapping[str, str], what: str, flag: str) -> str:
    """The id for ``value`` given as an id, a display name or a unique part of one; else a did-you-mean error.

    ``flag`` names the command-line option in the message (``--unit``).
    """
    text = str(value).strip()
    if text in choices:
        return text
    for ident, name in choices.items():
        if text == name:
            return ident
    if len(text) >= 2:
        partial = [ident for ident, name in choices.items() if text in name]
        if len(partial) == 1:
            return partial[0]
    if not choices:
        raise ScaffoldError(f"网站配置里还没有任何{what}，请先在 site_config/ 中添加。")
    hint = did_you_mean(text, dict(choices), what)
    raise ScaffoldError(f"“{text}”不是已登记的{what}（{flag}）。{hint}")


def resolve_topics(values: Iterable[str], choices: Mapping[str, str]) -> list[str]:
    """Topic ids from ids, names or the numbers of the list shown at the prompt, separated by commas."""
    numbered = list(choices)
    result: list[str] = []
    for value in values:
        for part in re.split(r"[,，、\s]+", str(value)):
            if not part:
                continue
            if part.isdigit() and 1 <= int(part) <= len(numbered):
                ident = numbered[int(part) - 1]
            else:
                ident = resolve_choice(part, choices, "专题", "--topic")
            if ident not in result:
                result.append(ident)
    return result


def resolve_campaign_kind(value: str) -> str:
    return resolve_choice(value, CAMPAIGN_KINDS, "活动类型", "--kind")


# --- where pages go -------------------------------------------------------------------------

def section_dir(root: Path, kind: str) -> Path:
    return Path(root) / CONTENT_DIR / SECTION[kind]


def campaign_folders(root: Path) -> list[str]:
    """The campaigns a member page can join: folders of content/campaigns/ with an index.md."""
    base = section_dir(root, "campaign")
    return sorted(p.name for p in base.iterdir() if (p / "index.md").is_file()) if base.is_dir() else []


def check_campaign(root: Path, campaign: str | None) -> str:
    """``campaign`` when it is a campaign folder, else a Chinese error naming the ones there are."""
    folders = campaign_folders(root)
    listed = "、".join(folders) or "（还没有专题活动，请先用 scripts/mzpress new campaign 新建）"
    if not campaign:
        raise ScaffoldError(f"专题活动稿件要写明属于哪个专题活动：--campaign 文件夹名，可选：{listed}。")
    if campaign not in folders:
        raise ScaffoldError(f"没有专题活动“{campaign}”（content/campaigns/{campaign}/index.md 不存在），可选：{listed}。")
    return campaign


def existing_slugs(root: Path, kind: str, campaign: str | None = None) -> set[str]:
    """Slugs in use for ``kind``: stories, notices and responses across all years, campaigns by folder.

    For stories the name prefixes of images (``images/<slug>-N.jpg``) count as used too,
    so an imported story never adopts images left behind by another.
    """
    base = section_dir(root, kind)
    found: set[str] = set()
    if not base.is_dir():
        return found
    if kind == "campaign":
        return {p.name for p in base.iterdir() if p.is_dir()}
    if kind == "member":
        folder = base / (campaign or "")
        return {p.stem for p in folder.glob("*.md") if p.stem != "index"} | (
            {m.group("slug") for p in (folder / "images").iterdir() if (m := _IMAGE_NAME.match(p.name))}
            if (folder / "images").is_dir() else set())
    for year in base.iterdir():
        if not year.is_dir():
            continue
        found |= {p.stem for p in year.glob("*.md") if p.stem != "index"}
        images = year / "images"
        if kind == "story" and images.is_dir():
            found |= {m.group("slug") for p in images.iterdir() if (m := _IMAGE_NAME.match(p.name))}
    return found


def choose_slug(root: Path, kind: str, title: str, given: str | None = None, campaign: str | None = None) -> str:
    """A free slug: ``given`` (checked, must be free) or one made from ``title`` (numbered when taken)."""
    taken = existing_slugs(root, kind, campaign)
    if given:
        slug = check_slug(given.strip())
        if slug in taken:
            raise ScaffoldError(f"文件名“{slug}”已经被使用，请换一个 --slug。")
        return slug
    return unique_slug(slugify(title), taken)


def page_path(root: Path, kind: str, date: dt.datetime, slug: str, campaign: str | None = None) -> Path:
    if kind == "campaign":
        return section_dir(root, kind) / slug / "index.md"
    if kind == "member":
        return section_dir(root, kind) / (campaign or "") / f"{slug}.md"
    return section_dir(root, kind) / f"{date.year:04d}" / f"{slug}.md"


# --- front matter ---------------------------------------------------------------------------

class _Raw(str):
    """A value written into YAML as is (dates)."""


_PLAIN_FORBIDDEN_START = tuple("!&*-?:,[]{}#|>@`\"'%")


def yaml_value(value) -> str:
    """One YAML value, quoted only when plain text would be read back as something else."""
    if isinstance(value, _Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_value(item) for item in value) + "]"
    text = str(value)
    plain = (text and text == text.strip() and "\n" not in text and not text.startswith(_PLAIN_FORBIDDEN_START)
             and ": " not in text and " #" not in text and not any(c in text for c in ",[]{}"))
    if plain:
        try:
            plain = yaml.safe_load(text) == text
        except yaml.YAMLError:
            plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def front_matter(request: PageRequest) -> list[tuple[str, object]]:
    kind = request.kind
    fields: list[tuple[str, object]] = [
        ("title", request.title),
        ("date", _Raw(format_datetime(request.date, request.date_has_time))),
        ("unit", request.unit),
        ("author", request.author),
        ("editor", request.editor),
    ]
    if kind == "story" and request.topics:
        fields.append(("topics", list(request.topics)))
    fields.append(("summary", request.summary))
    if kind == "notice":
        start = request.start or request.date.date()
        end = request.end or start + dt.timedelta(days=NOTICE_DAYS - 1)
        fields += [("start", _Raw(start.isoformat())), ("end", _Raw(end.isoformat()))]
    if kind == "response":
        # Written out, so the writer sees (and can change) who issues it and how long it stays on top.
        fields += [("issuer", request.issuer or ""), ("pin_days", request.pin_days or DEFAULT_PIN_DAYS)]
    if kind == "campaign":
        fields.append(("kind", request.campaign_kind or ""))
        fields.append(("start", _Raw((request.start or request.date.date()).isoformat())))
        if request.end:
            fields.append(("end", _Raw(request.end.isoformat())))
    if request.cover:
        fields += [("cover", request.cover), ("cover_alt", request.cover_alt or "")]
    return fields


def render_page(request: PageRequest) -> str:
    lines = ["---"]
    lines += [f"{key}: {yaml_value(value)}" for key, value in front_matter(request)]
    lines.append("---")
    body = request.body.strip("\n")
    return "\n".join(lines) + "\n\n" + (body + "\n" if body else "")


def validate_request(request: PageRequest) -> None:
    if request.kind not in PAGE_KINDS:
        raise ScaffoldError(f"不认识的页面类型“{request.kind}”，只能是 story、notice、response 或 campaign。")
    for name, label in (("title", "标题"), ("unit", "来源单位"), ("author", "作者"), ("editor", "责任编辑")):
        if not str(getattr(request, name) or "").strip():
            raise ScaffoldError(f"{label}不能为空。")
    if request.kind != "story" and request.topics:
        raise ScaffoldError("只有民政故事（story）可以设置文化专题（--topic）。")
    if request.kind != "response" and (request.issuer or request.pin_days is not None):
        raise ScaffoldError("只有回应关切（response）可以设置发布机关（--issuer）和首页置顶天数（--pin-days）。")
    if request.kind == "response" and not str(request.issuer or "").strip():
        raise ScaffoldError("回应关切要写明发布机关（--issuer），或在 site_config/site.yml 中填写网站名称 name。")
    if request.pin_days is not None and not 1 <= request.pin_days <= MAX_PIN_DAYS:
        raise ScaffoldError(f"首页置顶天数（--pin-days）要在1到{MAX_PIN_DAYS}天之间，现在是{request.pin_days}。")
    if request.kind == "campaign" and request.campaign_kind not in CAMPAIGN_KINDS:
        raise ScaffoldError("专题活动要写明活动类型：--kind selection（评选）或 --kind training（培训）。")
    start = request.start or request.date.date()
    if request.end and request.end < start:
        raise ScaffoldError(f"结束日期 {request.end} 早于开始日期 {start}，请核对。")


def write_new_file(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; never replace an existing file."""
    try:
        write_new_files({path: text.encode("utf-8")})
    except TargetExistsError:
        raise ScaffoldError(f"文件 {path} 已经存在，没有覆盖。请换一个标题或用 --slug 指定其他文件名。") from None


def create_page(root: Path, request: PageRequest) -> Path:
    """Write the page for ``request`` and return its path; the slug is chosen when not given."""
    validate_request(request)
    slug = choose_slug(root, request.kind, request.title, request.slug)
    request.slug = slug
    path = page_path(root, request.kind, request.date, slug)
    write_new_file(path, render_page(request))
    return path
