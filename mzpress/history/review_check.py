"""The 三审 of one merge into main: do signed approvals (or, in a transition period, trailers) cover it?

``mzpress review-check COMMIT`` (and ``publish.yml`` before deploying) asks :func:`review_commit`.
The rules:

* the files the commit changed are those between its first parent and itself (for a merge, exactly
  what the pull request brought in); a commit with no parent is compared with the empty tree;
* a commit that changes anything under ``content/`` needs the stages of ``review.content`` in
  ``site_config/units.yml`` (default 初审, 复审, 终审), any other commit those of ``review.other``;
* a commit that changes site code (any file outside ``content/``, ``site_config/`` and the
  documentation, see :func:`mzpress.model.review_policy.is_site_code`: mkdocs.yml, overrides/,
  mzpress/, scripts/, .github/...) also needs the 技术 stage, signed by a technical reviewer
  (``stage: 技术`` in units.yml), whatever ``review:`` says;
* the 初审 is signed by a 初审 reviewer of each changed page's unit (``unit:`` of the page; images,
  attachments and pages without a unit: a 初审 reviewer of any unit); 复审 and 终审 by a person whose
  ``stage`` is 复审 or 终审; the stages are signed by different people;
* a stage is signed by a **signed approval** (:mod:`mzpress.history.approvals`, made by ``mzpress
  approve``): a commit the merge brings in, signed with an SSH key that units.yml lists for a person
  who may sign that stage, approving a tree in which every file the merge changes has the content it
  has in the merge (a later change needs new signatures). An approval that is unsigned, signed by an
  unknown key, altered, or malformed is an error;
* only with ``review: {trust: trailers}`` (a transition period, warned about on every run) do
  ``Reviewed-by:``/``Approved-by:`` lines typed into the merge message count as well, one person per
  line (``review.trailers`` says which line signs which stage; a name not in units.yml is an error);
* who may sign, with which key, and the policy are read from ``site_config/units.yml`` as it was
  *before* the commit, at both the merge base and the first parent (:mod:`mzpress.history.reviewers`):
  a pull request cannot add its own reviewers or keys, and a key main has removed no longer counts;
* a commit that changes no file at all publishes nothing and needs no review (an approval commit
  pushed on its own, a merge of after-the-fact approvals);
* **emergency take-down (应急撤稿)**: a change that only takes pages down (:func:`takedown_problems`:
  deletes files under ``content/``, sets ``withdrawn: {unpublish: true}`` on a page leaving its other
  front matter and its redirect as they were, or removes text from a page writing
  ``（此条已撤下）`` in its place) passes with a single 应急 signature, a signed approval (usually the
  take-down commit itself, signed) by a person with ``emergency: true``; a typed line never opens this
  lane, not even with ``trust: trailers``. Its normal 三审 is then
  *awaiting 事后补审* until after-the-fact approvals (``Approves-commit:`` naming the take-down, made
  with ``mzpress approve --commit``) cover it (:attr:`ReviewVerdict.after_the_fact`).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import git

from mzpress.history import approvals as signed
from mzpress.history.approvals import EMPTY_TREE, Approval
from mzpress.history.ledger import RENAME_THRESHOLD, Ledger, parse_name_status, parse_trailers
from mzpress.history.reviewers import Reviewer, reviewers_of, roles_text, trusted_roster
from mzpress.model.config import CONFIG_DIR, SiteConfig, load_config
from mzpress.model.content import CONTENT_DIR, classify
from mzpress.model.findings import FindingsError, has_errors
from mzpress.model.frontmatter import split
from mzpress.model.review_policy import (
    EMERGENCY_STAGE,
    TAKEDOWN_MARKER,
    TECHNICAL_STAGE,
    THREE_STAGES,
    TRUST_SIGNATURES,
    ReviewPolicy,
    is_site_code,
    stage_label,
)
from mzpress.model.source_text import Policy, decode_text

__all__ = ["EMPTY_TREE", "Approval", "ReviewCheckError", "ReviewVerdict", "Reviewer", "review_commit",
           "reviewers_of", "render_text", "commits_between"]
_ADDRESS = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>]*)>$")
# A signature typed with a full-width colon (Reviewed-by：王建国) is not a trailer git or we read.
_FULL_WIDTH_COLON = re.compile(r"^\s*(?P<key>[A-Za-z][A-Za-z0-9-]*)\s*：\s*(?P<value>.+?)\s*$")


class ReviewCheckError(Exception):
    """The check cannot be made (unknown commit, no repository); ``str(exc)`` is a Chinese message."""


# ------------------------------------------------------------------------- signatures


@dataclass(frozen=True)
class Signature:
    """One stage signed: by a signed approval (``approval``), or by a typed trailer line."""

    trailer: str  # as written, e.g. "Reviewed-by"; "" for a signed approval
    value: str  # e.g. "刘芳 <liufang@example.gov.cn>"; the approval's author line
    reviewer: Reviewer | None = None
    approval: Approval | None = None

    @property
    def signed(self) -> bool:
        return self.approval is not None

    @property
    def line(self) -> str:
        if self.approval is not None:
            return f"提交 {self.approval.short}（{self.approval.label}签名）"
        return f"{self.trailer}: {self.value}"


def identify(value: str, reviewers: list[Reviewer], shown_as: str = "") -> tuple[Reviewer | None, str]:
    """The reviewer a trailer value names, or None and why not (Chinese; ``shown_as``: the line quoted)."""
    shown_as = shown_as or value
    match = _ADDRESS.match(value.strip())
    name = (match.group("name") if match else value).strip().strip('"')
    email = match.group("email").strip() if match else ""
    handles = {name.lstrip("@").lower()} | ({email.split("@", 1)[0].lower()} if email else set())
    by_account = [r for r in reviewers if r.github and r.github.lower() in handles]
    by_name = [r for r in reviewers if r.name == name]
    if len(by_account) == 1 and (not by_name or by_account[0] in by_name):
        return by_account[0], ""
    if not by_account and len(by_name) == 1:
        return by_name[0], ""
    if not by_account and not by_name:
        return None, (f"签名“{shown_as}”中的人不在 {CONFIG_DIR}/units.yml 的审核人名单中：不能用作三审签名。"
                      "检查姓名和账号是否写错；新任审核人要先写进 units.yml 并合并。")
    if not by_account:
        return None, (f"签名“{shown_as}”的姓名在 {CONFIG_DIR}/units.yml 中有{len(by_name)}个审核人同名，分不清是谁。"
                      "请在签名中写上此人的账号，例如“姓名 <账号@邮箱域名>”。")
    names = "、".join(r.name for r in by_account + [r for r in by_name if r not in by_account])
    return None, f"签名“{shown_as}”的姓名和账号（或邮箱）不是同一个审核人（{names}）。"


# ------------------------------------------------------------------------ requirements


@dataclass(frozen=True)
class ChangedFile:
    relpath: str  # project-relative
    status: str  # A / M / D / R...
    unit_id: str | None  # the page's unit; None for images, attachments and pages without one
    is_page: bool


@dataclass(frozen=True)
class Requirement:
    stage: str
    trailer: str
    unit_id: str | None = None  # 初审 of this unit; None: any unit (or a bureau-level stage)
    unit_name: str = ""
    signers: tuple[Reviewer, ...] = ()

    @property
    def label(self) -> str:
        if self.stage == "初审" and self.unit_id is not None:
            return f"{self.unit_name}（{self.unit_id}）的初审" if self.unit_name else f"单位“{self.unit_id}”的初审"
        return stage_label(self.stage)

    def accepts(self, signature: Signature) -> bool:
        if signature.reviewer is None or not signature.reviewer.may_sign(self.stage, self.unit_id):
            return False
        if signature.approval is not None:
            return signature.approval.stage == self.stage
        return signature.trailer.lower() == self.trailer.lower()


@dataclass
class ReviewVerdict:
    commit: str
    subject: str
    policy: ReviewPolicy
    files: list[ChangedFile]
    requirements: list[Requirement]
    signatures: list[Signature]
    met: dict[int, Signature] = field(default_factory=dict)  # requirement index -> signature
    problems: list[str] = field(default_factory=list)  # people unknown, named twice, ambiguous
    hints: dict[int, str] = field(default_factory=dict)  # requirement index -> why it is not met
    unused: list[tuple[Signature, str]] = field(default_factory=list)  # valid signatures no stage needed
    site_code: list[str] = field(default_factory=list)  # changed files that need the technical reviewer
    approvals: list[Approval] = field(default_factory=list)  # every approval commit the merge brings in
    warnings: list[str] = field(default_factory=list)  # trust: trailers (printed on every run)
    ignored_trailers: list[str] = field(default_factory=list)  # typed signature lines that do not count
    # An emergency take-down passed with its 应急 signature: the normal 三审 it still needs, and which of
    # those after-the-fact approvals (事后补审) already sign (index into after_the_fact -> signature).
    emergency: bool = False
    changes_nothing: bool = False  # the commit changes no file: it publishes nothing and needs no review
    after_the_fact: list[Requirement] = field(default_factory=list)
    after_the_fact_met: dict[int, Signature] = field(default_factory=dict)

    @property
    def awaiting_review(self) -> list[Requirement]:
        """The stages of an emergency take-down's 三审 no after-the-fact approval signs yet."""
        return [r for i, r in enumerate(self.after_the_fact) if i not in self.after_the_fact_met]

    @property
    def missing(self) -> list[tuple[int, Requirement]]:
        return [(i, r) for i, r in enumerate(self.requirements) if i not in self.met]

    @property
    def passed(self) -> bool:
        return not self.problems and not self.missing

    @property
    def content_changed(self) -> bool:
        return bool(self.files)


