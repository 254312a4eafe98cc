"""Deploys to S3-compatible object storage (``s3://bucket/prefix``): Aliyun OSS, Tencent COS, MinIO, AWS S3.

The layout under the prefix P (the web root a CDN serves)::

    P<path>                           the live site: one object per file, with its Content-Type and Cache-Control
    P.mzpress/objects/<sha256>        pristine copies of every file of the kept releases, by content
    P.mzpress/manifests/<id>.json     each release's integrity manifest (the local format)
    P.mzpress/current.json            the live release: its id and the SHA-256 and ETag of every live object,
                                      written LAST (the role of the local ``current`` symlink)
    P.mzpress/quarantine/<time>-<id>/ objects ``verify --restore`` took out of the live site, as evidence
    P.mzpress/deploy.lock             serialises deploys, rollbacks and restores (see :class:`BucketLock`)

The bucket policy or the CDN must deny public reads of ``P.mzpress/*``: old versions stay there.

A deploy, holding the lock:

1. check the build against its manifest; list the live objects and the pristine objects; plan:
   an object is uploaded when no pristine copy with its SHA-256 exists (or the copy's MD5 ETag
   differs: damaged); a live file is replaced when the release record says it had other bytes or
   its ETag is not the recorded one (changed in place); live files not in the build are deleted.
   More deletions than ``max_deletes`` (a wrong prefix) refuse the deploy before any write;
2. phase 1, the slow part over the CI's network: upload the missing pristine objects (re-hashed
   while read, sent with Content-MD5). The live site is untouched: a kill here changes nothing visible;
3. phase 2, fast server-side copies (CopyObject) from the pristine objects onto the live keys,
   with Content-Type and Cache-Control: non-HTML files first, then the pages that use them; then
   the deletions; then ``manifests/<id>.json``; then ``current.json``; then keep the newest
   ``keep`` releases and the objects they use.

During phase 2 a visitor may see a new page next to an old one (object storage has no atomic
rename of many keys); new assets are in place before the pages that need them. An interruption
there keeps the previous ``current.json``; the next deploy (or ``mzpress rollback``) compares
each live object's ETag with that record and repairs every one that differs.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mzpress.deploy.deploy_error import USAGE, DeployError
from mzpress.deploy.deployment import Deployed, check_build, name_listing
from mzpress.deploy.integrity import Restored
from mzpress.deploy.object_headers import cache_control, content_type
from mzpress.deploy.object_storage_client import (
    CONTROL_DIR,
    S3Address,
    error_code,
    make_client,
    parse_s3_url,
    settings_from,
    translating,
)
from mzpress.deploy.release_store import RELEASE_ID, ReleaseInfo, new_release_id, release_infos
from mzpress.deploy.release_target import TargetDeployed
from mzpress.deploy.rollback import RolledBack, rollback_choice
from mzpress.publishing.manifest import Manifest, ManifestError, TreeDifference, parse_manifest
from mzpress.text.images import human_size

RECORD_FORMAT = "mzpress-s3-current/1"
_WORKERS = 8
_PAGE_SUFFIXES = (".html", ".htm")
LOCK_TTL_S = 120.0  # a lock not renewed for this long belongs to a deploy that died
_LOCK_RENEW_S = 30.0
_CONDITION_FAILED = ("PreconditionFailed", "ConditionalRequestConflict", "412", "409")


def _etag(value: str | None) -> str:
    return (value or "").strip().strip('"').lower()


def _md5_file(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()




@dataclass(frozen=True, slots=True)
class LiveRecord:
    """``current.json``: the live release and, per live file, the SHA-256 and ETag it was published with."""

    release_id: str
    files: dict[str, tuple[str, str]]  # path -> (sha256, etag)

    def to_json(self, published_at: str) -> str:
        files = {path: {"sha256": sha, "etag": etag} for path, (sha, etag) in sorted(self.files.items())}
        return json.dumps({"format": RECORD_FORMAT, "release": self.release_id, "published_at": published_at,
                           "files": files}, ensure_ascii=False, indent=0) + "\n"


@dataclass(frozen=True, slots=True)
class Plan:
    release_manifest: Manifest
    uploads: dict[str, str]  # sha256 -> a build path holding those bytes (objects to upload)
    copies: tuple[str, ...]  # live paths to (re)write from their pristine object
    kept: int  # live files already right
    deletions: tuple[str, ...]  # live paths not in the build
    record: LiveRecord | None  # current.json the plan was made against
    pristine: frozenset[str]  # the SHA-256 of every pristine object in the bucket when planned

    @property
    def upload_bytes(self) -> int:
        files = self.release_manifest.files
        sizes = {files[path].sha256: files[path].size for path in self.uploads.values()}
        return sum(sizes.values())


def lock_is_stale(holder: dict, this_host: str) -> bool:
    """A lock past its expiry, or held by a process of this host that no longer exists."""
    expires = holder.get("expires")
    if not isinstance(expires, int | float) or expires < time.time():
        return True
    if holder.get("host") == this_host and isinstance(holder.get("pid"), int):
        try:
            os.kill(holder["pid"], 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False
    return False


class BucketLock:
    """``P.mzpress/deploy.lock``, created with a conditional PUT (If-None-Match: *) and renewed while held.

    The object holds the owner (host, pid, a random id) and an expiry; a heartbeat thread renews it
    every 30 seconds (If-Match: its ETag). A lock past its expiry, or held by a process of this host
    that no longer exists, belongs to a deploy that died and is taken over (If-Match: the stale ETag),
    so two processes can never both take it. A server that ignores conditional PUTs (some older
    S3-compatible servers) gets a read-back check instead: a weaker guarantee, see README.
    """

    def __init__(self, session: ObjectStorageSession):
        self.session = session
        self.key = session.control + "deploy.lock"
        self.owner = {"host": socket.gethostname(), "pid": os.getpid(), "id": uuid.uuid4().hex}
        self.etag: str | None = None
        self.lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _body(self) -> bytes:
        expires = time.time() + LOCK_TTL_S
        data = {**self.owner, "expires": expires,
                "expires_at": dt.datetime.fromtimestamp(expires, dt.UTC).isoformat(timespec="seconds")}
        return json.dumps(data).encode()

    def _put(self, **condition) -> str | None:
        """The new ETag, or None when the condition did not hold."""
        arguments = {"Bucket": self.session.bucket, "Key": self.key, "Body": self._body(),
                     "ContentType": "application/json"}
        with self.session.translating("获取发布锁"):
            try:
                response = self.session.client.put_object(**arguments, **condition)
            except Exception as exc:
                code = error_code(exc)
                if code in _CONDITION_FAILED:
                    return None
                if code != "NotImplemented":
                    raise
                # A server without conditional PUTs: check, then write; _ours() reads it back.
                if "IfNoneMatch" in condition and self.session.get_bytes(self.key, "读取发布锁") is not None:
                    return None
                response = self.session.client.put_object(**arguments)
        return _etag(response.get("ETag"))

    def _read(self) -> tuple[dict | None, str | None]:
        found = self.session.get_bytes(self.key, "读取发布锁")
        if found is None:
            return None, None
        data, etag = found
        try:
            holder = json.loads(data)
        except ValueError:
            holder = {}
        return holder if isinstance(holder, dict) else {}, etag

    def _stale(self, holder: dict) -> bool:
        return lock_is_stale(holder, self.owner["host"])

    def acquire(self, wait_s: float, on_wait: Callable[[], None] | None) -> None:
        deadline = time.monotonic() + max(0.0, wait_s)
        waited = False
        while True:
            self.etag = self._put(IfNoneMatch="*")
            if self.etag is not None and self._ours():
                break
            holder, etag = self._read()
            if holder is None:
                continue  # released meanwhile
            if self._stale(holder):
                self.etag = self._put(IfMatch=f'"{etag}"')
                if self.etag is not None and self._ours():
                    break
                continue
            if time.monotonic() >= deadline:
                since = holder.get("expires_at", "?")
                raise DeployError(
                    f"另一个发布、回滚或恢复正在进行（{holder.get('host', '?')} 上的进程{holder.get('pid', '?')}），"
                    f"等待{wait_s:g}秒后仍未结束。",
                    f"等它结束后重新运行，或用 --wait 等待更久；如果那个进程已经异常中止，"
                    f"它的锁最迟在 {since}（UTC）失效。")
            if not waited and on_wait is not None:
                on_wait()
            waited = True
            time.sleep(min(0.5, max(0.05, deadline - time.monotonic())))
        self._thread = threading.Thread(target=self._renew, name="mzpress-s3-lock", daemon=True)
        self._thread.start()

    def _ours(self) -> bool:
        """Read back: a server that ignores If-None-Match lets two writers think they won."""
        holder, etag = self._read()
        if holder is None or holder.get("id") != self.owner["id"]:
            return False
        self.etag = etag or self.etag
        return True

    def _renew(self) -> None:
        while not self._stop.wait(_LOCK_RENEW_S):
            try:
                etag = self._put(IfMatch=f'"{self.etag}"')
            except DeployError:
                continue  # a network hiccup: try again; the lock lives LOCK_TTL_S
            if etag is None:
                self.lost = True
                return
            self.etag = etag

    def check(self) -> None:
        if self.lost:
            raise DeployError("发布锁被另一个进程接管了（本次发布停顿太久），已停止，没有切换版本。",
                              "检查网络后重新运行 scripts/mzpress deploy。")

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            holder, _ = self._read()
            if holder is not None and holder.get("id") == self.owner["id"]:
                with self.session.translating("释放发布锁"):
                    self.session.client.delete_object(Bucket=self.session.bucket, Key=self.key)
        except DeployError:
            pass  # the lock expires by itself after LOCK_TTL_S


class ObjectStorageTarget:
    """An ``s3://bucket/prefix`` deploy target; :meth:`session` opens it (under the bucket lock if exclusive)."""

    def __init__(self, url: str, environ: dict[str, str] | None = None):
        self.address: S3Address = parse_s3_url(url)
        self.settings = settings_from(os.environ if environ is None else environ)
        self.root = self.address.url.rstrip("/") if self.address.prefix else self.address.url
        self.current_link = self.address.url

    @contextmanager
    def session(self, *, exclusive: bool, wait_s: float, create: bool = False,
                on_wait: Callable[[], None] | None = None) -> Iterator[ObjectStorageSession]:
        del create  # the bucket must exist (buckets are created in the provider's console, with their policy)
        with translating("连接对象存储", self.address, self.settings):
            client = make_client(self.settings)
        session = ObjectStorageSession(self, client)
        session.check_bucket()
        if not exclusive:
            yield session
            return
        lock = BucketLock(session)
        lock.acquire(wait_s, on_wait)
        session.lock = lock
        try:
            yield session
        finally:
            lock.release()


