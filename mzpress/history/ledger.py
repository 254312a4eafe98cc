"""The git ledger: who changed a page, who reviewed it, and when it went live.

"谁主办，谁负责": every published page must be traceable to its writer, its
reviewers and the moment it reached the main line. Git already records all of
that; this module reads it back.

Terms used throughout:

* **main line**: the first-parent chain from ``HEAD`` (on the server and in CI,
  ``HEAD`` is ``main``). A commit made on a branch reaches the main line through
  the merge commit that brought it in; that merge is when the page went live.
* **first/last on the main line**: the committer dates of the first and the
  latest main-line commits that changed a file (for a merged branch, the merge's
  date, not the branch commit's).
* **ledger start** (``site_config/site.yml`` ``ledger.start``, a date, a date and
  time, or a commit): content whose first main-line commit is at or before it was
  imported from the old site and is exempt from the backdating check.

Paths given to and returned by this module are POSIX paths relative to the
*project root* (the folder holding ``mkdocs.yml``), which may be a sub-folder of
the git work tree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import git

# The pure ledger settings live in the model (site.yml is read once, by model.config); re-exported here.
from mzpress.model.ledger_settings import DEFAULT_TOLERANCE_HOURS as DEFAULT_TOLERANCE_HOURS
from mzpress.model.ledger_settings import SHANGHAI as SHANGHAI
from mzpress.model.ledger_settings import LedgerConfigError as LedgerConfigError
from mzpress.model.ledger_settings import LedgerSettings
from mzpress.model.ledger_settings import LedgerStart as LedgerStart
from mzpress.model.ledger_settings import format_time as format_time
from mzpress.model.ledger_settings import parse_ledger_start as parse_ledger_start

# Git trailers that name a reviewer; "Reviewed-on:" (Gitea) names the pull request.
REVIEW_TRAILERS = ("Reviewed-by", "Approved-by")
_TRAILER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.+?)\s*$")

# A moved page usually changes a line or two (its date, its year folder); a lower threshold would
# take two different stories written from the same template for one renamed page.
RENAME_THRESHOLD = "-M70%"

_RECORD = "\x1e"
_FIELD = "\x1f"


class LedgerUnavailable(Exception):
    """The project has no usable git history; ``str(exc)`` is a Chinese message for people."""


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class Reviewer:
    trailer: str  # "Reviewed-by" or "Approved-by"
    who: str  # as written in the trailer, usually "Name <email>"
    source: str  # "commit" (in the revision itself) or "merge" (in the merge that published it)


@dataclass(frozen=True, slots=True)
class MergeCommit:
    sha: str
    subject: str
    committer: str
    committed: dt.datetime


@dataclass(frozen=True, slots=True)
class Revision:
    sha: str
    path: str  # the page's path in this revision (pages can be renamed)
    author_name: str
    author_email: str
    authored: dt.datetime
    committed: dt.datetime
    subject: str
    on_main_line: bool
    merge: MergeCommit | None  # the main-line merge that brought a branch commit in
    reviewers: tuple[Reviewer, ...]
    review_links: tuple[str, ...] = ()  # "Reviewed-on:" trailers (pull request addresses)

    @property
    def published(self) -> dt.datetime:
        """When this revision reached the main line."""
        return self.merge.committed if self.merge else self.committed


@dataclass(frozen=True, slots=True)
class PathDates:
    """First and last main-line commits that changed one file."""

    first: dt.datetime
    last: dt.datetime
    first_commit: str
    last_commit: str


# ------------------------------------------------------------------ trailers


def parse_trailers(message: str) -> list[tuple[str, str]]:
    """``(key, value)`` pairs from the trailer block (the last paragraph) of a commit message.

    Git's own rule: trailers live in the final paragraph. We accept the paragraph when
    at least one of its lines is ``Key: value`` and keep only those lines.
    """
    paragraphs = [p for p in re.split(r"\n\s*\n", message.strip()) if p.strip()]
    if len(paragraphs) < 2:  # a one-paragraph message is only a subject
        return []
    pairs = []
    for line in paragraphs[-1].splitlines():
        match = _TRAILER_LINE.match(line.strip())
        if match:
            pairs.append((match.group(1), match.group(2)))
    return pairs


def reviewers_in(message: str, source: str) -> list[Reviewer]:
    wanted = {name.lower(): name for name in REVIEW_TRAILERS}
    return [Reviewer(wanted[key.lower()], value, source)
            for key, value in parse_trailers(message) if key.lower() in wanted]


def review_links_in(message: str) -> list[str]:
    return [value for key, value in parse_trailers(message) if key.lower() == "reviewed-on"]


# -------------------------------------------------------------------- ledger


class Ledger:
    """An opened repository seen from a project root inside it."""

    def __init__(self, root: Path | str):
        root = Path(root).resolve()
        if not root.exists():
            raise LedgerUnavailable(f"目录不存在：{root}")
        try:
            self.repo = git.Repo(root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise LedgerUnavailable(
                f"{root} 不在 git 仓库中，无法查看修订记录和发稿日期台账。"
                "请在用 git clone 得到的项目目录中运行。") from None
        if self.repo.bare or self.repo.working_tree_dir is None:
            raise LedgerUnavailable(f"{root} 是没有工作目录的裸仓库，无法查看修订记录。")
        try:  # the first git command: fails here, not later, on "dubious ownership" and the like
            self._shallow = self.git_text("rev-parse", "--is-shallow-repository").strip() == "true"
        except git.GitCommandError as exc:
            reason = first_line(exc.stderr)
            hint = (f"如果仓库属于另一个用户，可运行 git config --global --add safe.directory {self.repo.working_tree_dir}。"
                    if "dubious ownership" in reason else "")
            raise LedgerUnavailable(f"无法读取 git 仓库（{reason}）。{hint}") from None
        if not self.repo.head.is_valid():
            raise LedgerUnavailable("git 仓库里还没有任何提交，没有修订记录可查。提交并合并第一批内容后再试。")
        self.work_tree = Path(self.repo.working_tree_dir).resolve()
        prefix = root.relative_to(self.work_tree).as_posix() if root != self.work_tree else ""
        self.prefix = f"{prefix}/" if prefix else ""
        self.root = root
        self._graph: dict[str, list[str]] | None = None
        self._main_line: list[str] | None = None
        self._introduced_by: dict[str, str] | None = None

    # paths ------------------------------------------------------------------
    def to_repo_path(self, relpath: str) -> str:
        return self.prefix + relpath.lstrip("/")

    def to_project_path(self, repo_path: str) -> str | None:
        """The project-relative path, or None for a file outside the project root."""
        if not self.prefix:
            return repo_path
        return repo_path[len(self.prefix):] if repo_path.startswith(self.prefix) else None

    def _display_path(self, repo_path: str) -> str:
        return self.to_project_path(repo_path) or repo_path

    # raw git ----------------------------------------------------------------
    def git_text(self, *args: str) -> str:
        raw = self.repo.git.execute(["git", *args], stdout_as_string=False, strip_newline_in_stdout=False)
        return raw.decode("utf-8", errors="surrogateescape")

    @property
    def shallow(self) -> bool:
        return self._shallow

    def resolve_commit(self, ref: str) -> str | None:
        try:
            return self.git_text("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip() or None
        except git.GitCommandError:
            return None

    # graph ------------------------------------------------------------------
    def main_line(self) -> list[str]:
        """First-parent chain from HEAD, oldest first."""
        if self._main_line is None:
            out = self.git_text("rev-list", "--first-parent", "--reverse", "HEAD")
            self._main_line = out.split()
        return self._main_line

    def _parents(self) -> dict[str, list[str]]:
        if self._graph is None:
            graph = {}
            for line in self.git_text("rev-list", "--parents", "HEAD").splitlines():
                shas = line.split()
                if shas:
                    graph[shas[0]] = shas[1:]
            self._graph = graph
        return self._graph

    def introduced_by(self, sha: str) -> str | None:
        """The main-line commit that brought ``sha`` into HEAD (itself when on the main line)."""
        if self._introduced_by is None:
            parents = self._parents()
            owner: dict[str, str] = {}
            for main in self.main_line():
                owner[main] = main
            for main in self.main_line():  # oldest first: each commit goes to the earliest merge
                stack = list(parents.get(main, [])[1:])
                while stack:
                    commit = stack.pop()
                    if commit in owner:
                        continue
                    owner[commit] = main
                    stack.extend(parents.get(commit, []))
            self._introduced_by = owner
        return self._introduced_by.get(sha)

    def ancestors(self, sha: str) -> set[str]:
        return set(self.git_text("rev-list", sha).split())

    # history of one page -----------------------------------------------------
    def page_history(self, relpath: str) -> list[Revision]:
        """Every commit that changed the page, newest first, following renames."""
        repo_path = self.to_repo_path(relpath)
        # --topo-order: without it --follow loses the commits before a rename made on a merged branch.
        out = self.git_text("log", "--follow", "--topo-order", RENAME_THRESHOLD, "--name-status", "-z",
                            f"--format={_RECORD}%H", "HEAD", "--", repo_path)
        revisions = []
        for sha, entries in _parse_log(out):
            path = entries[-1][1][-1] if entries else repo_path  # the new name when renamed
            revisions.append(self._revision(sha, self._display_path(path)))
            # --follow also "follows" a new file to a similar existing one (a copy): the page began
            # here; what git lists after this is the other file's history, not this page's.
            if any(status.startswith("C") for status, _ in entries):
                break
        return revisions

    def _revision(self, sha: str, path: str) -> Revision:
        commit = self.repo.commit(sha)
        message = _message(commit)
        main = self.introduced_by(sha)
        merge = None
        reviewers = reviewers_in(message, "commit")
        links = review_links_in(message)
        if main is not None and main != sha:
            merge_commit = self.repo.commit(main)
            merge_message = _message(merge_commit)
            merge = MergeCommit(main, _subject(merge_message), str(merge_commit.committer.name),
                                merge_commit.committed_datetime)
            reviewers += [r for r in reviewers_in(merge_message, "merge")
                          if (r.trailer, r.who) not in {(x.trailer, x.who) for x in reviewers}]
            links += [link for link in review_links_in(merge_message) if link not in links]
        return Revision(
            sha=sha, path=path,
            author_name=str(commit.author.name), author_email=str(commit.author.email),
            authored=commit.authored_datetime, committed=commit.committed_datetime,
            subject=_subject(message), on_main_line=main == sha, merge=merge,
            reviewers=tuple(reviewers), review_links=tuple(links))

    # first and last for many files ------------------------------------------
    def first_and_last(self, relpaths: Iterable[str] | None = None) -> dict[str, PathDates]:
        """First and last main-line commit dates of many files, in one ``git log`` pass.

        Renames are followed (the new path keeps the old path's first date). Files
        never committed on the main line are absent from the result.
        """
        wanted = None if relpaths is None else {p.lstrip("/") for p in relpaths}
        pathspecs = []
        if wanted is not None:
            if not wanted:
                return {}
            # Limit the walk to the top folders involved (content/, usually): cheap and still one pass.
            pathspecs = ["--", *sorted({_top_folder(self.to_repo_path(p)) for p in wanted})]
        elif self.prefix:
            pathspecs = ["--", self.prefix]
        out = self.git_text("log", "--first-parent", "-m", "--reverse", RENAME_THRESHOLD, "--name-status", "-z",
                            f"--format={_RECORD}%H{_FIELD}%ct", "HEAD", *pathspecs)
        spans: dict[str, PathDates] = {}
        for header, entries in _parse_log(out):
            sha, _, stamp = header.partition(_FIELD)
            when = dt.datetime.fromtimestamp(int(stamp), dt.UTC)
            for status, paths in entries:
                kind = status[:1]
                if kind == "D":
                    spans.pop(paths[0], None)
                    continue
                if kind == "R" and len(paths) == 2:
                    old, path = paths
                    before = spans.pop(old, None)
                    if before is not None:  # a moved page keeps the date it first went live
                        spans[path] = PathDates(before.first, when, before.first_commit, sha)
                        continue
                else:
                    path = paths[-1]  # a copy is a new page
                before = spans.get(path)
                if before is None:
                    spans[path] = PathDates(when, when, sha, sha)
                else:
                    spans[path] = PathDates(before.first, when, before.first_commit, sha)
        result = {}
        for repo_path, span in spans.items():
            relpath = self.to_project_path(repo_path)
            if relpath is not None and (wanted is None or relpath in wanted):
                result[relpath] = span
        return result


def git_problem(exc: Exception) -> str:
    """What went wrong reading git, for a message: a :class:`LedgerUnavailable`'s own words, or the first line
    of a failed git command's error output."""
    if isinstance(exc, git.GitCommandError):
        return f"git 命令失败（{first_line(exc.stderr)}）。"
    return str(exc)


def first_line(text) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text or "")
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return "git 命令失败"
    line = lines[0].removeprefix("stderr:").strip()
    return line[1:-1] if len(line) > 1 and line[0] == line[-1] == "'" else line


