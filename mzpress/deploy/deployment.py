"""``mzpress deploy``: a checked build becomes a new release, then ``current`` switches to it atomically.

1. under the store's lock, remove what a killed deploy left behind;
2. the build must have its manifest and match it exactly (every file hashed), otherwise refuse;
3. build ``releases/.incoming-<id>``: a file unchanged since the current release is hard-linked to
   it (and re-hashed: an in-place change there is not carried over), every other file is a checked
   copy of the pristine object (``objects/``, stored first from the build); all files read-only;
4. write the manifest outside the web root, flush everything to disk, rename the folder to
   ``releases/<id>`` and rename a new symlink over ``current``;
5. keep the newest ``keep`` releases and the objects they use.

Any failure before the switch (a full disk, a kill) leaves ``current`` as it was; the next deploy
cleans up. Objects stored by a failed deploy are removed again.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from mzpress.deploy.deploy_error import USAGE, DeployError, storage_error
from mzpress.deploy.object_store import READ_ONLY, ContentMismatch
from mzpress.deploy.release_store import INCOMING_PREFIX, ReleaseStore, fsync_dir
from mzpress.publishing.manifest import (
    MANIFEST_NAME,
    Manifest,
    ManifestError,
    compare_tree,
    hash_files,
    read_manifest,
)


@dataclass(frozen=True, slots=True)
class Deployed:
    release_id: str
    manifest: Manifest
    copied: int  # files copied (new or changed since the previous release)
    linked: int  # files shared with the previous release
    pruned: tuple[str, ...]


def name_listing(names, limit: int = 10) -> str:
    """Up to ``limit`` names joined with 、, and how many there are in all."""
    names = list(names)
    shown = "、".join(names[:limit])
    return shown + (f"等{len(names)}个" if len(names) > limit else "")


def check_build(site_dir: Path) -> Manifest:
    """The build's manifest, after checking every file of the build against it."""
    if not (site_dir / "index.html").is_file():
        raise DeployError(f"没有找到构建好的网站（{site_dir}/index.html）。", "请先运行 scripts/build。", USAGE)
    try:
        manifest = read_manifest(site_dir / MANIFEST_NAME)
    except ManifestError as exc:
        raise DeployError(f"拒绝发布：{exc.message}构建没有成功完成或不完整。", exc.suggestion) from None
    difference = compare_tree(manifest, site_dir, skip=(MANIFEST_NAME,))
    if not difference.clean:
        parts = [f"{label}：{name_listing(names)}" for label, names in (
            ("与清单不符", difference.modified), ("清单中没有", (*difference.added, *difference.odd)),
            ("缺少", difference.removed)) if names]
        raise DeployError(f"拒绝发布：构建结果与完整性清单不一致（{'；'.join(parts)}）。",
                          "构建后不要改动 site/；请重新运行 scripts/build 后再发布。")
    return manifest


def deploy(site_dir: Path, store: ReleaseStore, keep: int, now: dt.datetime | None = None) -> Deployed:
    """Deploy the build in ``site_dir``; the caller holds the store's lock."""
    site_dir = Path(site_dir)
    manifest = check_build(site_dir)
    store.check_current_is_ours()
    store.prepare()
    try:
        store.remove_leftovers()
    except OSError as exc:
        raise storage_error(exc, "清理上次中断的发布") from None
    previous_id = store.current_id()
    previous: Manifest | None = None
    if previous_id is not None:
        try:
            previous = store.manifest_of(previous_id)
        except DeployError:
            previous = None  # e.g. a release made before manifests existed: copy everything
    release_id = store.new_release_id(manifest, now)
    incoming = store.releases_dir / f"{INCOMING_PREFIX}{release_id}"
    created_objects: list[str] = []
    try:
        linked, copied = _fill(site_dir, store, manifest, previous, previous_id, incoming, created_objects)
        os.sync()  # every file's data before the rename makes it visible
        store.write_manifest(release_id, manifest)
        os.rename(incoming, store.release_path(release_id))
        fsync_dir(store.releases_dir)
        store.switch(release_id)
    except BaseException as exc:
        _undo(store, incoming, release_id, created_objects)
        if isinstance(exc, OSError):
            raise storage_error(exc, "复制网站文件") from None
        raise
    try:
        pruned = store.prune(keep)
    except OSError as exc:
        raise storage_error(exc, "清理旧版本") from None
    return Deployed(release_id, manifest, copied, linked, tuple(pruned))


def _undo(store: ReleaseStore, incoming: Path, release_id: str, created_objects: list[str]) -> None:
    if store.current_id() == release_id:
        return  # the switch happened: the deploy is complete
    shutil.rmtree(incoming, ignore_errors=True)
    if not store.release_path(release_id).is_dir():
        try:
            os.unlink(store.manifest_path(release_id))
        except OSError:
            pass
    for sha in created_objects:
        store.objects.remove(sha)


def _fill(site_dir: Path, store: ReleaseStore, manifest: Manifest, previous: Manifest | None,
          previous_id: str | None, incoming: Path, created_objects: list[str]) -> tuple[int, int]:
    os.mkdir(incoming)
    made_dirs = {""}
    names = sorted(manifest.files)

    def ensure_parent(rel: str) -> None:
        parent = rel.rpartition("/")[0]
        if parent not in made_dirs:
            os.makedirs(incoming / parent, exist_ok=True)
            made_dirs.add(parent)

    def copy_in(rel: str) -> None:
        entry = manifest.files[rel]
        if not store.objects.has(entry.sha256):
            _store_object(store, site_dir, rel, entry, created_objects)
        try:
            store.objects.copy_out(entry, incoming / rel)
        except ContentMismatch:  # a damaged pristine copy: replace it from the checked build
            _store_object(store, site_dir, rel, entry, [])
            store.objects.copy_out(entry, incoming / rel)

    linked_names = []
    copied = relinked = 0
    old_root = store.release_path(previous_id) if previous_id else None
    for rel in names:
        ensure_parent(rel)
        if previous is not None and previous.files.get(rel) == manifest.files[rel]:
            try:
                os.link(old_root / rel, incoming / rel, follow_symlinks=False)
                linked_names.append(rel)
                continue
            except FileNotFoundError:
                pass
        copy_in(rel)
        copied += 1
    # A shared file changed in place in the live release must not be carried over: check each one.
    for rel, entry in zip(linked_names, hash_files(str(incoming / n) for n in linked_names), strict=True):
        if entry != manifest.files[rel]:
            os.unlink(incoming / rel)
            copy_in(rel)
            copied += 1
            relinked += 1
        else:
            os.chmod(incoming / rel, READ_ONLY, follow_symlinks=False)
    return len(linked_names) - relinked, copied


def _store_object(store: ReleaseStore, site_dir: Path, rel: str, entry, created_objects: list[str]) -> None:
    try:
        store.objects.put(site_dir / rel, entry)
    except ContentMismatch:
        raise DeployError(f"拒绝发布：构建结果中的 {rel} 在发布过程中被改动了。",
                          "构建后不要改动 site/；请重新运行 scripts/build 后再发布。") from None
    created_objects.append(entry.sha256)
