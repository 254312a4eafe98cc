"""The ``mzpress`` command: a thin adapter that parses arguments and calls the core.

Each subcommand lives in ``mzpress/commands/<name>.py`` and exposes
``register(subparsers)``; the function it sets as ``func`` returns the exit code
(0 clean, 1 findings with severity error, 2 usage or configuration error).
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys

from mzpress import __version__
from mzpress.cli.chinese_arguments import install, suggestion
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
    "review_check",
    "approve",
    "new",
    "import_docx",
    "fix_images",
    "mask",
    "fmt",
    "fix_encoding",
    "withdraw",
    "takedown",
    "export",
    "preview",
    "cms_config",
    "inspect",
    "deploy",
    "rollback",
    "releases",
    "verify",
    "wording_audit",
)


class _ChineseArgumentParser(argparse.ArgumentParser):
    def format_help(self) -> str:  # section headings in house style: 选项： not 选项:
        return re.sub(r"^(\S[^\n]*):$", r"\1：", super().format_help(), flags=re.MULTILINE)

    def error(self, message: str):  # argparse exits 2 on usage errors; keep that, in Chinese
        self.print_usage(sys.stderr)
        hint = suggestion(self, message, sys.argv[1:])
        hint = f"{hint}\n" if hint else ""
        self.exit(2, f"用法错误：{message}\n{hint}运行 scripts/{self.prog} --help 查看说明。\n")


def build_parser() -> argparse.ArgumentParser:
    install()
    parser = _ChineseArgumentParser(
        prog="mzpress", description="mzpress：民政宣传网站的写作、检查与发布工具。")
    parser.add_argument("--version", action="version", version=f"mzpress {__version__}", help="显示版本号并退出")
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

