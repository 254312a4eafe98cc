"""``mzpress codeowners``: write (or with ``--check`` verify) CODEOWNERS from site_config/units.yml."""

from __future__ import annotations

import sys

from mzpress.editing.codeowners_file import write_files
from mzpress.model.codeowners import GITEA_FILE, GITHUB_FILE, plan_from_config, stale_files
from mzpress.model.config import require_config
from mzpress.model.project import find_root


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "codeowners", help="根据 units.yml 生成 .github/CODEOWNERS（自动指派审核人）",
        description="根据 site_config/units.yml 中的审核人生成 .github/CODEOWNERS：content/ 和其他文件都请"
                    "局级审核人（复审、终审）审核。初审无法按路径区分单位，见文件开头的说明；"
                    "三审签名是否齐全由 scripts/mzpress review-check 检查。")
    parser.add_argument("--check", action="store_true",
                        help="只检查，不写文件：文件过期或缺失时退出码为 1")
    parser.add_argument("--gitea", action="store_true",
                        help=f"同时生成 Gitea 使用的 {GITEA_FILE}（正则表达式写法）")
    parser.set_defaults(func=run)


def run(args) -> int:
    root = find_root(args.root)
    plan = plan_from_config(require_config(root))
    targets = [GITHUB_FILE] + ([GITEA_FILE] if args.gitea or (root / GITEA_FILE).exists() else [])
    if args.check:
        stale = stale_files(root, plan, targets)
        if not stale:
            print("CODEOWNERS 与 site_config/units.yml 一致。")
            return 0
        for item in stale:
            state = "与 units.yml 不一致" if item.exists else "不存在"
            print(f"{item.relpath} {state}：", file=sys.stderr)
            if item.diff:
                print(item.diff, file=sys.stderr)
        print("请运行 scripts/mzpress codeowners 重新生成，并把生成的文件与 units.yml 一起提交。", file=sys.stderr)
        return 1
    changed = write_files(root, plan, targets)
    for relpath in targets:
        print(f"已更新 {relpath}" if relpath in changed else f"{relpath} 已是最新，无需修改")
    if plan.unassigned:
        names = "、".join(f"{o.name}（{o.stage or '审核'}）" for o in plan.unassigned)
        print(f"注意：以下审核人没有可用的 github 账号，未写进规则：{names}。请在 units.yml 中补上。",
              file=sys.stderr)
    if changed:
        print("请把生成的文件与 site_config/units.yml 一起提交。")
    return 0
