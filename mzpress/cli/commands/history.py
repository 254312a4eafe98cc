"""``mzpress history FILE``: every revision of a page, who wrote and reviewed it, when it went live.

The reviewers of a revision are those whose signatures cover *this page* in the merge that published
it, as ``mzpress review-check`` judges that merge (:func:`mzpress.history.review_check.review_commit`):
a verified SSH approval (or, with ``review: {trust: trailers}``, a typed trailer) that met a stage the
merge needed, where a 初审 counts only for the pages of its unit. So a 社会救助股 初审 never appears as
a reviewer of a 养老服务股 story merged alongside.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import git

from mzpress.checks.backdating import SITE_YML
from mzpress.history.ledger import (
    SHANGHAI,
    BackdatingJudge,
    DatedPage,
    Ledger,
    LedgerConfigError,
    LedgerUnavailable,
    PathDates,
    Revision,
    describe_duration,
    format_time,
)
from mzpress.history.review_check import ReviewCheckError, ReviewVerdict, review_commit
from mzpress.model.clock import build_time
from mzpress.model.config import load_config
from mzpress.model.findings import Finding, FindingsError
from mzpress.model.frontmatter import split
from mzpress.model.ledger_settings import LedgerSettings
from mzpress.model.project import find_root
from mzpress.model.schema import parse_datetime
from mzpress.model.source_text import decode


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "history", help="查看一个页面的全部修订：作者、时间、发布合并和审核人",
        description="列出页面的每一次提交：提交编号、作者、时间、把它发布到主线的合并提交，"
                    "以及签名覆盖本页的审核人（按 scripts/mzpress review-check 核对发布合并的结果：经核对的 SSH 审核签名，"
                    "过渡期的手写签名行另行注明；初审只算本页所属单位的初审人）；并说明本页是否属于迁移内容。")
    parser.add_argument("file", metavar="文件", help="页面文件，例如 content/stories/2025/chengguan-jinglao.md")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="输出格式：text 或 json")
    parser.set_defaults(func=run)


def _project_root(args) -> Path:
    if args.root:
        return find_root(args.root)
    try:
        return find_root()
    except FindingsError:
        return find_root(Path(args.file).resolve().parent)


def _relpath(root: Path, given: str) -> str | None:
    path = Path(given)
    if not path.is_absolute():
        path = Path.cwd() / path
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(SHANGHAI).isoformat() if moment else None


class _LedgerStatus:
    """What the history says about the ledger start for this page, and about its ``date``."""

    def __init__(self, text: str, start: str | None = None, imported: bool | None = None):
        self.text, self.start, self.imported = text, start, imported
        self.date: dt.datetime | None = None
        self.backdated: bool | None = None
        self.date_text = ""
        self.unpublish_at: dt.datetime | None = None  # a scheduled take-down (unpublish_at)
        self.unpublish_text = ""


def _ledger_status(root: Path, relpath: str, ledger: Ledger, span: PathDates | None,
                   settings: LedgerSettings,
                   config_findings: list[Finding]) -> tuple[_LedgerStatus, BackdatingJudge | None]:
    """The ledger start's verdict on this page, and the judgement ``mzpress check`` makes (None: no judgement)."""
    if not settings.valid:
        problems = "；".join(f"{f.location}：{f.message}" for f in config_findings if f.rule == "config.ledger")
        return _LedgerStatus(f"台账设置有误（{problems}），无法判断本页是否属于迁移内容；"
                             "请运行 scripts/mzpress check 查看修改方法。"), None
    try:
        judge = BackdatingJudge.resolve(settings, ledger)
    except LedgerConfigError as exc:
        where = f"{SITE_YML}:{settings.start_line}" if settings.start_line else SITE_YML
        return _LedgerStatus(f"台账起点设置有误（{where} 的 ledger.start）：{exc}"), None
    start = settings.start
    if start is None:
        return _LedgerStatus(f"未设置台账起点（{SITE_YML} 的 ledger.start），所有页面都做发稿日期倒填检查。"), judge
    if span is None and not (root / relpath).exists():
        return _LedgerStatus("本页已不在当前版本中（已删除或改名），上面是它在删除前的记录。", start.raw, None), judge
    if span is None:
        return _LedgerStatus(f"本页还没有合并到主线，合并后按台账起点（{start.describe()}）之后的新内容检查发稿日期。",
                             start.raw, False), judge
    if judge.is_imported(span):
        return _LedgerStatus(
            f"迁移内容：本页首次提交（{format_time(span.first)}，提交 {span.first_commit[:10]}）在台账起点"
            f"（ledger.start: {start.describe()}）当时或之前，视为从旧网站迁移的内容，不做发稿日期倒填检查。",
            start.raw, True), judge
    return _LedgerStatus(
        f"本页在台账起点（ledger.start: {start.describe()}）之后发布，发稿日期须与首次发布时间相符"
        "（scripts/mzpress check 会检查倒填）。", start.raw, False), judge


