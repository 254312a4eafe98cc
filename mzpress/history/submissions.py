"""The ledger of submissions (报送): every story and notice any scanned ref has, when it was first committed,
and its tip.

Terms (the README's information-report section repeats them for the office):

* **scanned refs**: ``HEAD`` (the main line; on the server and in CI ``HEAD`` is ``main``), every
  local branch (``refs/heads/*``) and every remote-tracking branch (``refs/remotes/*``).
* **submitted page** (“story” below, for short): a story ``content/stories/YYYY/slug.md`` or a notice
  (通知公告) ``content/notices/YYYY/slug.md`` (:func:`mzpress.model.content.classify`); ``kind`` says
  which. Units submit both, so both are submissions (reading only ``content/stories`` would leave the
  notices out without a word). A rename (a year-folder move, ``git mv``) keeps the
  page's identity; a path keeps its page until the page moves away from it (a new file at the old
  path is a new page).
* **submission**: the story's first commit on any scanned ref (the earliest author date among the
  commits that created it, should it have been created on several branches); the submission time
  is that commit's author date, in Asia/Shanghai.
* **tip**: the version that says which unit a story belongs to: ``HEAD``'s version when the story
  is on the main line, otherwise the version last written on a branch (in topological order; for
  a story deleted everywhere, the version before the deletion).

History is read as ONE ``git log`` stream over all scanned refs (``--raw`` gives each version's
blob, ``-M`` follows renames, ``--full-history`` keeps branches git would simplify away,
``--diff-merges=first-parent`` sees a story that a merge itself added), ``HEAD``'s stories come
from one ``git ls-tree``, and every tip is read by one ``git cat-file --batch`` process.

A shallow clone (``git clone --depth``) cannot say when its oldest stories were submitted: a story
first seen in a boundary commit of the clone gets no submission time (``submitted`` is None), and
:attr:`SubmissionLedger.earliest_commit` names the earliest commit date there is.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from mzpress.history.ledger import RENAME_THRESHOLD, Ledger
from mzpress.model.content import CONTENT_DIR, classify
from mzpress.model.schema import TIMEZONE

STORIES_DIR = f"{CONTENT_DIR}/stories"
NOTICES_DIR = f"{CONTENT_DIR}/notices"
SUBMISSION_DIRS = (STORIES_DIR, NOTICES_DIR)
SUBMISSION_KINDS = ("story", "notice")  # page kinds of content.classify that units submit
_RECORD = "\x1e"
_FIELD = "\x1f"
_NULL_SHA = "0" * 40


@dataclass(frozen=True, slots=True)
class StorySubmission:
    """One story or notice of the scanned refs. Paths are relative to the project root."""

    path: str  # on HEAD: its path there; otherwise the last path it had
    first_path: str  # the path it was submitted under
    submitted: dt.datetime | None  # author date of the submission commit; None: before a shallow clone's history
    commit: str  # the submission commit (for a shallow clone's boundary, that boundary commit)
    author: str  # the submission commit's author name
    on_main: bool  # in HEAD's tree
    tip: bytes | None  # the tip version's bytes (see the module docstring); None when git has no such blob
    kind: str = "story"  # story | notice (from the path it has)


@dataclass(frozen=True)
class SubmissionLedger:
    """Every story of the scanned refs, and what the reading saw of the repository."""

    stories: tuple[StorySubmission, ...]
    head: str  # HEAD's commit
    branches: tuple[str, ...]  # refs/heads/* scanned, short names
    remotes: tuple[str, ...]  # refs/remotes/* scanned, short names
    shallow: bool
    earliest_commit: dt.datetime | None = None  # shallow clones: the earliest commit date available
    unknown_submissions: int = 0  # shallow clones: stories first seen in a boundary commit
    by_path: dict[str, StorySubmission] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_path", {s.path: s for s in self.stories})


@dataclass(slots=True)
class _Story:
    first_path: str
    path: str
    submitted: dt.datetime | None
    commit: str
    author: str
    blob: str  # the last blob seen in the stream (the version before a deletion, for a deletion)


def submission_kind(relpath: str) -> str | None:
    """``story`` or ``notice`` when the project-relative ``relpath`` is a page units submit, else None."""
    if not relpath.startswith(tuple(d + "/" for d in SUBMISSION_DIRS)):
        return None
    where = classify(relpath[len(CONTENT_DIR) + 1:])
    return where[0] if where is not None and where[0] in SUBMISSION_KINDS else None


def _is_story(repo_path: str, ledger: Ledger) -> str | None:
    """The project-relative path when ``repo_path`` is a story or a notice, else None."""
    relpath = ledger.to_project_path(repo_path)
    if relpath is None or submission_kind(relpath) is None:
        return None
    return relpath


def parse_raw_entries(text: str) -> list[tuple[str, str, str, list[str]]]:
    """``--raw -z --no-abbrev`` entries as ``(status, old blob, new blob, [path] or [old, new])``."""
    tokens = text.lstrip("\n").split("\0")
    entries = []
    index = 0
    while index < len(tokens):
        token = tokens[index].strip()
        if not token.startswith(":"):
            index += 1
            continue
        parts = token[1:].split()
        if len(parts) < 5:
            index += 1
            continue
        old_blob, new_blob, status = parts[2], parts[3], parts[4]
        count = 2 if status[:1] in ("R", "C") else 1
        paths = tokens[index + 1:index + 1 + count]
        if len(paths) == count:
            entries.append((status, old_blob, new_blob, paths))
        index += 1 + count
    return entries


class _Stream:
    """Applies the log's entries, oldest first, to the stories seen so far."""

    def __init__(self, ledger: Ledger, boundary: set[str]):
        self.ledger = ledger
        self.boundary = boundary
        self.stories: list[_Story] = []
        self.at_path: dict[str, _Story] = {}

    def _new(self, relpath: str, sha: str, when: dt.datetime | None, author: str, blob: str) -> None:
        story = _Story(relpath, relpath, None if sha in self.boundary else when, sha, author, blob)
        self.stories.append(story)
        self.at_path[relpath] = story

    def _created(self, relpath: str, sha: str, when: dt.datetime, author: str, blob: str) -> None:
        story = self.at_path.get(relpath)
        if story is None or story.path != relpath:
            self._new(relpath, sha, when, author, blob)
            return
        story.blob = blob  # created again: on another branch, or by a merge; the earliest counts
        if story.submitted is not None and sha not in self.boundary and when < story.submitted:
            story.submitted, story.commit, story.author = when, sha, author

    def apply(self, sha: str, when: dt.datetime, author: str, entries) -> None:
        for status, old_blob, new_blob, paths in entries:
            kind = status[:1]
            if kind == "R" and len(paths) == 2:
                old, new = (_is_story(p, self.ledger) for p in paths)
                story = self.at_path.get(old) if old else None
                if new is None:
                    if story is not None:
                        story.blob = old_blob  # moved out of the stories: as a deletion
                    continue
                if story is None:
                    self._created(new, sha, when, author, new_blob)
                    continue
                story.path, story.blob = new, new_blob
                self.at_path[new] = story
                continue
            relpath = _is_story(paths[-1], self.ledger)
            if relpath is None:
                continue
            if kind == "D":
                story = self.at_path.get(relpath)
                if story is not None:
                    story.blob = old_blob
                continue
            story = self.at_path.get(relpath)
            if kind == "A" or story is None:
                self._created(relpath, sha, when, author, new_blob)
            else:
                story.blob = new_blob


