"""Signed approvals (审核签名): a reviewer signs the exact content under review with their SSH key.

The design
----------

An approval is an **empty commit on the pull request's branch, signed with git's SSH signing**
(``git commit -S`` with ``gpg.format=ssh`` and ``user.signingkey``), made by ``mzpress approve``.
Its message names the stage and the tree (the content) it approves::

    审核签名：复审（王建国）

    王建国以复审身份用 SSH 密钥签名……

    Stage: 复审
    Approves-tree: 3f1c…(40 hex)

* **What is signed.** The SSH signature covers the whole commit object: its tree, its parent, its
  author and its message. The commit is empty, so its own tree is the branch's content at the moment
  of signing, and ``Approves-tree`` must name exactly that tree; a commit whose ``Approves-tree``
  differs from its own tree is malformed and does not count.
* **Who signed.** ``review-check`` does not trust the author line: it asks git to verify the signature
  (``git log %G?/%GS/%GK``, which runs ``ssh-keygen -Y find-principals`` and ``ssh-keygen -Y verify``
  in the ``git`` namespace) against an allowed-signers file built from the public keys in
  ``site_config/units.yml`` of the trusted roster (:mod:`mzpress.history.reviewers`: units.yml at the
  merge base *and* at the first parent). Only a good signature by a listed key counts
  (``G`` with trust ``fully``); the key's fingerprint must also be one of that person's keys.
  A commit signed with any other key, not signed at all, or signed with GnuPG does not count.
* **What it covers.** An approval covers a merge when every file the merge changes (first parent to
  merge) has, in the approved tree, exactly the content it has in the merge: a file changed after the
  signature, a conflict resolved differently in the merge commit, a file added later, all leave the
  approval uncovering (its ``differs`` names them) and need a new signature. Files the merge does not
  change (main moved on meanwhile) do not matter.
* **Where approvals are looked for.** Every commit the merge brings into main (``first parent..merge``,
  the merge itself included). A squash or rebase merge drops or rewrites them: merges must be merge
  commits (GitHub: "Create a merge commit"; Gitea: "Create merge commit").

* **A change that carries its own signature.** :func:`sign_staged` commits what is staged with the
  two lines naming the tree the commit will have: an emergency take-down committed straight to main
  is its own 应急 approval (``review-check`` lets such a take-down through on that one signature).
* **After the fact (事后补审).** ``Stage:`` with ``Approves-commit: <sha>`` instead of
  ``Approves-tree:`` approves exactly one commit already on main (``mzpress approve --commit``); it is
  looked for after that commit (:func:`find_later_approvals`) and never counts for another change.

Why a commit and not a note: commits travel with ``git push`` and pull requests on GitHub and Gitea
without any setting, show in the pull request's commit list, and are kept by a merge commit; notes
need their own refs pushed and fetched (``fetch-depth: 0`` does not fetch them).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from mzpress.history.ledger import Ledger, parse_trailers
from mzpress.history.reviewers import Reviewer
from mzpress.model.review_policy import APPROVAL_STAGES, EMERGENCY_STAGE, stage_label

STAGE_TRAILER = "Stage"
TREE_TRAILER = "Approves-tree"
COMMIT_TRAILER = "Approves-commit"  # an after-the-fact approval (事后补审) of one commit, e.g. a take-down
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
SSH_SIGNATURE = "-----BEGIN SSH SIGNATURE-----"
_OBJECT_ID = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")
_RECORD, _FIELD = "\x1e", "\x1f"

# Why an approval does not count (Approval.status).
GOOD = "good"  # a good SSH signature by a key of the trusted roster
UNSIGNED = "unsigned"  # no signature at all
NOT_SSH = "not-ssh"  # signed, but not with an SSH key (GnuPG, X.509)
UNKNOWN_KEY = "unknown-key"  # a good signature by a key nobody in the trusted roster has
BAD = "bad"  # the signature does not match the commit (changed after signing)
UNVERIFIABLE = "unverifiable"  # ssh-keygen could not be run, or another error
MALFORMED = "malformed"  # Stage / Approves-tree missing, unknown, or not the commit's own tree


@dataclass(frozen=True)
class Approval:
    sha: str
    stage: str  # as written in Stage:
    tree: str  # as written in Approves-tree:
    own_tree: str  # the commit's own tree
    author: str  # the author line as written: shown, never trusted
    status: str = ""
    reviewer: Reviewer | None = None
    fingerprint: str = ""  # SHA256:… of the signing key, when signed with SSH
    detail: str = ""  # why MALFORMED or UNVERIFIABLE (Chinese)
    differs: tuple[str, ...] = ()  # files the merge changed whose content differs in the approved tree
    approves_commit: str = ""  # an after-the-fact approval: the commit it approves (Approves-commit)

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def valid(self) -> bool:
        return self.status == GOOD and self.reviewer is not None

    @property
    def covers(self) -> bool:
        return self.valid and not self.differs

    @property
    def label(self) -> str:
        return stage_label(self.stage)


# ------------------------------------------------------------------------------ finding


def _message_problem(stages: list[str], trees: list[str], commits: list[str], own_tree: str) -> str:
    if len(stages) != 1 or len(trees) + len(commits) != 1:
        return (f"签名提交须有且只有一行“{STAGE_TRAILER}: 环节”，和一行“{TREE_TRAILER}: 内容树”"
                f"（事后补审为一行“{COMMIT_TRAILER}: 提交号”），请用 scripts/mzpress approve 签名，不要手写。")
    if stages[0] not in APPROVAL_STAGES:
        return f"“{STAGE_TRAILER}: {stages[0]}”不是审核环节（只能是{'、'.join(APPROVAL_STAGES)}）。"
    if commits:
        if not _OBJECT_ID.match(commits[0]):
            return f"“{COMMIT_TRAILER}: {commits[0]}”不是完整的提交号。"
        if stages[0] == EMERGENCY_STAGE:
            return "应急签名只能签在撤稿提交本身，不能事后补签。"
        return ""
    if not _OBJECT_ID.match(trees[0]):
        return f"“{TREE_TRAILER}: {trees[0]}”不是完整的内容树编号。"
    if trees[0] != own_tree:
        return (f"签名提交写明批准的内容树 {trees[0][:10]} 不是它自己的内容 {own_tree[:10]}："
                "签名提交不能夹带改动，也不能声称批准别的内容。")
    return ""


def _read_approvals(ledger: Ledger, revisions: list[str]) -> list[Approval]:
    out = ledger.git_text("log", "--reverse", f"--format={_RECORD}%H{_FIELD}%T{_FIELD}%an <%ae>{_FIELD}%B",
                          *revisions, "--")
    found = []
    for record in out.split(_RECORD)[1:]:
        commit, tree, author, message = (record.split(_FIELD, 3) + ["", "", ""])[:4]
        pairs = parse_trailers(message)
        stages = [v.strip() for k, v in pairs if k.lower() == STAGE_TRAILER.lower()]
        trees = [v.strip().lower() for k, v in pairs if k.lower() == TREE_TRAILER.lower()]
        commits = [v.strip().lower() for k, v in pairs if k.lower() == COMMIT_TRAILER.lower()]
        if not stages and not trees and not commits:
            continue
        problem = _message_problem(stages, trees, commits, tree)
        approval = Approval(commit.strip(), stages[0] if stages else "", trees[0] if trees else "", tree, author,
                            approves_commit=commits[0] if commits and not trees else "")
        found.append(replace(approval, status=MALFORMED, detail=problem) if problem else approval)
    return found


def find_approvals(ledger: Ledger, base: str, sha: str) -> list[Approval]:
    """The approval commits ``sha`` brings in: in ``base..sha`` (``sha`` itself included), oldest first.

    A commit counts as an attempted approval when its last paragraph has a ``Stage:``, an
    ``Approves-tree:`` or an ``Approves-commit:`` line; a malformed one is returned with status
    MALFORMED (not silently dropped). After-the-fact approvals of *another* commit
    (``Approves-commit:``) are not about this merge and are left out.
    """
    revisions = [sha] if base == EMPTY_TREE else [f"{base}..{sha}"]
    return [a for a in _read_approvals(ledger, revisions) if not a.approves_commit]


def find_later_approvals(ledger: Ledger, sha: str, head: str = "HEAD") -> list[Approval]:
    """After-the-fact approvals (事后补审) of commit ``sha``: signed approval commits after it, up to
    ``head``, whose ``Approves-commit:`` names it. They approve exactly that commit's change."""
    return [a for a in _read_approvals(ledger, [f"{sha}..{head}"]) if a.approves_commit == sha]


