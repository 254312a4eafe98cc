"""``mzpress check``: every content check; exit 0 clean, 1 errors, 2 usage or configuration error.

``check FILE`` and ``--changed-since`` also check the photos, cover images and attachments the
selected pages use (:func:`mzpress.checks.runner.used_files`), and a page with a schema error has
its other findings reported too (:meth:`mzpress.model.content.Site.for_checks`)."""

from __future__ import annotations

from pathlib import Path

from mzpress.checks.runner import check_jobs, check_project
from mzpress.history.git_changes import changed_paths
from mzpress.model.clock import build_time
from mzpress.model.config import CONFIG_DIR
from mzpress.model.content import walk_content
from mzpress.model.finding_formats import FORMATS, render
from mzpress.model.findings import Severity, has_errors
from mzpress.model.project import content_relative, find_root


def register(subparsers) -> None:
    parser = subparsers.add_parser("check", help="检查稿件和配置（提交前请运行）",
                                   description="检查全部稿件、图片、附件和网站配置，列出问题所在的文件、行号和修改方法。")
    parser.add_argument("paths", nargs="*", metavar="路径",
                        help="只检查这些文件或文件夹，连同其中稿件用到的图片和附件（默认全部）")
    parser.add_argument("--changed-since", metavar="REF", help="只检查相对于 REF（如 origin/main）改动过的文件")
    parser.add_argument("--format", choices=FORMATS, default="text", help="输出格式：text、json 或 github")
    parser.add_argument("--build-date", metavar="日期", help="按这个时间判断定时发布和公示状态（默认现在）")
    parser.set_defaults(func=run)


def _selected(root: Path, args) -> set[str] | None:
    """Content files (relative to content/) to check, or None for all."""
    only: set[str] | None = None
    if args.paths:
        only = set()
        content_files = walk_content(root / "content")  # the files the checks see, by the same rules
        for given in args.paths:
            rel = content_relative(root, given)
            if rel is None:
                continue
            only |= {f for f in content_files if rel in (".", "") or f == rel or f.startswith(rel.rstrip("/") + "/")}
    if args.changed_since:
        paths = changed_paths(root, args.changed_since)
        changed = {p[len("content/"):] for p in paths if p.startswith("content/")}
        config_changed = any(p.startswith(CONFIG_DIR + "/") for p in paths)
        if not config_changed:  # a configuration change can affect every page: check everything
            only = changed if only is None else only & changed
    return only


def run(args) -> int:
    root = find_root(args.root)
    only = _selected(root, args)
    _, findings = check_project(root, build_time(args.build_date), only=only, jobs=check_jobs())
    print(render(findings, args.format))
    if any(f.rule.startswith("config.") and f.severity is Severity.ERROR for f in findings):
        return 2
    return 1 if has_errors(findings) else 0
