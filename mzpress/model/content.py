"""The content model: every page under ``content/``, typed, validated, and what is published.

The page type follows from the path (see ``classify``). ``load_site`` reads the
whole tree once, returns a :class:`Site` and the findings; it never raises for
bad content and never modifies a file.
"""

from __future__ import annotations

import copy
import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from mzpress.model.config import SiteConfig, Topic, Unit, load_config
from mzpress.model.content_files import scan_content_dir
from mzpress.model.findings import Finding, FindingsError, error, has_errors
from mzpress.model.frontmatter import split
from mzpress.model.report_period import Month
from mzpress.model.schema import DEFAULT_PIN_DAYS, validate
from mzpress.model.source_text import SourceFile, read_source
from mzpress.model.suggestions import did_you_mean
from mzpress.model.yaml_source import LineDict

CONTENT_DIR = "content"
# Page kinds whose front-matter ``date`` is a publish time shown on the site.
DATED_KINDS = ("story", "notice", "campaign", "member", "bulletin", "response")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("home", re.compile(r"^index\.md$")),
    ("story", re.compile(r"^stories/(?P<year>\d{4})/(?P<slug>[^/]+)\.md$")),
    ("notice", re.compile(r"^notices/(?P<year>\d{4})/(?P<slug>[^/]+)\.md$")),
    ("campaign", re.compile(r"^campaigns/(?P<campaign>[^/]+)/index\.md$")),
    ("member", re.compile(r"^campaigns/(?P<campaign>[^/]+)/(?P<slug>[^/]+)\.md$")),
    ("topic", re.compile(r"^topics/(?P<slug>[^/]+)\.md$")),
    ("bulletin", re.compile(r"^bulletins/(?P<year>\d{4})/(?P<slug>[^/]+)\.md$")),
    # 回应关切（情况通报）: the bureau's public response to a concern, pinned on the home page for ``pin_days``.
    ("response", re.compile(r"^responses/(?P<year>\d{4})/(?P<slug>[^/]+)\.md$")),
)
# A bulletin's file name is the month it covers: bulletins/2026/2026-04.md.
BULLETIN_NAME = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")
# Sections whose every Markdown file must match one of the patterns above.
_STRUCTURED_SECTIONS = {
    "stories": "content/stories/年份/文件名.md，例如 content/stories/2025/chengguan-jinglao.md",
    "notices": "content/notices/年份/文件名.md",
    "campaigns": "content/campaigns/活动代号/index.md（活动介绍）或 content/campaigns/活动代号/文件名.md",
    "topics": "content/topics/专题代号.md",
    "bulletins": "content/bulletins/年份/年份-月份.md，例如 content/bulletins/2026/2026-04.md（用 mzpress bulletin 2026-04 生成）",
    "responses": "content/responses/年份/文件名.md，例如 content/responses/2026/xxx-qingkuang-tongbao.md（用 mzpress new response 生成）",
}



def classify(src: str) -> tuple[str, dict[str, str]] | None:
    """The page kind of a Markdown path relative to ``content/`` and its path parts; None if misplaced."""
    for kind, pattern in _PATTERNS:
        match = pattern.match(src)
        if match:
            return kind, match.groupdict()
    if src.split("/", 1)[0] in _STRUCTURED_SECTIONS:
        return None
    return "page", {}


