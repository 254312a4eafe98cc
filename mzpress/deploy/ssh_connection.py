"""One SSH connection to a web server: the ``ssh://`` address, ssh's options, remote commands, clear errors.

A :class:`SshConnection` is a master connection (OpenSSH ``ControlMaster``) whose own session holds
the release store's lock on the server (``flock`` on ``DIR/deploy.lock``, the same lock a local
``mzpress deploy`` takes); every remote command and every rsync of the operation runs over it.
When this process ends, however it ends, the master's stdin closes, the remote lock holder sees
end of input and the server releases the lock; ssh and rsync are told to die with this process.

Host keys are always checked (``StrictHostKeyChecking=yes``): the server's key must be in
``$MZPRESS_SSH_KNOWN_HOSTS`` (a file, or the known_hosts lines themselves) or in ssh's own
known_hosts files. ``$MZPRESS_SSH_KEY`` is the private key (a file, or the key itself).
"""

from __future__ import annotations

import ctypes
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mzpress.deploy.deploy_error import USAGE, DeployError, MissingTarget

KEY_ENV = "MZPRESS_SSH_KEY"
KNOWN_HOSTS_ENV = "MZPRESS_SSH_KNOWN_HOSTS"
SERVER_TOOLS = ("rsync", "flock", "sha256sum", "find", "sed", "awk")
_CONNECT_TIMEOUT_S = 15
_MARK = "MZPRESS-"
_PATH_CHARS = re.compile(r"^/[^\x00-\x1f\\]*$")


@dataclass(frozen=True, slots=True)
class SshAddress:
    user: str | None
    host: str
    port: int | None
    path: str  # absolute, no trailing slash

    @property
    def destination(self) -> str:
        return f"{self.user}@{self.host}" if self.user else self.host

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = f":{self.port}" if self.port else ""
        user = f"{self.user}@" if self.user else ""
        return f"ssh://{user}{host}{port}{self.path}"


def parse_ssh_url(text: str) -> SshAddress:
    """``ssh://[user@]host[:port]/absolute/path``, or DeployError (exit 2) saying what is wrong."""
    example = "例如 --to ssh://deploy@web.example.gov.cn/srv/www/mz 或 ssh://deploy@10.0.0.5:2222/srv/www/mz"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise DeployError(f"发布地址“{text}”的格式不对（端口应当是1到65535的数字）。", example + "。", USAGE) from None
    path = unquote(parts.path).rstrip("/")
    if parts.scheme != "ssh" or not parts.hostname:
        raise DeployError(f"发布地址“{text}”缺少服务器名。", example + "。", USAGE)
    if parts.password is not None or parts.query or parts.fragment:
        raise DeployError(f"发布地址“{text}”中不能写密码、问号或#后的内容。",
                          f"只写 ssh://用户@服务器/目录，密钥用环境变量 {KEY_ENV} 提供。", USAGE)
    if not path or not _PATH_CHARS.match(path) or any(p in (".", "..") for p in path.split("/")):
        raise DeployError(f"发布地址“{text}”中的服务器目录无效（应当是以 / 开头的绝对路径，不含 . 或 ..）。",
                          example + "。", USAGE)
    user = unquote(parts.username) if parts.username else None
    if user is not None and not re.fullmatch(r"[A-Za-z0-9._][A-Za-z0-9._-]*", user):
        raise DeployError(f"发布地址“{text}”中的用户名“{user}”无效。", example + "。", USAGE)
    if parts.hostname.startswith("-") or not re.fullmatch(r"[A-Za-z0-9._:-]+", parts.hostname):
        raise DeployError(f"发布地址“{text}”中的服务器名“{parts.hostname}”无效。", example + "。", USAGE)
    return SshAddress(user, parts.hostname, port, path)


def _die_with_parent() -> None:  # runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _looks_like(value: str, content_marker: str) -> bool:
    return content_marker in value or "\n" in value


class SshOptions:
    """ssh's command line from the environment; private copies of a key or known_hosts given as text."""

    def __init__(self, environ: Mapping[str, str], private_dir: Path):
        self.private_dir = private_dir
        self.key_file = self._file(environ.get(KEY_ENV, "").strip(), "-----BEGIN", "key", KEY_ENV, "私钥")
        self.known_hosts = self._file(environ.get(KNOWN_HOSTS_ENV, "").strip(), " ", "known_hosts",
                                      KNOWN_HOSTS_ENV, "known_hosts 文件")

    def _file(self, value: str, marker: str, name: str, env: str, what: str) -> Path | None:
        if not value:
            return None
        if _looks_like(value, marker):
            path = self.private_dir / name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(value.replace("\r\n", "\n") + "\n")
            return path
        path = Path(value).expanduser()
        if not path.is_file():
            raise DeployError(f"环境变量 {env} 指定的{what} {path} 不存在。",
                              f"把 {env} 设为{what}的路径，或直接设为文件的内容。", USAGE)
        return path

    def arguments(self, port: int | None) -> list[str]:
        args = ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", f"ConnectTimeout={_CONNECT_TIMEOUT_S}",
                "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4", "-o", "LogLevel=ERROR"]
        if self.known_hosts is not None:
            args += ["-o", f"UserKnownHostsFile={self.known_hosts}", "-o", "GlobalKnownHostsFile=/dev/null"]
        if self.key_file is not None:
            args += ["-i", str(self.key_file), "-o", "IdentitiesOnly=yes"]
        if port:
            args += ["-p", str(port)]
        return args


