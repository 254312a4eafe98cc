"""``mzpress deploy --to TARGET [--site site] [--keep N]``: publish a checked build with an atomic switch.

TARGET is a folder, ``ssh://user@host/path`` or ``s3://bucket/prefix``. Exit 0 published (or, with
``--dry-run``, planned), 1 refused or failed (the live site is unchanged), 2 usage error.
"""

from __future__ import annotations

import time
from pathlib import Path

from mzpress.cli.deploy_target import add_target, run_safely, session, target_name
from mzpress.deploy.deploy_error import USAGE, DeployError
from mzpress.deploy.target_registry import scheme_of
from mzpress.text.images import human_size


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
    parser.add_argument("--dry-run", action="store_true",
                        help="只列出要上传和删除的文件，不做任何改动（对象存储 s3://）")
    parser.add_argument("--max-deletes", type=_count, default=256, metavar="个数",
                        help="一次发布最多删除的文件数，超过即拒绝发布（对象存储 s3://，默认256）")
    parser.set_defaults(func=run)


def _count(text: str) -> int:
    import argparse

    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"个数应当是非负整数，现在是“{text}”")
    return int(text)


def run(args) -> int:
    def work() -> int:
        started = time.monotonic()
        object_storage = scheme_of(target_name(args)) == "s3"
        if args.dry_run and not object_storage:
            raise DeployError("--dry-run 只用于发布到对象存储（s3://）。",
                              "发布到本机目录或 ssh:// 时，新版本在切换前不会被访问，直接发布即可。", USAGE)
        extra = {"max_deletes": args.max_deletes} if object_storage else {}
        with session(args, exclusive=not args.dry_run, create=not args.dry_run) as store:
            if args.dry_run:
                for line in store.plan(Path(args.site), args.max_deletes):
                    print(line)
                return 0
            result = store.deploy(Path(args.site), args.keep, **extra)
        _report(result, store)
        print(f"用时{time.monotonic() - started:.1f}秒。")
        return 0

    return run_safely(work)


def _report(result, store) -> None:
    deployed = result.deployed
    manifest = deployed.manifest
    print(f"已发布：版本 {deployed.release_id}（源提交 {manifest.short_commit}，共{len(manifest.files)}个文件，"
          f"复制{deployed.copied}个，沿用上一版本{deployed.linked}个）。")
    if result.uploaded is not None:
        print(f"上传了{result.uploaded}个文件（{human_size(result.uploaded_bytes)}），其余文件服务器上已有。")
    if result.deleted:
        print(f"删除了新版本中已没有的文件{len(result.deleted)}个。")
    print(f"线上网站 {store.current_link} 现在是版本 {deployed.release_id}。")
    if deployed.pruned:
        print(f"已删除较早的版本{len(deployed.pruned)}个：{'、'.join(deployed.pruned)}。")

