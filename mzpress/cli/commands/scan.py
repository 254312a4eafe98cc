"""``mzpress scan``: the content-independent checks (personal data, wording, encoding, HTML) on any files."""

from __future__ import annotations

from pathlib import Path

from mzpress.checks.context import CheckContext
from mzpress.checks.runner import scan_paths
from mzpress.model.config import load_config
from mzpress.model.finding_formats import FORMATS, render
from mzpress.model.findings import FindingsError, has_errors
from mzpress.model.project import find_root


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "scan", help="扫描任意文件（如准备上传的名单）中的个人信息、错敏词和编码问题",
        description="对任意文件或文件夹（也可以在网站项目之外）做个人信息、错敏词、编码和 HTML 安全检查。")
    parser.add_argument("paths", nargs="+", metavar="路径", help="要扫描的文件或文件夹")
    parser.add_argument("--format", choices=FORMATS, default="text", help="输出格式：text、json 或 github")
    parser.set_defaults(func=run)


def run(args) -> int:
    try:
        root = find_root(args.root)
        config, _ = load_config(root)
    except FindingsError:  # outside a project: the checks use their defaults
        root, config = Path.cwd(), None
    findings = scan_paths([Path(p) for p in args.paths], CheckContext(root=root, config=config))
    print(render(findings, args.format))
    return 1 if has_errors(findings) else 0
