"""Comparing a release with its manifest kept outside the web root, and putting its files back (网页防篡改)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from mzpress.deploy.deploy_error import DeployError, storage_error
from mzpress.deploy.object_store import ContentMismatch
from mzpress.deploy.release_store import ReleaseStore
from mzpress.publishing.manifest import Manifest, TreeDifference, compare_tree


@dataclass(frozen=True, slots=True)
class Restored:
    difference: TreeDifference
    quarantine: Path | None  # where the changed and added files were moved (None when nothing was moved)
    failed: tuple[str, ...]  # paths that could not be restored (their pristine copy is missing or damaged)


def check_release(store: ReleaseStore, release_id: str) -> tuple[Manifest, TreeDifference]:
    manifest = store.manifest_of(release_id)
    root = store.release_path(release_id)
    if not root.is_dir():
        raise DeployError(f"版本目录 {root} 不存在。", "用 scripts/mzpress releases --to 目录 查看现有版本。")
    return manifest, compare_tree(manifest, root)


def restore_release(store: ReleaseStore, release_id: str, manifest: Manifest,
                    difference: TreeDifference, now: dt.datetime | None = None) -> Restored:
    """Move modified, added and odd entries to the quarantine folder, then copy the pristine files back."""
    root = store.release_path(release_id)
    now = now or dt.datetime.now(dt.UTC)
    quarantine = store.quarantine_dir / f"{now:%Y%m%dT%H%M%S.%f}Z-{release_id}"
    moved = False
    failed = []
    try:
        for rel in (*difference.modified, *difference.added, *difference.odd):
            destination = quarantine / rel
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(root / rel, destination)
            moved = True
        for rel in (*difference.modified, *difference.removed, *difference.odd):
            if rel not in manifest.files:
                continue
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".restore-{target.name}")
            if os.path.lexists(temporary):
                os.unlink(temporary)
            try:
                store.objects.copy_out(manifest.files[rel], temporary)
            except (ContentMismatch, FileNotFoundError):
                failed.append(rel)
                continue
            os.replace(temporary, target)
    except OSError as exc:
        raise storage_error(exc, "恢复网站文件") from None
    return Restored(difference, quarantine if moved else None, tuple(failed))
