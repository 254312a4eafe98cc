"""``mzpress rollback``: switch ``current`` back to a kept release, after checking (and repairing) it."""

from __future__ import annotations

from dataclasses import dataclass

from mzpress.deploy.deploy_error import USAGE, DeployError
from mzpress.deploy.integrity import Restored, check_release, restore_release
from mzpress.deploy.release_store import ReleaseStore


@dataclass(frozen=True, slots=True)
class RolledBack:
    release_id: str
    previous_id: str | None
    repaired: Restored | None  # what was put back in the target release before switching


def rollback_choice(ids: list[str], current: str | None, release_id: str | None, root: str) -> str:
    """The release to switch to: ``release_id`` when it is kept, else the one before ``current``."""
    if release_id is None:
        older = [i for i in ids if current is None or i < current]
        if not older:
            raise DeployError("没有比当前版本更早的版本，无法回滚。", f"用 scripts/mzpress releases --to {root} 查看保留的版本。")
        return older[-1]
    if release_id not in ids:
        raise DeployError(f"没有版本“{release_id}”。", f"用 scripts/mzpress releases --to {root} 查看保留的版本号。", USAGE)
    return release_id


def rollback(store: ReleaseStore, release_id: str | None = None) -> RolledBack:
    """Switch to ``release_id`` (default: the release before the current one); the caller holds the lock."""
    store.require_existing()
    current = store.current_id()
    ids = store.release_ids()
    release_id = rollback_choice(ids, current, release_id, str(store.root))
    manifest, difference = check_release(store, release_id)
    repaired = None
    if not difference.clean:
        repaired = restore_release(store, release_id, manifest, difference)
        if repaired.failed or not check_release(store, release_id)[1].clean:
            raise DeployError(f"版本 {release_id} 的文件被改动且无法完全恢复，没有切换。",
                              "选择其他版本回滚，或重新发布（scripts/mzpress deploy）。")
    store.switch(release_id)
    return RolledBack(release_id, current, repaired)