def requirements_for(files: list[ChangedFile], policy: ReviewPolicy, config: SiteConfig,
                     reviewers: list[Reviewer], site_code: list[str] = ()) -> list[Requirement]:
    """The stages ``review:`` asks of this merge, then the 技术 stage when it changes ``site_code``."""
    stages = policy.content if files else policy.other
    result = []
    for stage in stages:
        trailer = policy.trailer(stage)
        if stage == "初审" and files:
            units = sorted({f.unit_id for f in files if f.unit_id})
            for unit_id in units:
                unit = config.unit_by_id.get(unit_id)
                result.append(Requirement(stage, trailer, unit_id, unit.name if unit else "",
                                          tuple(r for r in reviewers if r.may_sign(stage, unit_id))))
            if units:
                continue
        result.append(Requirement(stage, trailer, None, "", tuple(r for r in reviewers if r.may_sign(stage, None))))
    if site_code:
        result.append(Requirement(TECHNICAL_STAGE, policy.trailer(TECHNICAL_STAGE), None, "",
                                  tuple(r for r in reviewers if r.may_sign(TECHNICAL_STAGE, None))))
    return result


def assign(requirements: list[Requirement], signatures: list[Signature]) -> dict[int, int]:
    """The largest assignment requirement -> signature in which each signature signs one stage.

    (Only the 初审 has several requirements, one per unit: one 初审 reviewer of two units may
    sign both.) Small sizes: a few requirements and signatures, so a plain search.
    """
    best: dict[int, int] = {}

    def search(index: int, current: dict[int, int], stage_of: dict[int, str]) -> None:
        nonlocal best
        if len(current) + len(requirements) - index <= len(best):
            return
        if index == len(requirements):
            best = dict(current)
            return
        requirement = requirements[index]
        for j, signature in enumerate(signatures):
            if requirement.accepts(signature) and stage_of.get(j, requirement.stage) == requirement.stage:
                fresh = j not in stage_of
                current[index] = j
                stage_of[j] = requirement.stage
                search(index + 1, current, stage_of)
                del current[index]
                if fresh:
                    del stage_of[j]
        search(index + 1, current, stage_of)

    search(0, {}, {})
    return best


