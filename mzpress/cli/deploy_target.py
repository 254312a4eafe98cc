"""What the deploy commands share: the target folder (``--to`` or $MZPRESS_DEPLOY_DIR), the lock, errors."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable

from mzpress.deploy.deploy_error import USAGE, DeployError
from mzpress.deploy.release_lock import release_lock
from mzpress.deploy.release_store import ReleaseStore
from mzpress.model.schema import TIMEZONE

TARGET_ENV = "MZPRESS_DEPLOY_DIR"


def add_target(parser, positional: bool = False) -> None:
    if positional:
        parser.add_argument("target", nargs="?", metavar="发布目录", help=f"发布目录（默认：环境变量 {TARGET_ENV}）")
    parser.add_argument("--to", dest="to", metavar="发布目录", help=f"网站服务器上的发布目录（默认：环境变量 {TARGET_ENV}）")
    parser.add_argument("--wait", type=float, default=600.0, metavar="秒",
                        help="另一个发布或回滚正在进行时最多等待的秒数（默认600）")


def store_of(args) -> ReleaseStore:
    target = getattr(args, "to", None) or getattr(args, "target", None) or os.environ.get(TARGET_ENV, "")
    if not target:
        raise DeployError("没有指定发布目录。",
                          f"用 --to 目录 指定（例如 --to /srv/www/mz），或设置环境变量 {TARGET_ENV}。", USAGE)
    return ReleaseStore(target)


def print_error(exc: DeployError) -> int:
    print(f"错误：{exc.message}\n  修改建议：{exc.suggestion}", file=sys.stderr)
    return exc.code


def locked(args, store: ReleaseStore, work: Callable[[], int], exclusive: bool = True) -> int:
    def waiting() -> None:
        print("另一个发布、回滚或恢复正在进行，正在等待它结束……", file=sys.stderr)

    with release_lock(store.root, exclusive=exclusive, wait_s=args.wait, on_wait=waiting):
        return work()


def run_safely(run: Callable[[], int]) -> int:
    try:
        return run()
    except DeployError as exc:
        return print_error(exc)


def beijing(iso_time: str) -> str:
    """An ISO time as Beijing time, e.g. 2026-12-02 18:56; unchanged when it is not one."""
    try:
        return dt.datetime.fromisoformat(iso_time).astimezone(TIMEZONE).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso_time
