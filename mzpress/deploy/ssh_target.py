"""The release store of :mod:`mzpress.deploy.release_store` on a web server reached over SSH (``ssh://``).

The server needs sshd, a POSIX shell, rsync, and the basic tools every Linux server has
(``flock`` from util-linux, ``sha256sum`` and ``mv -T`` from coreutils, ``find``, ``sed``, ``awk``).
Nothing else is installed there. The layout is the local one (``current``, ``releases/``,
``manifests/``, ``objects/``, ``quarantine/``, ``deploy.lock``), so ``mzpress verify`` run on the
server itself (the systemd timer in ``deploy/``) works on a tree deployed over SSH, and both take
the same lock.

A deploy, holding the server's lock for its whole length (see :mod:`mzpress.deploy.ssh_connection`):

1. remove what a killed deploy left behind (``releases/.incoming-*``, ``.current-*``, temporary files);
2. upload the pristine objects ``objects/<aa>/<sha256>`` with ``rsync --checksum``: only objects the
   server does not have (or has damaged) travel; this is the only transfer of file contents;
3. upload a tree of symlinks ``releases/.incoming-<id>.links/<path> -> DIR/objects/<aa>/<sha256>``
   and the manifest (a few bytes per file);
4. on the server, one local ``rsync --checksum --copy-links --link-dest=releases/<current>`` makes
   ``releases/.incoming-<id>``: a file whose bytes equal the current release's is hard-linked to it,
   every other one is a real copy of its object; all files read-only;
5. hash the new tree on the server (``sha256sum``) and compare it with the manifest: refuse on any difference;
6. write ``manifests/<id>.json``, ``sync``, rename the folder to ``releases/<id>``, and rename a new
   symlink over ``current`` (``ln -s`` + ``mv -T``: atomic);
7. keep the newest ``keep`` releases and the objects their manifests name.

Any failure before step 6 (a full disk, a dropped connection, a kill) leaves ``current`` as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from mzpress.deploy.deploy_error import USAGE, DeployError
from mzpress.deploy.deployment import Deployed, check_build
from mzpress.deploy.integrity import Restored
from mzpress.deploy.release_store import (
    CURRENT,
    INCOMING_PREFIX,
    LINK_PREFIX,
    MANIFESTS,
    OBJECTS,
    QUARANTINE,
    RELEASE_ID,
    RELEASES,
    ReleaseInfo,
    new_release_id,
    release_infos,
)
from mzpress.deploy.release_target import TargetDeployed
from mzpress.deploy.rollback import RolledBack, rollback_choice
from mzpress.deploy.ssh_connection import SshAddress, SshConnection, parse_ssh_url
from mzpress.publishing.manifest import MANIFEST_NAME, Manifest, ManifestError, TreeDifference, parse_manifest

_LINKS_SUFFIX = ".links"
_RELEASE_RSYNC = ("-rLc", "-p", "--chmod=F444,D755", "-i")
_NO_SPACE = ("no space left on device", "disk quota exceeded")
_TOTAL_SIZE = re.compile(r"^Total transferred file size: ([\d,.]+)", re.MULTILINE)
_SHA_LINE = re.compile(rb"^([0-9a-f]{64})  \./(.*)$", re.DOTALL)


def _q(text: str) -> str:
    return shlex.quote(text)


class SshTarget:
    """An ``ssh://user@host[:port]/path`` deploy target; :meth:`session` opens it under the server's lock."""

    def __init__(self, url: str, environ: dict[str, str] | None = None):
        self.address: SshAddress = parse_ssh_url(url)
        self.environ = environ
        self.root = str(self.address)
        self.current_link = f"{self.address}/{CURRENT}"

    @contextmanager
    def session(self, *, exclusive: bool, wait_s: float, create: bool = False,
                on_wait: Callable[[], None] | None = None) -> Iterator[SshReleaseStore]:
        with SshConnection(self.address, self.environ) as connection:
            connection.open(exclusive=exclusive, wait_s=wait_s, create=create, on_wait=on_wait)
            yield SshReleaseStore(self, connection)


