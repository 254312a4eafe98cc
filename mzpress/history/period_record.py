"""What git says about a report period besides the submissions: the site's pages at the period's end,
the pages deleted during it, and the 三审 record of every change that reached the main line.

Read for the website section of the half-yearly 意识形态工作 report (``mzpress report --outline``,
:mod:`mzpress.publishing.half_year_outline`). Terms:

* **main line** as in :mod:`mzpress.history.ledger`: the first-parent chain from ``HEAD``; a change
  reaches it as a merge (or, without a pull request, as a commit of its own), at its committer date.
* **the period's main line**: the main-line commits committed in ``[start, end)``; ``base`` is the
  last main-line commit before ``start`` (None when the history begins inside the period) and
  ``last`` the last one before ``end`` (None when there is none yet).
* **pages at the end**: the dated pages (stories, notices, campaigns and their pages, bulletins) in
  ``last``'s tree, their bytes as committed: what the site held when the period ended.
* **deleted**: a page a main-line commit of the period deleted (``git rm``; a rename is not a
  deletion) and that is not in ``last``'s tree again; its text is the version before the deletion.
* **review record**: :func:`mzpress.history.review_check.review_commit` of each main-line commit of
  the period, the check ``publish.yml`` runs before deploying: complete, incomplete or not
  checkable, and of the stages it accepted, how many were signed with a key (a signed approval)
  and how many typed (a ``Reviewed-by:``/``Approved-by:`` trailer). :data:`SIGNING_KNOWN` says whether
  the check tells the two apart (a signature's ``signed``); without it every accepted stage counts
  as typed and the outline says that it cannot tell.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import git

from mzpress.history.ledger import RENAME_THRESHOLD, Ledger, first_line, parse_name_status
from mzpress.history.review_check import ReviewCheckError, Signature, review_commit
from mzpress.history.submissions import read_blobs
from mzpress.model.content import CONTENT_DIR, DATED_KINDS, classify
from mzpress.model.findings import FindingsError
from mzpress.model.schema import TIMEZONE

_FIELD = "\x1f"
COMPLETE, INCOMPLETE, UNCHECKED = "complete", "incomplete", "unchecked"
# Whether review-check tells a stage signed with a key from a typed trailer.
SIGNING_KNOWN = isinstance(getattr(Signature, "signed", None), property)


@dataclass(frozen=True, slots=True)
class MainLineCommit:
    sha: str
    committed: dt.datetime  # committer date, Beijing time
    subject: str
    merge: bool


@dataclass(frozen=True, slots=True)
class DeletedPage:
    relpath: str  # project-relative, as it was before the deletion
    kind: str  # story, notice, campaign, member, bulletin
    text: bytes | None  # the version before the deletion
    commit: MainLineCommit  # the main-line commit that deleted it


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """The 三审 check of one main-line commit: ``state`` complete | incomplete | unchecked."""

    commit: MainLineCommit
    state: str
    content: bool  # it changed something under content/
    missing: tuple[str, ...] = ()  # the stages it lacks (e.g. 办公室（office）的初审, 终审)
    problems: tuple[str, ...] = ()  # names not in units.yml, one person signing twice ...
    reason: str = ""  # unchecked: why
    signed: int = 0  # stages accepted from a signed approval (SIGNING_KNOWN)
    typed: int = 0  # stages accepted from a typed trailer

    @property
    def all_signed(self) -> bool:
        """Complete, and every stage it needed signed with a key."""
        return self.state == COMPLETE and self.typed == 0


@dataclass(frozen=True)
class PeriodRecord:
    start: dt.datetime
    end: dt.datetime  # exclusive
    base: str | None  # the last main-line commit before start
    last: MainLineCommit | None  # the last main-line commit before end
    commits: tuple[MainLineCommit, ...]  # main-line commits in [start, end), oldest first
    pages: dict[str, bytes]  # project-relative path -> bytes: the dated pages of ``last``'s tree
    deleted: tuple[DeletedPage, ...]
    reviews: tuple[ReviewRecord, ...]
    shallow: bool


def _main_line(ledger: Ledger) -> list[MainLineCommit]:
    """Every main-line commit, oldest first."""
    out = ledger.git_text("log", "--first-parent", "--reverse", f"--format=%H{_FIELD}%ct{_FIELD}%P{_FIELD}%s", "HEAD")
    commits = []
    for line in out.splitlines():
        parts = line.split(_FIELD, 3)
        if len(parts) == 4 and parts[1].isdigit():
            commits.append(MainLineCommit(parts[0], dt.datetime.fromtimestamp(int(parts[1]), TIMEZONE), parts[3],
                                          len(parts[2].split()) > 1))
    return commits


def dated_kind(relpath: str) -> str | None:
    """The page kind of a project-relative Markdown path when it has a publish date, else None."""
    if not relpath.startswith(CONTENT_DIR + "/") or not relpath.endswith(".md"):
        return None
    where = classify(relpath[len(CONTENT_DIR) + 1:])
    return where[0] if where is not None and where[0] in DATED_KINDS else None


def pages_at(ledger: Ledger, commit: str) -> dict[str, bytes]:
    """The dated pages of ``commit``'s tree: project-relative path -> bytes."""
    out = ledger.git_text("ls-tree", "-r", "-z", commit, "--", ledger.to_repo_path(CONTENT_DIR))
    blobs: dict[str, str] = {}
    for record in out.split("\0"):
        meta, tab, repo_path = record.partition("\t")
        parts = meta.split()
        relpath = ledger.to_project_path(repo_path) if tab else None
        if relpath is not None and len(parts) == 3 and parts[1] == "blob" and dated_kind(relpath):
            blobs[relpath] = parts[2]
    contents = read_blobs(ledger, list(blobs.values()))
    return {relpath: contents[blob] for relpath, blob in blobs.items() if blob in contents}


