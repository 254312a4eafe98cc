"""The lock that serialises deploys, rollbacks and restores of one release store (``deploy.lock``).

``fcntl.flock`` on a lock file in the target folder: released by the kernel when the process ends,
however it ends, so a killed deploy never leaves a stale lock behind. Writers take it exclusively;
``mzpress verify`` takes it shared, so that it never reads a release while a deploy prunes it.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mzpress.deploy.deploy_error import DeployError, storage_error

LOCK_NAME = "deploy.lock"
_POLL_S = 0.05


@contextmanager
def release_lock(target: Path, *, exclusive: bool = True, wait_s: float = 600.0,
                 on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the store's lock; wait at most ``wait_s`` seconds (calling ``on_wait`` once) for another holder."""
    path = Path(target) / LOCK_NAME
    try:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except PermissionError:
            if exclusive:
                raise
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)  # a read-only checker may still share the lock
    except OSError as exc:
        raise storage_error(exc, "打开发布锁") from None
    try:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        deadline = time.monotonic() + max(0.0, wait_s)
        waited = False
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise DeployError(
                        f"另一个发布、回滚或恢复正在进行（{path} 被占用），等待{wait_s:g}秒后仍未结束，本次没有做任何改动。",
                        "等它结束后重新运行；需要等待更久时用 --wait 秒数。") from None
                if not waited and on_wait is not None:
                    on_wait()
                waited = True
                time.sleep(_POLL_S)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