# ----------------------------------------------------------------------------- verifying


def allowed_signers(reviewers: list[Reviewer]) -> tuple[str, dict[str, Reviewer]]:
    """The text of an allowed-signers file (ssh-keygen(1), ALLOWED SIGNERS) and principal -> reviewer.

    Principals are ``mzpress-reviewer-N`` (names may hold any character; the file needs none of them);
    each key may sign in the ``git`` namespace only.
    """
    lines, principals = [], {}
    for index, reviewer in enumerate(reviewers, start=1):
        if not reviewer.keys:
            continue
        principal = f"mzpress-reviewer-{index}"
        principals[principal] = reviewer
        lines += [f'{principal} namespaces="git" {key.line}' for key in reviewer.keys]
    return "".join(f"{line}\n" for line in lines), principals


def verify(ledger: Ledger, approvals: list[Approval], reviewers: list[Reviewer]) -> list[Approval]:
    """Each approval with its status, signer and key: git's own SSH verification against ``reviewers``' keys."""
    pending = [a for a in approvals if a.status != MALFORMED]
    if not pending:
        return approvals
    text, principals = allowed_signers(reviewers)
    with tempfile.TemporaryDirectory(prefix="mzpress-signers-") as tmp:
        signers = Path(tmp) / "allowed_signers"
        signers.write_text(text or "# no keys\n", encoding="utf-8")
        out = ledger.git_text(
            "-c", "gpg.format=ssh", "-c", "gpg.ssh.program=ssh-keygen",
            "-c", f"gpg.ssh.allowedSignersFile={signers}", "-c", "gpg.minTrustLevel=undefined",
            "log", "--no-walk=unsorted", f"--format={_RECORD}%H{_FIELD}%G?{_FIELD}%GS{_FIELD}%GK{_FIELD}%GT{_FIELD}%GG",
            *[a.sha for a in pending], "--")
    results = {}
    for record in out.split(_RECORD)[1:]:
        commit, status, principal, key, trust, raw = (record.split(_FIELD, 5) + [""] * 5)[:6]
        results[commit.strip()] = (status.strip(), principal.strip(), key.strip(), trust.strip(), raw.strip())
    verified = []
    for approval in approvals:
        if approval.status == MALFORMED:
            verified.append(approval)
            continue
        status, principal, key, trust, raw = results.get(approval.sha, ("N", "", "", "", ""))
        signature = ledger.repo.commit(approval.sha).gpgsig or ""
        reviewer = principals.get(principal)
        if status == "N" or not signature.strip():
            verified.append(replace(approval, status=UNSIGNED))
        elif not signature.lstrip().startswith(SSH_SIGNATURE):
            verified.append(replace(approval, status=NOT_SSH))
        elif status == "G" and trust == "fully" and reviewer is not None and reviewer.owns(key):
            verified.append(replace(approval, status=GOOD, reviewer=reviewer, fingerprint=key))
        elif status in ("G", "U"):  # a good signature, but by no key of the roster
            verified.append(replace(approval, status=UNKNOWN_KEY, fingerprint=key))
        elif status == "B":
            verified.append(replace(approval, status=BAD, fingerprint=key))
        else:
            reason = raw.splitlines()[0] if raw else f"git 报告 {status or '无结果'}"
            verified.append(replace(approval, status=UNVERIFIABLE, fingerprint=key, detail=reason))
    return verified