# ------------------------------------------------------------------------------ git


def _blob(ledger: Ledger, rev: str, repo_path: str) -> bytes | None:
    try:
        return ledger.repo.git.execute(["git", "show", f"{rev}:{repo_path}"], stdout_as_string=False,
                                       strip_newline_in_stdout=False)
    except git.GitCommandError:
        return None


def config_at(ledger: Ledger, rev: str) -> SiteConfig:
    """The units, reviewers and policy of ``site_config/units.yml`` as committed in ``rev``.

    Only units.yml is read (it holds all three), and only its errors count: a later mzpress that
    validates another file more strictly must not stop the check. FindingsError when units.yml has errors.
    """
    relpath = f"{CONFIG_DIR}/units.yml"
    data = _blob(ledger, rev, ledger.to_repo_path(relpath))
    with tempfile.TemporaryDirectory(prefix="mzpress-review-") as tmp:
        root = Path(tmp)
        if data is not None:
            (root / CONFIG_DIR).mkdir()
            (root / relpath).write_bytes(data)
        config, findings = load_config(root)
    findings = [f for f in findings if f.file == relpath]
    if has_errors(findings):
        raise FindingsError(findings)
    return config


def _unit_of(data: bytes | None, relpath: str) -> str | None:
    if data is None:
        return None
    text = decode_text(data, relpath, Policy.SCAN).text  # a GBK page still names its unit
    if text is None:
        return None
    try:
        meta = split(text, relpath).meta
    except FindingsError:
        return None
    unit = meta.get("unit") if isinstance(meta, dict) else None
    return (str(unit).strip() or None) if unit is not None else None


def changed_content(ledger: Ledger, base: str, commit: str) -> list[ChangedFile]:
    """Files under content/ that ``commit`` changed relative to ``base``, with each page's unit."""
    content = ledger.to_repo_path(f"{CONTENT_DIR}/")
    out = ledger.git_text("diff", "--name-status", "-z", RENAME_THRESHOLD, base, commit, "--", content)
    files = []
    for code, paths in parse_name_status(out):
        repo_path = paths[0] if code.startswith("D") else paths[-1]
        relpath = ledger.to_project_path(repo_path) or repo_path
        src = relpath[len(CONTENT_DIR) + 1:]
        is_page = src.endswith(".md") and classify(src) is not None
        unit = _unit_of(_blob(ledger, base if code.startswith("D") else commit, repo_path), relpath) \
            if is_page else None
        files.append(ChangedFile(relpath, code[:1], unit, is_page))
    return files


def site_code_files(ledger: Ledger, base: str, commit: str) -> list[str]:
    """Files ``commit`` added, changed, deleted or renamed (both names) relative to ``base`` that are site
    code: project-relative, or repository-relative for a file outside the project (a repository-level
    ``.github/`` when the project is a subfolder counts too)."""
    out = ledger.git_text("diff", "--name-only", "-z", "--no-renames", base, commit)
    result = []
    for repo_path in out.split("\0"):
        if not repo_path:
            continue
        relpath = ledger.to_project_path(repo_path)
        if relpath is None or is_site_code(relpath):
            result.append(relpath if relpath is not None else repo_path)
    return sorted(set(result))


def _message(commit: git.Commit) -> str:
    message = commit.message
    return message.decode("utf-8", errors="replace") if isinstance(message, bytes) else message


