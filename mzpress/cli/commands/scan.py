"""``mzpress scan``: the content-independent checks (personal data, wording, encoding, HTML) on any files.

Exit 0 clean, 1 findings with severity error, 2 when a file given could not be checked at all
(not found, unreadable, or of a type scan does not know: see ``mzpress.checks.scan_targets``). A
backup (``FILE.bak``, ``.mzpress-backup/…``) is checked as the type it was made of, with a warning.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mzpress.checks.context import CheckContext
from mzpress.checks.runner import scan_paths
from mzpress.checks.scan_targets import INCOMPLETE_RULES, supported_types
from mzpress.model.config import load_config
from mzpress.model.finding_formats import FORMATS, render
from mzpress.model.findings import FindingsError, has_errors
from mzpress.model.project import find_root


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "scan", help="扫描任意文件（如准备上传的名单）中的个人信息、错敏词和编码问题",
        description="对任意文件或文件夹（也可以在网站项目之外）做个人信息、错敏词、编码和 HTML 安全检查。"
                    f"能检查的文件：{supported_types()}。备份文件（.bak 等）按原文件的类型检查。"
                    "退出码：0 没有错误，1 发现错误，2 有文件找不到、无法读取或类型不支持（没有检查）。")
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
    if any(finding.rule in INCOMPLETE_RULES for finding in findings):
        print("有文件没有检查（找不到、无法读取或类型不支持，见上面的 scan 错误）；请按提示处理后重新运行 scripts/mzpress scan。",
              file=sys.stderr)
        return 2
    return 1 if has_errors(findings) else 0
