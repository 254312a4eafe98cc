"""The ``mzpress`` command: a thin adapter that parses arguments and calls the core.

Each subcommand lives in ``mzpress/commands/<name>.py`` and exposes
``register(subparsers)``; the function it sets as ``func`` returns the exit code
(0 clean, 1 findings with severity error, 2 usage or configuration error).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from mzpress import __version__
from mzpress.model.finding_formats import render
from mzpress.model.findings import FindingsError

COMMANDS = (
    "check",
    "scan",
    "history",
    "report",
    "bulletin",
    "codeowners",
    "changes",
    "new",
    "import_docx",
    "fix_images",
    "mask",
    "fmt",
    "fix_encoding",
    "withdraw",
    "preview",
    "inspect",
    "deploy",
    "rollback",
    "releases",
    "verify",
    "wording_audit",
)


class _ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on usage errors; keep that, in Chinese
        self.print_usage(sys.stderr)
        self.exit(2, f"用法错误：{message}\n运行 mzpress {self.prog.split()[-1]} --help 查看说明。\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _ChineseArgumentParser(
        prog="mzpress", description="mzpress：民政宣传网站的写作、检查与发布工具。")
    parser.add_argument("--version", action="version", version=f"mzpress {__version__}")
    parser.add_argument("--root", default=None, help="项目根目录（默认：从当前目录向上查找 mkdocs.yml）")
    subparsers = parser.add_subparsers(dest="command", metavar="命令", parser_class=_ChineseArgumentParser)
    for name in COMMANDS:
        importlib.import_module(f"mzpress.cli.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except FindingsError as exc:
        print(render(exc.findings, getattr(args, "format", "text")), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130

