"""``scripts/bench``: build synthetic archives of several sizes and measure what writers and CI wait for.

For each size: generate the corpus (:mod:`tools.synthetic_corpus`) into a fresh
temporary project (``mkdocs.yml``, ``site_config/``, ``overrides/`` and
``content/assets/`` copied from this repository), then measure, each in a fresh
process:

* ``build_s``: a cold ``mkdocs build --strict`` (no ``.mzpress-cache/``, empty
  output folder), with ``peak_rss_mb``, the largest total resident memory of the
  build's processes (sampled every 50 ms), and the CPU time used;
* ``rebuild_unchanged_s``: the same build again at once, nothing changed, with the cache the cold build left
  (``.mzpress-cache/``);
* ``rebuild_one_story_s``: the same build again after one story's body got a new paragraph (with the cache);
* ``check_s``: ``mzpress check`` over the tree;
* ``preview_s``: ``mzpress preview`` running with a page open; one story is saved
  with a new title and paragraph; the time until the preview serves that story
  with the new text *and* every listing it is on page 1 of (all stories, its year,
  its topic, the home page) shows the new title;
* ``hugo_build_s`` (``--hugo``): the same corpus as a minimal Hugo site (:mod:`tools.hugo_baseline`), built
  cold by the ``hugo`` binary of requirements/lock.txt right after the cold ``mkdocs build``, so the ratios
  ``build_over_hugo`` (``build_s / hugo_build_s``) and ``rebuild_unchanged_over_hugo`` hold on a busy machine;
  with ``hugo_cpu_s`` and ``hugo_peak_rss_mb`` (null without ``--hugo``);
* ``baseline_build_s`` (``--baseline``): the same corpus converted to stock Material
  for MkDocs with its blog plugin (:func:`tools.synthetic_corpus.blog_baseline`),
  built cold in the same run, so the ratio holds on a busy machine.

Prints a table, then, last, one JSON line per size (keys: ``stories``, ``build_s``, ``per_story_ms``,
``peak_rss_mb``, ``check_s``, ``preview_s``, ``baseline_build_s``, ``hugo_build_s``, ``rebuild_unchanged_s``,
``rebuild_one_story_s``, ``build_cpu_s``, ``hugo_cpu_s``, ``hugo_peak_rss_mb``, ``build_over_hugo``,
``rebuild_unchanged_over_hugo``, ``rebuild_unchanged_cpu_s``, ``rebuild_one_story_cpu_s``; null for what was not
measured). On a busy machine the CPU times vary much less than the wall times. The project, the measured processes' environment and
:func:`~tools.bench_runs.measure` are in :mod:`tools.bench_runs`, shared with ``--search``
(:mod:`tools.search_benchmark`), which this module starts and which never imports it back.

``--profile N`` profiles one cold N-story build instead (:mod:`tools.profile_build`).

``--history`` measures the office's commands instead: a project in a git repository with
5,000 stories and 10,000 commits (:mod:`tools.history_corpus`), then ``mzpress report``
for a year in text and HTML and ``mzpress inspect``, each in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tools.bench_runs import (
    BUILD_DATE,
    Run,
    bench_env,
    make_project,
    measure,
    mkdocs_command,
    mzpress_command,
)
from tools.history_corpus import generate_history_repo
from tools.hugo_baseline import OUTPUT as HUGO_OUTPUT
from tools.hugo_baseline import build_hugo, hugo_site, missing_pages
from tools.processes import stop_process
from tools.synthetic_corpus import blog_baseline

DEFAULT_SIZES = "1000,2000,4000,8000"


@dataclass
class Result:
    stories: int
    build: Run | None = None
    unchanged: Run | None = None  # rebuilt at once with the cache, nothing changed
    warm: Run | None = None  # rebuilt with the cache after one story's body changed
    check: Run | None = None
    check_changed: Run | None = None
    preview_start_s: float | None = None
    preview_s: float | None = None
    baseline: Run | None = None
    hugo: Run | None = None
    notes: list[str] = field(default_factory=list)

    def json(self) -> dict:
        build_s = self.build.wall_s if self.build else None
        hugo_s = self.hugo.wall_s if self.hugo else None
        unchanged_s = self.unchanged.wall_s if self.unchanged else None
        return {
            "stories": self.stories,
            "build_s": _round(build_s),
            "per_story_ms": _round(build_s * 1000 / self.stories) if build_s else None,
            "peak_rss_mb": _round(self.build.peak_rss_mb, 1) if self.build else None,
            "check_s": _round(self.check.wall_s) if self.check else None,
            "preview_s": _round(self.preview_s),
            "baseline_build_s": _round(self.baseline.wall_s) if self.baseline else None,
            "hugo_build_s": _round(hugo_s, 3),
            "rebuild_unchanged_s": _round(unchanged_s),
            "rebuild_one_story_s": _round(self.warm.wall_s) if self.warm else None,
            "build_cpu_s": _round(self.build.cpu_s) if self.build else None,
            "hugo_cpu_s": _round(self.hugo.cpu_s, 3) if self.hugo else None,
            "hugo_peak_rss_mb": _round(self.hugo.peak_rss_mb, 1) if self.hugo else None,
            "build_over_hugo": _round(_ratio(build_s, hugo_s)),
            "rebuild_unchanged_over_hugo": _round(_ratio(unchanged_s, hugo_s)),
            "rebuild_unchanged_cpu_s": _round(self.unchanged.cpu_s) if self.unchanged else None,
            "rebuild_one_story_cpu_s": _round(self.warm.cpu_s) if self.warm else None,
        }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _ratio(value: float | None, base: float | None) -> float | None:
    return value / base if value is not None and base else None


def _edit_story(path: Path, title: str, paragraph: str) -> None:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.MULTILINE)
    path.write_text(text.rstrip("\n") + f"\n\n{paragraph}\n", encoding="utf-8")


def _add_paragraph(path: Path, paragraph: str) -> None:
    """A new last paragraph in a story's body; its front matter (title, date, topics) stays as it was."""
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{paragraph}\n", encoding="utf-8")


