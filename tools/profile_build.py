"""``scripts/bench --profile N`` (or ``python -m tools.profile_build``): where a cold N-story build spends its time.

One generated project (:func:`tools.bench_runs.make_project`), then two cold builds (no ``.mzpress-cache/``, no
``site/``), each ``mkdocs build --strict -q`` run by MkDocs' own command line inside a fresh process:

1. **Phases**, without a profiler: wall-clock and CPU time (of the whole process, its threads included) around
   MkDocs' build steps and plugin events and around known functions of MkDocs, Jinja and mzpress
   (:data:`TARGETS`, and each check of the registry), kept as a tree of who-called-whom, so a phase's time includes
   what it calls (Markdown rendered during the content checks is under "content checks"). Shares are of CPU time,
   which a busy machine changes much less than wall time. Only calls from the main thread are timed; with
   ``--jobs`` above 1 the forked workers' time is not seen and the parent's waiting for them shows up where it
   waits (after the last page). The wrappers cost a few microseconds a call.
2. **cProfile** of the same build with workers disabled (``MZPRESS_BUILD_JOBS=1``), in CPU time: the cumulative
   time of the same functions and the functions with the most time of their own. The profiler slows Python code
   down unevenly (more where there are many small calls), so use its shares, not its seconds.

Prints Markdown tables (paste them into README), the process' wall and CPU time and peak memory
(:func:`tools.bench_runs.measure`), the machine's cores and load, and where the cProfile data is
(``--keep``/``--work``; open it with ``python -m pstats``).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import importlib
import json
import os
import pstats
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tools.bench_runs import REPO, Run, bench_env, make_project, measure

BUILD_ARGS = ["build", "--strict", "-q", "-d", "site"]
JOBS_ENV = "MZPRESS_BUILD_JOBS"

# The build's phases: MkDocs' plugin events (by event name) ...
EVENTS = {
    "config": "configuration (on_config)",
    "pre_build": "on_pre_build (cache, checks set up)",
    "files": "content load and checks (on_files)",
    "nav": "navigation (on_nav; forks the page workers)",
    "page_markdown": "page data (on_page_markdown: front matter, listings, page context)",
    "page_content": "page HTML after Markdown (on_page_content: phone numbers, <img> attributes)",
    "env": "page output cache look-up (on_env)",
    "post_page": "theme output stored (on_post_page)",
    "post_build": "after the pages (on_post_build)",
}
LISTING_PAGE = "theme: pages with a list (listings, topics, campaigns, home)"
OTHER_PAGE = "theme: stories, notices and other pages"


def _page_label(args, kwargs) -> str:
    """``_build_page(page, ...)``: pages that show a list apart from the others."""
    page = args[0] if args else kwargs.get("page")
    meta = getattr(page, "meta", None) or {}
    return LISTING_PAGE if ("mz_listing" in meta or "mz_home" in meta) else OTHER_PAGE


# ... and known functions: (module, qualified name, label). A label may be a function of the call's arguments.
# Functions that no longer exist are reported and skipped, so the tool keeps working while the build changes.
TARGETS: list[tuple[str, str, str | Callable]] = [
    ("mkdocs.commands.build", "build", "MkDocs build()"),
    ("mkdocs.structure.files", "get_files", "collect files (get_files)"),
    ("mkdocs.structure.nav", "get_navigation", "navigation (get_navigation)"),
    ("mzpress.model.content", "load_site", "read and parse content (load_site)"),
    ("mzpress.adapters.mkdocs.fast_build", "FastBuild.content_checks", "content checks"),
    ("mzpress.checks.runner", "run_content_checks", "content checks"),
    ("mzpress.publishing.publication_record", "publication_records", "publication records (git)"),
    ("mzpress.publishing.published_files", "published_files", "published file set"),
    ("mzpress.adapters.mkdocs.site_images", "SiteImages.__init__", "photos: sizes, renditions planned"),
    ("mzpress.publishing.listings", "generated_pages", "listings: data"),
    ("mzpress.publishing.listings", "topic_listing", "listings: data"),
    ("mzpress.publishing.listings", "campaign_members", "listings: data"),
    ("mzpress.publishing.listings", "home_sections", "listings: data"),
    ("mzpress.publishing.page_context", "page_context", "page context (neighbours, records)"),
    ("mzpress.publishing.feeds", "site_feeds", "feeds: data"),
    ("mkdocs.commands.build", "_populate_page", "pages: read, Markdown (_populate_page)"),
    ("mzpress.text.page_rendering", "render", "Markdown rendering"),
    ("mzpress.text.html_sanitiser", "sanitise", "sanitiser"),
    ("mzpress.adapters.mkdocs.site_images", "SiteImages.rewrite", "photos: <img> attributes"),
    ("mkdocs.structure.files", "Files.copy_static_files", "static files copied"),
    ("mkdocs.commands.build", "_build_theme_template", "theme templates (404, sitemap)"),
    ("mkdocs.commands.build", "_build_page", _page_label),
    ("jinja2.environment", "Template.render", "Jinja rendering"),
    ("mkdocs.utils", "write_file", "writing files"),
    ("mkdocs.utils", "copy_file", "copying files"),
    ("mzpress.adapters.mkdocs.plugin", "MzpressPlugin._write_feeds_and_retired", "feeds and retired pages"),
    ("mzpress.adapters.mkdocs.site_images", "SiteImages.write", "photo renditions"),
    ("mzpress.adapters.mkdocs.site_search", "write_search_index", "search index"),
    ("mzpress.adapters.mkdocs.site_search", "site_documents", "search index: read the built pages"),
    ("mzpress.publishing.full_text_index", "index_files", "search index: n-gram index"),
    ("mzpress.publishing.manifest", "build_manifest", "integrity manifest"),
    ("mzpress.publishing.manifest", "write_manifest", "integrity manifest"),
    ("mzpress.model.build_cache", "BuildCache.get", "cache look-ups"),
    ("mzpress.model.build_cache", "BuildCache.put", "cache stores"),
    ("mzpress.model.build_cache", "BuildCache.flush", "cache written (.mzpress-cache)"),
]

# The phases issue 30 asks about, as sums of labels (they may overlap: Markdown is rendered during the checks).
SUMMARY = (
    ("content load and checks (on_files)", ("content load and checks (on_files)",)),
    ("↳ content checks (their Markdown rendering included)", ("content checks",)),
    ("Markdown rendering (checks and pages)", ("Markdown rendering",)),
    ("theme rendering (Jinja, all pages)", ("Jinja rendering",)),
    ("↳ pages with a list (Jinja)", (f"{LISTING_PAGE}/Jinja rendering",)),
    ("listings: data (computed, not rendered)", ("listings: data",)),
    ("search index", ("search index",)),
    ("photo renditions", ("photo renditions",)),
    ("writing files (pages, copies, feeds, cache, manifest)",
     ("writing files", "copying files", "feeds and retired pages", "cache written (.mzpress-cache)",
      "integrity manifest")),
)


# -- in the measured process ------------------------------------------------------------------------


class PhaseTimer:
    """Inclusive wall-clock and process CPU time per call path of labelled functions (called in the main thread)."""

    def __init__(self):
        self.totals: dict[tuple[str, ...], list[float]] = {}  # path -> [wall seconds, calls, CPU seconds]
        self._stack: list[str] = []
        self._main = threading.main_thread()

    def wrap(self, function: Callable, label) -> Callable:
        timer = self

        @functools.wraps(function)
        def timed(*args, **kwargs):
            if threading.current_thread() is not timer._main:
                return function(*args, **kwargs)
            name = label(args, kwargs) if callable(label) else label
            stack = timer._stack
            if stack and stack[-1] == name:  # the same phase calling itself: counted once
                return function(*args, **kwargs)
            stack.append(name)
            path = tuple(stack)
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed, used = time.perf_counter() - started, time.process_time() - cpu
                stack.pop()
                entry = timer.totals.setdefault(path, [0.0, 0, 0.0])
                entry[0] += elapsed
                entry[1] += 1
                entry[2] += used

        return timed

    def wrap_events(self) -> None:
        from mkdocs.plugins import PluginCollection

        original = PluginCollection.run_event
        timed = {name: self.wrap(original, label) for name, label in EVENTS.items()}

        @functools.wraps(original)
        def run_event(plugins, name, *args, **kwargs):
            return timed.get(name, original)(plugins, name, *args, **kwargs)

        PluginCollection.run_event = run_event


def _resolve(module_name: str, qualname: str):
    """(owner, attribute name, function) of ``module.qualname``, or None when it does not exist."""
    try:
        owner = importlib.import_module(module_name)
    except ImportError:
        return None
    parts = qualname.split(".")
    for part in parts[:-1]:
        owner = getattr(owner, part, None)
        if owner is None:
            return None
    function = owner.__dict__.get(parts[-1]) if isinstance(owner, type) else getattr(owner, parts[-1], None)
    if function is None or not callable(function) or isinstance(function, (staticmethod, classmethod)):
        return None
    return owner, parts[-1], function


def install(timer: PhaseTimer) -> list[str]:
    """Wrap every target (everywhere a module bound it by name); returns the targets not found."""
    import mzpress.adapters.mkdocs.plugin  # noqa: F401  (loads the modules the plugin binds names from)

    timer.wrap_events()
    missing, replacements = [], {}
    for module_name, qualname, label in TARGETS:
        found = _resolve(module_name, qualname)
        if found is None:
            missing.append(f"{module_name}.{qualname}")
            continue
        owner, name, function = found
        wrapped = timer.wrap(function, label)
        setattr(owner, name, wrapped)
        if not isinstance(owner, type):
            replacements[id(function)] = (function, wrapped)
    for module in list(sys.modules.values()):  # `from x import f` bound f elsewhere too
        namespace = getattr(module, "__dict__", None)
        if not isinstance(namespace, dict):
            continue
        for key, value in list(namespace.items()):
            replacement = replacements.get(id(value))
            if replacement is not None and replacement[0] is value:
                namespace[key] = replacement[1]
    missing += _wrap_checks(timer)
    return missing


# Each check of the registry (text, attachment and site checks), timed on its own under "content checks".
CHECK_LISTS = ("TEXT_CHECKS", "ATTACHMENT_CHECKS", "SITE_CHECKS")


def _wrap_checks(timer: PhaseTimer) -> list[str]:
    try:
        registry = importlib.import_module("mzpress.checks.registry")
    except ImportError:
        return ["mzpress.checks.registry"]
    missing = []
    for name in CHECK_LISTS:
        checks = getattr(registry, name, None)
        if not isinstance(checks, tuple):
            missing.append(f"mzpress.checks.registry.{name}")
            continue
        setattr(registry, name, tuple(timer.wrap(check, f"check: {getattr(check, '__name__', check)}")
                                      for check in checks))
    return missing


def _run_mkdocs() -> int:
    from mkdocs.__main__ import cli

    try:
        cli.main(args=BUILD_ARGS, prog_name="mkdocs", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    except Exception as exc:  # noqa: BLE001 (the build's own error, reported to the parent)
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


def child(mode: str, out: Path) -> int:
    """In the measured process (cwd: the project): one cold build, timed by phase or profiled."""
    started = time.perf_counter()
    if mode == "phases":
        timer = PhaseTimer()
        missing = install(timer)
        ready = time.perf_counter()
        code = _run_mkdocs()
        finished = time.perf_counter()
        out.write_text(json.dumps({
            "returncode": code, "setup_s": ready - started, "cli_s": finished - ready, "missing": missing,
            "totals": [[list(path), *entry] for path, entry in timer.totals.items()],
        }, ensure_ascii=False), encoding="utf-8")
        return code
    import mzpress.adapters.mkdocs.plugin  # noqa: F401  (imports outside the profile, as in the phase run)

    profile = cProfile.Profile(time.process_time)  # CPU time: a busy machine's waiting is not counted
    profile.enable()
    code = _run_mkdocs()
    profile.disable()
    profile.dump_stats(out)
    return code


# -- in the parent ----------------------------------------------------------------------------------


def _cold(project: Path) -> None:
    for folder in (project / "site", project / ".mzpress-cache"):
        shutil.rmtree(folder, ignore_errors=True)


def _run_child(project: Path, mode: str, out: Path, jobs: int) -> Run:
    _cold(project)
    command = [sys.executable, "-m", "tools.profile_build", "--child", mode, "--out", str(out)]
    env = bench_env(**{JOBS_ENV: str(jobs)})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    run = measure(command, project, env)
    if run.returncode != 0:
        raise SystemExit(f"构建失败（{mode}）：\n{run.output[-3000:]}")
    return run


def _label_total(totals: dict[tuple[str, ...], tuple[float, float]], spec: str) -> tuple[float, float]:
    """(wall, CPU) under a label (``a`` or ``parent/a``: ``a`` directly inside ``parent``), outermost calls only."""
    parent, _, label = spec.rpartition("/")
    wall = cpu = 0.0
    for path, (seconds, used) in totals.items():
        if path[-1] != label or label in path[:-1]:
            continue
        if parent and (len(path) < 2 or path[-2] != parent):
            continue
        wall, cpu = wall + seconds, cpu + used
    return wall, cpu


def _seconds(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def phase_tables(data: dict, process: Run, min_share: float = 0.005) -> str:
    """The summary of issue 30's phases and the whole tree, as Markdown tables (shares: of the process' CPU)."""
    totals = {tuple(path): (wall, cpu) for path, wall, _, cpu in data["totals"]}
    calls = {tuple(path): count for path, _, count, _ in data["totals"]}
    process_cpu = process.cpu_s or 1.0

    def cells(wall: float, cpu: float) -> str:
        return f"{_seconds(wall)} | {_seconds(cpu)} | {cpu / process_cpu:.0%}"

    lines = ["| phase | wall s | CPU s | share of CPU |", "|---|---:|---:|---:|"]
    for name, labels in SUMMARY:
        found = [_label_total(totals, label) for label in labels]
        lines.append(f"| {name} | {cells(sum(w for w, _ in found), sum(c for _, c in found))} |")
    build_wall = sum(wall for path, (wall, _) in totals.items() if len(path) == 1)
    build_cpu = sum(cpu for path, (_, cpu) in totals.items() if len(path) == 1)
    lines.append(f"| start, imports, configuration and exit (outside the build's steps) | "
                 f"{cells(process.wall_s - build_wall, process.cpu_s - build_cpu)} |")
    lines.append(f"| **whole process** | **{_seconds(process.wall_s)}** | **{_seconds(process.cpu_s)}** | 100% |")

    tree = ["| step (inclusive: a step's time contains the steps under it) | wall s | CPU s | share of CPU | calls |",
            "|---|---:|---:|---:|---:|"]

    def children(prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
        found = [p for p in totals if len(p) == len(prefix) + 1 and p[:len(prefix)] == prefix]
        return sorted(found, key=lambda p: (-totals[p][1], -totals[p][0]))

    def walk(prefix: tuple[str, ...]) -> None:
        kids = children(prefix)
        for path in kids:
            wall, cpu = totals[path]
            if max(cpu / process_cpu, wall / process.wall_s) < min_share:
                continue
            indent = "\u3000" * (len(path) - 1) + ("└ " if len(path) > 1 else "")
            tree.append(f"| {indent}{path[-1]} | {cells(wall, cpu)} | {calls[path]} |")
            walk(path)
        if prefix and kids:
            wall = totals[prefix][0] - sum(totals[p][0] for p in kids)
            cpu = totals[prefix][1] - sum(totals[p][1] for p in kids)
            if max(cpu / process_cpu, wall / process.wall_s) >= min_share:
                indent = "\u3000" * len(prefix) + "└ "
                tree.append(f"| {indent}*other work of “{prefix[-1]}”* | {cells(wall, cpu)} | |")

    walk(())
    return "\n".join(lines) + "\n\n" + "\n".join(tree)


def _code_key(module_name: str, qualname: str) -> tuple[str, int, str] | None:
    found = _resolve(module_name, qualname)
    if found is None:
        return None
    code = getattr(found[2], "__code__", None)
    return None if code is None else (code.co_filename, code.co_firstlineno, code.co_name)


def _where(key: tuple[str, int, str], project: Path | None = None) -> str:
    filename, line, name = key
    markers = ["site-packages/", str(REPO) + "/", sysconfig.get_paths()["stdlib"] + "/"]
    if project is not None:
        markers.insert(0, str(project) + "/")
    for marker in markers:
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return f"{filename}:{line} {name}" if line else name


def profile_tables(path: Path, top: int, project: Path | None = None) -> str:
    """The cumulative time of the known functions, then the functions with the most own time."""
    stats = pstats.Stats(str(path))
    entries = stats.stats  # key -> (primitive calls, calls, own time, cumulative time, callers)
    total = max((value[3] for value in entries.values()), default=0.0) or 1.0
    lines = ["| function | label | cumulative s | share | calls |", "|---|---|---:|---:|---:|"]
    seen = set()
    for module_name, qualname, label in TARGETS:
        key = _code_key(module_name, qualname)
        if key is None or key in seen or key not in entries:
            continue
        seen.add(key)
        _, count, _, cumulative, _ = entries[key]
        name = label if isinstance(label, str) else "theme: a page's template and file"
        lines.append(f"| `{module_name}.{qualname}` | {name} | {_seconds(cumulative)} | {cumulative / total:.0%} "
                     f"| {count} |")
    own = sorted(entries.items(), key=lambda item: -item[1][2])[:top]
    lines += ["", f"| own time: top {top} | own s | share | cumulative s | calls |", "|---|---:|---:|---:|---:|"]
    for key, (_, count, own_s, cumulative, _) in own:
        lines.append(f"| `{_where(key, project)}` | {_seconds(own_s)} | {own_s / total:.0%} | {_seconds(cumulative)} "
                     f"| {count} |")
    return "\n".join(lines)


def _commit() -> str:
    try:
        result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                                timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True, timeout=30).stdout.strip()
        return result.stdout.strip() + (" + uncommitted changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench --profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=2000, help="stories of the generated project (default 2000)")
    parser.add_argument("--jobs", type=int, default=1,
                        help=f"{JOBS_ENV} of the phase run (default 1; the cProfile run always uses 1)")
    parser.add_argument("--work", metavar="DIR", help="generate into DIR and keep it (default: a temporary folder)")
    parser.add_argument("--top", type=int, default=25, help="functions listed by own time (default 25)")
    parser.add_argument("--no-cprofile", action="store_true", help="only the phase run")
    parser.add_argument("--child", choices=("phases", "cprofile"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, Path(args.out))
    if args.stories < 1 or args.jobs < 1:
        parser.error("--stories and --jobs take positive numbers")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    work = Path(args.work).resolve() if args.work else Path(tempfile.mkdtemp(prefix="mzpress-profile-"))
    project = work / f"profile-{args.stories}" / "project"
    try:
        log(f"[profile] 生成 {args.stories} 篇稿件……")
        make_project(project, args.stories)
        load_before = os.getloadavg()
        log(f"[profile] 冷构建，按阶段计时（{JOBS_ENV}={args.jobs}）……")
        phases_json = project.parent / "phases.json"
        phase_run = _run_child(project, "phases", phases_json, args.jobs)
        data = json.loads(phases_json.read_text(encoding="utf-8"))
        profile_run = None
        prof = project.parent / "build.prof"
        if not args.no_cprofile:
            log(f"[profile] 冷构建，cProfile（{JOBS_ENV}=1）……")
            profile_run = _run_child(project, "cprofile", prof, 1)
        load_after = os.getloadavg()
        print(f"## Cold build of {args.stories:,} stories: where the time goes\n")
        print(f"mzpress {_commit()}, {dt.date.today().isoformat()}, {os.cpu_count()} cores, load average "
              f"{load_before[0]:.1f} before and {load_after[0]:.1f} after (1 min); `mkdocs build --strict`, "
              "no cache, in a fresh process.\n")
        print(f"### Phases, wall clock and CPU ({JOBS_ENV}={args.jobs}, no profiler): process "
              f"{phase_run.wall_s:.1f} s, CPU {phase_run.cpu_s:.1f} s, peak memory {phase_run.peak_rss_mb:.0f} MB\n")
        print(phase_tables(data, phase_run))
        if data["missing"]:
            print(f"\nnot found (renamed or removed; not timed): {', '.join(data['missing'])}")
        if profile_run is not None:
            print(f"\n### cProfile ({JOBS_ENV}=1, CPU time): process {profile_run.wall_s:.1f} s with the profiler "
                  f"(CPU {profile_run.cpu_s:.1f} s); shares are of the profiled build's CPU time\n")
            print(profile_tables(prof, args.top, project))
            if args.work:
                print(f"\ncProfile data: {prof} (python -m pstats {prof})")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