def _top_folder(repo_path: str) -> str:
    head, sep, _ = repo_path.partition("/")
    return f"{head}/" if sep else head


def _message(commit: git.Commit) -> str:
    message = commit.message
    return message.decode("utf-8", errors="replace") if isinstance(message, bytes) else message


def _subject(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else ""


def parse_name_status(text: str) -> list[tuple[str, list[str]]]:
    """Parse ``--name-status -z`` output into ``[(status, [path] or [old, new])]``."""
    tokens = text.lstrip("\n").split("\0")
    entries = []
    i = 0
    while i < len(tokens):
        status = tokens[i].strip()
        if not status:
            i += 1
            continue
        count = 2 if status[:1] in ("R", "C") else 1
        paths = tokens[i + 1:i + 1 + count]
        if len(paths) == count:
            entries.append((status, paths))
        i += 1 + count
    return entries


def _parse_log(out: str) -> Iterator[tuple[str, list[tuple[str, list[str]]]]]:
    """Parse ``git log -z --name-status --format=<RS>header`` into (header, [(status, paths)])."""
    for chunk in out.split(_RECORD)[1:]:
        header, _, rest = chunk.partition("\0")
        yield header.strip(), parse_name_status(rest)


# ------------------------------------------------------------- public functions


def page_history(repo_root: Path | str, relpath: str) -> list[Revision]:
    """Every revision of one page, newest first (see :meth:`Ledger.page_history`)."""
    return Ledger(repo_root).page_history(relpath)


def first_and_last(repo_root: Path | str, relpaths: Iterable[str] | None = None) -> dict[str, PathDates]:
    """relpath -> first/last main-line commit, for many files in one pass."""
    return Ledger(repo_root).first_and_last(relpaths)


# ------------------------------------------------------------- ledger start


@dataclass
class ImportRule:
    """A ledger start resolved against one repository."""

    start: LedgerStart
    _imported_commits: set[str] | None = field(default=None, repr=False)

    @classmethod
    def resolve(cls, start: LedgerStart, ledger: Ledger) -> ImportRule:
        rule = cls(start)
        if start.commit:
            sha = ledger.resolve_commit(start.commit)
            if sha is None:
                raise LedgerConfigError(
                    f"ledger.start 写的提交 {start.commit} 在本仓库中不存在（或克隆时没有取回完整历史）。")
            rule._imported_commits = ledger.ancestors(sha)
        return rule

    def is_imported(self, span: PathDates) -> bool:
        if self._imported_commits is not None:
            return span.first_commit in self._imported_commits
        return self.start.moment is not None and span.first <= self.start.moment


# --------------------------------------------------------------- backdating


@dataclass(frozen=True, slots=True)
class DatedPage:
    """What the backdating check needs to know about one story."""

    relpath: str
    date: dt.datetime  # front-matter publish time, timezone-aware
    line: int | None = None  # line of ``date:`` in the file


@dataclass(frozen=True, slots=True)
class Backdated:
    page: DatedPage
    span: PathDates
    hours_early: float


@dataclass
class BackdateReport:
    backdated: list[Backdated] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)  # exempt: first committed at or before the start
    unpublished: list[str] = field(default_factory=list)  # not on the main line yet: nothing to compare