def _meta_and_body(data: bytes | None, relpath: str) -> tuple[dict | None, str]:
    if data is None:
        return None, ""
    text = decode_text(data, relpath, Policy.SCAN).text
    if text is None:
        return None, ""
    try:
        parts = split(text, relpath)
    except FindingsError:
        return None, text
    return (parts.meta if isinstance(parts.meta, dict) else None), parts.body


def _only_removes(old: str, new: str) -> bool:
    """Whether ``new`` is ``old`` with text removed and the take-down marker written in places."""
    rest = iter(old)
    return all(char in rest for char in new.replace(TAKEDOWN_MARKER, ""))


def takedown_problems(ledger: Ledger, base: str, sha: str, files: list[ChangedFile], changed: set[str]) -> list[str]:
    """Why the change ``base..sha`` is not an emergency take-down (Chinese, one per file); [] when it is one.

    A take-down changes files under ``content/`` only, and each of them is deleted, or is a page now
    taken down (``withdrawn: {unpublish: true}``, its other front matter and its ``redirect`` unchanged:
    nothing a visitor sees is added), or is a page (a bulletin holding a copy) from which text was only
    removed, with ``（此条已撤下）`` written in its place and its front matter unchanged.
    """
    content = ledger.to_repo_path(f"{CONTENT_DIR}/")
    outside = sorted(path for path in changed if not path.startswith(content))
    problems = []
    if not files:
        return ["没有改动 content/ 下的文件"]
    if outside:
        problems.append(f"还改动了 content/ 以外的文件（{shown_files([ledger.to_project_path(p) or p for p in outside])}）")
    for changed_file in files:
        if changed_file.status == "D":
            continue
        if changed_file.status != "M" or not changed_file.is_page:
            what = {"A": "新增", "R": "改名或移动", "C": "复制"}.get(changed_file.status, "改动")
            problems.append(f"{what}了 {changed_file.relpath}")
            continue
        repo_path = ledger.to_repo_path(changed_file.relpath)
        old_meta, old_body = _meta_and_body(_blob(ledger, base, repo_path), changed_file.relpath)
        new_meta, new_body = _meta_and_body(_blob(ledger, sha, repo_path), changed_file.relpath)
        if old_meta is None or new_meta is None:
            problems.append(f"{changed_file.relpath} 的信息区读不出来")
            continue
        withdrawn = new_meta.get("withdrawn")
        before = old_meta.get("withdrawn") if isinstance(old_meta.get("withdrawn"), dict) else {}
        if isinstance(withdrawn, dict) and withdrawn.get("unpublish") is True:
            others_kept = ({k: v for k, v in new_meta.items() if k != "withdrawn"}
                           == {k: v for k, v in old_meta.items() if k != "withdrawn"})
            redirect_kept = (withdrawn.get("redirect") or None) == (before.get("redirect") or None)
            if not others_kept or not redirect_kept:
                problems.append(f"撤下 {changed_file.relpath} 时还改了信息区的其他内容"
                                + ("（跳转地址 redirect）" if not redirect_kept else ""))
            continue
        if new_meta != old_meta or not _only_removes(old_body, new_body):
            problems.append(f"{changed_file.relpath} 的改动不只是删去文字、换成“{TAKEDOWN_MARKER}”")
    return problems


def _merge_base(ledger: Ledger, sha: str, parents: list[str]) -> str:
    """Where the branch began: the merge base of the parents (the only parent of a plain commit)."""
    if len(parents) == 1:
        return parents[0]
    try:
        out = ledger.git_text("merge-base", *(["--octopus"] if len(parents) > 2 else []), *parents).strip()
    except git.GitCommandError:
        out = ""
    if not out:
        raise ReviewCheckError(f"合并提交 {sha[:7]} 合并进来的分支与主线没有共同的历史（或浅克隆没有取回），"
                               "无法知道分支开始时的审核人名单。请完整克隆后再检查；CI 中检出代码时需要 fetch-depth: 0。")
    return out.split()[0]


def _combined_policy(at_base: ReviewPolicy, at_parent: ReviewPolicy) -> ReviewPolicy:
    """The stricter of the two: every stage either asks for, trailers trusted only when both trust them."""
    def union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(stage for stage in THREE_STAGES if stage in a or stage in b)
    trust = at_parent.trust if at_base.trusts_trailers and at_parent.trusts_trailers else TRUST_SIGNATURES
    return ReviewPolicy(union(at_base.content, at_parent.content), union(at_base.other, at_parent.other),
                        dict(at_parent.trailers), trust, at_parent.trust_line)


