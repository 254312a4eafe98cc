"""``mzpress preview [FILE]``: the writer's preview; a saved file shows in the browser within seconds."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from mzpress.model.findings import Severity
from mzpress.model.project import find_root

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "preview", help="在浏览器里预览网站（保存稿件后几秒内即可看到效果）",
        description="启动本机预览：打开浏览器访问显示的地址。修改并保存稿件后，页面会自动刷新；"
                    "只重新读取和检查改动过的文件，所以稿件再多也很快。按 Ctrl+C 停止。")
    parser.add_argument("file", nargs="?", metavar="文件", help="要预览的稿件，例如 content/stories/2025/xxx.md（可省略）")
    parser.add_argument("--port", type=int, default=int(os.environ.get("MZPRESS_PORT", "8000")),
                        help="端口号（默认 8000；0 表示自动选一个空闲端口）")
    parser.add_argument("--editor-port", type=int, default=_editor_port_default(),
                        help="稿件编辑器（/admin/）的端口号（默认是预览端口号加1，被占用时自动另选）")
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认只允许本机访问）")
    parser.set_defaults(func=run)


def _editor_port_default() -> int | None:
    given = os.environ.get("MZPRESS_EDITOR_PORT", "")
    return int(given) if given.isdigit() else None


def _configure_logging() -> None:
    """Show the writer mzpress' findings and MkDocs' warnings, without MkDocs' routine messages."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    mkdocs = logging.getLogger("mkdocs")
    mkdocs.handlers[:] = [handler]
    mkdocs.propagate = False
    mkdocs.setLevel(logging.WARNING)
    logging.getLogger("mkdocs.plugins.mzpress").setLevel(logging.INFO)


def run(args) -> int:
    root = find_root(args.root)
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        print(f"找不到 {config_file}，请在网站项目文件夹里运行。", file=sys.stderr)
        return 2
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _configure_logging()
    from mzpress.adapters.mkdocs.preview import PreviewSite  # the MkDocs adapter (imports MkDocs)
    from mzpress.adapters.mkdocs.preview_server import PreviewServer

    print("正在载入网站内容……", file=sys.stderr, flush=True)
    plugin_log = logging.getLogger("mkdocs.plugins.mzpress")
    plugin_log.setLevel(logging.ERROR)  # at start: errors only, warnings are counted below
    site = PreviewSite(config_file)
    plugin_log.setLevel(logging.INFO)  # from now on: everything found in a file just saved
    warnings = sum(1 for f in site.all_findings() if f.severity is Severity.WARNING)
    if warnings:
        print(f"另有{warnings}个警告，运行 scripts/mzpress check 查看。", file=sys.stderr)
    editor = None
    if args.host in _LOOPBACK:  # the editor writes files: only for this computer's own browser
        from mzpress.adapters.mkdocs.editor_api import EditorApi

        editor = EditorApi(root)
    try:
        # The editor gets a port of its own: another origin than the previewed pages (preview_server.py).
        server = PreviewServer(site, args.host, args.port, routes=editor, editor_port=args.editor_port)
    except OSError as exc:
        site.close()
        ports = f"{args.port}或{args.editor_port}" if args.editor_port else f"{args.port}"
        print(f"无法使用端口{ports}（{exc.strerror or exc}）。可能已经有一个预览在运行；"
              f"换一个端口试试：scripts/mzpress preview --port {args.port + 2}", file=sys.stderr)
        return 2
    host = f"[{args.host}]" if ":" in args.host else args.host
    address = f"http://{host}:{server.port}"
    if editor is not None:
        editor.lock = server.lock
        editor.site_url = address
    target = "/"
    if args.file:
        given = Path(args.file).resolve()
        try:
            relpath = given.relative_to(root).as_posix()
        except ValueError:
            relpath = args.file
        url = site.url_of(relpath)
        if url is None:
            print(f"“{args.file}”不是网站的稿件（文件不存在或放错了位置）。"
                  "先打开首页预览；运行 scripts/mzpress check 查看原因。", file=sys.stderr)
        else:
            target = url
    print(f"预览地址：{address}{target} （保存稿件后页面会自动刷新；按 Ctrl+C 停止）", file=sys.stderr, flush=True)
    if editor is not None:
        print(f"稿件编辑器：{server.editor_url} （单独的端口，预览的页面不能操作它；保存、上传和删除前自动检查，"
              "有错误不会执行）", file=sys.stderr, flush=True)
    else:
        print("监听地址不是本机（127.0.0.1），稿件编辑器（/admin/）不开启。", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("预览已停止。", file=sys.stderr)
    finally:
        site.close()
    return 0