def find_backdated(pages: Iterable[DatedPage], spans: dict[str, PathDates],
                   tolerance_hours: float = DEFAULT_TOLERANCE_HOURS,
                   import_rule: ImportRule | None = None) -> BackdateReport:
    """Stories whose ``date`` is earlier than their first main-line commit by more than the tolerance."""
    report = BackdateReport()
    tolerance = dt.timedelta(hours=tolerance_hours)
    for page in pages:
        span = spans.get(page.relpath)
        if span is None:
            report.unpublished.append(page.relpath)
            continue
        if import_rule is not None and import_rule.is_imported(span):
            report.imported.append(page.relpath)
            continue
        early = span.first - page.date
        if early > tolerance:
            report.backdated.append(Backdated(page, span, early.total_seconds() / 3600))
    return report


def describe_duration(hours: float) -> str:
    if hours >= 48:
        return f"约{hours / 24:.0f}天"
    return f"约{hours:.0f}小时"


@dataclass
class BackdatingJudge:
    """The one backdating judgement: ``ledger:`` of site.yml resolved against one repository.

    ``mzpress check`` (the ``ledger.backdated`` check), ``mzpress history`` and the build's
    publication record all ask this object, so they cannot disagree about a page.
    """

    settings: LedgerSettings
    rule: ImportRule | None = None

    @classmethod
    def resolve(cls, settings: LedgerSettings, ledger: Ledger) -> BackdatingJudge:
        """Raises LedgerConfigError when ``ledger.start`` names a commit the repository lacks."""
        rule = ImportRule.resolve(settings.start, ledger) if settings.start is not None else None
        return cls(settings, rule)

    @property
    def tolerance_hours(self) -> float:
        return self.settings.backdate_tolerance_hours

    def is_imported(self, span: PathDates) -> bool:
        return self.rule is not None and self.rule.is_imported(span)

    def judge(self, pages: Iterable[DatedPage], spans: dict[str, PathDates]) -> BackdateReport:
        return find_backdated(pages, spans, self.tolerance_hours, self.rule)

    def earliest_date(self, span: PathDates) -> dt.datetime:
        """The earliest ``date`` a page first published at ``span.first`` may carry."""
        return span.first - dt.timedelta(hours=self.tolerance_hours)


# ------------------------------------------------------------- the site check


