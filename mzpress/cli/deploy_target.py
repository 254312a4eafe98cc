"""What the deploy commands share: the target (``--to`` or $MZPRESS_DEPLOY_DIR), its locked session, errors.

The target is a folder on this machine, ``ssh://user@host/path`` or ``s3://bucket/prefix``
(:mod:`mzpress.deploy.target_registry` opens it, :mod:`mzpress.deploy.release_target` is the interface);
the commands see one interface for all three.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from mzpress.deploy.deploy_error import USAGE, DeployError
from mzpress.deploy.target_registry import open_target
from mzpress.model.schema import TIMEZONE

TARGET_ENV = "MZPRESS_DEPLOY_DIR"


def add_target(parser, positional: bool = False) -> None:
    if positional:
        parser.add_argument("target", nargs="?", metavar="发布目录", help=f"发布目录（默认：环境变量 {TARGET_ENV}）")
    parser.add_argument("--to", dest="to", metavar="发布目录",
                        help="网站服务器上的发布目录：本机目录、ssh://用户@服务器/目录 或 s3://存储桶/前缀"
                             f"（默认：环境变量 {TARGET_ENV}）")
    parser.add_argument("--wait", type=float, default=600.0, metavar="秒",
                        help="另一个发布或回滚正在进行时最多等待的秒数（默认600）")


def target_name(args) -> str:
    """``--to``, the positional target or $MZPRESS_DEPLOY_DIR, as given."""
    return getattr(args, "to", None) or getattr(args, "target", None) or os.environ.get(TARGET_ENV, "")


def target_of(args):
    target = target_name(args)
    if not target:
        raise DeployError("没有指定发布目录。",
                          f"用 --to 目录 指定（例如 --to /srv/www/mz），或设置环境变量 {TARGET_ENV}。", USAGE)
    return open_target(target)


def print_error(exc: DeployError) -> int:
    print(f"错误：{exc.message}\n  修改建议：{exc.suggestion}", file=sys.stderr)
    return exc.code


@contextmanager
def session(args, *, exclusive: bool = True, create: bool = False) -> Iterator:
    """The target's store under its lock (exclusive for writers, shared for readers)."""
    def waiting() -> None:
        print("另一个发布、回滚或恢复正在进行，正在等待它结束……", file=sys.stderr, flush=True)

    target = target_of(args)
    with target.session(exclusive=exclusive, wait_s=args.wait, create=create, on_wait=waiting) as store:
        yield store


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