def _boundary_commits(ledger: Ledger) -> set[str]:
    """The commits a shallow clone was cut at (listed in ``.git/shallow``)."""
    if not ledger.shallow:
        return set()
    name = ledger.git_text("rev-parse", "--git-path", "shallow").strip()
    path = Path(name) if Path(name).is_absolute() else ledger.work_tree / name
    try:
        return set(path.read_text(encoding="ascii").split())
    except (OSError, UnicodeDecodeError):
        return set()


def _earliest(ledger: Ledger, boundary: set[str]) -> dt.datetime | None:
    if not boundary:
        return None
    out = ledger.git_text("show", "-s", "--format=%ct", *sorted(boundary))
    stamps = [int(x) for x in out.split() if x.isdigit()]
    return dt.datetime.fromtimestamp(min(stamps), TIMEZONE) if stamps else None


def _refs(ledger: Ledger) -> tuple[tuple[str, ...], tuple[str, ...]]:
    out = ledger.git_text("for-each-ref", "--format=%(refname)", "refs/heads", "refs/remotes")
    branches, remotes = [], []
    for name in out.split():
        if name.startswith("refs/heads/"):
            branches.append(name[len("refs/heads/"):])
        elif name.startswith("refs/remotes/") and not name.endswith("/HEAD"):
            remotes.append(name[len("refs/remotes/"):])
    return tuple(branches), tuple(remotes)