def _approval_problem(approval: Approval) -> str:
    who = f"提交 {approval.short}“{approval.label or '审核'}签名”（作者栏写的是 {approval.author}）"
    if approval.status == signed.MALFORMED:
        return f"{who}格式不对，不算数：{approval.detail}"
    if approval.status == signed.UNSIGNED:
        return (f"{who}没有 SSH 签名，不算数：作者栏谁都能写。请审核人先运行 scripts/mzpress approve --setup 设置签名密钥，"
                "再运行 scripts/mzpress approve 重新签名。")
    if approval.status == signed.NOT_SSH:
        return f"{who}不是用 SSH 密钥签的（如 GPG），不算数：请审核人用 scripts/mzpress approve 签名。"
    if approval.status == signed.UNKNOWN_KEY:
        return (f"{who}所用的密钥（{approval.fingerprint}）没有登记在合并前的 {CONFIG_DIR}/units.yml 中，不算数。"
                "公钥以分支开始时和合并前的主线上都登记了的为准：在分支里新加的公钥或审核人不算，"
                "要先单独登记并经三审合并到主线。")
    if approval.status == signed.BAD:
        return f"{who}的签名与提交内容对不上（签名之后被改动过），不算数：请审核人重新签名。"
    return (f"{who}的签名无法核对（{approval.detail}）：运行检查的电脑需要装有 ssh-keygen（openssh-client）"
            "和2.34以上版本的 git。")


def _signatures(approvals: list[Approval]) -> tuple[list[Signature], list[Signature], list[Signature], list[str]]:
    """From verified approvals: every covering signature, one per person for the 三审 (the latest of each
    stage), the 应急 signatures apart, and the problem of a person who signed two 三审 stages."""
    by_signer: dict[str, dict[str, Approval]] = {}
    for approval in approvals:  # oldest first: a later approval of the same stage replaces an earlier one
        if approval.covers:
            by_signer.setdefault(approval.reviewer.key, {})[approval.stage] = approval
    signatures, unique, emergency, problems = [], [], [], []
    for stages in by_signer.values():
        if EMERGENCY_STAGE in stages:
            emergency.append(Signature("", stages[EMERGENCY_STAGE].author, stages[EMERGENCY_STAGE].reviewer,
                                       stages[EMERGENCY_STAGE]))
        group = [Signature("", a.author, a.reviewer, a) for stage, a in stages.items() if stage != EMERGENCY_STAGE]
        signatures += group
        if not group:
            continue
        unique.append(group[0])
        if len(group) > 1:
            labels = "、".join(f"{s.approval.label}（提交 {s.approval.short}）" for s in group)
            problems.append(f"{group[0].reviewer.name}签了{len(group)}个审核环节（{labels}）：一人只能签一个审核环节，"
                            "三审须由三个不同的人签署。")
    return signatures + emergency, unique, emergency, problems