def with_coverage(ledger: Ledger, approvals: list[Approval], merged: str, changed: set[str]) -> list[Approval]:
    """Each valid approval with ``differs``: the files in ``changed`` (repository paths the merge changed)
    whose content in the approved tree is not their content in ``merged``."""
    result = []
    for approval in approvals:
        if not approval.valid:
            result.append(approval)
            continue
        out = ledger.git_text("diff", "--name-only", "-z", "--no-renames", approval.tree, merged, "--")
        differs = tuple(sorted(changed & {path for path in out.split("\0") if path}))
        result.append(replace(approval, differs=differs))
    return result


def changed_paths(ledger: Ledger, base: str, sha: str) -> set[str]:
    """Every repository path ``sha`` changes relative to ``base`` (both names of a rename)."""
    out = ledger.git_text("diff", "--name-only", "-z", "--no-renames", base, sha, "--")
    return {path for path in out.split("\0") if path}


# ------------------------------------------------------------------------------ signing


def approval_message(stage: str, tree: str, head: str, name: str) -> str:
    label = stage_label(stage)
    return (f"审核签名：{label}（{name}）\n\n"
            f"{name}以{label}身份用 SSH 密钥签名，批准本分支在提交 {head[:10]} 时的全部内容。"
            "此后内容再有改动，本签名不再有效，须重新签名。\n\n"
            f"{STAGE_TRAILER}: {stage}\n{TREE_TRAILER}: {tree}\n")