def page_url(src: str) -> str:
    """The directory-style URL (relative to the site root) MkDocs gives ``src``."""
    stem = src[:-3] if src.endswith(".md") else src
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` for paths relative to the site root, without asking the OS for the cwd.

    Listings compute tens of thousands of links; ``relpath`` makes both paths absolute first.
    """
    path_parts = [part for part in posixpath.normpath(path).split("/") if part and part != "."]
    start_parts = [part for part in posixpath.normpath(start).split("/") if part and part != "."]
    if ".." in path_parts or ".." in start_parts:  # leaves the site root: let posixpath decide
        return posixpath.relpath(path, start)
    common = 0
    for mine, theirs in zip(path_parts, start_parts):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + path_parts[common:]) or "."


@lru_cache(maxsize=1 << 16)  # a pure function of two strings; listings ask for every cover on every build
def _asset_src(src: str, relative: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(src), relative))


@lru_cache(maxsize=1 << 17)  # a pure function of two strings; listings ask for the same links on every build
def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (both directory URLs or file paths)."""
    start = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url)
    rel = _relpath(to_url or ".", start or ".")
    if to_url.endswith("/") or not to_url:
        rel = rel.rstrip("/") + "/" if rel != "." else "./"
    return rel


@dataclass(eq=False)
class Page:
    kind: str
    src: str  # path relative to content/, POSIX
    relpath: str  # path relative to the project root, POSIX
    values: dict[str, Any]
    body: str
    body_line: int
    parts: dict[str, str] = field(default_factory=dict)
    meta: LineDict | None = None  # the raw front matter, for line numbers

    def line_of(self, key: str) -> int | None:
        return self.meta.line_of(key) if self.meta is not None else None

    @property
    def title(self) -> str:
        return self.values.get("title") or ""

    @property
    def unit(self) -> Unit | None:
        return self.values.get("unit")

    @property
    def author(self) -> str:
        return self.values.get("author") or ""

    @property
    def editor(self) -> str:
        return self.values.get("editor") or ""

    @property
    def summary(self) -> str:
        return self.values.get("summary") or ""

    @property
    def date(self) -> dt.datetime | None:
        return self.values.get("date")

    @property
    def draft(self) -> bool:
        return bool(self.values.get("draft"))

    @property
    def topics(self) -> list[Topic]:
        return self.values.get("topics") or []

    @property
    def withdrawn(self) -> dict | None:
        return self.values.get("withdrawn")

    @property
    def unpublish_at(self) -> dt.datetime | None:
        """When a scheduled take-down removes the page (``unpublish_at``), or None."""
        return self.values.get("unpublish_at")

    def taken_down(self, now: dt.datetime) -> bool:
        """Unpublished by ``withdrawn: {unpublish: true}`` or by a reached ``unpublish_at``."""
        if self.withdrawn and self.withdrawn.get("unpublish"):
            return True
        return self.unpublish_at is not None and self.unpublish_at <= now

    @property
    def changes(self) -> list[dict]:
        return self.values.get("changes") or []

    @property
    def slug(self) -> str:
        return self.parts.get("slug") or self.parts.get("campaign") or ""

    @property
    def campaign_id(self) -> str | None:
        return self.parts.get("campaign")

    @cached_property
    def url(self) -> str:
        return page_url(self.src)

    def asset_src(self, relative: str) -> str:
        """A path written in this page (``images/x.jpg``) as a path relative to content/."""
        return _asset_src(self.src, relative)

    def is_published(self, now: dt.datetime) -> bool:
        if self.draft or (self.date is not None and self.date > now):
            return False
        return not self.taken_down(now)

    def _period_status(self, now: dt.datetime, before: str, during: str) -> str:
        """Where ``now`` falls in the page's ``start``..``end`` period (end date inclusive)."""
        today = now.date()
        start, end = self.values.get("start"), self.values.get("end")
        if start and today < start:
            return before
        if end and today > end:
            return "已结束"
        return during

    @property
    def issuer(self) -> str:
        """回应关切: the office that issues the response (``issuer``); the site's name from site.yml by default."""
        return self.values.get("issuer") or ""

    @property
    def pin_days(self) -> int:
        """回应关切: how many days after its ``date`` the response stays pinned on the home page."""
        days = self.values.get("pin_days")
        return days if isinstance(days, int) and not isinstance(days, bool) else DEFAULT_PIN_DAYS

    def pinned_until(self) -> dt.datetime | None:
        """The moment a response leaves the top of the home page (``date`` + ``pin_days``); None for other kinds."""
        if self.kind != "response" or self.date is None:
            return None
        return self.date + dt.timedelta(days=self.pin_days)

    def pinned(self, now: dt.datetime) -> bool:
        """Whether a response is pinned at ``now``: from its ``date`` until ``pinned_until`` (publishing is the
        caller's: the home page reads ``Site.responses``, the listed ones)."""
        until = self.pinned_until()
        return until is not None and self.date <= now < until

    def notice_status(self, now: dt.datetime) -> str:
        """未开始 / 公示中 / 已结束 for a notice's publicity period."""
        return self._period_status(now, "未开始", "公示中")

    def campaign_status(self, now: dt.datetime) -> str:
        """即将开始 / 进行中 / 已结束 for a campaign."""
        return self._period_status(now, "即将开始", "进行中")


def _newest_first(pages: list[Page]) -> list[Page]:
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(pages, key=lambda p: (p.date or epoch, p.src), reverse=True)


class Site:
    """All valid pages and what is published at ``now``, with the listings' raw material."""

    def __init__(self, config: SiteConfig, content_dir: Path, now: dt.datetime, pages: list[Page],
                 files: list[str], invalid: list[str]):
        self.config, self.content_dir, self.now = config, content_dir, now
        self.pages = pages
        self.files = files  # every publishable-kind file under content/, relative to it
        self.invalid = invalid  # Markdown files with errors; never published
        # The pages of ``invalid`` that could be read (front matter parsed, values as far as valid):
        # never published, but checked like every page (see ``for_checks``).
        self.in_error: list[Page] = []
        self.sources: dict[str, SourceFile | None] = {}  # decoded Markdown, for the text checks
        # A partial load (load_site(only=...)) parses other pages on demand: see page_at.
        self._load_more = None
        self._file_set = frozenset(files)
        self._invalid_set = frozenset(invalid)
        self._looked_up: set[str] = set()
        self._more: dict[str, Page] = {}
        self.published = [p for p in pages if p.is_published(now)]
        # Withdrawn pages stay online with a banner but leave every listing, feed and search.
        self.listed = [p for p in self.published if not p.withdrawn]
        self.by_src = {p.src: p for p in pages}
        self.stories = _newest_first([p for p in self.listed if p.kind == "story"])
        self.notices = _newest_first([p for p in self.listed if p.kind == "notice"])
        self.responses = _newest_first([p for p in self.listed if p.kind == "response"])
        self.campaigns = _newest_first([p for p in self.listed if p.kind == "campaign"])
        # Bulletins newest month first (the file name is the month; its date is when it came out).
        self.bulletins = sorted((p for p in self.listed if p.kind == "bulletin"), key=lambda p: p.src, reverse=True)
        self.topic_pages = {p.parts["slug"]: p for p in self.published if p.kind == "topic"}
        self.stories_by_topic: dict[str, list[Page]] = {t.id: [] for t in config.topics}
        for story in self.stories:
            for topic in story.topics:
                self.stories_by_topic[topic.id].append(story)
        self.members_by_campaign: dict[str, list[Page]] = {}
        for member in self.listed:
            if member.kind == "member":
                self.members_by_campaign.setdefault(member.campaign_id, []).append(member)
        for members in self.members_by_campaign.values():
            members.sort(key=lambda p: (p.values.get("order") is None, p.values.get("order") or 0, p.src))

    def for_checks(self) -> Site:
        """This site as the site checks read it: ``pages`` also holds the pages with errors (``in_error``).

        A schema error (the empty ``summary`` that ``mzpress new`` leaves) keeps a page off the site; it
        must not also hide the page's broken links, missing images or other findings until it is fixed.
        Everything else is this site's: those pages stay in ``invalid``, out of ``published`` and
        ``by_src``, so a link *to* one of them is still judged as a link to a page that is not published.
        """
        if not self.in_error:
            return self
        view = copy.copy(self)
        order = {src: index for index, src in enumerate(self.files)}
        view.pages = sorted(self.pages + self.in_error, key=lambda page: order.get(page.src, len(order)))
        view.in_error = []
        return view

    def page_at(self, src: str) -> Page | None:
        """The valid page whose source is ``src`` (relative to content/), or None.

        After a partial load (``load_site(only=...)``: ``check FILE``, ``--changed-since``) a page
        outside ``only`` is parsed when first asked for, so that links and redirects to it are
        judged as in a full check.
        """
        page = self.by_src.get(src)
        if page is not None or self._load_more is None or src in self._looked_up or src not in self._file_set:
            return page or self._more.get(src)
        self._looked_up.add(src)
        page = self._load_more(src)
        if page is not None:
            self._more[src] = page
        return page

    def publishes(self, src: str) -> bool:
        """Whether the Markdown file ``src`` becomes a page of the site (valid and published at ``now``)."""
        if src in self._invalid_set:
            return False
        page = self.page_at(src)
        return page is not None and page.is_published(self.now)

    @property
    def excluded_srcs(self) -> set[str]:
        """Markdown sources that must not be built: drafts, scheduled, unpublished, invalid."""
        published = {p.src for p in self.published}
        return {p.src for p in self.pages if p.src not in published} | set(self.invalid)

    def stories_by_year(self) -> dict[int, list[Page]]:
        years: dict[int, list[Page]] = {}
        for story in self.stories:
            years.setdefault(story.date.year, []).append(story)
        return years


def walk_content(content_dir: Path) -> list[str]:
    """Every file under content/ the checks report on (POSIX, relative), sorted: the publishable ones
    and the refused ones (backups, links, unknown types; see :mod:`mzpress.model.content_files`)."""
    scanned = scan_content_dir(content_dir)
    return sorted(scanned.files + scanned.refused)


def _kb(size: int) -> int:
    """A file size in KB, rounded up: a file just over the limit does not read as equal to it."""
    return -(-size // 1024)


def _too_large(path: Path, relpath: str, config: SiteConfig) -> Finding | None:
    """``content.too-large`` when the file is over ``content.max_markdown_kb`` (it is then not read at all)."""
    limit = config.site.content.max_markdown_bytes
    size = path.stat().st_size
    if size <= limit:
        return None
    return error(
        "content.too-large", relpath, 1,
        f"文件大小为{_kb(size)}KB，超过了稿件文件的大小上限{limit // 1024}KB，网站不会发布它，也没有做其他检查。",
        "把内容拆成几篇稿件（可用 mzpress new 新建），或把很长的表格改为附件（.xlsx 或 .pdf）在正文中链接；"
        "确需发布更大的稿件，请网站管理员调大 site_config/site.yml 中 content.max_markdown_kb 的值。")


def _load_page(content_dir: Path, src: str, config: SiteConfig) -> tuple[Page | None, list[Finding], SourceFile | None]:
    relpath = f"{CONTENT_DIR}/{src}"
    too_large = _too_large(content_dir / src, relpath, config)
    if too_large is not None:  # not read: the checks would spend long on it, publishing it is refused anyway
        return None, [too_large], SourceFile(content_dir / src, relpath, b"", None, too_large=True)
    where = classify(src)
    if where is None:
        section = src.split("/", 1)[0]
        return None, [error("content.misplaced", relpath, None, "文件放错了位置，网站无法判断它是哪类内容。",
                            f"移动到 {_STRUCTURED_SECTIONS[section]}")], None
    kind, parts = where
    source, findings = read_source(content_dir / src, relpath)
    if source.text is None:
        return None, findings, source
    try:
        document = split(source.text, relpath)
    except FindingsError as exc:
        return None, findings + exc.findings, source
    values, problems = validate(kind, document.meta, relpath, config)
    findings += problems
    page = Page(kind, src, relpath, values, document.body, document.body_line, parts, document.meta)
    findings += _path_findings(page, document.meta, config)
    return page, findings, source


def _path_findings(page: Page, meta, config: SiteConfig) -> list[Finding]:
    findings = []
    slug = page.parts.get("slug")
    if slug is not None and not SLUG_PATTERN.match(slug):
        findings.append(error(
            "content.slug", page.relpath, None, f"文件名“{slug}.md”不符合要求，会成为网址的一部分。",
            "文件名只用小写拼音字母、数字和连字符，例如 chengguan-jinglao.md（mzpress new 会自动生成）。"))
    year = page.parts.get("year")
    if page.kind == "bulletin":
        return findings + _bulletin_name_findings(page)
    if year and page.date and str(page.date.year) != year:
        findings.append(error(
            "content.year", page.relpath, meta.line_of("date"),
            f"发布时间是{page.date.year}年，文件却放在 {year} 文件夹里。",
            f"把文件移到 {page.relpath.replace('/' + year + '/', '/' + str(page.date.year) + '/')}，或核对发布时间。"))
    if page.kind == "topic" and slug not in config.topic_by_id:
        findings.append(error("schema.unknown-topic", page.relpath, None,
                              f"专题页面“{slug}”不在专题名单（site_config/topics.yml）中。",
                              "把文件名改成专题代号：" + did_you_mean(slug or "", config.topic_choices, "专题")))
    return findings


def bulletin_month(page: Page) -> Month | None:
    """The month a bulletin covers, from its file name (bulletins/2026/2026-04.md); None when misnamed."""
    match = BULLETIN_NAME.match(page.slug)
    return Month(int(match.group("year")), int(match.group("month"))) if match else None


def _well_named_bulletin(page: Page) -> bool:
    month = bulletin_month(page)
    return month is not None and str(month.year) == page.parts["year"]


def _bulletin_name_findings(page: Page) -> list[Finding]:
    """A bulletin's file is named after the month it covers, in that year's folder."""
    if _well_named_bulletin(page):
        return []
    slug, year = page.parts["slug"], page.parts["year"]
    return [error("content.bulletin-name", page.relpath, None,
                  f"简报文件名“{slug}.md”应当是它所属的年份和月份，例如 {year}-04.md，并放在该年份的文件夹里。",
                  "用 mzpress bulletin 年份-月份 生成简报（例如 mzpress bulletin 2026-04），不要手工改文件名。")]


def _bulletin_number_findings(pages: list[Page]) -> list[Finding]:
    """Issue numbers are unique and run in the order of the months: 总第N期 and, within a year, 第N期.

    Both bulletins of a pair out of order get the error (and neither is published), so that
    checking either file alone finds it.
    """
    bulletins = sorted((p for p in pages if p.kind == "bulletin" and _well_named_bulletin(p)
                        and isinstance(p.values.get("issue"), int) and isinstance(p.values.get("issue_total"), int)),
                       key=lambda p: p.slug)
    findings = []
    for previous, page in zip(bulletins, bulletins[1:]):
        issue, total = page.values["issue"], page.values["issue_total"]
        before_issue, before_total = previous.values["issue"], previous.values["issue_total"]
        same_year = previous.parts["year"] == page.parts["year"]
        if total > before_total and not (same_year and issue <= before_issue):
            continue
        key = "issue_total" if total <= before_total else "issue"
        numbers = (f"{previous.relpath} 是{previous.parts['year']}年第{before_issue}期（总第{before_total}期），"
                   f"{page.relpath} 是{page.parts['year']}年第{issue}期（总第{total}期）")
        for where in (previous, page):
            findings.append(error(
                "content.bulletin-number", where.relpath, where.line_of(key), f"简报期号重复或倒序：{numbers}。",
                "期号按月份往后编：后一期的本年期号和总期号都比前一期大，新的一年本年期号从1开始。"))
    return findings


def _duplicate_slug_findings(files: list[str], wanted) -> tuple[list[Finding], set[str]]:
    """Stories (and notices) share one URL space across years: a slug may be used once.

    Every file of a group that shares a slug is an error naming the others, in every check mode
    (``check FILE`` and ``--changed-since`` see every file name), and none of them is published:
    the build stops instead of silently dropping one of the pages.
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for src in files:
        where = classify(src) if src.endswith(".md") else None
        if where and where[0] in ("story", "notice", "response"):
            groups.setdefault((where[0], where[1]["slug"]), []).append(src)
    findings, duplicates = [], set()
    for (_, slug), srcs in groups.items():
        if len(srcs) < 2:
            continue
        duplicates.update(srcs)
        for src in srcs:
            if not wanted(src):
                continue
            others = "、".join(f"{CONTENT_DIR}/{other}" for other in srcs if other != src)
            findings.append(error(
                "content.duplicate-slug", f"{CONTENT_DIR}/{src}", None,
                f"文件名“{slug}.md”与 {others} 重复，两篇稿件的网址会冲突，都不会发布。",
                f"给新加的一篇改个文件名（例如 {slug}-2.md）；已发布的那篇保持原名，网址不变。"))
    return findings, duplicates


def _cross_findings(pages: list[Page], files: set[str], campaigns: set[str]) -> list[Finding]:
    findings = []
    for page in pages:
        if page.kind == "member" and page.campaign_id not in campaigns:
            findings.append(error(
                "content.campaign-index", page.relpath, None, f"活动“{page.campaign_id}”缺少介绍页 index.md。",
                f"新建 content/campaigns/{page.campaign_id}/index.md（可用 mzpress new campaign）。"))
        cover = page.values.get("cover")
        if cover and page.asset_src(cover) not in files:
            findings.append(error(
                "images.missing", page.relpath, page.line_of("cover"), f"封面图片“{cover}”找不到。",
                f"把图片放到 content/{page.asset_src(cover)}，或改正 cover 的路径（注意大小写和扩展名）。"))
    return findings


def _all_bulletins(content_dir: Path, files: list[str], pages: list[Page], config: SiteConfig,
                   only: set[str] | None) -> list[Page]:
    """Every bulletin, for the numbering rule: a partial load (``only``) parses the others too (a few a year)."""
    bulletins = [p for p in pages if p.kind == "bulletin"]
    if only is not None:
        for src in files:
            where = classify(src) if src.endswith(".md") and src not in only else None
            if where and where[0] == "bulletin":
                page, problems, _ = _load_page(content_dir, src, config)
                if page is not None and not has_errors(problems):
                    bulletins.append(page)
    return bulletins


def load_site(root: Path, now: dt.datetime, config: SiteConfig | None = None,
              config_findings: list[Finding] | None = None,
              only: set[str] | None = None) -> tuple[Site, list[Finding]]:
    """Read and validate everything under ``root/content``; never raises for bad content.

    ``only`` (paths relative to content/) limits parsing to those Markdown files, for
    quick checks of a change; cross-file rules still see every file name.
    """
    root = Path(root)
    if config is None:
        config, config_findings = load_config(root)
    findings = list(config_findings or [])
    content_dir = root / CONTENT_DIR
    scanned = scan_content_dir(content_dir, config.site.content.extra_files)
    files = scanned.files

    def wanted(src: str) -> bool:
        return only is None or src in only

    findings += [f for f in scanned.findings if wanted(f.file[len(CONTENT_DIR) + 1:])]

    pages, invalid, sources = [], [], {}
    for src in files:
        if not src.endswith(".md") or not wanted(src):
            continue
        page, problems, source = _load_page(content_dir, src, config)
        sources[src] = source
        findings += problems
        if page is None or has_errors(problems):
            invalid.append(src)
        if page is not None:
            pages.append(page)
    duplicates, duplicate_srcs = _duplicate_slug_findings(files, wanted)
    campaigns = {src.split("/")[1] for src in files if (where := classify(src)) and where[0] == "campaign"}
    findings += duplicates + _cross_findings(pages, set(files), campaigns)
    numbering = _bulletin_number_findings(_all_bulletins(content_dir, files, pages, config, only))
    findings += [f for f in numbering if wanted(f.file[len(CONTENT_DIR) + 1:])]
    invalid = sorted(set(invalid) | duplicate_srcs | {f.file[len(CONTENT_DIR) + 1:] for f in numbering})
    invalid_set = set(invalid)
    valid = [p for p in pages if p.src not in invalid_set]
    site = Site(config, content_dir, now, valid, files, invalid)
    site.in_error = [p for p in pages if p.src in invalid_set]
    site.sources = sources
    if only is not None:
        def load_more(src: str) -> Page | None:
            if not src.endswith(".md") or src in duplicate_srcs:
                return None
            page, problems, _ = _load_page(content_dir, src, config)
            return None if page is None or has_errors(problems) else page
        site._load_more = load_more
    return site, findings