def _judge_date(status: _LedgerStatus, root: Path, relpath: str, span: PathDates | None,
                judge: BackdatingJudge | None) -> None:
    """Compare the page's front-matter ``date`` with its first main-line commit: the judgement of ``mzpress check``."""
    path = root / relpath
    if not path.is_file() or not relpath.endswith(".md"):
        return
    text, _ = decode(path.read_bytes(), relpath)  # as the build reads it; mzpress check reports encoding
    if text is None:
        return
    try:
        meta = split(text, relpath).meta
    except FindingsError:
        return
    unpublish_at = parse_datetime(meta.get("unpublish_at")) if meta.get("unpublish_at") is not None else None
    if unpublish_at is not None:
        status.unpublish_at = unpublish_at
        state = "已按计划下线" if unpublish_at <= build_time() else "到时按计划下线"
        status.unpublish_text = (f"定时下线（unpublish_at）：{format_time(unpublish_at)}，{state}"
                                 "（设定和修改见下面的修订记录）。")
    date = parse_datetime(meta.get("date"))
    if date is None:
        return
    status.date = date
    if judge is None:
        status.date_text = f"发布时间（date）：{format_time(date)}（台账设置有误，无从比较）"
        return
    report = judge.judge([DatedPage(relpath, date)], {relpath: span} if span is not None else {})
    if report.unpublished:
        status.date_text = f"发布时间（date）：{format_time(date)}（尚未合并到主线，无从比较）"
        return
    if report.imported:
        status.date_text = f"发布时间（date）：{format_time(date)}（迁移内容，不检查）"
        return
    tolerance = judge.tolerance_hours
    status.backdated = bool(report.backdated)
    if report.backdated:
        early = describe_duration(report.backdated[0].hours_early)
        status.date_text = (f"发布时间（date）：{format_time(date)}，比首次发布早{early}，超过允许的{tolerance:g}小时，"
                            "属于倒填发稿日期（scripts/mzpress check 会报错）。")
    else:
        status.date_text = f"发布时间（date）：{format_time(date)}，与首次发布时间相符（允许相差{tolerance:g}小时）。"


@dataclass(frozen=True)
class _PageReview:
    """What the merge that published a revision says about this page: who signed for it, what is missing."""

    signatures: tuple[dict, ...] = ()  # {"stage", "label", "name", "github", "kind", ...} per signature
    missing: tuple[str, ...] = ()  # labels of the stages the merge still needs
    note: str = ""  # why there is nothing to show (not merged, cannot be checked)
    commit: str = ""  # the commit review-check judged
    awaiting: tuple[str, ...] = ()  # an emergency take-down: the 三审 stages awaiting 事后补审

    def to_dict(self) -> dict:
        return {"commit": self.commit or None, "complete": (not self.missing) if self.commit and not self.note else None,
                "signatures": list(self.signatures), "missing": list(self.missing),
                "awaiting_after_the_fact": list(self.awaiting), "note": self.note or None}


