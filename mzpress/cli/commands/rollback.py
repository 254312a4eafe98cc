"""``mzpress rollback --to DIR [--release ID]``: switch back atomically (default: the previous release).

The target release is checked against its manifest first; changed files are put back from the
pristine copies. Exit 0 switched, 1 refused, 2 usage error.
"""

from __future__ import annotations

from mzpress.cli.deploy_target import add_target, run_safely, session


def register(subparsers) -> None:
    parser = subparsers.add_parser("rollback", help="把网站切换回以前发布的版本",
                                   description="原子切换 current 到保留的较早版本（默认：当前版本的前一个版本），切换前先校验该版本。")
    add_target(parser)
    parser.add_argument("--release", metavar="版本号", help="要切换到的版本（scripts/mzpress releases 列出的版本号）")
    parser.set_defaults(func=run)


def run(args) -> int:
    def work() -> int:
        with session(args) as store:
            return _rollback(args, store)

    return run_safely(work)


def _rollback(args, store) -> int:
    result = store.rollback(args.release)
    if result.repaired is not None:
        print(f"切换前恢复了版本 {result.release_id} 中被改动的{result.repaired.difference.count}个文件"
              f"（原文件移到 {result.repaired.quarantine}）。")
    print(f"已回滚：线上网站 {store.current_link} 现在是版本 {result.release_id}（原来是 {result.previous_id or '无'}）。")
    return 0
