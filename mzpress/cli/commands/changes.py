"""``mzpress changes --since REF``: pages added, modified, withdrawn, taken down, restored, deleted (the PR summary)."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

import git

from mzpress.history.ledger import LedgerUnavailable
from mzpress.history.page_changes import ChangesError, page_changes, render_markdown, render_text
from mzpress.model.clock import build_time
from mzpress.model.config import load_config
from mzpress.model.project import find_root


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "changes", help="列出相对于某个分支新增、修改、撤回、撤下、恢复和删除的页面（拉取请求摘要）",
        description="列出与 REF（如 origin/main）的共同祖先相比，content/ 下新增、修改、改名、撤回（withdrawn）、"
                    "撤下（withdrawn 中 unpublish: true）、恢复（去掉 withdrawn）和删除的页面，及其标题和来源单位，"
                    "包括尚未提交的改动。--format markdown 用于 CI 的任务摘要。")
    parser.add_argument("--since", required=True, metavar="REF", help="比较的分支或提交，例如 origin/main")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                        help="输出格式：text、markdown 或 json")
    parser.set_defaults(func=run)


def run(args) -> int:
    root = find_root(args.root)
    try:
        config, _ = load_config(root)  # only the unit names: a broken units.yml still lists the changes
        changes = page_changes(root, args.since, now=build_time(), unit_names=config.unit_choices)
    except (ChangesError, LedgerUnavailable) as exc:
        print(f"无法列出改动：{exc}", file=sys.stderr)
        return 2
    except git.GitCommandError as exc:
        print(f"无法列出改动：git 命令失败（{str(exc.stderr).strip()}）。", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps([asdict(c) for c in changes], ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        print(render_markdown(changes, args.since), end="")
    else:
        print(render_text(changes, args.since), end="")
    return 0