class _Reviews:
    """review-check's verdict on each publishing commit, once per commit, narrowed to one page."""

    def __init__(self, root: Path):
        self.root = root
        self._verdicts: dict[str, ReviewVerdict | str] = {}

    def _verdict(self, sha: str) -> ReviewVerdict | str:
        if sha not in self._verdicts:
            try:
                self._verdicts[sha] = review_commit(self.root, sha)
            except (ReviewCheckError, LedgerUnavailable) as exc:
                self._verdicts[sha] = f"无法核对审核签名：{exc}"
            except FindingsError:
                self._verdicts[sha] = "无法核对审核签名：合并前的 site_config/units.yml 有错误。"
            except git.GitCommandError as exc:
                self._verdicts[sha] = f"无法核对审核签名：git 命令失败（{str(exc.stderr).strip()}）。"
        return self._verdicts[sha]

    def of(self, revision: Revision, relpath: str) -> _PageReview:
        sha = revision.merge.sha if revision.merge is not None else (revision.sha if revision.on_main_line else "")
        if not sha:
            return _PageReview(note="尚未合并到主线，还没有审核记录")
        verdict = self._verdict(sha)
        if isinstance(verdict, str):
            return _PageReview(note=verdict, commit=sha)
        page = next((f for f in verdict.files if f.relpath in (revision.path, relpath)), None)
        if page is None and verdict.files:
            return _PageReview(note="发布合并最终没有改动本页（分支上后来又改回去了），审核签名不涉及本页", commit=sha)
        unit = page.unit_id if page is not None else None

        def for_page(requirement) -> bool:  # a 初审 counts for the pages of its unit only
            return requirement.stage != "初审" or requirement.unit_id is None or requirement.unit_id == unit

        signatures = []
        met = [(verdict.requirements[i], s) for i, s in sorted(verdict.met.items())]
        met += [(verdict.after_the_fact[i], s) for i, s in sorted(verdict.after_the_fact_met.items())]
        for requirement, signature in met:
            if not for_page(requirement):
                continue
            entry = {"stage": requirement.stage, "label": _stage_text(requirement), "name": signature.reviewer.name,
                     "github": signature.reviewer.github}
            if signature.approval is not None:
                entry.update(kind="ssh", commit=signature.approval.sha, fingerprint=signature.approval.fingerprint)
            else:
                entry.update(kind="trailer", trailer=signature.trailer, value=signature.value)
            signatures.append(entry)
        missing = tuple(_stage_text(r) for _, r in verdict.missing if for_page(r))
        awaiting = tuple(_stage_text(r) for r in verdict.awaiting_review if for_page(r))
        return _PageReview(tuple(signatures), missing, commit=sha, awaiting=awaiting)


def _stage_text(requirement) -> str:
    if requirement.stage == "初审" and requirement.unit_id is not None:
        return f"{requirement.unit_name or requirement.unit_id}初审"
    return requirement.label


def _reviewers_text(review: _PageReview) -> str:
    if review.note:
        return review.note
    parts = []
    for signature in review.signatures:
        if signature["kind"] == "ssh":
            how = f"SSH 签名，提交 {signature['commit'][:7]}"
        else:
            how = f"合并说明中手写的 {signature['trailer']}，过渡期，未经签名核对"
        parts.append(f"{signature['label']} {signature['name']}（{how}）")
    text = "；".join(parts) or "无（没有覆盖本页的审核签名）"
    if review.missing:
        text += f"。三审不全：缺少{'、'.join(review.missing)}（详见 scripts/mzpress review-check {review.commit[:10]}）"
    if review.awaiting:
        text += f"。应急撤稿，待事后补审：{'、'.join(review.awaiting)}"
    return text