def review_commit(root: Path | str, ref: str, head: str = "HEAD") -> ReviewVerdict:
    """Judge the signed approvals (and, with ``trust: trailers``, the trailers) of ``ref``, usually a
    merge into main, against the 三审 policy. ``head``: where after-the-fact approvals of an emergency
    take-down are looked for (the commits after ``ref`` up to it).

    Raises ReviewCheckError (unknown commit), LedgerUnavailable (no repository) and FindingsError
    (``site_config/`` before the commit has errors).
    """
    ledger = Ledger(root)
    sha = ledger.resolve_commit(ref)
    if sha is None:
        raise ReviewCheckError(f"找不到提交“{ref}”。请写合并提交的提交号（如 1a2b3c4）或 HEAD；"
                               "CI 中检出代码时需要 fetch-depth: 0。")
    commit = ledger.repo.commit(sha)
    if commit.parents:
        parents = [p.hexsha for p in commit.parents]
        base = parents[0]
        if any(ledger.resolve_commit(p) is None for p in parents):
            raise ReviewCheckError(f"提交 {sha[:7]} 的上一个提交不在本地仓库中（浅克隆只取回了部分历史），"
                                   "无法知道这次合并改动了什么。请完整克隆后再检查；CI 中检出代码时需要 fetch-depth: 0。")
        config = config_at(ledger, base)
        fork = _merge_base(ledger, sha, parents)
        at_fork = config if fork == base else config_at(ledger, fork)
        roster = trusted_roster(reviewers_of(at_fork), reviewers_of(config))
        policy = _combined_policy(at_fork.review, config.review)
    else:
        base = EMPTY_TREE
        config = config_at(ledger, sha)
        roster = reviewers_of(config)
        policy = config.review
    message = _message(commit)
    files = changed_content(ledger, base, sha)
    site_code = site_code_files(ledger, base, sha)
    changed = signed.changed_paths(ledger, base, sha)
    requirements = requirements_for(files, policy, config, roster, site_code) if changed else []
    warnings: list[str] = []

    approvals = signed.find_approvals(ledger, base, sha)
    approvals = signed.verify(ledger, approvals, roster)
    approvals = signed.with_coverage(ledger, approvals, sha, changed)
    problems = [_approval_problem(a) for a in approvals if not a.valid]
    signatures, unique, emergency, twice = _signatures(approvals)
    problems += twice
    for signature in emergency:
        if not signature.reviewer.may_sign(EMERGENCY_STAGE, None):
            problems.append(f"{signature.reviewer.name}签了应急撤稿（提交 {signature.approval.short}），但合并前的 "
                            f"{CONFIG_DIR}/units.yml 中此人没有应急撤稿权（emergency: true），这一签名不算数。")
    emergency = [s for s in emergency if s.reviewer.may_sign(EMERGENCY_STAGE, None)]
    by_signer = {s.reviewer.key for s in signatures}

    keys = policy.signature_keys
    typed: list[Signature] = []
    for key, value in parse_trailers(message):
        if key.lower() in keys:
            typed.append(Signature(key, value))
    if policy.trusts_trailers:
        where = f"{CONFIG_DIR}/units.yml" + (f":{policy.trust_line}" if policy.trust_line else "")
        warnings.append(f"警告：{where} 设了 review: {{trust: trailers}}（过渡期），合并说明中手写的签名行也算作三审签名。"
                        "手写的签名谁都能写，证明不了审核人确实审过、审的就是发布出去的内容：请审核人尽快用 scripts/mzpress approve "
                        "签名（scripts/mzpress approve --setup 设置密钥，公钥登记进 units.yml），再删掉 trust: trailers。")
        seen: dict[str, list[Signature]] = {}
        for signature in typed:
            reviewer, problem = identify(signature.value, roster, signature.line)
            if problem:
                problems.append(problem)
            signature = Signature(signature.trailer, signature.value, reviewer)
            signatures.append(signature)
            if reviewer is not None and reviewer.key not in by_signer:  # a signed approval supersedes a line
                seen.setdefault(reviewer.key, []).append(signature)
        for group in seen.values():
            unique.append(group[0])
            if len(group) > 1:
                lines = "、".join(f"“{s.line}”" for s in group)
                problems.append(f"{group[0].reviewer.name}签了{len(group)}次（{lines}）：一人只能签一个审核环节，"
                                "三审须由三个不同的人签署。")
        for line in message.splitlines():
            typo = _FULL_WIDTH_COLON.match(line)
            if typo and typo.group("key").lower() in keys:
                problems.append(f"签名“{line.strip()}”用了中文冒号“：”，不会被识别："
                                f"改成英文冒号和一个空格，写成“{typo.group('key')}: {typo.group('value')}”。")
    verdict = ReviewVerdict(sha, message.strip().splitlines()[0] if message.strip() else "", policy, files,
                            requirements, signatures, problems=problems, site_code=site_code, approvals=approvals,
                            warnings=warnings,
                            ignored_trailers=[] if policy.trusts_trailers else [s.line for s in typed],
                            changes_nothing=not changed)
    chosen = assign(requirements, unique)
    if len(chosen) < len(requirements) and emergency:
        reasons = takedown_problems(ledger, base, sha, files, changed)
        if not reasons:
            return _emergency_verdict(verdict, ledger, sha, head, roster, policy, unique, emergency)
        labels = "、".join(f"{s.reviewer.name}（{s.line}）" for s in emergency)
        verdict.problems.append(
            f"应急签名（{labels}）只能用于应急撤稿：撤稿只删除 content/ 下的文件、把页面撤下（withdrawn 的 unpublish: true）"
            f"或把转载的段落换成“{TAKEDOWN_MARKER}”，而这次改动{'；'.join(reasons)}。这样的改动须按三审签名。")
    verdict.met = {i: unique[j] for i, j in chosen.items()}
    used = set(chosen.values())
    for i, requirement in verdict.missing:
        verdict.hints[i] = _hint(requirement, unique, chosen, requirements, site_code, policy, approvals)
    hinted = {r.key for _, requirement in verdict.missing for r in requirement.signers}
    verdict.unused = [(s, roles_text(s.reviewer, config)) for j, s in enumerate(unique)
                      if j not in used and s.reviewer.key not in hinted]
    return verdict


def _emergency_verdict(verdict: ReviewVerdict, ledger: Ledger, sha: str, head: str, roster: list[Reviewer],
                       policy: ReviewPolicy, unique: list[Signature], emergency: list[Signature]) -> ReviewVerdict:
    """A take-down with a 应急 signature: it passes; its 三审 awaits after-the-fact approvals."""
    normal = verdict.requirements
    stage = Requirement(EMERGENCY_STAGE, policy.trailer(EMERGENCY_STAGE), None, "",
                        tuple(r for r in roster if r.may_sign(EMERGENCY_STAGE, None)))
    verdict.requirements = [stage]
    verdict.met = {0: emergency[0]}
    verdict.emergency = True
    verdict.after_the_fact = normal
    later = signed.verify(ledger, signed.find_later_approvals(ledger, sha, head) if ledger.resolve_commit(head) else [],
                          roster)
    verdict.approvals += later
    verdict.problems += [_approval_problem(a) for a in later if not a.valid]
    after, after_unique, _, twice = _signatures(later)
    verdict.problems += twice
    have = {s.reviewer.key for s in after_unique}
    candidates = after_unique + [s for s in unique if s.reviewer.key not in have]
    chosen = assign(normal, candidates)
    verdict.after_the_fact_met = {i: candidates[j] for i, j in chosen.items()}
    verdict.signatures += after
    return verdict


def commits_between(root: Path | str, since: str, ref: str) -> list[str]:
    """The main-line (first-parent) commits after ``since`` up to ``ref``, oldest first."""
    ledger = Ledger(root)
    shas = []
    for name in (since, ref):
        sha = ledger.resolve_commit(name)
        if sha is None:
            raise ReviewCheckError(f"找不到提交“{name}”。请写提交号、分支名或 HEAD；CI 中检出代码时需要 fetch-depth: 0。")
        shas.append(sha)
    return ledger.git_text("rev-list", "--first-parent", "--reverse", f"{shas[0]}..{shas[1]}").split()


