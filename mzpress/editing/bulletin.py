"""The monthly bulletin (民政简报): the month's chosen stories assembled into one numbered issue.

``mzpress bulletin 2026-04`` writes ``content/bulletins/2026/2026-04.md``, an ordinary page of
kind ``bulletin`` that goes through review and ``mzpress check`` like any story. What it holds:

* the stories dated in the month that are public now, in date order: those flagged
  ``bulletin: true`` when any story of the month is, otherwise all of them;
* each under its title as a heading, with a byline (unit, author, date) and a link to the
  original; the story's own headings one level down; its relative links and images rewritten
  so that they point at the same files from the bulletin's folder;
* its numbers: ``issue`` (this year's, from 1 each January) and ``issue_total`` (the running
  number across months and years), following the latest earlier issue; the first issue mzpress
  makes takes ``site.yml`` ``bulletin.first_issue`` / ``first_total``.

A month that is not over at the time of the run (the December issue on 8 December) is refused
without ``force``: stories published later in the month would be missing.

Every issue carries a check line in its front matter, a YAML comment with a digest of the text as
written (:data:`GENERATED_MARK`): an issue whose text still matches it is regenerated as asked (its
numbers kept; git or a backup keeps the text it had), one edited by hand since (or without the line)
is refused unless ``force``, which then always keeps a backup under ``.mzpress-backup/`` (the command
shows what the new text drops). Nothing here renders HTML.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from mzpress.checks.links import link_targets
from mzpress.editing.atomic_files import write_new_files
from mzpress.editing.in_place import rewrite
from mzpress.model.content import CONTENT_DIR, Page, Site, bulletin_month, page_url, relative_url
from mzpress.model.report_period import Month, day_label, month_of
from mzpress.model.schema import TIMEZONE
from mzpress.text.markdown_regions import fenced_code_lines, prose

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_ATX_HEADING = re.compile(r"^( {0,3})(#{1,5})(?=[ \t]|$)")
# Characters that would turn a title into Markdown syntax inside a heading or a link text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


class BulletinError(ValueError):
    """The issue cannot be made as asked; ``message`` says why, ``suggestion`` what to do."""

    def __init__(self, message: str, suggestion: str):
        super().__init__(message)
        self.message, self.suggestion = message, suggestion


@dataclass(frozen=True)
class BulletinPlan:
    """What an issue will hold: its month, numbers, stories, and whether it replaces a file."""

    month: Month
    issue: int
    issue_total: int
    stories: tuple[Page, ...]
    flagged: bool  # the stories are those flagged ``bulletin: true`` (else: all the month's stories)
    replaces: Page | None  # the issue already written for this month
    unfinished: bool = False  # the month is not over at the time of the run (made with force)
    edited: bool = False  # the issue it replaces was edited by hand since mzpress wrote it (made with force)
    previous_text: str | None = None  # the text of the issue it replaces

    @property
    def src(self) -> str:
        return bulletin_src(self.month)


# The check line: a YAML comment at the end of the front matter with a digest of the rest of the file.
GENERATED_MARK = "# 由 mzpress bulletin 生成，校验码 {digest}：手工改动本文件后，重新生成需要加 --force"
_MARK_LINE = re.compile(r"^# 由 mzpress bulletin 生成，校验码 (?P<digest>[a-p]{16})：.*\n", re.M)
_LETTERS = str.maketrans("0123456789", "ghijklmnop")  # letters only: no run of digits for the privacy scan


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16].translate(_LETTERS)


def with_generated_mark(text: str) -> str:
    """An issue's Markdown (``---`` front matter ``---`` body) with its check line before the closing ``---``."""
    end = text.index("\n---\n", 3) + 1
    return text[:end] + GENERATED_MARK.format(digest=_digest(text)) + "\n" + text[end:]


def edited_since_generated(text: str) -> bool:
    """Whether an issue's text differs from what mzpress wrote (True without a check line, or with two)."""
    marks = list(_MARK_LINE.finditer(text))
    if len(marks) != 1:
        return True
    mark = marks[0]
    return _digest(text[:mark.start()] + text[mark.end():]) != mark.group("digest")


def bulletin_src(month: Month) -> str:
    """``bulletins/2026/2026-04.md`` (relative to content/)."""
    return f"bulletins/{month.year:04d}/{month.key}.md"


def _bulletins(site: Site) -> list[Page]:
    """Every bulletin written so far (drafts and withdrawn ones too: their numbers are taken), by month."""
    broken = [src for src in site.invalid if src.startswith("bulletins/")]
    if broken:
        raise BulletinError(f"已有的简报 {CONTENT_DIR}/{broken[0]} 有错误，读不出它的期号。",
                            f"先运行 scripts/mzpress check {CONTENT_DIR}/{broken[0]} 改正它，再生成新的一期。")
    return sorted((p for p in site.pages if p.kind == "bulletin"), key=lambda p: p.slug)


