"""A real OpenSSH server (Debian's sshd) on a loopback port, with throw-away host and client keys.

The test logs in as the user running the tests; sshd runs in the foreground (``-D -e``) with a
configuration of its own in a temporary folder and is stopped when the fixture ends. A second
client key is limited to a PATH without rsync, for the "server lacks rsync" error.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SSHD = "/usr/sbin/sshd"


@dataclass(frozen=True)
class SshServer:
    port: int
    user: str
    key: Path  # the client's private key
    key_without_rsync: Path  # a key whose sessions get a PATH without rsync
    known_hosts: Path
    log: Path

    def url(self, path: Path | str) -> str:
        return f"ssh://{self.user}@127.0.0.1:{self.port}{path}"

    def env(self, key: Path | None = None) -> dict[str, str]:
        return {"MZPRESS_SSH_KEY": str(key or self.key), "MZPRESS_SSH_KNOWN_HOSTS": str(self.known_hosts)}


def available() -> bool:
    return os.path.exists(SSHD) and shutil.which("ssh") is not None and shutil.which("rsync") is not None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "mzpress-test", "-f", str(path)], check=True)


def _path_without_rsync(folder: Path) -> Path:
    """A folder of links to every command of /usr/bin and /bin except rsync."""
    folder.mkdir()
    for source in (Path("/usr/bin"), Path("/bin")):
        for entry in source.iterdir():
            if entry.name != "rsync" and not (folder / entry.name).exists():
                (folder / entry.name).symlink_to(entry)
    return folder


def start(folder: Path) -> tuple[subprocess.Popen, SshServer]:
    folder.mkdir(parents=True, exist_ok=True)
    host_key, client_key, limited_key = folder / "host_key", folder / "client_key", folder / "limited_key"
    for key in (host_key, client_key, limited_key):
        _keygen(key)
    limited_path = _path_without_rsync(folder / "limited-bin")
    authorized = folder / "authorized_keys"
    authorized.write_text(
        client_key.with_suffix(".pub").read_text()
        + f'environment="PATH={limited_path}" ' + limited_key.with_suffix(".pub").read_text(), encoding="utf-8")
    port = _free_port()
    config = folder / "sshd_config"
    config.write_text("\n".join([
        f"Port {port}", "ListenAddress 127.0.0.1", f"HostKey {host_key}", f"PidFile {folder / 'sshd.pid'}",
        f"AuthorizedKeysFile {authorized}", "UsePAM no", "StrictModes no", "PasswordAuthentication no",
        "KbdInteractiveAuthentication no", "PermitRootLogin prohibit-password", "PermitUserEnvironment PATH",
        "MaxSessions 50", "MaxStartups 50", "Subsystem sftp internal-sftp", "LogLevel ERROR", "",
    ]), encoding="utf-8")
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation folder
    log = folder / "sshd.log"
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL,
                               stderr=log.open("wb"))
    deadline = time.monotonic() + 10
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"sshd exited: {log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("sshd did not start listening") from None
            time.sleep(0.05)
    known_hosts = folder / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{port} {host_key.with_suffix('.pub').read_text()}", encoding="utf-8")
    return process, SshServer(port, getpass.getuser(), client_key, limited_key, known_hosts, log)


