"""What a change does to the site: pages added, modified, renamed, withdrawn, taken down, restored, deleted.

Used by ``mzpress changes`` for the pull-request summary reviewers read first. The
comparison is from the merge base of ``since`` and ``HEAD`` to the working tree
(committed, staged, unstaged and untracked files), so in CI it shows exactly the
pull request and locally it also shows work not committed yet.

A modified page whose front matter ``withdrawn:`` appears is marked 撤回 (it stays online with a
banner); with ``withdrawn: {unpublish: true}`` it is marked 撤下 (removed, or redirected with
``redirect:``); when ``withdrawn:`` goes away, or an unpublished page is put back online with a banner,
it is marked 恢复. Each page names its unit (``unit:``).
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

STATUS_LABELS = {"added": "新增", "modified": "修改", "renamed": "改名", "withdrawn": "撤回", "unpublished": "撤下",
                 "restored": "恢复", "deleted": "删除"}
# How public a page is: online, online with a 已撤回 banner, not built (or redirected).
_VISIBILITY = {"online": 2, "withdrawn": 1, "unpublished": 0}


class ChangesError(Exception):
    """The comparison cannot be made; ``str(exc)`` is a Chinese message."""


@dataclass(frozen=True, slots=True)
class PageChange:
    status: str  # added / modified / renamed / withdrawn / unpublished / restored / deleted
    relpath: str  # project-relative; for a deleted file its old path
    old_relpath: str | None = None  # for renames
    title: str = ""
    kind: str = ""  # page kind (story, notice, ...); "" for images and attachments
    url: str = ""  # the page's address relative to the site root
    note: str = ""  # 草稿 / 定时发布 / 无法读取 / 撤回原因
    unit: str = ""  # the page's unit id (``unit:``); "" when none
    unit_name: str = ""  # its name from units.yml (the id when units.yml does not know it)


def _status(code: str) -> str:
    return {"A": "added", "D": "deleted", "R": "renamed", "C": "added"}.get(code[:1], "modified")


@dataclass(frozen=True, slots=True)
class _Front:
    """What a Markdown file's front matter says for the summary."""

    title: str = ""
    note: str = ""
    unit: str = ""
    state: str = "online"  # online / withdrawn / unpublished (see _VISIBILITY)
    reason: str = ""  # the withdrawal's reason
    redirect: str = ""
    parsed: bool = True  # False: unreadable, or its front matter is broken
    unpublish_at: dt.datetime | None = None  # a scheduled take-down


def _describe(text: str | None, relpath: str, now: dt.datetime) -> _Front:
    """Title, note (draft, scheduled, unreadable), unit and withdrawal state from a Markdown file's text."""
    if text is None:
        return _Front(note="无法读取", parsed=False)
    try:
        meta = split(text, relpath).meta
    except FindingsError:
        return _Front(note="信息区格式有误", parsed=False)
    title = str(meta.get("title") or "").strip()
    unit = str(meta.get("unit") or "").strip()
    withdrawn = meta.get("withdrawn")
    state, reason, redirect = "online", "", ""
    if isinstance(withdrawn, dict):
        state = "unpublished" if withdrawn.get("unpublish") is True else "withdrawn"
        reason = str(withdrawn.get("reason") or "").strip()
        redirect = str(withdrawn.get("redirect") or "").strip()
    notes = []
    if meta.get("draft") is True:
        notes.append("草稿，不会发布")
    else:
        when = parse_datetime(meta.get("date"))
        if when is not None and when > now:
            notes.append(f"定时发布：{when:%Y-%m-%d %H:%M}")
    unpublish_at = parse_datetime(meta.get("unpublish_at")) if meta.get("unpublish_at") is not None else None
    if unpublish_at is not None:
        notes.append(f"已于{unpublish_at:%Y-%m-%d %H:%M}按计划下线" if unpublish_at <= now
                     else f"定时下线：{unpublish_at:%Y-%m-%d %H:%M}")
    return _Front(title, "；".join(notes), unit, state, reason, redirect, unpublish_at=unpublish_at)