def _numbers(site: Site, month: Month, bulletins: list[Page]) -> tuple[int, int]:
    """(issue, issue_total) of a new issue for ``month``: one after the latest earlier issue."""
    later = [p for p in bulletins if bulletin_month(p) > month]
    if later:
        page = later[0]
        raise BulletinError(
            f"已经有更晚的一期 {page.relpath}（总第{page.values['issue_total']}期），"
            f"{month.label}的简报不能排到它前面，否则期号会乱。",
            "简报按月份顺序编号：只能生成最新一期之后月份的简报；确需补编，请在最新一期之后的月份编入这些稿件。")
    earlier = [p for p in bulletins if bulletin_month(p) < month]
    if not earlier:
        settings = site.config.site.bulletin
        return settings.first_issue, settings.first_total
    previous = earlier[-1]
    issue = previous.values["issue"] + 1 if bulletin_month(previous).year == month.year else 1
    return issue, previous.values["issue_total"] + 1


def _stories(site: Site, month: Month, everything: bool) -> tuple[list[Page], bool]:
    stories = sorted((s for s in site.stories if month_of(s.date) == month), key=lambda s: (s.date, s.src))
    flagged = [s for s in stories if s.values.get("bulletin")]
    if flagged and not everything:
        return flagged, True
    return stories, False


def month_unfinished(month: Month, now: dt.datetime) -> bool:
    """Whether ``month`` has not ended at ``now`` (Beijing time): the current month, or one to come."""
    return month_of(now) <= month


def _existing_text(site: Site, page: Page) -> str | None:
    source = site.sources.get(page.src)
    if source is not None and source.text is not None:
        return source.text
    try:
        return (site.content_dir / page.src).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def plan_bulletin(site: Site, month: Month, *, everything: bool = False, force: bool = False) -> BulletinPlan:
    """The issue for ``month`` as it would be written now; :class:`BulletinError` when it cannot be.

    Without ``force`` a month that is not over and an issue edited by hand since mzpress wrote it are
    refused; an issue that is as mzpress wrote it is regenerated (its numbers kept)."""
    unfinished = month_unfinished(month, site.now)
    if unfinished and not force:
        today = site.now.astimezone(TIMEZONE).date()
        raise BulletinError(
            f"{month.label}还没有结束（今天是{day_label(today)}），现在编印只能收入今天以前发布的稿件，"
            "本月以后发布的稿件会漏掉。",
            f"月底以后再生成这一期（下个月初运行 scripts/mzpress bulletin {month.key}）；"
            f"确需现在编印（例如临时报送），加上 --force：scripts/mzpress bulletin {month.key} --force")
    bulletins = _bulletins(site)
    existing = next((p for p in bulletins if p.slug == month.key), None)
    previous_text = _existing_text(site, existing) if existing is not None else None
    edited = existing is not None and (previous_text is None or edited_since_generated(previous_text))
    if edited and not force:
        raise BulletinError(
            f"{month.label}的简报 {existing.relpath}（总第{existing.values['issue_total']}期）已经有人手工修改过"
            "（或不是 mzpress 生成的），重新生成会丢掉这些修改。",
            "手工修改的简报直接提交审核即可，不必重新生成；确需按现在的稿件重新生成，加上 --force"
            f"（期号不变，原文件先备份，并列出被替换的内容）：scripts/mzpress bulletin {month.key} --force")
    if existing is not None:
        issue, total = existing.values["issue"], existing.values["issue_total"]
    else:
        issue, total = _numbers(site, month, bulletins)
    stories, flagged = _stories(site, month, everything)
    if not stories:
        raise BulletinError(f"{month.label}没有已发布的民政故事，无法编成简报。",
                            "核对月份；稿件要合并到主分支、不是草稿、发布时间已到，才会收入简报。")
    return BulletinPlan(month, issue, total, tuple(stories), flagged, existing, unfinished, edited, previous_text)