def shown_files(relpaths: list[str], limit: int = 5) -> str:
    """``a、b、c``, or the first ``limit`` and how many in all."""
    if len(relpaths) <= limit:
        return "、".join(relpaths)
    return "、".join(relpaths[:limit]) + f"等{len(relpaths)}个文件"


def _hint(requirement: Requirement, signatures: list[Signature], chosen: dict[int, int],
          requirements: list[Requirement], site_code: list[str] = (), policy: ReviewPolicy | None = None,
          approvals: list[Approval] = ()) -> str:
    policy = policy or ReviewPolicy()
    technical = requirement.stage == TECHNICAL_STAGE
    if requirement.unit_id is not None and not requirement.unit_name:
        return (f"单位“{requirement.unit_id}”不在 {CONFIG_DIR}/units.yml 中，没有人能签它的初审："
                "改正稿件的 unit:（scripts/mzpress check 会指出是哪一行）后重新合并。")
    if not requirement.signers and technical:
        return (f"这次合并改动了网站代码（{shown_files(site_code)}），须经技术审核，但合并前的 {CONFIG_DIR}/units.yml "
                f"中没有技术审核人：请先在 units.yml 的 reviewers 中写明技术审核人（stage: {requirement.stage}）并合并"
                "（只改 units.yml 的合并不需要技术审核），再由技术审核人审核后重新合并这些改动。")
    if not requirement.signers:
        return (f"{CONFIG_DIR}/units.yml 中没有可以签{requirement.label}的人："
                f"请先在 units.yml 中写明{requirement.label}人（stage: {requirement.stage}）并合并。")
    names = "或".join(r.name for r in requirement.signers)
    example = requirement.signers[0]
    if policy.trusts_trailers:
        text = f"应由{names}签署，在合并说明末尾写一行“{requirement.trailer}: {example.name} <邮箱>”。"
        if technical:
            text = (f"这次合并改动了网站代码（{shown_files(site_code)}），须经技术审核人审核：请{names}在拉取请求中"
                    f"审阅这些文件的改动并批准，合并时在合并说明末尾写一行“{requirement.trailer}: {example.name} <邮箱>”。")
    else:
        text = (f"应由{names}签署：请其检出拉取请求的分支，核对内容后运行 scripts/mzpress approve --stage {requirement.stage}，"
                "再推送（git push）。")
        if technical:
            text = (f"这次合并改动了网站代码（{shown_files(site_code)}），须经技术审核人审核：请{names}检出拉取请求的分支，"
                    f"审阅这些文件的改动后运行 scripts/mzpress approve --stage {requirement.stage}，再推送（git push）。")
        keyless = [r.name for r in requirement.signers if not r.keys]
        if keyless:
            text += (f"{'、'.join(keyless)}在合并前的 {CONFIG_DIR}/units.yml 中还没有登记公钥（ssh_key），签名暂不算数："
                     "请先运行 scripts/mzpress approve --setup，把它打印的那一行交办公室登记并合并。")
    for approval in approvals:
        if (approval.valid and approval.differs and approval.stage == requirement.stage
                and approval.reviewer in requirement.signers):
            text += (f"{approval.reviewer.name}在提交 {approval.short} 签过{approval.label}，但签名之后这些文件又改过："
                     f"{shown_files(list(approval.differs))}，须重新签名。")
    for j, signature in enumerate(signatures):
        if signature.reviewer not in requirement.signers:
            continue
        if signature.approval is not None and signature.approval.stage != requirement.stage:
            other = [requirements[i].label for i, k in chosen.items() if k == j]
            if other:
                text += f"{signature.reviewer.name}已签{'、'.join(other)}，同一人不能再签{stage_label(requirement.stage)}。"
            else:
                text += f"{signature.reviewer.name}签的是{signature.approval.label}，不是{stage_label(requirement.stage)}。"
        elif signature.approval is None and signature.trailer.lower() != requirement.trailer.lower():
            text += (f"{signature.reviewer.name}写成了“{signature.trailer}”，"
                     f"{stage_label(requirement.stage)}应写“{requirement.trailer}”。")
        else:
            other = [requirements[i].label for i, k in chosen.items() if k == j]
            if other:
                text += f"{signature.reviewer.name}已签{'、'.join(other)}，同一人不能再签{stage_label(requirement.stage)}。"
    return text


# --------------------------------------------------------------------------- report


def _signed(requirement: Requirement, signature: Signature) -> str:
    if signature.approval is not None:
        return (f"{requirement.label}：{signature.reviewer.name}（SSH 签名，提交 {signature.approval.short}，"
                f"密钥 {signature.approval.fingerprint}）")
    return f"{requirement.label}：{signature.reviewer.name}（{signature.trailer}）"