def _transition(status: str, before: _Front | None, after: _Front) -> tuple[str, str]:
    """The status of a modified or renamed page and its note, from its withdrawal state before and after."""
    if before is None or status not in ("modified", "renamed") or not (before.parsed and after.parsed):
        return status, after.note
    if before.state == after.state:
        return status, "；".join(filter(None, [_schedule_change(before, after), after.note]))
    extra = [after.note] if after.note else []
    if _VISIBILITY[after.state] > _VISIBILITY[before.state]:
        was = "撤回" if before.state == "withdrawn" else "撤下"
        now = "，仍标注“已撤回”" if after.state == "withdrawn" else ""
        return "restored", "；".join([f"恢复上线（原已{was}）{now}", *extra])
    reason = f"原因：{after.reason}" if after.reason else "未写原因"
    if after.state == "unpublished":
        where = f"，转到 {after.redirect}" if after.redirect else "，原网址显示撤下说明"
        return "unpublished", "；".join([f"撤下{where}；{reason}", *extra])
    return "withdrawn", "；".join([f"撤回，页面保留并标注“已撤回”；{reason}", *extra])


def _schedule_change(before: _Front, after: _Front) -> str:
    """What the change did to the page's scheduled take-down (``unpublish_at``), if anything."""
    old, new = before.unpublish_at, after.unpublish_at
    if old == new:
        return ""
    if old is None:
        return "新设定时下线"
    if new is None:
        return f"取消定时下线（原定{old:%Y-%m-%d %H:%M}）"
    return f"修改下线时间（原定{old:%Y-%m-%d %H:%M}）"


def page_changes(root, since: str, now: dt.datetime | None = None,
                 unit_names: dict[str, str] | None = None) -> list[PageChange]:
    """Every file under content/ that differs between merge-base(since, HEAD) and the working tree.

    ``unit_names``: unit id -> name (``SiteConfig.unit_choices``), to name each page's unit.
    """
    unit_names = unit_names or {}
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
        old_text = _text_at(ledger, base, paths[0]) if where and status in ("deleted", "modified", "renamed") \
            else None
        if status == "deleted":
            text = old_text
        else:
            path = ledger.root / new
            # Read anyway (a GBK page still shows its title); bytes no policy reads show as 无法读取.
            text = decode_text(path.read_bytes(), new, Policy.SCAN).text if path.is_file() else None
        front = _describe(text, new, now) if where else _Front()
        before = _describe(old_text, old or new, now) if old_text is not None else None
        status, note = _transition(status, before, front)
        changes.append(PageChange(status, new, old, front.title, where[0] if where else "",
                                  page_url(src) if where else src, note, front.unit,
                                  unit_names.get(front.unit, front.unit)))
    return sorted(changes, key=lambda c: (c.kind == "", c.relpath))


def _text_at(ledger: Ledger, base: str, repo_path: str) -> str | None:
    try:
        return ledger.git_text("show", f"{base}:{repo_path}")
    except git.GitCommandError:
        return None


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# Changes a reviewer must not miss: shown in bold in the pull-request summary.
_MARKED = frozenset({"withdrawn", "unpublished", "restored", "deleted"})


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
        lines += ["| 改动 | 类型 | 单位 | 标题 | 文件 | 网址 | 说明 |", "|---|---|---|---|---|---|---|"]
        for c in pages:
            moved = f"（原 {c.old_relpath}）" if c.old_relpath and c.old_relpath != c.relpath else ""
            url = "" if c.status == "deleted" else f"`{c.url or '/'}`"
            mark = f"**{STATUS_LABELS[c.status]}**" if c.status in _MARKED else STATUS_LABELS[c.status]
            lines.append(f"| {mark} | {KIND_LABELS.get(c.kind, c.kind)} | {_cell(c.unit_name)} | "
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
        details = [d for d in (c.unit_name, c.note) if d]
        note = f"（{'；'.join(details)}）" if details else ""
        lines.append(f"  {STATUS_LABELS[c.status]} {label} {c.relpath} {extra}{note}".rstrip())
    return "\n".join(lines) + "\n"
