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

Regenerating an issue that exists needs ``force``; it keeps the issue's numbers and a backup of
the file as it was (or git, when the file is committed as it is). Nothing here renders HTML.
"""

from __future__ import annotations

import datetime as dt
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
    replaces: Page | None  # the issue already written for this month (only with force)

    @property
    def src(self) -> str:
        return bulletin_src(self.month)


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


def plan_bulletin(site: Site, month: Month, *, everything: bool = False, force: bool = False) -> BulletinPlan:
    """The issue for ``month`` as it would be written now; :class:`BulletinError` when it cannot be."""
    bulletins = _bulletins(site)
    existing = next((p for p in bulletins if p.slug == month.key), None)
    if existing is not None and not force:
        raise BulletinError(
            f"{month.label}的简报已经有了：{existing.relpath}（总第{existing.values['issue_total']}期）。",
            f"要按现在的稿件重新生成，加上 --force（期号不变，原文件先备份）：scripts/mzpress bulletin {month.key} --force")
    if existing is not None:
        issue, total = existing.values["issue"], existing.values["issue_total"]
    else:
        issue, total = _numbers(site, month, bulletins)
    stories, flagged = _stories(site, month, everything)
    if not stories:
        raise BulletinError(f"{month.label}没有已发布的民政故事，无法编成简报。",
                            "核对月份；稿件要合并到主分支、不是草稿、发布时间已到，才会收入简报。")
    return BulletinPlan(month, issue, total, tuple(stories), flagged, existing)


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
    return f"---\n{front}---\n\n" + "\n".join(lines) + "\n"


def write_bulletin(root: Path, plan: BulletinPlan, text: str) -> Path | None:
    """Write the issue; a file that is replaced is kept first. Returns the backup (None: new file or git has it)."""
    path = Path(root) / CONTENT_DIR / plan.src
    data = text.encode("utf-8")
    if plan.replaces is None:
        write_new_files({path: data})
        return None
    return rewrite(path, data, git_is_backup=True)