def _inline(text: str) -> str:
    """Plain text as Markdown inline text that renders exactly as written."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _rebased(story: Page, bulletin_src_path: str, destination: str) -> str:
    """A destination written in ``story`` that points at the same place from the bulletin."""
    parts = urlsplit(destination)
    if _SCHEME.match(destination) or destination.startswith(("/", "#")) or not parts.path:
        return destination
    suffix = destination[len(parts.path):]  # ?query#fragment, as written
    if parts.path.endswith("/") or "." not in posixpath.basename(parts.path):  # a page address
        target = posixpath.normpath(posixpath.join(story.url or ".", parts.path))
        target = "" if target == "." else target + "/"
        return relative_url(page_url(bulletin_src_path), target) + suffix
    target = posixpath.normpath(posixpath.join(posixpath.dirname(story.src), parts.path))
    return posixpath.relpath(target, posixpath.dirname(bulletin_src_path)) + suffix


def rebase_links(story: Page, bulletin_src_path: str) -> str:
    """The story's body with every relative link and image rewritten for the bulletin's folder."""
    body = story.body
    edits = []
    for start, destination, _ in link_targets(prose(body)):
        if body[start:start + len(destination)] != destination:
            continue  # not as written (it cannot happen for Markdown and HTML targets; be safe)
        new = _rebased(story, bulletin_src_path, destination)
        if new != destination:
            edits.append((start, destination, new))
    for start, destination, new in sorted(edits, reverse=True):
        body = body[:start] + new + body[start + len(destination):]
    return body


def demote_headings(body: str) -> str:
    """Every ATX heading outside code one level down (## -> ###): story titles are the ## of the issue."""
    lines = body.split("\n")
    code = fenced_code_lines(lines)
    for index, line in enumerate(lines):
        if index not in code:
            lines[index] = _ATX_HEADING.sub(r"\1#\2", line, count=1)
    return "\n".join(lines)


def bulletin_title(site: Site, plan: BulletinPlan) -> str:
    return f"{site.config.site.bulletin_name}{plan.month.year}年第{plan.issue}期（总第{plan.issue_total}期）"


def bulletin_markdown(site: Site, plan: BulletinPlan, *, unit: str, author: str, editor: str,
                      date: dt.datetime) -> str:
    """The issue's Markdown file: front matter, 本期目录, then each story."""
    summary = f"本期收录{plan.month.label}民政工作稿件{len(plan.stories)}篇。"
    meta = {"title": bulletin_title(site, plan), "unit": unit, "author": author, "editor": editor,
            "date": date.strftime("%Y-%m-%d %H:%M"), "summary": summary,
            "issue": plan.issue, "issue_total": plan.issue_total}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    here = plan.src
    lines = ["## 本期目录 {#contents}", ""]
    lines += [f"{number}. [{_inline(story.title)}](#story-{number})" for number, story in enumerate(plan.stories, 1)]
    for number, story in enumerate(plan.stories, 1):
        original = posixpath.relpath(story.src, posixpath.dirname(here))
        byline = [f"来源：{_inline(story.unit.name)}" if story.unit else "", f"作者：{_inline(story.author)}",
                  f"发布时间：{day_label(story.date.date())}", f"[查看原文]({original})"]
        lines += ["", f"## {_inline(story.title)} {{#story-{number}}}", "",
                  "；".join(part for part in byline if part), "{: .mz-bulletin-byline }", "",
                  demote_headings(rebase_links(story, here)).strip("\n")]
    return with_generated_mark(f"---\n{front}---\n\n" + "\n".join(lines) + "\n")


def write_bulletin(root: Path, plan: BulletinPlan, text: str) -> Path | None:
    """Write the issue; a file that is replaced is kept first: by git when it is committed as mzpress
    wrote it, else (and always for an issue edited by hand) as a backup. Returns the backup (None: a new
    file, or git has it)."""
    path = Path(root) / CONTENT_DIR / plan.src
    data = text.encode("utf-8")
    if plan.replaces is None:
        write_new_files({path: data})
        return None
    return rewrite(path, data, git_is_backup=not plan.edited)


def replaced_lines(plan: BulletinPlan, text: str, limit: int = 80) -> list[str]:
    """What writing ``text`` changes in the issue it replaces, as a unified diff (at most ``limit`` lines;
    the check line left out); empty for a new issue or the same text."""
    if plan.previous_text is None or plan.previous_text == text:
        return []
    old, new = (_MARK_LINE.sub("", value).splitlines() for value in (plan.previous_text, text))
    lines = list(difflib.unified_diff(old, new, f"原来的 {CONTENT_DIR}/{plan.src}", f"新生成的 {CONTENT_DIR}/{plan.src}",
                                      lineterm="", n=1))
    if len(lines) > limit:
        lines = lines[:limit] + [f"……（还有{len(lines) - limit}行改动，完整内容见备份文件）"]
    return lines


def distribution_lines(site: Site) -> list[str]:
    """The 报/送/发 block of ``site.yml`` ``bulletin.distribution`` (empty when none is configured)."""
    return site.config.site.bulletin.distribution.lines()
