"""Where a deploy goes: a local folder, ``ssh://user@host/path`` or ``s3://bucket/prefix``, behind one interface.

Every target opens a *session* under its own lock (a file lock locally and over SSH, a lock object
in the bucket) and yields a store with the same methods, so the ``deploy``, ``rollback``,
``releases`` and ``verify`` commands have one code path:

    current_id() -> str | None                        the live release
    manifest_of(id) -> Manifest                       a release's manifest (its source commit, files)
    releases() -> list[ReleaseInfo]                   the kept releases, oldest first
    check_release(id) -> (Manifest, TreeDifference)   the release's files against its manifest
    restore_release(id, manifest, difference) -> Restored
    deploy(site_dir, keep) -> TargetDeployed
    rollback(id | None) -> RolledBack

The adapters never learn which kind of target they talk to beyond the name printed in messages.
This module is the interface (and the local folder); which target a ``--to`` address opens is decided in
:mod:`mzpress.deploy.target_registry`, so that the SSH and object-storage targets can build on this module
without it importing them back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mzpress.deploy.deployment import Deployed, deploy
from mzpress.deploy.integrity import Restored, check_release, restore_release
from mzpress.deploy.release_lock import release_lock
from mzpress.deploy.release_store import ReleaseInfo, ReleaseStore
from mzpress.deploy.rollback import RolledBack, rollback
from mzpress.publishing.manifest import Manifest, TreeDifference


@dataclass(frozen=True, slots=True)
class TargetDeployed:
    deployed: Deployed
    uploaded: int | None = None  # files whose contents travelled over the network (None: a local copy)
    uploaded_bytes: int = 0
    deleted: tuple[str, ...] = ()  # files of the previous release no longer published (object storage)


class LocalReleaseSession:
    """The local :class:`ReleaseStore` while this process holds its lock."""

    def __init__(self, store: ReleaseStore):
        self.store = store
        self.root = str(store.root)
        self.current_link = str(store.current_link)

    def current_id(self) -> str | None:
        return self.store.current_id()

    def manifest_of(self, release_id: str) -> Manifest:
        return self.store.manifest_of(release_id)

    def releases(self) -> list[ReleaseInfo]:
        return self.store.releases()

    def check_release(self, release_id: str) -> tuple[Manifest, TreeDifference]:
        return check_release(self.store, release_id)

    def restore_release(self, release_id: str, manifest: Manifest, difference: TreeDifference) -> Restored:
        return restore_release(self.store, release_id, manifest, difference)

    def deploy(self, site_dir: Path, keep: int, now: dt.datetime | None = None) -> TargetDeployed:
        return TargetDeployed(deploy(site_dir, self.store, keep, now))

    def rollback(self, release_id: str | None = None) -> RolledBack:
        return rollback(self.store, release_id)


class LocalTarget:
    """A release folder on this machine (the web server itself, or a mounted share)."""

    def __init__(self, root: Path | str):
        self.store = ReleaseStore(root)
        self.root = str(self.store.root)
        self.current_link = str(self.store.current_link)

    @contextmanager
    def session(self, *, exclusive: bool, wait_s: float, create: bool = False,
                on_wait: Callable[[], None] | None = None) -> Iterator[LocalReleaseSession]:
        if create:
            self.store.check_current_is_ours()
            self.store.prepare()  # the lock file lives in the target folder
        else:
            self.store.require_existing()
        with release_lock(self.store.root, exclusive=exclusive, wait_s=wait_s, on_wait=on_wait):
            yield LocalReleaseSession(self.store)