class ObjectStorageSession:
    """The release store in the bucket; a writer holds :class:`BucketLock` while it runs."""

    def __init__(self, target: ObjectStorageTarget, client):
        self.target = target
        self.client = client
        self.bucket = target.address.bucket
        self.prefix = target.address.prefix
        self.control = f"{self.prefix}{CONTROL_DIR}/"
        self.root = target.root
        self.current_link = target.current_link
        self.lock: BucketLock | None = None

    # -- plumbing -------------------------------------------------------------------------------

    def translating(self, doing: str):
        return translating(doing, self.target.address, self.target.settings)

    def _key(self, path: str) -> str:
        return self.prefix + path

    def _object_key(self, sha256: str) -> str:
        return f"{self.control}objects/{sha256}"

    def _manifest_key(self, release_id: str) -> str:
        return f"{self.control}manifests/{release_id}.json"

    @property
    def _record_key(self) -> str:
        return f"{self.control}current.json"

    def check_bucket(self) -> None:
        with self.translating("访问存储桶"):
            self.client.list_objects_v2(Bucket=self.bucket, Prefix=self.control, MaxKeys=1)

    def get_bytes(self, key: str, doing: str) -> tuple[bytes, str] | None:
        with self.translating(doing):
            try:
                response = self.client.get_object(Bucket=self.bucket, Key=key)
            except Exception as exc:
                if error_code(exc) in ("NoSuchKey", "404"):
                    return None
                raise
            return response["Body"].read(), _etag(response.get("ETag"))

    def _put_bytes(self, key: str, data: bytes, content: str, doing: str, **extra) -> str:
        md5 = hashlib.md5(data, usedforsecurity=False)
        with self.translating(doing):
            response = self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content,
                                              ContentMD5=base64.b64encode(md5.digest()).decode(), **extra)
        return _etag(response.get("ETag")) or md5.hexdigest()

    def _list(self, prefix: str, doing: str, start_after: str = "",
              stop_at: str | None = None) -> dict[str, tuple[str, int]]:
        """key -> (ETag, size) of every object under ``prefix`` after ``start_after``, up to ``stop_at``."""
        found: dict[str, tuple[str, int]] = {}
        paginator = self.client.get_paginator("list_objects_v2")
        arguments = {"Bucket": self.bucket, "Prefix": prefix}
        if start_after:
            arguments["StartAfter"] = start_after
        with self.translating(doing):
            for page in paginator.paginate(**arguments):
                for item in page.get("Contents", ()):
                    if stop_at is not None and item["Key"] >= stop_at:
                        return found
                    if item["Key"].endswith("/") and not item.get("Size"):
                        continue  # a "folder" placeholder made by a console: never served as a page
                    found[item["Key"]] = (_etag(item.get("ETag")), int(item.get("Size", 0)))
        return found

    def live_objects(self) -> dict[str, tuple[str, int]]:
        """Site path -> (ETag, size) of every live object: the prefix without ``.mzpress/``.

        Listed in two ranges (keys sort by their UTF-8 bytes), so the pristine objects are never read."""
        below = self._list(self.prefix, "列出线上文件", stop_at=self.control)
        above = self._list(self.prefix, "列出线上文件", start_after=self.control + "~")
        cut = len(self.prefix)
        return {key[cut:]: value for key, value in {**below, **above}.items()}

    def pristine_objects(self) -> dict[str, tuple[str, int]]:
        """SHA-256 -> (ETag, size) of the pristine objects."""
        start = f"{self.control}objects/"
        return {key[len(start):]: value for key, value in self._list(start, "列出原始副本").items()}

    def _parallel(self, work: Callable[[str], object], items: Iterable[str]) -> dict[str, object]:
        items = list(items)
        results: dict[str, object] = {}
        if not items:
            return results
        with ThreadPoolExecutor(min(_WORKERS, len(items))) as pool:
            futures = {pool.submit(work, item): item for item in items}
            try:
                for future in as_completed(futures):
                    results[futures[future]] = future.result()
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
        return results

    def _check_lock(self) -> None:
        if self.lock is not None:
            self.lock.check()

    # -- reading --------------------------------------------------------------------------------

    def record(self) -> LiveRecord | None:
        found = self.get_bytes(self._record_key, "读取当前版本记录")
        if found is None:
            return None
        origin = f"s3://{self.bucket}/{self._record_key}"
        try:
            data = json.loads(found[0].decode("utf-8"))
            if data.get("format") != RECORD_FORMAT or not RELEASE_ID.match(data.get("release", "")):
                raise ValueError
            files = {str(path): (str(value["sha256"]), _etag(value["etag"])) for path, value in data["files"].items()}
        except (ValueError, TypeError, KeyError, AttributeError):
            raise DeployError(f"当前版本记录 {origin} 无法识别。",
                              "如果不是有意修改，可能被篡改：用 scripts/mzpress releases --to 地址 查看版本，"
                              "再用 scripts/mzpress rollback --to 地址 --release 版本号 切换到确认无误的版本。") from None
        return LiveRecord(data["release"], files)

    def current_id(self) -> str | None:
        record = self.record()
        return record.release_id if record else None

    def release_ids(self) -> list[str]:
        start = f"{self.control}manifests/"
        names = (key[len(start):] for key in self._list(start, "列出版本"))
        return sorted(name.removesuffix(".json") for name in names
                      if name.endswith(".json") and RELEASE_ID.match(name.removesuffix(".json")))

    def manifest_of(self, release_id: str) -> Manifest:
        key = self._manifest_key(release_id)
        origin = f"s3://{self.bucket}/{key}"
        found = self.get_bytes(key, "读取完整性清单")
        if found is None:
            raise DeployError(f"没有版本“{release_id}”的完整性清单（{origin}）。",
                              "用 scripts/mzpress releases --to 地址 查看保留的版本。", USAGE)
        try:
            return parse_manifest(found[0].decode("utf-8"), origin)
        except (ManifestError, UnicodeDecodeError) as exc:
            message = getattr(exc, "message", f"{origin} 不是 UTF-8 文本。")
            raise DeployError(f"版本 {release_id} 的完整性清单无法使用：{message}",
                              "这个版本无法校验，不能作为回滚目标；请重新发布一次（scripts/mzpress deploy）。") from None

    def releases(self) -> list[ReleaseInfo]:
        return release_infos(self.release_ids(), self.current_id(), self.manifest_of)

    def check_release(self, release_id: str) -> tuple[Manifest, TreeDifference]:
        """The live objects against the manifest of ``release_id``, by ETag (no object is downloaded).

        For the live release the ETags are those recorded when each object was published; for another
        release, the ETags of the pristine objects (an S3 copy keeps a single-part object's MD5 ETag)."""
        manifest = self.manifest_of(release_id)
        record = self.record()
        live = self.live_objects()
        if record is not None and record.release_id == release_id:
            expected = {path: etag for path, (sha, etag) in record.files.items()
                        if path in manifest.files and manifest.files[path].sha256 == sha}
        else:
            expected = {}
        missing_expectation = [path for path in manifest.files if path not in expected]
        if missing_expectation:
            pristine = self.pristine_objects()
            for path in missing_expectation:
                expected[path] = pristine.get(manifest.files[path].sha256, ("", 0))[0]
        modified = sorted(path for path in live if path in manifest.files
                          and (live[path][0] != expected[path] or live[path][1] != manifest.files[path].size))
        added = sorted(path for path in live if path not in manifest.files)
        removed = sorted(path for path in manifest.files if path not in live)
        difference = TreeDifference(tuple(modified), tuple(added), tuple(removed))
        if not difference.clean and self.lock is None:
            self._check_no_deploy_running(difference)
        return manifest, difference

    def _check_no_deploy_running(self, difference: TreeDifference) -> None:
        """A reader (the verify timer) that meets a deploy in phase 2 says so instead of crying tampering."""
        found = self.get_bytes(f"{self.control}deploy.lock", "读取发布锁")
        if found is None:
            return
        try:
            holder = json.loads(found[0])
        except ValueError:
            return
        if isinstance(holder, dict) and not lock_is_stale(holder, socket.gethostname()):
            raise DeployError(
                f"{self.current_link} 正在发布、回滚或恢复（{holder.get('host', '?')} 上的进程{holder.get('pid', '?')}），"
                f"有{difference.count}个线上文件与当前版本不同，可能正处于更新中，本次校验不作结论。",
                "等它结束后重新运行 scripts/mzpress verify；如果一直如此，检查那个发布进程。")

    # -- planning -------------------------------------------------------------------------------

    def _plan(self, site_dir: Path, max_deletes: int) -> Plan:
        site_dir = Path(site_dir)
        manifest = check_build(site_dir)
        names = sorted(manifest.files)
        with ThreadPoolExecutor(_WORKERS) as pool:
            md5s = dict(zip(names, pool.map(lambda name: _md5_file(site_dir / name), names), strict=True))
        return self._plan_for(manifest, md5s, site_dir, max_deletes)

    def _plan_for(self, manifest: Manifest, md5s: dict[str, str] | None, site_dir: Path | None,
                  max_deletes: int | None) -> Plan:
        record = self.record()
        live = self.live_objects()
        pristine = self.pristine_objects()
        uploads: dict[str, str] = {}
        for path, entry in sorted(manifest.files.items()):
            have = pristine.get(entry.sha256)
            damaged = have is not None and (have[1] != entry.size or (
                md5s is not None and len(have[0]) == 32 and have[0] != md5s[path]))
            if (have is None or damaged) and entry.sha256 not in uploads:
                if site_dir is None:
                    raise DeployError(f"版本中 {path} 的原始副本缺失或损坏（objects/{entry.sha256}）。",
                                      "这个版本无法恢复，请选择其他版本，或重新发布（scripts/mzpress deploy）。")
                uploads[entry.sha256] = path
        copies = []
        for path, entry in manifest.files.items():
            published = record.files.get(path) if record else None
            right = (published is not None and published[0] == entry.sha256 and path in live
                     and live[path][0] == published[1] and live[path][1] == entry.size
                     and entry.sha256 not in uploads)
            if not right:
                copies.append(path)
        deletions = tuple(sorted(path for path in live if path not in manifest.files))
        if max_deletes is not None and len(deletions) > max_deletes:
            raise DeployError(
                f"拒绝发布：这次发布要删除 {self.current_link} 中的{len(deletions)}个文件"
                f"（例如{name_listing(deletions, 5)}），超过了上限{max_deletes}个。没有做任何改动。",
                "检查 s3:// 地址的存储桶和前缀是否写错了；确实要删除这么多文件时，"
                f"加 --max-deletes {len(deletions)} 重新运行（可以先加 --dry-run 查看计划）。")
        # Pages last: the assets a new page uses are in place before the page.
        copies.sort(key=lambda path: (path.lower().endswith(_PAGE_SUFFIXES), path))
        return Plan(manifest, uploads, tuple(copies), len(manifest.files) - len(copies), deletions, record,
                    frozenset(pristine))

    def plan(self, site_dir: Path, max_deletes: int = 256) -> list[str]:
        """What ``deploy`` would do, in Chinese lines (``--dry-run``); nothing is written."""
        try:
            plan = self._plan(site_dir, max_deletes=None)
        except OSError as exc:
            raise DeployError(f"读取构建结果时出错：{exc}。", "检查 --site 目录后重新运行。") from None
        lines = [f"发布计划（试运行，没有做任何改动）：{site_dir} -> {self.current_link}",
                 f"  当前版本：{self.current_id() or '无（第一次发布）'}；新版本共{len(plan.release_manifest.files)}个文件"
                 f"（源提交 {plan.release_manifest.short_commit}）。",
                 f"  上传{len(plan.uploads)}个文件（{human_size(plan.upload_bytes)}），"
                 f"更新线上文件{len(plan.copies)}个，沿用{plan.kept}个，删除{len(plan.deletions)}个。"]
        for label, names in (("上传", sorted(plan.uploads.values())), ("更新", plan.copies),
                             ("删除", plan.deletions)):
            for name in names[:50]:
                lines.append(f"  {label}：{name}")
            if len(names) > 50:
                lines.append(f"  ……另有{len(names) - 50}个要{label}的文件")
        if len(plan.deletions) > max_deletes:
            lines.append(f"注意：要删除{len(plan.deletions)}个文件，超过上限{max_deletes}个，正式发布会被拒绝"
                         f"（确认无误时加 --max-deletes {len(plan.deletions)}）。")
        return lines

    # -- writing --------------------------------------------------------------------------------

    def _upload(self, site_dir: Path, path: str, sha256: str) -> int:
        try:
            data = (site_dir / path).read_bytes()
        except OSError as exc:
            raise DeployError(f"读取构建结果中的 {path} 时出错：{exc.strerror}。", "检查 --site 目录后重新运行。") from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise DeployError(f"拒绝发布：构建结果中的 {path} 在发布过程中被改动了。线上网站没有变化。",
                              "构建后不要改动 site/；请重新运行 scripts/build 后再发布。")
        self._put_bytes(self._object_key(sha256), data, "application/octet-stream", f"上传 {path}",
                        Metadata={"sha256": sha256})
        return len(data)

    def _copy_live(self, manifest: Manifest, path: str) -> str:
        sha256 = manifest.files[path].sha256
        with self.translating(f"发布 {path}"):
            response = self.client.copy_object(
                Bucket=self.bucket, Key=self._key(path), MetadataDirective="REPLACE",
                CopySource={"Bucket": self.bucket, "Key": self._object_key(sha256)},
                ContentType=content_type(path), CacheControl=cache_control(path), Metadata={"sha256": sha256})
        return _etag(response.get("CopyObjectResult", {}).get("ETag"))

    def _delete(self, key: str, doing: str) -> None:
        with self.translating(doing):
            self.client.delete_object(Bucket=self.bucket, Key=key)

    def _publish(self, plan: Plan, release_id: str, *, new_release: bool = False) -> LiveRecord:
        """Phase 2: the live keys become ``plan.release_manifest``'s files, then (for a new release) its
        manifest is stored, then ``current.json`` is written last."""
        manifest, record = plan.release_manifest, plan.record
        self._check_lock()
        pages_from = next((i for i, path in enumerate(plan.copies) if path.lower().endswith(_PAGE_SUFFIXES)),
                          len(plan.copies))
        etags: dict[str, str] = {}
        for group in (plan.copies[:pages_from], plan.copies[pages_from:]):
            etags.update(self._parallel(lambda path: self._copy_live(manifest, path), group))
        self._parallel(lambda path: self._delete(self._key(path), f"删除线上文件 {path}"), plan.deletions)
        files = {}
        for path, entry in manifest.files.items():
            if path in etags:
                files[path] = (entry.sha256, etags[path])
            else:
                files[path] = record.files[path]  # kept: the plan checked its live ETag against the record
        new_record = LiveRecord(release_id, files)
        self._check_lock()
        if new_release:
            self._put_bytes(self._manifest_key(release_id), manifest.to_json().encode(),
                            "application/json; charset=utf-8", "写入完整性清单")
        self._put_bytes(self._record_key, new_record.to_json(dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
                        .encode(), "application/json; charset=utf-8", "写入当前版本记录")
        return new_record

    def _new_release_id(self, manifest: Manifest, now: dt.datetime | None, existing: set[str]) -> str:
        return new_release_id(manifest, now, existing.__contains__)

    def deploy(self, site_dir: Path, keep: int, now: dt.datetime | None = None, *, max_deletes: int = 256,
               dry_run: bool = False) -> TargetDeployed:
        site_dir = Path(site_dir)
        try:
            plan = self._plan(site_dir, max_deletes)
        except OSError as exc:
            raise DeployError(f"读取构建结果时出错：{exc}。", "检查 --site 目录后重新运行。") from None
        manifest = plan.release_manifest
        release_id = self._new_release_id(manifest, now, set(self.release_ids()))
        if dry_run:
            return TargetDeployed(Deployed(release_id, manifest, len(plan.copies), plan.kept, ()),
                                  len(plan.uploads), plan.upload_bytes, plan.deletions)
        sizes = self._parallel(lambda sha: self._upload(site_dir, plan.uploads[sha], sha), plan.uploads)  # phase 1
        self._publish(plan, release_id, new_release=True)
        pruned = self._prune(keep, release_id, (*plan.pristine, *plan.uploads))
        return TargetDeployed(Deployed(release_id, manifest, len(plan.copies), plan.kept, tuple(pruned)),
                              len(plan.uploads), sum(int(size) for size in sizes.values()), plan.deletions)

    def _prune(self, keep: int, current: str, pristine: Iterable[str]) -> list[str]:
        """Drop all but the ``keep`` newest releases (never ``current``), then the objects no kept release uses.

        ``pristine`` are the objects in the bucket (listed by the plan, plus this deploy's uploads). When a
        kept manifest cannot be read, no object is removed: a network hiccup must not cost a release its copies."""
        ids = self.release_ids()
        removed = [release_id for release_id in ids[:-keep] if release_id != current]
        self._parallel(lambda release_id: self._delete(self._manifest_key(release_id), "清理旧版本"), removed)
        kept = [release_id for release_id in ids if release_id not in removed]
        try:
            manifests = self._parallel(self.manifest_of, kept)
        except DeployError:
            return removed
        wanted = {entry.sha256 for manifest in manifests.values() for entry in manifest.files.values()}
        unused = sorted(sha for sha in set(pristine) if sha not in wanted)
        self._parallel(lambda sha: self._delete(self._object_key(sha), "清理旧版本的原始副本"), unused)
        return removed

    def rollback(self, release_id: str | None = None) -> RolledBack:
        current = self.current_id()
        ids = self.release_ids()
        release_id = rollback_choice(ids, current, release_id, self.root)
        plan = self._plan_for(self.manifest_of(release_id), None, None, None)
        self._publish(plan, release_id)
        return RolledBack(release_id, current, None)

    def restore_release(self, release_id: str, manifest: Manifest, difference: TreeDifference,
                        now: dt.datetime | None = None) -> Restored:
        """Copy changed and added live objects to the quarantine prefix, then put the pristine objects back."""
        now = now or dt.datetime.now(dt.UTC)
        quarantine = f"{self.control}quarantine/{now:%Y%m%dT%H%M%S.%f}Z-{release_id}/"
        moving = (*difference.modified, *difference.added)

        def keep_evidence(path: str) -> None:
            with self.translating(f"保存被改动的文件 {path}"):
                self.client.copy_object(Bucket=self.bucket, Key=quarantine + path,
                                        CopySource={"Bucket": self.bucket, "Key": self._key(path)})

        self._parallel(keep_evidence, moving)
        self._parallel(lambda path: self._delete(self._key(path), f"移走被添加的文件 {path}"), difference.added)
        pristine = self.pristine_objects()
        restoring = [path for path in (*difference.modified, *difference.removed) if path in manifest.files]
        failed = tuple(sorted(path for path in restoring if manifest.files[path].sha256 not in pristine))
        etags = self._parallel(lambda path: self._copy_live(manifest, path),
                               [path for path in restoring if path not in failed])
        record = self.record()
        if record is not None and record.release_id == release_id:
            files = dict(record.files)
            for path, etag in etags.items():
                files[path] = (manifest.files[path].sha256, str(etag))
            self._put_bytes(self._record_key, LiveRecord(release_id, files).to_json(
                now.isoformat(timespec="seconds")).encode(), "application/json; charset=utf-8", "写入当前版本记录")
        shown = PurePosixPath(self.bucket, quarantine) if moving else None
        return Restored(difference, shown, failed)