def _story_facts(project: Path, src: str) -> tuple[str, str, str]:
    """URL, year and first topic of a generated story."""
    text = (project / "content" / src).read_text(encoding="utf-8")
    topic = re.search(r"^topics:\n- (\S+)", text, flags=re.MULTILINE)
    return src[: -len(".md")] + "/", src.split("/")[1], topic.group(1) if topic else ""


# -- the preview -----------------------------------------------------------------------------------


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"


def measure_preview(project: Path, src: str, timeout: float = 600) -> tuple[float | None, float | None, str]:
    """(seconds to start, seconds from saving a story to a correct page and listings, note)."""
    start = time.perf_counter()
    process = subprocess.Popen(mzpress_command(project, "preview", "--port", "0"), cwd=project, env=bench_env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    address: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in process.stderr:
            lines.append(line)
            match = re.search(r"http://127\.0\.0\.1:\d+", line)
            if match and not address:
                address.append(match.group(0))
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(timeout) or not address:
            return None, None, "预览没有启动：" + "".join(lines[-5:])
        base = address[0]
        url, year, topic = _story_facts(project, src)
        listings = ["", "stories/", f"stories/{year}/"] + ([f"topics/{topic}/"] if topic else [])
        for path in [url, *listings]:  # the writer has these open already
            _get(f"{base}/{path}")
        started = time.perf_counter() - start
        token = f"预览计时{int(time.time() * 1000) % 100000}"
        title = f"{token}标题"
        _edit_story(project / "content" / src, title, f"{token}新增的一段文字。")
        saved = time.perf_counter()
        pending = {url: f"{token}新增的一段文字", **{path: title for path in listings}}
        while pending and time.perf_counter() - saved < timeout:
            for path, expected in list(pending.items()):
                if expected in _get(f"{base}/{path}"):
                    del pending[path]
        if pending:
            return started, None, f"预览在 {timeout} 秒内没有显示改动：{sorted(pending)}"
        return started, time.perf_counter() - saved, ""
    finally:
        stop_process(process, timeout=30)


# -- one size --------------------------------------------------------------------------------------


def _check_changed(project: Path, srcs: list[str]) -> Run | None:
    """``mzpress check --changed-since HEAD`` with five edited stories (needs git)."""
    if shutil.which("git") is None:
        return None
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "corpus"]):
        subprocess.run(git + command, cwd=project, check=True, stdout=subprocess.DEVNULL)
    for index, src in enumerate(srcs[:: max(1, len(srcs) // 5)][:5]):
        path = project / "content" / src
        path.write_text(path.read_text(encoding="utf-8") + f"\n补充说明第 {index + 1} 条。\n", encoding="utf-8")
    return measure(mzpress_command(project, "check", "--changed-since", "HEAD", "--build-date", BUILD_DATE), project,
                   bench_env())


def _mkdocs_build(project: Path, what: str) -> Run:
    run = measure(mkdocs_command("build", "--strict", "-q", "-d", "site"), project, bench_env())
    if run.returncode != 0:
        raise SystemExit(f"{what}失败（{project}）：\n{run.output[-3000:]}")
    return run


def _bench_hugo(project: Path, work: Path, stories: int, srcs: list[str], log) -> Run:
    """The same stories as a minimal Hugo site, built cold; every story must have its page."""
    log(f"[{stories}] 对照：同一批稿件的最小 Hugo 网站冷构建……")
    site = hugo_site(project, work / "hugo")
    run = build_hugo(site.root)
    if run.returncode != 0:
        raise SystemExit(f"Hugo 构建失败：\n{run.output[-3000:]}")
    missing = missing_pages(site.root / HUGO_OUTPUT, srcs)
    if missing:
        raise SystemExit(f"Hugo 没有生成{len(missing)}篇稿件的页面，例如 {missing[0]}。")
    return run


def bench_size(stories: int, work: Path, baseline: bool, preview: bool, check: bool, changed: bool,
               log, hugo: bool = False) -> Result:
    result = Result(stories)
    project = work / f"stories-{stories}" / "project"
    log(f"[{stories}] 生成 {stories} 篇稿件……")
    srcs = make_project(project, stories)
    log(f"[{stories}] 冷构建（mkdocs build --strict）……")
    result.build = _mkdocs_build(project, f"构建（{stories}篇）")
    newest = srcs[-1]
    url, _, _ = _story_facts(project, newest)
    title = re.search(r"^title: (.*)$", (project / "content" / newest).read_text(encoding="utf-8"), re.MULTILINE)
    built = project / "site" / url / "index.html"
    if not built.is_file() or (title and title.group(1) not in built.read_text(encoding="utf-8")):
        raise SystemExit(f"构建结果不对：{built} 缺失或没有标题。")
    if hugo:  # right after the cold build, so both see the same load on a busy machine
        result.hugo = _bench_hugo(project, work / f"stories-{stories}", stories, srcs, log)
    log(f"[{stories}] 什么都不改，再构建（使用缓存）……")
    result.unchanged = _mkdocs_build(project, "不改动的再构建")
    log(f"[{stories}] 改动一篇稿件的正文后再构建（使用缓存）……")
    edited = srcs[len(srcs) // 2]
    paragraph = "缓存测试新增的一段正文。"
    _add_paragraph(project / "content" / edited, paragraph)
    result.warm = _mkdocs_build(project, "改动一篇稿件后的再构建")
    edited_page = project / "site" / _story_facts(project, edited)[0] / "index.html"
    if paragraph not in edited_page.read_text(encoding="utf-8"):
        raise SystemExit(f"改动一篇稿件后再构建的结果不对：{edited_page} 没有新增的段落。")
    if check:
        log(f"[{stories}] mzpress check……")
        result.check = measure(mzpress_command(project, "check", "--build-date", BUILD_DATE), project, bench_env())
        if result.check.returncode != 0:
            result.notes.append(f"mzpress check 退出码 {result.check.returncode}")
    if preview:
        log(f"[{stories}] mzpress preview……")
        result.preview_start_s, result.preview_s, note = measure_preview(project, newest)
        if note:
            result.notes.append(note)
    if changed:
        log(f"[{stories}] mzpress check --changed-since（5 个改动的文件）……")
        result.check_changed = _check_changed(project, srcs)
    if baseline:
        log(f"[{stories}] 对照：原版 Material + blog 插件冷构建……")
        blog = work / f"stories-{stories}" / "baseline"
        blog_baseline(project, blog)
        result.baseline = measure(mkdocs_command("build", "-q", "-d", "site"), blog, bench_env())
        if result.baseline.returncode != 0:
            raise SystemExit(f"对照构建失败：\n{result.baseline.output[-3000:]}")
    return result


# -- output ----------------------------------------------------------------------------------------


def table(results: list[Result]) -> str:
    def cell(value, digits: int = 1) -> str:
        return "-" if value is None else f"{value:.{digits}f}"

    def times(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}x"

    head = ("stories", "build_s", "ms/story", "cpu_s", "peak_rss_mb", "unchanged_s", "one_story_s", "check_s",
            "changed_s", "preview_s", "preview_start_s", "hugo_s", "hugo_cpu_s", "hugo_rss_mb", "build/hugo",
            "baseline_s", "speedup")
    rows = [head]
    for r in results:
        build = r.build.wall_s if r.build else None
        speedup = r.baseline.wall_s / build if r.baseline and build else None
        rows.append((
            str(r.stories), cell(build), cell(build * 1000 / r.stories if build else None, 2),
            cell(r.build.cpu_s if r.build else None), cell(r.build.peak_rss_mb if r.build else None, 0),
            cell(r.unchanged.wall_s if r.unchanged else None), cell(r.warm.wall_s if r.warm else None),
            cell(r.check.wall_s if r.check else None),
            cell(r.check_changed.wall_s if r.check_changed else None), cell(r.preview_s, 2),
            cell(r.preview_start_s), cell(r.hugo.wall_s if r.hugo else None, 2),
            cell(r.hugo.cpu_s if r.hugo else None), cell(r.hugo.peak_rss_mb if r.hugo else None, 0),
            times(_ratio(build, r.hugo.wall_s if r.hugo else None)),
            cell(r.baseline.wall_s if r.baseline else None), times(speedup)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["| " + " | ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    if len(results) >= 2 and results[0].build and results[-1].build:
        first, last = results[0], results[-1]
        ratio = last.build.wall_s / first.build.wall_s
        lines.append(f"build time at {last.stories} / at {first.stories}: {ratio:.2f} "
                     f"(size ratio {last.stories / first.stories:.1f})")
    for r in results:
        for note in r.notes:
            lines.append(f"note [{r.stories}]: {note}")
    return "\n".join(lines)


HISTORY_COMMANDS = (
    ("report_year_text_s", ("report", "--period", "2026", "--at", BUILD_DATE, "--format", "text")),
    ("report_year_html_s", ("report", "--period", "2026", "--at", BUILD_DATE, "--format", "html")),
    ("report_quarter_csv_s", ("report", "--period", "2026-Q3", "--at", BUILD_DATE, "--format", "csv")),
    ("inspect_s", ("inspect", "--at", BUILD_DATE, "--format", "text")),
    ("inspect_html_s", ("inspect", "--at", BUILD_DATE, "--format", "html")),
)


def bench_history(stories: int, commits: int, work: Path, log) -> dict:
    """Time the report and inspection commands on a generated history repository."""
    project = work / "history"
    log(f"[history] 生成 {stories} 篇稿件、{commits} 个提交的仓库……")
    started = time.perf_counter()
    summary = generate_history_repo(project, stories=stories, commits=commits)
    result: dict = {"stories": summary.stories, "commits": summary.commits, "adoptions": summary.adoptions,
                    "generate_s": _round(time.perf_counter() - started)}
    for name, args in HISTORY_COMMANDS:
        log(f"[history] mzpress {' '.join(args)}……")
        run = measure(mzpress_command(project, *args), project, bench_env())
        result[name] = _round(run.wall_s)
        # inspect exits 1 when a single-veto item fails: a result, not a failure of the benchmark.
        if run.returncode not in (0, 1):
            result.setdefault("notes", []).append(f"mzpress {args[0]} 退出码 {run.returncode}：{run.output[-500:]}")
    return result


def history_table(result: dict) -> str:
    names = [name for name, _ in HISTORY_COMMANDS]
    head = ("stories", "commits", *names)
    row = (str(result["stories"]), str(result["commits"]),
           *("-" if result.get(n) is None else f"{result[n]:.2f}" for n in names))
    widths = [max(len(a), len(b)) for a, b in zip(head, row, strict=True)]
    lines = ["| " + " | ".join(v.rjust(w) for v, w in zip(r, widths, strict=True)) + " |" for r in (head, row)]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines += [f"note: {note}" for note in result.get("notes", [])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", default=DEFAULT_SIZES, help=f"comma-separated sizes (default {DEFAULT_SIZES})")
    parser.add_argument("--baseline", action="store_true", help="also build stock Material + blog plugin")
    parser.add_argument("--hugo", action="store_true",
                        help="also build the same stories as a minimal Hugo site (tools/hugo_baseline.py)")
    parser.add_argument("--profile", type=int, metavar="N",
                        help="instead: profile one cold N-story build in one process (tools/profile_build.py)")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and leave the trees there")
    parser.add_argument("--no-preview", action="store_true", help="skip the preview measurement")
    parser.add_argument("--no-check", action="store_true", help="skip the mzpress check measurement")
    parser.add_argument("--changed", action="store_true",
                        help="also time mzpress check --changed-since with five edited files (uses git)")
    parser.add_argument("--history", action="store_true",
                        help="instead: time mzpress report and inspect on a generated git history")
    parser.add_argument("--history-stories", type=int, default=5000, help="stories of --history (default 5000)")
    parser.add_argument("--history-commits", type=int, default=10000, help="commits of --history (default 10000)")
    parser.add_argument("--search", action="store_true",
                        help="instead: the site's search against Material's (default sizes 2000,10000; tools/search_benchmark.py)")
    parser.add_argument("--search-words", type=int, default=300, help="query words of --search (default 300)")
    args = parser.parse_args(argv)
    try:
        sizes = [int(part) for part in args.stories.split(",") if part.strip()]
    except ValueError:
        parser.error("--stories takes numbers separated by commas, e.g. 2000,8000")
    if not sizes or min(sizes) < 1:
        parser.error("--stories needs at least one positive number")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.profile is not None:
        from tools import profile_build

        if args.profile < 1:
            parser.error("--profile needs a positive number of stories")
        return profile_build.main(["--stories", str(args.profile), *(["--work", args.keep] if args.keep else [])])
    work = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="mzpress-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.search:
        from tools import search_benchmark

        search_sizes = sizes if args.stories != DEFAULT_SIZES else [2000, 10000]
        try:
            return search_benchmark.main(search_sizes, work, args.search_words, log)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    if args.history:
        try:
            result = bench_history(args.history_stories, args.history_commits, work, log)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
        print(history_table(result))
        print(json.dumps(result, ensure_ascii=False))
        return 0
    results = []
    try:
        for size in sizes:
            results.append(bench_size(size, work, args.baseline, not args.no_preview, not args.no_check,
                                      args.changed, log, hugo=args.hugo))
            if not args.keep:
                shutil.rmtree(work / f"stories-{size}", ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(table(results))
    for result in results:
        print(json.dumps(result.json(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