def _deleted(ledger: Ledger, commits: list[MainLineCommit], still: set[str]) -> list[DeletedPage]:
    if not commits:
        return []
    by_sha = {c.sha: c for c in commits}
    content = ledger.to_repo_path(CONTENT_DIR)
    result, seen = [], set()
    for commit in commits:  # one diff per commit against its first parent (a merge: what it brought in)
        parent = f"{commit.sha}^1"
        if ledger.resolve_commit(parent) is None:
            continue  # the first commit, or a shallow clone's boundary: nothing it could delete
        out = ledger.git_text("diff", "--name-status", "-z", RENAME_THRESHOLD, "--diff-filter=D", parent,
                              commit.sha, "--", content)
        for code, paths in parse_name_status(out):
            relpath = ledger.to_project_path(paths[0])
            kind = dated_kind(relpath) if relpath else None
            if kind is None or relpath in still or relpath in seen or not code.startswith("D"):
                continue
            seen.add(relpath)
            blob = ledger.git_text("rev-parse", f"{parent}:{paths[0]}").strip()
            text = read_blobs(ledger, [blob]).get(blob)
            result.append(DeletedPage(relpath, kind, text, by_sha[commit.sha]))
    return result


def _review(root: Path, commit: MainLineCommit) -> ReviewRecord:
    try:
        verdict = review_commit(root, commit.sha)
    except ReviewCheckError as exc:
        return ReviewRecord(commit, UNCHECKED, False, reason=str(exc))
    except FindingsError as exc:
        first = exc.findings[0]
        return ReviewRecord(commit, UNCHECKED, False,
                            reason=f"合并前的 {first.file} 有错误（{first.message}），无法判断应由谁签。")
    except git.GitCommandError as exc:
        return ReviewRecord(commit, UNCHECKED, False, reason=f"git 命令失败（{first_line(exc.stderr)}）。")
    signed = sum(1 for signature in verdict.met.values() if SIGNING_KNOWN and signature.signed)
    return ReviewRecord(commit, COMPLETE if verdict.passed else INCOMPLETE, verdict.content_changed,
                        tuple(r.label for _, r in verdict.missing), tuple(verdict.problems),
                        signed=signed, typed=len(verdict.met) - signed)


def read_period_record(root: Path | str, start: dt.datetime, end: dt.datetime) -> PeriodRecord:
    """The main line over ``[start, end)``. Raises :class:`LedgerUnavailable` without a usable repository,
    ``git.GitCommandError`` when git itself fails."""
    ledger = Ledger(root)
    main = _main_line(ledger)
    before = [c for c in main if c.committed < start]
    commits = [c for c in main if start <= c.committed < end]
    last = commits[-1] if commits else (before[-1] if before else None)
    pages = pages_at(ledger, last.sha) if last is not None else {}
    deleted = _deleted(ledger, commits, set(pages))
    reviews = tuple(_review(ledger.root, c) for c in commits)
    return PeriodRecord(start, end, before[-1].sha if before else None, last, tuple(commits), pages,
                        tuple(deleted), reviews, ledger.shallow)


class SnapshotUnavailable(Exception):
    """The project cannot be checked out as of a commit; ``str(exc)`` is a Chinese message."""


@contextmanager
def snapshot(root: Path | str, commit: str) -> Iterator[Path]:
    """The project as committed in ``commit``, checked out in a temporary clone (its history up to
    ``commit`` with it, for the checks that read git); yields the project root there, removed after.

    The clone shares the repository's objects (``git clone --shared``) and never writes to it.
    """
    ledger = Ledger(root)
    prefix = ledger.prefix
    folder = Path(tempfile.mkdtemp(prefix="mzpress-snapshot-"))
    clone = folder / "repo"
    try:
        for args in (["git", "clone", "--quiet", "--shared", "--no-checkout", str(ledger.work_tree), str(clone)],
                     ["git", "-C", str(clone), "checkout", "--quiet", "--detach", commit]):
            done = subprocess.run(args, capture_output=True, text=True, errors="replace")
            if done.returncode != 0:
                raise SnapshotUnavailable(f"无法取出提交 {commit[:10]} 的网站内容（{first_line(done.stderr)}）。")
        yield clone / prefix if prefix else clone
    finally:
        shutil.rmtree(folder, ignore_errors=True)