def _render_text(relpath: str, revisions: list[Revision], span: PathDates | None,
                 status: _LedgerStatus, shallow: bool, reviews: list[_PageReview]) -> str:
    lines = [f"{relpath} 的修订记录（共{len(revisions)}次，最新在前）", ""]
    if shallow:
        lines += ["注意：这是浅克隆，较早的提交没有取回，记录可能不完整（可运行 git fetch --unshallow）。", ""]
    if span is not None:
        lines.append(f"首次发布到主线：{format_time(span.first)}（提交 {span.first_commit[:10]}）")
        lines.append(f"最近一次更新：  {format_time(span.last)}（提交 {span.last_commit[:10]}）")
    else:
        lines.append("首次发布到主线：无（尚未合并到主线，或已从当前版本删除）")
    if status.date_text:
        lines.append(status.date_text)
    if status.unpublish_text:
        lines.append(status.unpublish_text)
    lines += [f"台账：{status.text}", ""]
    for number, (rev, review) in enumerate(zip(revisions, reviews, strict=True), start=1):
        if rev.merge is not None:
            merge = (f"{rev.merge.sha[:10]}  {rev.merge.subject}（{format_time(rev.merge.committed)}，"
                     f"合并人 {rev.merge.committer}）")
        elif rev.on_main_line:
            merge = "无单独的合并提交（本提交直接进入主线）"
        else:
            merge = "尚未合并到主线"
        committed = "" if rev.committed == rev.authored else f"（提交于 {format_time(rev.committed)}）"
        lines += [
            f"[{number}] 提交：{rev.sha[:10]}  {rev.subject}",
            f"    作者：{rev.author_name} <{rev.author_email}>",
            f"    时间：{format_time(rev.authored)}{committed}",
            f"    发布合并：{merge}",
            f"    审核人：{_reviewers_text(review)}",
        ]
        if rev.review_links:
            lines.append(f"    审核链接：{'；'.join(rev.review_links)}")
        if rev.path != relpath:
            lines.append(f"    当时的文件名：{rev.path}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _render_json(relpath: str, revisions: list[Revision], span: PathDates | None,
                 status: _LedgerStatus, shallow: bool, reviews: list[_PageReview]) -> str:
    data = {
        "file": relpath,
        "shallow_clone": shallow,
        "first_published": _iso(span.first) if span else None,
        "first_commit": span.first_commit if span else None,
        "last_updated": _iso(span.last) if span else None,
        "last_commit": span.last_commit if span else None,
        "date": _iso(status.date),
        "unpublish_at": _iso(status.unpublish_at),
        "backdated": status.backdated,
        "ledger": {"start": status.start, "imported": status.imported, "note": status.text},
        "revisions": [{
            "sha": rev.sha,
            "path": rev.path,
            "author": {"name": rev.author_name, "email": rev.author_email},
            "authored": _iso(rev.authored),
            "committed": _iso(rev.committed),
            "subject": rev.subject,
            "on_main_line": rev.on_main_line,
            "merge": None if rev.merge is None else {
                "sha": rev.merge.sha, "subject": rev.merge.subject,
                "committer": rev.merge.committer, "committed": _iso(rev.merge.committed)},
            "reviewers": list(review.signatures),  # whose signatures cover this page
            "review": review.to_dict(),
            "typed_trailers": [{"trailer": r.trailer, "who": r.who, "source": r.source} for r in rev.reviewers],
            "review_links": list(rev.review_links),
        } for rev, review in zip(revisions, reviews, strict=True)],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def run(args) -> int:
    root = _project_root(args)
    relpath = _relpath(root, args.file)
    if relpath is None:
        print(f"“{args.file}”不在网站项目 {root} 里。请给出项目中的文件，例如 content/stories/2025/文件名.md。",
              file=sys.stderr)
        return 2
    try:
        ledger = Ledger(root)
        revisions = ledger.page_history(relpath)
        span = ledger.first_and_last([relpath]).get(relpath) if revisions else None
    except LedgerUnavailable as exc:
        print(f"无法查看修订记录：{exc}", file=sys.stderr)
        return 2
    except git.GitCommandError as exc:
        print(f"无法查看修订记录：git 命令失败（{str(exc.stderr).strip()}）。", file=sys.stderr)
        return 2
    if not revisions:
        where = "文件存在，但还没有提交到 git" if (root / relpath).exists() else "找不到这个文件，也没有它的提交记录"
        print(f"{relpath}：{where}，没有修订记录。请检查文件名，或先提交（git commit）后再查看。", file=sys.stderr)
        return 2
    config, config_findings = load_config(root)
    status, judge = _ledger_status(root, relpath, ledger, span, config.site.ledger, config_findings)
    _judge_date(status, root, relpath, span, judge)
    render = _render_json if args.format == "json" else _render_text
    reviews = _Reviews(root)
    page_reviews = [reviews.of(rev, relpath) for rev in revisions]
    print(render(relpath, revisions, span, status, ledger.shallow, page_reviews).rstrip("\n"))
    return 0
