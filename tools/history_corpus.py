"""A synthetic project inside a real git repository with a long editorial history, for benchmarks and tests.

``generate_history_repo(dest, stories, commits)`` writes the synthetic archive of
:mod:`tools.synthetic_corpus` into a new project at ``dest`` and gives it the history
a bureau's repository would have after years of use, written in one ``git fast-import``
stream (a few seconds for ten thousand commits):

* a first commit with the configuration, templates and the non-story pages;
* per story, in publish order: the unit officer's commit on a branch (the submission,
  authored a day before the story's date), then the bureau office's ``--no-ff`` merge into
  ``main`` with a ``Reviewed-by:`` trailer half an hour after that date (the publication;
  the date is therefore never backdated);
* when ``commits`` asks for more than that, later edits of published stories on ``main``
  (an editor's note appended); when it asks for fewer, the oldest stories are committed
  straight onto ``main`` without a merge;
* ``unmerged`` stories that exist only on branches (``submit/<slug>``), submitted in the
  last weeks and not merged: submissions that are not published.

About a fifth of the stories carry ``adopted_by`` entries naming the outlets of
``site_config/outlets.yml``. ``ledger.start`` of ``site.yml`` is set before the first
commit, so every story is judged by the backdating check. The work tree ends up equal to
``main``'s tip (``git status`` is clean). The same arguments give the same commits.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from mzpress.model.config import require_config
from mzpress.model.schema import TIMEZONE
from tools.synthetic_corpus import DEFAULT_SEED, generate

REPO = Path(__file__).resolve().parents[1]
ADMIN = ("网站管理员", "admin@example.gov.cn")
MERGER = ("王建国", "wangjianguo@example.gov.cn")
SUBMITTED_BEFORE = dt.timedelta(days=1)
MERGED_AFTER = dt.timedelta(minutes=30)
ADOPTED_SHARE = 0.2
_DATE_LINE = re.compile(r"^date: (.+)$", re.M)


@dataclass(frozen=True)
class HistorySummary:
    stories: int  # on main
    unmerged: int  # only on branches
    commits: int  # every commit of every ref
    adoptions: int  # adopted_by entries on main
    first_commit: dt.datetime
    last_commit: dt.datetime


def _git(dest: Path, *args: str, data: bytes | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=dest, input=data, capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {done.stderr.decode('utf-8', 'replace')}")
    return done.stdout.decode("utf-8", "replace")


def _copy_project(dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "site_config", dest / "site_config")
    shutil.copytree(REPO / "overrides", dest / "overrides")
    if (REPO / "content" / "assets").is_dir():
        shutil.copytree(REPO / "content" / "assets", dest / "content" / "assets")


def _story_date(text: str) -> dt.datetime:
    match = _DATE_LINE.search(text)
    if match is None:
        raise ValueError("synthetic story without a date line")
    return dt.datetime.strptime(match.group(1).strip().strip("'\""), "%Y-%m-%d %H:%M").replace(tzinfo=TIMEZONE)


def _outlet_ids(dest: Path) -> list[str]:
    path = dest / "site_config" / "outlets.yml"
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [str(item["id"]) for item in data.get("outlets") or [] if isinstance(item, dict) and "id" in item]


def _with_adoptions(text: str, when: dt.datetime, end: dt.datetime, outlets: list[str], rng: random.Random) -> tuple[str, int]:
    """The story with one to three ``adopted_by`` entries dated after it (never after ``end``)."""
    entries = []
    for outlet in rng.sample(outlets, k=min(len(outlets), rng.choice((1, 1, 1, 2, 3)))):
        day = min((when + dt.timedelta(days=rng.randint(1, 20))).date(), end.date())
        entry = f"{{outlet: {outlet}, date: {day.isoformat()}"
        if rng.random() < 0.2:
            entry += ", kind: photo"
        if rng.random() < 0.03:
            entry += ", instruction: 县长批示"
        entries.append(entry + "}")
    block = "adopted_by:\n" + "".join(f"  - {entry}\n" for entry in entries)
    head, sep, body = text[4:].partition("\n---\n")
    return f"---\n{head}\n{block.rstrip()}{sep}{body}", len(entries)


class _Stream:
    """Writes a ``git fast-import`` stream: blobs and commits with marks."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.mark = 0
        self.commits = 0

    def _data(self, payload: bytes) -> None:
        self.parts.append(b"data %d\n" % len(payload) + payload + b"\n")

    def blob(self, payload: bytes) -> int:
        self.mark += 1
        self.parts.append(b"blob\nmark :%d\n" % self.mark)
        self._data(payload)
        return self.mark

    def commit(self, ref: str, who: tuple[str, str], when: dt.datetime, message: str,
               files: dict[str, int], parent: int | None, merge: int | None = None,
               committer: tuple[str, str] | None = None, committed: dt.datetime | None = None) -> int:
        self.mark += 1
        self.commits += 1
        committer = committer or who
        committed = committed or when

        def ident(person: tuple[str, str], moment: dt.datetime) -> bytes:
            return f"{person[0]} <{person[1]}> {int(moment.timestamp())} +0800\n".encode()

        lines = [f"commit {ref}\nmark :{self.mark}\n".encode(), b"author " + ident(who, when),
                 b"committer " + ident(committer, committed)]
        self.parts += lines
        self._data(message.encode())
        if parent is not None:
            self.parts.append(b"from :%d\n" % parent)
        if merge is not None:
            self.parts.append(b"merge :%d\n" % merge)
        for path, blob in files.items():
            self.parts.append(f"M 100644 :{blob} {path}\n".encode())
        self.parts.append(b"\n")
        return self.mark

    def bytes(self) -> bytes:
        return b"".join(self.parts) + b"done\n"


