"""The release store on the web server: the folder layout, the atomic switch of ``current``, pruning.

    DIR/current -> releases/<id>     the web root (point nginx's root at DIR/current)
    DIR/releases/<id>/               one complete build; files read-only, unchanged ones hard-linked
                                     to the previous release's
    DIR/manifests/<id>.json          each release's integrity manifest, outside the web root
    DIR/objects/<aa>/<sha256>        pristine copies of every file of the kept releases (never linked)
    DIR/quarantine/<time>/...        files ``verify --restore`` took out of the web root, as evidence
    DIR/deploy.lock                  serialises deploys, rollbacks and restores

A release id is ``<UTC time to the microsecond>Z-<commit>``: ids sort by time. ``current`` is only
ever replaced by renaming a new symlink over it (``os.replace``), so a visitor sees the old
release or the new one, never a mixture.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mzpress.deploy.deploy_error import USAGE, DeployError, MissingTarget, storage_error
from mzpress.deploy.object_store import ObjectStore
from mzpress.publishing.manifest import Manifest, ManifestError, read_manifest

CURRENT = "current"
RELEASES = "releases"
MANIFESTS = "manifests"
OBJECTS = "objects"
QUARANTINE = "quarantine"
INCOMING_PREFIX = ".incoming-"
LINK_PREFIX = ".current-"
RELEASE_ID = re.compile(r"^\d{8}T\d{6}\.\d{6,9}Z-[0-9a-z]{1,40}(-\d+)?$")


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    id: str
    manifest: Manifest | None
    problem: str | None  # why the manifest cannot be read (None when it can)
    current: bool


def new_release_id(manifest: Manifest, now: dt.datetime | None, taken: Callable[[str], bool]) -> str:
    """``<UTC time to the microsecond>Z-<commit>`` (RELEASE_ID), numbered ``-2``, ``-3`` … while ``taken``."""
    now = now or dt.datetime.now(dt.UTC)
    base = f"{now.astimezone(dt.UTC):%Y%m%dT%H%M%S.%f}Z-{manifest.short_commit}"
    release_id, number = base, 1
    while taken(release_id):
        number += 1
        release_id = f"{base}-{number}"
    return release_id


def release_infos(ids: list[str], current: str | None,
                  manifest_of: Callable[[str], Manifest]) -> list[ReleaseInfo]:
    """Each release with its manifest, or why the manifest cannot be read (every kind of target)."""
    infos = []
    for release_id in ids:
        try:
            manifest, problem = manifest_of(release_id), None
        except DeployError as exc:
            manifest, problem = None, exc.message
        infos.append(ReleaseInfo(release_id, manifest, problem, release_id == current))
    return infos


class ReleaseStore:
    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.current_link = self.root / CURRENT
        self.releases_dir = self.root / RELEASES
        self.manifests_dir = self.root / MANIFESTS
        self.quarantine_dir = self.root / QUARANTINE
        self.objects = ObjectStore(self.root / OBJECTS)

    # -- reading --------------------------------------------------------------------------------

    def release_path(self, release_id: str) -> Path:
        return self.releases_dir / release_id

    def manifest_path(self, release_id: str) -> Path:
        return self.manifests_dir / f"{release_id}.json"

    def require_existing(self) -> None:
        if not self.root.is_dir():
            raise MissingTarget(f"发布目录 {self.root} 不存在。",
                                "检查路径；发布目录由 scripts/mzpress deploy --to 目录 第一次发布时创建。")

    def check_current_is_ours(self) -> None:
        if os.path.lexists(self.current_link) and not self.current_link.is_symlink():
            raise DeployError(f"{self.current_link} 已存在，但不是符号链接。",
                              "请把它移走（它应由 scripts/mzpress deploy 管理），再重新发布。", USAGE)

    def current_id(self) -> str | None:
        """The release ``current`` points to; None before the first deploy. DeployError when it points elsewhere."""
        if not os.path.lexists(self.current_link):
            return None
        self.check_current_is_ours()
        target = os.readlink(self.current_link)
        parts = Path(target).parts
        if len(parts) != 2 or parts[0] != RELEASES or not RELEASE_ID.match(parts[1]):
            raise DeployError(f"{self.current_link} 指向“{target}”，不是本发布目录中的版本（releases/版本号）。",
                              "如果不是有意修改，可能被篡改：用 scripts/mzpress releases --to 目录 查看版本，"
                              "再用 scripts/mzpress rollback --to 目录 --release 版本号 切换到确认无误的版本。")
        return parts[1]

    def release_ids(self) -> list[str]:
        if not self.releases_dir.is_dir():
            return []
        return sorted(name for name in os.listdir(self.releases_dir)
                      if RELEASE_ID.match(name) and (self.releases_dir / name).is_dir())

    def manifest_of(self, release_id: str) -> Manifest:
        try:
            return read_manifest(self.manifest_path(release_id))
        except ManifestError as exc:
            raise DeployError(f"版本 {release_id} 的完整性清单无法使用：{exc.message}",
                              "这个版本无法校验，不能作为回滚目标；请重新发布一次（scripts/mzpress deploy）。") from None

    def releases(self) -> list[ReleaseInfo]:
        return release_infos(self.release_ids(), self.current_id(), self.manifest_of)

    # -- writing --------------------------------------------------------------------------------

    def prepare(self) -> None:
        try:
            for folder in (self.root, self.releases_dir, self.manifests_dir, self.objects.root):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(exc, "创建发布目录") from None

    def new_release_id(self, manifest: Manifest, now: dt.datetime | None = None) -> str:
        return new_release_id(manifest, now, lambda release_id: os.path.lexists(self.release_path(release_id))
                              or os.path.lexists(self.manifest_path(release_id)))

    def remove_leftovers(self) -> list[str]:
        """What a killed deploy left behind (only while holding the lock): half-copied releases, temporary links."""
        removed = []
        for folder, prefix in ((self.releases_dir, INCOMING_PREFIX), (self.root, LINK_PREFIX)):
            if not folder.is_dir():
                continue
            for name in os.listdir(folder):
                if name.startswith(prefix):
                    path = folder / name
                    if path.is_dir() and not path.is_symlink():
                        shutil.rmtree(path)
                    else:
                        path.unlink()
                    removed.append(name)
        for name in os.listdir(self.manifests_dir) if self.manifests_dir.is_dir() else ():
            if name.endswith(".tmp"):
                (self.manifests_dir / name).unlink()
        self.objects.remove_temporary()
        return removed

    def switch(self, release_id: str) -> None:
        """Point ``current`` at ``release_id`` atomically: a new symlink renamed over the old one."""
        self.check_current_is_ours()
        link = self.root / f"{LINK_PREFIX}{release_id}"
        if os.path.lexists(link):
            link.unlink()
        os.symlink(f"{RELEASES}/{release_id}", link)
        try:
            os.replace(link, self.current_link)
        except BaseException:
            link.unlink()
            raise
        fsync_dir(self.root)

    def write_manifest(self, release_id: str, manifest: Manifest) -> None:
        target = self.manifest_path(release_id)
        temporary = target.with_name(target.name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as stream:
            stream.write(manifest.to_json())
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o444)
        os.replace(temporary, target)
        fsync_dir(self.manifests_dir)

    def remove_release(self, release_id: str) -> None:
        shutil.rmtree(self.release_path(release_id))
        try:
            os.unlink(self.manifest_path(release_id))
        except FileNotFoundError:
            pass

    def prune(self, keep: int) -> list[str]:
        """Remove all but the ``keep`` newest releases (never the current one), then unused objects."""
        current = self.current_id()
        ids = self.release_ids()
        removed = [release_id for release_id in ids[:-keep] if release_id != current]
        for release_id in removed:
            self.remove_release(release_id)
        for name in os.listdir(self.manifests_dir):  # manifests whose release is gone
            stem = name.removesuffix(".json")
            if name.endswith(".json") and RELEASE_ID.match(stem) and not self.release_path(stem).is_dir():
                os.unlink(self.manifests_dir / name)
        wanted: set[str] = set()
        for release_id in self.release_ids():
            try:
                wanted.update(entry.sha256 for entry in self.manifest_of(release_id).files.values())
            except DeployError:
                continue
        self.objects.collect(wanted)
        return removed
