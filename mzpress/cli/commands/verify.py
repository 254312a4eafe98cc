"""``mzpress verify [DIR] [--restore]``: compare the live site (DIR/current) with the manifest kept outside it.

Lists modified, added and removed files. ``--restore`` moves changed and added files to
DIR/quarantine/ (evidence) and copies the pristine files back. Exit 0 no difference, 1 differences
found (also when they were restored: a tampering is an incident), 2 usage or set-up problem.
"""

from __future__ import annotations

import sys
import time

from mzpress.cli.deploy_target import add_target, beijing, run_safely, session
from mzpress.deploy.deploy_error import DeployError

_LIMIT = 50


def register(subparsers) -> None:
    parser = subparsers.add_parser("verify", help="网页防篡改：校验线上网站与完整性清单是否一致，可自动恢复",
                                   description="逐个文件计算 SHA-256，与保存在网站根目录之外的完整性清单比较，"
                                               "列出被修改、被添加和被删除的文件；加 --restore 从原始副本恢复。")
    add_target(parser, positional=True)
    parser.add_argument("--restore", action="store_true", help="把被改动的文件恢复为发布时的内容")
    parser.set_defaults(func=run)


def run(args) -> int:
    def work() -> int:
        with session(args, exclusive=args.restore) as store:
            return _verify(args, store)

    return run_safely(work)


def _show(label: str, names) -> None:
    for name in list(names)[:_LIMIT]:
        print(f"  {label}：{name}")
    if len(names) > _LIMIT:
        print(f"  ……另有{len(names) - _LIMIT}个{label}的文件")


def _verify(args, store) -> int:
    started = time.monotonic()
    release_id = store.current_id()
    if release_id is None:
        raise DeployError(f"{store.current_link} 不存在：还没有发布过。", "先用 scripts/mzpress deploy 发布。", 2)
    manifest, difference = store.check_release(release_id)
    elapsed = time.monotonic() - started
    print(f"网站完整性检查：{store.current_link}（版本 {release_id}，源提交 {manifest.short_commit}，"
          f"构建于 {beijing(manifest.built_at)}），共{len(manifest.files)}个文件，用时{elapsed:.1f}秒。")
    if difference.clean:
        print("全部文件与完整性清单一致。")
        return 0
    print(f"发现{difference.count}处与完整性清单不一致：")
    _show("被修改", difference.modified)
    _show("被添加", difference.added)
    _show("被删除", difference.removed)
    _show("不是普通文件", difference.odd)
    if not args.restore:
        print(f"网站可能被篡改。运行 scripts/mzpress verify {store.root} --restore 恢复为发布时的内容。", file=sys.stderr)
        return 1
    restored = store.restore_release(release_id, manifest, difference)
    if restored.quarantine is not None:
        print(f"被修改和被添加的文件已移到 {restored.quarantine}（留作证据）。")
    if restored.failed:
        print(f"无法恢复{len(restored.failed)}个文件（原始副本缺失或损坏）：{'、'.join(restored.failed[:_LIMIT])}。"
              "请重新发布（scripts/mzpress deploy）。", file=sys.stderr)
        return 1
    after = store.check_release(release_id)[1]
    if after.clean:
        print(f"已恢复{difference.count}处，复查通过：线上网站与完整性清单一致。")
    else:
        print(f"恢复后仍有{after.count}处不一致，请立即检查服务器。", file=sys.stderr)
    return 1