def _head_stories(ledger: Ledger, pathspecs: list[str]) -> dict[str, str]:
    """Project-relative story and notice path -> blob, in HEAD's tree."""
    out = ledger.git_text("ls-tree", "-r", "-z", "HEAD", "--", *pathspecs)
    result = {}
    for record in out.split("\0"):
        meta, tab, repo_path = record.partition("\t")
        parts = meta.split()
        if tab and len(parts) == 3 and parts[1] == "blob":
            relpath = _is_story(repo_path, ledger)
            if relpath is not None:
                result[relpath] = parts[2]
    return result


def read_blobs(ledger: Ledger, blobs: list[str]) -> dict[str, bytes]:
    """The contents of many blobs from one ``git cat-file --batch`` process."""
    wanted = [b for b in dict.fromkeys(blobs) if b and b != _NULL_SHA]
    if not wanted:
        return {}
    process = ledger.repo.git.cat_file("--batch", as_process=True, istream=subprocess.PIPE)
    out, _ = process.proc.communicate(("\n".join(wanted) + "\n").encode("ascii"))
    result: dict[str, bytes] = {}
    position = 0
    for sha in wanted:
        end = out.find(b"\n", position)
        if end == -1:
            break
        header = out[position:end].split()
        position = end + 1
        if len(header) != 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        result[sha] = out[position:position + size]
        position += size + 1
    return result


def read_submissions(root: Path | str) -> SubmissionLedger:
    """Every story and notice of the scanned refs with its submission. Raises
    :class:`~mzpress.history.ledger.LedgerUnavailable` (a Chinese message) when there is no usable git
    repository, ``git.GitCommandError`` when git itself fails."""
    ledger = Ledger(root)
    pathspecs = [ledger.to_repo_path(d) for d in SUBMISSION_DIRS]
    boundary = _boundary_commits(ledger)
    out = ledger.git_text(
        "log", "--reverse", "--topo-order", "--full-history", "--diff-merges=first-parent", RENAME_THRESHOLD,
        "--raw", "--no-abbrev", "-z", f"--format={_RECORD}%H{_FIELD}%at{_FIELD}%an",
        "HEAD", "--branches", "--remotes", "--", *pathspecs)
    stream = _Stream(ledger, boundary)
    for chunk in out.split(_RECORD)[1:]:
        header, _, rest = chunk.partition("\0")
        sha, _, tail = header.strip().partition(_FIELD)
        stamp, _, author = tail.partition(_FIELD)
        when = dt.datetime.fromtimestamp(int(stamp), TIMEZONE)
        stream.apply(sha, when, author, parse_raw_entries(rest))
    head_blobs = _head_stories(ledger, pathspecs)
    for relpath, blob in head_blobs.items():  # in HEAD, yet never seen created: give it a story all the same
        if relpath not in stream.at_path or stream.at_path[relpath].path != relpath:
            stream._new(relpath, "", None, "", blob)
    on_main = [story.path in head_blobs and stream.at_path.get(story.path) is story for story in stream.stories]
    tips = [head_blobs[story.path] if main else story.blob for story, main in zip(stream.stories, on_main)]
    contents = read_blobs(ledger, tips)
    stories = tuple(StorySubmission(
        path=story.path, first_path=story.first_path, submitted=story.submitted, commit=story.commit,
        author=story.author, on_main=main, tip=contents.get(tip), kind=submission_kind(story.path) or "story")
        for story, main, tip in zip(stream.stories, on_main, tips))
    branches, remotes = _refs(ledger)
    unknown = sum(1 for s in stories if s.submitted is None)
    return SubmissionLedger(stories, ledger.resolve_commit("HEAD") or "", branches, remotes, ledger.shallow,
                            _earliest(ledger, boundary), unknown)