def generate_history_repo(dest: Path, stories: int = 5000, commits: int = 10000, unmerged: int = 20,
                          seed: int = DEFAULT_SEED) -> HistorySummary:
    """Write the project at ``dest`` (replaced) as a git repository with the history described above."""
    dest = Path(dest)
    _copy_project(dest)
    summary = generate(dest, stories + unmerged, seed=seed)
    config = require_config(dest)
    rng = random.Random(seed + 1)
    content = dest / "content"
    srcs = list(summary.story_srcs)  # oldest first
    branch_only = set(rng.sample(srcs[-max(unmerged * 3, unmerged):], k=unmerged)) if unmerged else set()
    texts = {src: (content / src).read_text(encoding="utf-8") for src in srcs}
    dates = {src: _story_date(text) for src, text in texts.items()}
    end = max(dates.values()) + dt.timedelta(days=1)
    outlets = _outlet_ids(dest)
    adoptions = 0
    for src in srcs:
        if outlets and src not in branch_only and rng.random() < ADOPTED_SHARE:
            texts[src], count = _with_adoptions(texts[src], dates[src], end, outlets, rng)
            adoptions += count
    first = min(dates.values()) - dt.timedelta(days=7)
    site_yml = dest / "site_config" / "site.yml"
    site_yml.write_text(re.sub(r"(?m)^(\s*start:).*$", rf"\1 {(first - dt.timedelta(days=1)).date().isoformat()}",
                               site_yml.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    for src in srcs:
        (content / src).unlink()  # story files are written back below, as main's tip has them

    officers = {u.id: (u.officer.name, f"{u.officer.github or u.id}@example.gov.cn")
                for u in config.units if u.officer is not None}
    stream = _Stream()
    base_files = {p.relative_to(dest).as_posix(): stream.blob(p.read_bytes())
                  for p in sorted(dest.rglob("*")) if p.is_file()}
    main = stream.commit("refs/heads/main", ADMIN, first, "导入网站配置、模板和固定页面\n", base_files, None)

    merged = [src for src in srcs if src not in branch_only]
    direct = max(0, len(merged) - max(0, commits - 1 - unmerged - len(merged)))  # stories without a merge
    edits = max(0, commits - 1 - unmerged - 2 * len(merged))
    edit_after = sorted(rng.sample(range(len(merged)), k=min(edits, len(merged)))) if edits else []
    edit_counts: dict[int, int] = {}
    for position in range(edits):
        index = edit_after[position % len(edit_after)]
        edit_counts[index] = edit_counts.get(index, 0) + 1

    final: dict[str, str] = {}
    for index, src in enumerate(merged):
        text, when = texts[src], dates[src]
        unit = yaml.safe_load(text[4:].partition("\n---\n")[0]).get("unit")
        officer = officers.get(unit, ADMIN)
        path = f"content/{src}"
        blob = stream.blob(text.encode())
        title = yaml.safe_load(text[4:].partition("\n---\n")[0]).get("title", src)
        if index < direct:
            main = stream.commit("refs/heads/main", officer, when - SUBMITTED_BEFORE, f"投稿：{title}\n",
                                 {path: blob}, main, committer=MERGER, committed=when + MERGED_AFTER)
        else:
            branch = stream.commit("refs/heads/incoming", officer, when - SUBMITTED_BEFORE, f"投稿：{title}\n",
                                   {path: blob}, main)
            main = stream.commit(
                "refs/heads/main", MERGER, when + MERGED_AFTER,
                f"合并投稿：{title}\n\nReviewed-by: {MERGER[0]} <{MERGER[1]}>\n", {path: blob}, main, merge=branch)
        for number in range(edit_counts.get(index, 0)):
            day = when + dt.timedelta(days=2 + number)
            text = text.rstrip("\n") + f"\n\n编者注：本文于{day.month}月{day.day}日补充了活动情况。\n"
            main = stream.commit("refs/heads/main", MERGER, day, f"更新：{title}\n",
                                 {path: stream.blob(text.encode())}, main)
        final[src] = text
    for src in sorted(branch_only):
        when = dates[src]
        unit = yaml.safe_load(texts[src][4:].partition("\n---\n")[0]).get("unit")
        slug = src.rsplit("/", 1)[-1][:-3]
        stream.commit(f"refs/heads/submit/{slug}", officers.get(unit, ADMIN), when - SUBMITTED_BEFORE,
                      "投稿（待审核）\n", {f"content/{src}": stream.blob(texts[src].encode())}, main)

    _git(dest, "init", "-q", "--initial-branch=main")
    _git(dest, "config", "commit.gpgsign", "false")
    _git(dest, "fast-import", "--quiet", data=stream.bytes())
    _git(dest, "update-ref", "-d", "refs/heads/incoming")
    _git(dest, "reset", "-q")
    for src, text in final.items():
        (content / src).write_text(text, encoding="utf-8", newline="\n")
    dirty = _git(dest, "status", "--porcelain")
    if dirty.strip():
        raise RuntimeError(f"the generated work tree differs from main:\n{dirty[:2000]}")
    stamps = [int(x) for x in _git(dest, "log", "--all", "--format=%ct").split()]
    return HistorySummary(len(merged), len(branch_only), stream.commits, adoptions,
                          dt.datetime.fromtimestamp(min(stamps), TIMEZONE),
                          dt.datetime.fromtimestamp(max(stamps), TIMEZONE))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/make-history-repo",
        description="Generate a synthetic mzpress project in a git repository with a long history "
                    "(submissions on branches, reviewed merges, edits, unmerged submissions).")
    parser.add_argument("dest", type=Path, help="folder to create (replaced when it exists)")
    parser.add_argument("--stories", type=int, default=5000, help="stories on main (default 5000)")
    parser.add_argument("--commits", type=int, default=10000, help="commits in all (default 10000)")
    parser.add_argument("--unmerged", type=int, default=20, help="stories only on unmerged branches (default 20)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    summary = generate_history_repo(args.dest, args.stories, args.commits, args.unmerged, args.seed)
    print(f"{args.dest}: {summary.stories} stories on main, {summary.unmerged} only on branches, "
          f"{summary.commits} commits, {summary.adoptions} adoptions, "
          f"{summary.first_commit:%Y-%m-%d} .. {summary.last_commit:%Y-%m-%d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
