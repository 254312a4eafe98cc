"""What a change does to the site: pages added, modified, renamed and deleted since a git ref.

Used by ``mzpress changes`` for the pull-request summary reviewers read first. The
comparison is from the merge base of ``since`` and ``HEAD`` to the working tree
(committed, staged, unstaged and untracked files), so in CI it shows exactly the
pull request and locally it also shows work not committed yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import git

from mzpress.history.ledger import RENAME_THRESHOLD, Ledger, parse_name_status
from mzpress.model.content import CONTENT_DIR, classify, page_url
from mzpress.model.findings import FindingsError
from mzpress.model.frontmatter import split
from mzpress.model.schema import KIND_LABELS, parse_datetime
from mzpress.model.source_text import Policy, decode_text

STATUS_LABELS = {"added": "新增", "modified": "修改", "renamed": "改名", "deleted": "删除"}


class ChangesError(Exception):
    """The comparison cannot be made; ``str(exc)`` is a Chinese message."""


@dataclass(frozen=True, slots=True)
class PageChange:
    status: str  # added / modified / renamed / deleted
    relpath: str  # project-relative; for a deleted file its old path
    old_relpath: str | None = None  # for renames
    title: str = ""
    kind: str = ""  # page kind (story, notice, ...); "" for images and attachments
    url: str = ""  # the page's address relative to the site root
    note: str = ""  # 草稿 / 定时发布 / 无法读取


def _status(code: str) -> str:
    return {"A": "added", "D": "deleted", "R": "renamed", "C": "added"}.get(code[:1], "modified")


def _describe(text: str | None, relpath: str, now: dt.datetime) -> tuple[str, str]:
    """Title and a note (draft, scheduled, unreadable) from a Markdown file's text."""
    if text is None:
        return "", "无法读取"
    try:
        meta = split(text, relpath).meta
    except FindingsError:
        return "", "信息区格式有误"
    title = str(meta.get("title") or "").strip()
    if meta.get("draft") is True:
        return title, "草稿，不会发布"
    when = parse_datetime(meta.get("date"))
    if when is not None and when > now:
        return title, f"定时发布：{when:%Y-%m-%d %H:%M}"
    return title, ""


def page_changes(root, since: str, now: dt.datetime | None = None) -> list[PageChange]:
    """Every file under content/ that differs between merge-base(since, HEAD) and the working tree."""
    now = now or dt.datetime.now(dt.UTC)
    ledger = Ledger(root)
    try:
        base = ledger.git_text("merge-base", since, "HEAD").strip()
    except git.GitCommandError:
        raise ChangesError(
            f"找不到要比较的提交或分支“{since}”（或它与当前分支没有共同历史）。"
            "请确认分支名称，例如 origin/main；CI 中检出代码时需要 fetch-depth: 0。") from None
    content = ledger.to_repo_path(f"{CONTENT_DIR}/")
    entries = parse_name_status(ledger.git_text("diff", "--name-status", RENAME_THRESHOLD, "-z", base, "--", content))
    untracked = ledger.git_text("ls-files", "--others", "--exclude-standard", "-z", "--", content)
    entries += [("A", [p]) for p in untracked.split("\0") if p]
    changes = []
    for code, paths in entries:
        status = _status(code)
        new = ledger.to_project_path(paths[-1]) or paths[-1]
        old = ledger.to_project_path(paths[0]) if len(paths) == 2 else None
        src = new[len(CONTENT_DIR) + 1:]
        where = classify(src) if src.endswith(".md") else None
        if status == "deleted":
            try:
                text = ledger.git_text("show", f"{base}:{paths[0]}")
            except git.GitCommandError:
                text = None
        else:
            path = ledger.root / new
            # Read anyway (a GBK page still shows its title); bytes no policy reads show as 无法读取.
            text = decode_text(path.read_bytes(), new, Policy.SCAN).text if path.is_file() else None
        title, note = _describe(text, new, now) if where else ("", "")
        changes.append(PageChange(status, new, old, title, where[0] if where else "",
                                  page_url(src) if where else src, note))
    return sorted(changes, key=lambda c: (c.kind == "", c.relpath))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(changes: list[PageChange], since: str) -> str:
    pages = [c for c in changes if c.kind]
    files = [c for c in changes if not c.kind]
    lines = [f"## 本次改动的页面（与 {since} 相比）", ""]
    if not changes:
        return "\n".join(lines + ["没有改动 content/ 下的页面或文件。", ""])
    counts = {s: sum(1 for c in pages if c.status == s) for s in STATUS_LABELS}
    lines.append("页面：" + "，".join(f"{STATUS_LABELS[s]}{n}个" for s, n in counts.items() if n)
                 + (f"；图片和附件{len(files)}个" if files else "") + "。")
    lines.append("")
    if pages:
        lines += ["| 改动 | 类型 | 标题 | 文件 | 网址 | 说明 |", "|---|---|---|---|---|---|"]
        for c in pages:
            moved = f"（原 {c.old_relpath}）" if c.old_relpath and c.old_relpath != c.relpath else ""
            url = "" if c.status == "deleted" else f"`{c.url or '/'}`"
            lines.append(f"| {STATUS_LABELS[c.status]} | {KIND_LABELS.get(c.kind, c.kind)} | "
                         f"{_cell(c.title) or '（无标题）'} | `{c.relpath}`{_cell(moved)} | {url} | {_cell(c.note)} |")
        lines.append("")
    if files:
        lines += ["图片和附件：", ""]
        lines += [f"- {STATUS_LABELS[c.status]}：`{c.relpath}`" for c in files]
        lines.append("")
    lines.append("网址相对于网站首页；构建好的预览网站在本次运行的 preview 附件中。")
    return "\n".join(lines) + "\n"


def render_text(changes: list[PageChange], since: str) -> str:
    if not changes:
        return f"与 {since} 相比，没有改动 content/ 下的页面或文件。\n"
    lines = [f"与 {since} 相比的改动："]
    for c in changes:
        label = KIND_LABELS.get(c.kind, "文件")
        extra = f"“{c.title}”" if c.title else ""
        note = f"（{c.note}）" if c.note else ""
        lines.append(f"  {STATUS_LABELS[c.status]} {label} {c.relpath} {extra}{note}".rstrip())
    return "\n".join(lines) + "\n"