def connection_error(address: SshAddress, stderr: str) -> DeployError:
    """A clear error for ssh's exit status 255 (it could not connect or log in)."""
    text = stderr.strip().splitlines()
    detail = text[-1] if text else "（ssh 没有给出原因）"
    lowered = stderr.lower()
    where = f"{address.host}{':' + str(address.port) if address.port else ''}"
    if "host key verification failed" in lowered or "remote host identification has changed" in lowered \
            or "no matching host key" in lowered or "host key for" in lowered:
        return DeployError(f"无法核实服务器 {where} 的主机密钥（{detail}），为防止冒充，没有连接。",
                           f"把服务器的主机公钥加入 known_hosts（环境变量 {KNOWN_HOSTS_ENV} 指向的文件或其内容，"
                           "可在服务器上用 ssh-keyscan 或查看 /etc/ssh/ssh_host_ed25519_key.pub 获得并当面核对指纹）；"
                           "主机密钥变了时先查明原因。")
    if "permission denied" in lowered or "too many authentication failures" in lowered:
        return DeployError(f"登录服务器 {where} 失败：用户 {address.user or '（默认）'} 的密钥被拒绝（{detail}）。",
                           f"检查环境变量 {KEY_ENV} 是否是正确的私钥，以及它的公钥是否在服务器上该用户的 "
                           "~/.ssh/authorized_keys 中。")
    if "could not resolve hostname" in lowered or "name or service not known" in lowered:
        return DeployError(f"找不到服务器 {address.host}（域名无法解析）。", "检查发布地址中的服务器名，或改用 IP 地址。")
    return DeployError(f"无法连接服务器 {where}：{detail}。",
                       "检查服务器地址和端口、服务器上的 sshd 是否在运行，以及防火墙是否允许本机连接。")


def _tool_error(missing: Sequence[str], address: SshAddress) -> DeployError:
    names = "、".join(missing)
    return DeployError(f"服务器 {address.host} 上没有 {names}，无法通过 SSH 发布。",
                       f"在服务器上安装（Debian/Ubuntu：apt-get install {' '.join(_packages(missing))}），"
                       "或确认发布用户的 PATH 中能找到它们。")


def _packages(missing: Sequence[str]) -> list[str]:
    package = {"rsync": "rsync", "flock": "util-linux", "sha256sum": "coreutils",
               "find": "findutils", "sed": "sed", "awk": "mawk"}
    return sorted({package.get(name, name) for name in missing})


_LOCK_SCRIPT = """\
root={root}; create={create}; mode={mode}; wait={wait}
missing=""
for tool in {tools}; do command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"; done
if [ -n "$missing" ]; then echo "{mark}MISSING$missing"; exit 0; fi
if [ ! -d "$root" ]; then
  if [ "$create" = yes ]; then
    mkdir -p -- "$root" || {{ echo "{mark}CANNOT-CREATE"; exit 0; }}
  else
    echo "{mark}NO-ROOT"; exit 0
  fi
fi
cd -- "$root" || {{ echo "{mark}NO-ROOT"; exit 0; }}
if [ -w deploy.lock ] || {{ [ ! -e deploy.lock ] && [ -w . ]; }}; then exec 9>>deploy.lock; else exec 9<deploy.lock; fi
if ! flock -n "$mode" 9; then
  echo "{mark}WAITING"
  flock -w "$wait" "$mode" 9 || {{ echo "{mark}BUSY"; exit 0; }}
fi
echo "{mark}LOCKED"
exec cat >/dev/null
"""


