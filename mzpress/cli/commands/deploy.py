"""``mzpress deploy --to DIR [--site site] [--keep N]``: publish a checked build with an atomic switch.

Exit 0 published, 1 refused or failed (the live site is unchanged), 2 usage error.
"""

from __future__ import annotations

import time
from pathlib import Path

from mzpress.cli.deploy_target import add_target, locked, run_safely, store_of
from mzpress.deploy.deployment import deploy


def _positive(text: str) -> int:
    import argparse

    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"保留的版本个数应当是正整数，现在是“{text}”")
    return int(text)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "deploy", help="把构建好的网站发布到网站服务器的发布目录（完整复制后原子切换）",
        description="检查构建结果与完整性清单一致后，复制为新版本，再原子切换 current；"
                    "保留最近几个版本供回滚。网站服务器的网站根目录应指向 发布目录/current。")
    add_target(parser)
    parser.add_argument("--site", default="site", metavar="文件夹", help="构建好的网站（默认 site）")
    parser.add_argument("--keep", type=_positive, default=5, metavar="个数", help="保留的版本个数（默认5）")
    parser.set_defaults(func=run)


def run(args) -> int:
    def work() -> int:
        store = store_of(args)
        store.check_current_is_ours()
        store.prepare()  # the lock file lives in the target folder
        started = time.monotonic()
        result = locked(args, store, lambda: _deploy(args, store))
        print(f"用时{time.monotonic() - started:.1f}秒。")
        return result

    return run_safely(work)


def _deploy(args, store) -> int:
    result = deploy(Path(args.site), store, args.keep)
    manifest = result.manifest
    print(f"已发布：版本 {result.release_id}（源提交 {manifest.short_commit}，共{len(manifest.files)}个文件，"
          f"复制{result.copied}个，沿用上一版本{result.linked}个）。")
    print(f"{store.current_link} -> releases/{result.release_id}")
    if result.pruned:
        print(f"已删除较早的版本{len(result.pruned)}个：{'、'.join(result.pruned)}。")
    return 0