def _scope(verdict: ReviewVerdict) -> str:
    if not verdict.files:
        scope = "没有改动 content/ 下的文件，按“其他合并”的规则检查"
    else:
        pages = [f for f in verdict.files if f.is_page]
        others = len(verdict.files) - len(pages)
        scope = (f"改动页面{len(pages)}个" + (f"、图片和附件{others}个" if others else "")
                 + "，按“改动 content/ 的合并”的规则检查")
    if verdict.site_code:
        scope += f"；改动网站代码{len(verdict.site_code)}个（{shown_files(verdict.site_code)}），另需技术审核"
    return scope


def _ignored(verdict: ReviewVerdict) -> list[str]:
    if not verdict.ignored_trailers:
        return []
    lines = "、".join(f"“{line}”" for line in verdict.ignored_trailers)
    return [f"  合并说明中手写的签名行不算数（{CONFIG_DIR}/units.yml 没有设 review: {{trust: trailers}}）：{lines}。"
            "三审要由审核人用 scripts/mzpress approve 签名。"]


def _after_the_fact_lines(verdict: ReviewVerdict) -> list[str]:
    short = verdict.commit[:7]
    lines = [f"  事后补审已签：{_signed(verdict.after_the_fact[i], s)}" for i, s in sorted(verdict.after_the_fact_met.items())]
    waiting = verdict.awaiting_review
    if not waiting:
        return [*lines, "  事后补审已齐全：三审签名都已覆盖这次撤稿。"]
    for requirement in waiting:
        names = "或".join(r.name for r in requirement.signers) or f"（{CONFIG_DIR}/units.yml 中没有可以签的人）"
        lines.append(f"  待事后补审：{requirement.label}，应由{names}核对这次撤稿后运行 "
                     f"scripts/mzpress approve --stage {requirement.stage} --commit {short}，再推送。")
    return lines


def render_text(verdict: ReviewVerdict) -> str:
    short = verdict.commit[:7]
    title = f"提交 {short}“{verdict.subject}”"
    lines = []
    warnings = [f"  {w}" for w in verdict.warnings]
    if verdict.passed and verdict.emergency:
        lines.append(f"应急撤稿：{title}只撤下页面，有应急签名，可以发布。")
        lines += warnings
        lines.append(f"  {_scope(verdict)}。")
        lines += [f"  {_signed(verdict.requirements[i], s)}" for i, s in sorted(verdict.met.items())]
        lines += _after_the_fact_lines(verdict)
        return "\n".join(lines) + "\n"
    if verdict.passed:
        lines.append(f"三审记录齐全：{title}。")
        lines += warnings
        lines.append(f"  {_scope(verdict)}。")
        if verdict.changes_nothing:
            lines.append("  这次提交没有改动任何文件，不发布新内容，不需要审核签名。")
        elif not verdict.requirements:
            lines.append("  三审规则不要求这类合并签名（site_config/units.yml 的 review:）。")
        lines += [f"  {_signed(verdict.requirements[i], s)}" for i, s in sorted(verdict.met.items())]
        lines += _ignored(verdict)
        return "\n".join(lines) + "\n"
    lines.append(f"错误：{title}的三审记录不全或有误，不能发布。")
    lines += warnings
    lines.append(f"  {_scope(verdict)}（{verdict.policy.describe()}）。")
    for i, requirement in verdict.missing:
        lines.append(f"  缺少{requirement.label}：{verdict.hints[i]}")
    lines += [f"  {problem}" for problem in verdict.problems]
    lines += [f"  已有{_signed(verdict.requirements[i], s)}" for i, s in sorted(verdict.met.items())]
    lines += [f"  没有用上的签名：“{s.line}”（{roles}），本次合并不需要这一签名。" for s, roles in verdict.unused]
    lines += _ignored(verdict)
    if verdict.policy.trusts_trailers:
        if not verdict.signatures:
            lines.append("  合并说明末尾没有任何审核签名（Reviewed-by:、Approved-by: 等），分支上也没有审核签名提交。")
        lines.append("  修改建议：审核人用 scripts/mzpress approve 签名（推荐），或在合并时在合并说明末尾空一行，每位审核人写一行签名，"
                     "如“Reviewed-by: 姓名 <邮箱>”，终审人的签名写法见上；签名的人必须是 site_config/units.yml 中相应环节的"
                     "审核人，每个环节由不同的人签（改动网站代码的合并，技术审核人另签一行）。"
                     "已推送到 main 的合并不能再改：请撤销这次合并（git revert -m 1 提交号）后重新合并并写全签名。")
    else:
        if not any(a.valid for a in verdict.approvals):
            lines.append("  这次合并带进来的提交中没有有效的审核签名（审核人运行 scripts/mzpress approve 生成的签名提交）。")
        lines.append("  修改建议：每位审核人检出拉取请求的分支，核对内容后运行 scripts/mzpress approve --stage 环节，再推送（git push）；"
                     "签名之后内容又有改动的，要重新签名。签名的人必须是合并前 site_config/units.yml 中相应环节的审核人，"
                     "且登记了公钥（ssh_key），每个环节由不同的人签。合并时要用“合并提交”（不要用压缩合并或变基合并）。"
                     "已推送到 main 的合并不能再改：请撤销这次合并（git revert -m 1 提交号），在分支上补齐签名后重新合并。")
    return "\n".join(lines) + "\n"