def after_the_fact_message(stage: str, commit: str, subject: str, name: str) -> str:
    """An after-the-fact approval (事后补审) of ``commit``, e.g. an emergency take-down already published."""
    label = stage_label(stage)
    return (f"事后补审签名：{label}（{name}）\n\n"
            f"{name}以{label}身份用 SSH 密钥签名，事后批准提交 {commit[:10]}“{subject}”的改动。\n\n"
            f"{STAGE_TRAILER}: {stage}\n{COMMIT_TRAILER}: {commit}\n")


def approval_trailers(stage: str, tree: str) -> str:
    """The last paragraph of an approval of ``tree``: what :func:`find_approvals` reads."""
    return f"{STAGE_TRAILER}: {stage}\n{TREE_TRAILER}: {tree}\n"


def sign_staged(ledger: Ledger, stage: str, subject: str, body: str, signing_key: str) -> str:
    """Commit what is staged as a signed approval of its own content; its sha.

    For a change that carries its own signature, e.g. an emergency take-down committed straight to
    main with ``stage`` 应急: the message ends with ``Stage:`` and ``Approves-tree:`` naming the tree
    the commit will have (``git write-tree`` of the index), so :func:`find_approvals` reads the commit
    itself as the approval. Raises :class:`SigningFailed`.
    """
    tree = ledger.git_text("write-tree").strip()
    message = f"{subject.strip()}\n\n" + (f"{body.strip()}\n\n" if body.strip() else "") + approval_trailers(stage, tree)
    return sign_approval(ledger, message, signing_key)


class SigningFailed(Exception):
    """``git commit -S`` failed; ``str(exc)`` is git's (or ssh-keygen's) first line of error."""


def sign_approval(ledger: Ledger, message: str, signing_key: str) -> str:
    """Make the signed empty approval commit on the current branch; its sha.

    ``signing_key``: what ``user.signingkey`` takes for SSH (a private key file, a public key file
    whose private key is in ssh-agent, or ``key::ssh-ed25519 AAAA…``). ssh-keygen may ask for the
    key's passphrase on the terminal, so the terminal is left to it.
    """
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as file:
        file.write(message)
    try:
        result = subprocess.run(
            ["git", "-c", "gpg.format=ssh", "-c", f"user.signingkey={signing_key}", "-c", "gpg.ssh.program=ssh-keygen",
             "commit", "--allow-empty", "--no-verify", "-q", "-S", "--cleanup=verbatim", "-F", file.name],
            cwd=ledger.work_tree, capture_output=True, text=True,
            env={**os.environ, "LC_ALL": "C"}, check=False)
    finally:
        os.unlink(file.name)
    if result.returncode != 0:
        lines = [line.strip() for line in (result.stderr or result.stdout).splitlines() if line.strip()]
        raise SigningFailed(lines[-1] if lines else f"git commit 退出码 {result.returncode}")
    return ledger.git_text("rev-parse", "HEAD").strip()