class SshConnection:
    """The master connection, holding the server's lock; use as a context manager."""

    def __init__(self, address: SshAddress, environ: Mapping[str, str] | None = None):
        self.address = address
        self.environ = dict(os.environ if environ is None else environ)
        self._dir: Path | None = None
        self._master: subprocess.Popen | None = None
        self._options: SshOptions | None = None

    # -- opening and closing ------------------------------------------------------------------

    def open(self, *, exclusive: bool, wait_s: float, create: bool,
             on_wait: Callable[[], None] | None = None) -> None:
        if shutil.which("ssh") is None or shutil.which("rsync") is None:
            raise DeployError("本机没有 ssh 或 rsync，无法通过 SSH 发布。",
                              "安装 openssh-client 和 rsync（scripts/system-deps 会安装）后重新运行。", USAGE)
        self._dir = Path(tempfile.mkdtemp(prefix="mzssh-"))  # short: the control socket's path has a length limit
        self._options = SshOptions(self.environ, self._dir)
        script = _LOCK_SCRIPT.format(root=shlex.quote(self.address.path), create="yes" if create else "no",
                                     mode="-x" if exclusive else "-s", wait=max(0, int(round(wait_s))),
                                     tools=" ".join(SERVER_TOOLS), mark=_MARK)
        command = ["ssh", "-M", "-S", str(self.control_path), "-o", "ControlPersist=no",
                   *self._options.arguments(self.address.port), self.address.destination,
                   f"sh -c {shlex.quote(script)}"]
        self._master = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, preexec_fn=_die_with_parent)
        while True:
            line = self._master.stdout.readline().decode("utf-8", "replace").strip()
            if not line:
                stderr = self._finish_master()
                raise connection_error(self.address, stderr)
            if line == f"{_MARK}WAITING":
                if on_wait is not None:
                    on_wait()
                continue
            if line == f"{_MARK}LOCKED":
                return
            self._finish_master()
            raise self._lock_problem(line, wait_s)

    def _lock_problem(self, line: str, wait_s: float) -> DeployError:
        where = str(self.address)
        if line.startswith(f"{_MARK}MISSING"):
            return _tool_error(line.removeprefix(f"{_MARK}MISSING").split(), self.address)
        if line == f"{_MARK}NO-ROOT":
            return MissingTarget(f"服务器上的发布目录 {self.address.path} 不存在（{where}）。",
                                 "检查路径；发布目录由 scripts/mzpress deploy --to ssh://… 第一次发布时创建。")
        if line == f"{_MARK}CANNOT-CREATE":
            return DeployError(f"无法在服务器上创建发布目录 {self.address.path}（没有权限？）。",
                               "在服务器上先创建这个目录并交给发布用户（chown），再重新运行。")
        if line == f"{_MARK}BUSY":
            return DeployError(f"另一个发布、回滚或恢复正在进行（服务器上的 {self.address.path}/deploy.lock 被占用），"
                               f"等待{wait_s:g}秒后仍未结束，本次没有做任何改动。",
                               "等它结束后重新运行；需要等待更久时用 --wait 秒数。")
        return DeployError(f"服务器返回了无法识别的内容：{line[:200]}", "检查发布用户的登录脚本（如 ~/.bashrc）是否输出了内容。")

    def _finish_master(self) -> str:
        master = self._master
        if master is None:
            return ""
        self._master = None
        try:
            master.stdin.close()  # the server's lock holder sees end of input and lets go
        except OSError:
            pass
        master.stdin = None
        try:
            _, stderr = master.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            master.kill()
            _, stderr = master.communicate()
        return stderr.decode("utf-8", "replace")

    def close(self) -> None:
        self._finish_master()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def __enter__(self) -> SshConnection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- running over it ----------------------------------------------------------------------

    @property
    def control_path(self) -> Path:
        assert self._dir is not None
        return self._dir / "c"

    @property
    def private_dir(self) -> Path:
        assert self._dir is not None
        return self._dir

    def _ssh_words(self) -> list[str]:
        assert self._options is not None
        return ["ssh", "-S", str(self.control_path), "-o", "ControlMaster=no",
                *self._options.arguments(self.address.port)]

    def run_script(self, script: str, *, timeout: float = 3600) -> subprocess.CompletedProcess:
        """Run a POSIX shell script on the server (in ``sh``, fed on its stdin); bytes out."""
        command = [*self._ssh_words(), self.address.destination, "sh -s"]
        try:
            result = subprocess.run(command, input=script.encode("utf-8"), capture_output=True, timeout=timeout,
                                    preexec_fn=_die_with_parent)
        except subprocess.TimeoutExpired:
            raise DeployError(f"服务器 {self.address.host} 在{timeout:g}秒内没有完成操作。",
                              "检查服务器负载和网络后重新运行。") from None
        if result.returncode == 255:
            raise connection_error(self.address, result.stderr.decode("utf-8", "replace"))
        return result

    def rsync(self, arguments: Sequence[str], source: str, remote_dest: str) -> subprocess.CompletedProcess:
        """``rsync ARGS SOURCE host:REMOTE_DEST`` over the master connection; text out."""
        shell = shlex.join(self._ssh_words())
        # -s (--protect-args): the remote path is passed as it is, never split or expanded by a shell
        command = ["rsync", "-s", "-e", shell, *arguments, "--", source, f"{self.address.destination}:{remote_dest}"]
        environ = {**os.environ, "LC_ALL": "C"}
        result = subprocess.run(command, capture_output=True, text=True, errors="replace", env=environ,
                                preexec_fn=_die_with_parent)
        if result.returncode == 255 or (result.returncode != 0 and "connection unexpectedly closed" in result.stderr
                                        and self._master is not None and self._master.poll() is not None):
            raise connection_error(self.address, result.stderr)
        return result