class SshReleaseStore:
    """The server's release store while this process holds its lock."""

    def __init__(self, target: SshTarget, connection: SshConnection):
        self.target = target
        self.connection = connection
        self.path = target.address.path
        self.root = target.root
        self.current_link = target.current_link

    # -- remote commands ----------------------------------------------------------------------

    def _script(self, body: str, doing: str, *, check: bool = True) -> subprocess.CompletedProcess:
        result = self.connection.run_script(f"cd -- {_q(self.path)} || exit 3\n{body}")
        if check and result.returncode != 0:
            raise self._failure(result.stderr.decode("utf-8", "replace"), doing)
        return result

    def _failure(self, stderr: str, doing: str) -> DeployError:
        lowered = stderr.lower()
        lines = [line for line in stderr.strip().splitlines() if line.strip()]
        detail = lines[-1] if lines else "没有给出原因"
        if any(text in lowered for text in _NO_SPACE):
            return DeployError(f"{doing}时服务器磁盘空间不足（{self.target.address.host}:{self.path}）。",
                               "清理服务器上发布目录所在磁盘的空间（或用 --keep 少保留几个旧版本）后重新运行；"
                               "线上网站没有改变。")
        if "permission denied" in lowered or "read-only file system" in lowered:
            return DeployError(f"{doing}时服务器上没有写入权限：{detail}。",
                               f"把服务器上的 {self.path} 交给发布用户（chown -R），或换用有权限的用户。")
        if "command not found" in lowered or "not found" in lowered and "rsync" in lowered:
            return DeployError(f"{doing}时服务器缺少所需的命令：{detail}。",
                               "在服务器上安装 rsync（apt-get install rsync）后重新运行。")
        return DeployError(f"{doing}时服务器上出错：{detail}。", "排除上面的问题后重新运行；线上网站没有改变。")

    def _rsync(self, arguments: list[str], source: str, dest: str, doing: str) -> str:
        result = self.connection.rsync(arguments, source, dest)
        if result.returncode != 0:
            raise self._failure(result.stderr, doing)
        return result.stdout

    # -- reading --------------------------------------------------------------------------------

    def state(self) -> tuple[str | None, list[str]]:
        """(the release ``current`` points to or None, the release ids), checked like the local store."""
        result = self._script(
            f"if [ -L {CURRENT} ]; then printf 'CURRENT %s\\n' \"$(readlink {CURRENT})\"; "
            f"elif [ -e {CURRENT} ]; then echo NOTLINK; fi\n"
            f"if [ -d {RELEASES} ]; then find {RELEASES} -mindepth 1 -maxdepth 1 -type d -print; fi\n", "读取发布目录")
        current = None
        ids = []
        for line in result.stdout.decode("utf-8", "replace").splitlines():
            if line == "NOTLINK":
                raise DeployError(f"{self.current_link} 已存在，但不是符号链接。",
                                  "请在服务器上把它移走（它应由 scripts/mzpress deploy 管理），再重新发布。", USAGE)
            if line.startswith("CURRENT "):
                target = line.removeprefix("CURRENT ")
                parts = PurePosixPath(target).parts
                if len(parts) != 2 or parts[0] != RELEASES or not RELEASE_ID.match(parts[1]):
                    raise DeployError(
                        f"{self.current_link} 指向“{target}”，不是本发布目录中的版本（releases/版本号）。",
                        f"如果不是有意修改，可能被篡改：用 scripts/mzpress releases --to {self.root} 查看版本，"
                        f"再用 scripts/mzpress rollback --to {self.root} --release 版本号 切换到确认无误的版本。")
                current = parts[1]
            elif line.startswith(f"{RELEASES}/") and RELEASE_ID.match(line.removeprefix(f"{RELEASES}/")):
                ids.append(line.removeprefix(f"{RELEASES}/"))
        return current, sorted(ids)

    def current_id(self) -> str | None:
        return self.state()[0]

    def manifest_of(self, release_id: str) -> Manifest:
        origin = f"{self.root}/{MANIFESTS}/{release_id}.json"
        result = self._script(f"cat -- {MANIFESTS}/{_q(release_id)}.json", "读取完整性清单", check=False)
        try:
            if result.returncode != 0:
                raise ManifestError(f"没有找到完整性清单 {origin}。", "")
            return parse_manifest(result.stdout.decode("utf-8"), origin)
        except (ManifestError, UnicodeDecodeError) as exc:
            message = exc.message if isinstance(exc, ManifestError) else f"完整性清单 {origin} 不是 UTF-8 文本。"
            raise DeployError(f"版本 {release_id} 的完整性清单无法使用：{message}",
                              "这个版本无法校验，不能作为回滚目标；请重新发布一次（scripts/mzpress deploy）。") from None

    def releases(self) -> list[ReleaseInfo]:
        current, ids = self.state()
        return release_infos(ids, current, self.manifest_of)

    def compare(self, folder: str, manifest: Manifest) -> TreeDifference:
        """How the server's ``folder`` (relative to the store) differs from ``manifest``, every file hashed there."""
        result = self._script(
            f"cd -- {_q(folder)} || exit 3\n"
            "find . -type f -print0\nprintf 'MZPRESS-HASHES\\0'\n"
            "find . -type f -exec sha256sum -z -- {} + 2>/dev/null\nprintf 'MZPRESS-ODD\\0'\n"
            "find . ! -type f ! -type d -print0\n", "校验网站文件", check=False)
        if result.returncode == 3 or b"MZPRESS-ODD\0" not in result.stdout:
            raise DeployError(f"服务器上的版本目录 {self.root}/{folder} 不存在或无法读取。",
                              f"用 scripts/mzpress releases --to {self.root} 查看现有版本。")
        files_part, rest = result.stdout.split(b"MZPRESS-HASHES\0", 1)
        hashes_part, odd_part = rest.split(b"MZPRESS-ODD\0", 1)

        def names(blob: bytes) -> list[str]:
            return [os.fsdecode(item)[2:] for item in blob.split(b"\0") if item]

        present = set(names(files_part))
        hashes = {}
        for record in hashes_part.split(b"\0"):
            match = _SHA_LINE.match(record)
            if match:
                hashes[os.fsdecode(match.group(2))] = match.group(1).decode()
        odd = tuple(sorted(names(odd_part)))
        expected = manifest.files
        modified = sorted(n for n in present if n in expected and hashes.get(n) != expected[n].sha256)
        added = sorted(n for n in present if n not in expected)
        removed = sorted(n for n in expected if n not in present and n not in set(odd))
        return TreeDifference(tuple(modified), tuple(added), tuple(removed), odd)

    def check_release(self, release_id: str) -> tuple[Manifest, TreeDifference]:
        manifest = self.manifest_of(release_id)
        return manifest, self.compare(f"{RELEASES}/{release_id}", manifest)

    # -- writing --------------------------------------------------------------------------------

    def switch(self, release_id: str) -> None:
        link = f"{LINK_PREFIX}{release_id}"
        self._script(f"set -e\nrm -f -- {_q(link)}\nln -s -- {RELEASES}/{_q(release_id)} {_q(link)}\n"
                     f"mv -T -- {_q(link)} {CURRENT} || {{ rm -f -- {_q(link)}; exit 1; }}\nsync\n", "切换当前版本")

    def _prepare_and_clean(self) -> None:
        self._script(
            f"mkdir -p -- {RELEASES} {MANIFESTS} {OBJECTS} || exit 1\n"
            f"rm -rf -- {RELEASES}/{INCOMING_PREFIX}* {LINK_PREFIX}* {MANIFESTS}/*.tmp\n"
            f"find {OBJECTS} -mindepth 2 -maxdepth 2 -type f -name '.*' -exec rm -f -- {{}} +\n",
            "清理上次中断的发布")

    def deploy(self, site_dir: Path, keep: int, now: dt.datetime | None = None) -> TargetDeployed:
        site_dir = Path(site_dir).resolve()
        manifest = check_build(site_dir)
        previous_id, ids = self.state()
        self._prepare_and_clean()
        release_id = new_release_id(manifest, now, set(ids).__contains__)
        incoming = f"{RELEASES}/{INCOMING_PREFIX}{release_id}"
        try:
            uploaded, uploaded_bytes = self._upload_objects(site_dir, manifest)
            self._upload_links(manifest, incoming + _LINKS_SUFFIX)
            copied = self._assemble(incoming, previous_id)
            difference = self.compare(incoming, manifest)
            if not difference.clean:
                raise DeployError(f"服务器上组装的新版本与完整性清单不一致（{difference.count}处），没有切换。",
                                  "构建后不要改动 site/；重新运行 scripts/build 后再发布。")
            self._script(
                f"set -e\ncp -- {_q(incoming + _LINKS_SUFFIX)}/{MANIFEST_NAME} {MANIFESTS}/{_q(release_id)}.json.tmp\n"
                f"chmod 0444 {MANIFESTS}/{_q(release_id)}.json.tmp\nsync\n"
                f"mv -- {MANIFESTS}/{_q(release_id)}.json.tmp {MANIFESTS}/{_q(release_id)}.json\n"
                f"mv -- {_q(incoming)} {RELEASES}/{_q(release_id)}\nrm -rf -- {_q(incoming + _LINKS_SUFFIX)}\n",
                "保存新版本")
            self.switch(release_id)
        except BaseException:
            self._undo(incoming, release_id)
            raise
        pruned = self._prune([*ids, release_id], release_id, keep)
        deployed = Deployed(release_id, manifest, copied, len(manifest.files) - copied, tuple(pruned))
        return TargetDeployed(deployed, uploaded, uploaded_bytes)

    def _undo(self, incoming: str, release_id: str) -> None:
        try:
            self._script(
                f"if [ \"$(readlink {CURRENT} 2>/dev/null)\" != {RELEASES}/{_q(release_id)} ]; then\n"
                f"  rm -rf -- {_q(incoming)} {_q(incoming + _LINKS_SUFFIX)} {MANIFESTS}/{_q(release_id)}.json.tmp "
                f"{_q(LINK_PREFIX + release_id)}\nfi\n", "清理未完成的发布", check=False)
        except DeployError:
            pass  # the connection is gone: the next deploy cleans up

    def _upload_objects(self, site_dir: Path, manifest: Manifest) -> tuple[int, int]:
        stage = self.connection.private_dir / "objects"
        for rel, entry in manifest.files.items():
            link = stage / entry.sha256[:2] / entry.sha256
            if not os.path.lexists(link):
                link.parent.mkdir(parents=True, exist_ok=True)
                os.symlink(site_dir / rel, link)
        output = self._rsync(["-rLc", "-p", "--chmod=F444,D755", "-i", "--stats"], f"{stage}/",
                             f"{self.path}/{OBJECTS}/", "上传网站文件")
        uploaded = sum(1 for line in output.splitlines() if line.startswith("<f"))
        size = _TOTAL_SIZE.search(output)
        return uploaded, int(re.sub(r"[,.]", "", size.group(1))) if size else 0

    def _upload_links(self, manifest: Manifest, dest: str) -> None:
        stage = self.connection.private_dir / "links"
        stage.mkdir()
        made = set()
        for rel, entry in manifest.files.items():
            target = stage / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            os.symlink(f"{self.path}/{OBJECTS}/{entry.sha256[:2]}/{entry.sha256}", target)
        (stage / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
        self._rsync(["-rl"], f"{stage}/", f"{self.path}/{dest}/", "上传文件清单")

    def _assemble(self, incoming: str, previous_id: str | None) -> int:
        link_dest = f" --link-dest={_q(f'{self.path}/{RELEASES}/{previous_id}')}" if previous_id else ""
        result = self._script(
            f"rsync {' '.join(_RELEASE_RSYNC)} --exclude=/{MANIFEST_NAME}{link_dest} -- "
            f"{_q(incoming + _LINKS_SUFFIX)}/ {_q(incoming)}/\n", "在服务器上组装新版本")
        return sum(1 for line in result.stdout.decode("utf-8", "replace").splitlines() if line.startswith(">f"))

    def _prune(self, ids: list[str], current: str, keep: int) -> list[str]:
        ids = sorted(ids)
        removed = [release_id for release_id in ids[:-keep] if release_id != current]
        body = "".join(f"rm -rf -- {RELEASES}/{_q(r)}\nrm -f -- {MANIFESTS}/{_q(r)}.json\n" for r in removed)
        body += (
            f"for m in {MANIFESTS}/*.json; do\n  [ -e \"$m\" ] || continue\n"
            f"  id=${{m#{MANIFESTS}/}}; id=${{id%.json}}\n"
            f"  case $id in [0-9]*Z-*) [ -d \"{RELEASES}/$id\" ] || rm -f -- \"$m\" ;; esac\ndone\n"
            # every object no kept manifest names ("sha256": "<64 hex>" in the manifest's one-file-a-line JSON)
            "{ sed -n 's/.*\"sha256\": \"\\([0-9a-f]\\{64\\}\\)\".*/W \\1/p' " + MANIFESTS + "/*.json; "
            f"find {OBJECTS} -mindepth 2 -maxdepth 2 -type f -print; }} | "
            "awk '$1 == \"W\" { wanted[$2] = 1; next } { n = split($0, p, \"/\"); if (!(p[n] in wanted)) print }' | "
            "while IFS= read -r f; do rm -f -- \"$f\"; done\n")
        self._script(body, "清理旧版本")
        return removed

    def rollback(self, release_id: str | None = None) -> RolledBack:
        current, ids = self.state()
        release_id = rollback_choice(ids, current, release_id, self.root)
        manifest, difference = self.check_release(release_id)
        repaired = None
        if not difference.clean:
            repaired = self.restore_release(release_id, manifest, difference)
            if repaired.failed or not self.check_release(release_id)[1].clean:
                raise DeployError(f"版本 {release_id} 的文件被改动且无法完全恢复，没有切换。",
                                  "选择其他版本回滚，或重新发布（scripts/mzpress deploy）。")
        self.switch(release_id)
        return RolledBack(release_id, current, repaired)

    def restore_release(self, release_id: str, manifest: Manifest, difference: TreeDifference,
                        now: dt.datetime | None = None) -> Restored:
        """Move changed and added entries to the server's quarantine folder, then copy the pristine objects back."""
        now = now or dt.datetime.now(dt.UTC)
        quarantine = f"{self.path}/{QUARANTINE}/{now:%Y%m%dT%H%M%S.%f}Z-{release_id}"
        lines = [f"cd -- {RELEASES}/{_q(release_id)} || exit 3", f"q={_q(quarantine)}"]
        moving = (*difference.modified, *difference.added, *difference.odd)
        for rel in moving:
            parent = PurePosixPath(rel).parent
            lines.append(f"mkdir -p -- \"$q\"/{_q(str(parent))} && mv -f -- {_q(rel)} \"$q\"/{_q(rel)}")
        restoring = [rel for rel in (*difference.modified, *difference.removed, *difference.odd)
                     if rel in manifest.files]
        for index, rel in enumerate(restoring):
            entry = manifest.files[rel]
            path = PurePosixPath(rel)
            temporary = _q(str(path.parent / f".restore-{path.name}"))
            source = _q(f"{self.path}/{OBJECTS}/{entry.sha256[:2]}/{entry.sha256}")
            lines.append(
                f"mkdir -p -- {_q(str(path.parent))}; rm -f -- {temporary}; "
                f"if h=$(sha256sum < {source} 2>/dev/null) && [ \"${{h%% *}}\" = {entry.sha256} ] && "
                f"cp -- {source} {temporary} && chmod 0444 {temporary} && mv -f -- {temporary} {_q(rel)}; "
                f"then :; else rm -f -- {temporary}; echo FAILED {index}; fi")
        result = self._script("\n".join(lines) + "\n", "恢复网站文件")
        failed = [restoring[int(line.split()[1])] for line in result.stdout.decode().splitlines()
                  if line.startswith("FAILED ")]
        return Restored(difference, Path(quarantine) if moving else None, tuple(failed))
