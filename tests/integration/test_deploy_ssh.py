"""``mzpress deploy/verify/rollback/releases --to ssh://…`` against a real sshd on loopback.

The server is Debian's OpenSSH started by the test with throw-away keys; the release folder it
serves is in this test's tmp folder, so the test can look at what a web server would serve.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mzpress.publishing.manifest import build_manifest, write_manifest
from tests.support import ssh_server
from tests.support.project import REPO_ROOT
from tools.processes import stop_process

pytestmark = pytest.mark.xdist_group("ssh")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process, info = ssh_server.start(tmp_path_factory.mktemp("sshd"))
    yield info
    stop_process(process)


def _site(path: Path, stories: dict[str, str], payload: bytes = b"") -> Path:
    (path / "stories").mkdir(parents=True, exist_ok=True)
    (path / "index.html").write_text("<h1>示例县民政局</h1>", encoding="utf-8")
    (path / "assets").mkdir(exist_ok=True)
    (path / "assets/site.css").write_text("body{color:#333}", encoding="utf-8")
    for name, text in stories.items():
        (path / "stories" / f"{name}.html").write_text(text, encoding="utf-8")
    if payload:
        (path / "big.bin").write_bytes(payload)
    write_manifest(path, build_manifest(path, "89abcdef0123456789abcdef0123456789abcdef",
                                        "2026-12-03T10:00:00+00:00", "0.1.0"))
    return path


def _env(server, key: Path | None = None, **extra) -> dict:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MZPRESS_")}
    environ.update(server.env(key), **extra)
    return environ


def _mz(server, *args: str, key: Path | None = None, **extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mzpress.cli", *args], capture_output=True, text=True,
                          env=_env(server, key, **extra), timeout=180, cwd=REPO_ROOT)


def _live(root: Path, name: str = "index.html") -> str:
    return (root / "current" / name).read_text(encoding="utf-8")


def test_deploy_change_one_story_verify_tamper_restore_and_roll_back_over_ssh(server, tmp_path):
    root = tmp_path / "srv/www"  # created by the first deploy
    url = server.url(root)
    stories = {f"s{n}": f"第{n}篇故事" for n in range(20)}
    first = _mz(server, "deploy", "--to", url, "--site", str(_site(tmp_path / "one", stories)))
    assert first.returncode == 0, first.stdout + first.stderr
    assert "上传了22个文件" in first.stdout and _live(root, "stories/s3.html") == "第3篇故事"
    assert os.readlink(root / "current").startswith("releases/") and not (root / "current/.mzpress-manifest.json").exists()

    stories["s3"] = "第3篇故事（已更正）"
    second = _mz(server, "deploy", "--to", url, "--site", str(_site(tmp_path / "two", stories)))
    assert second.returncode == 0, second.stdout + second.stderr
    assert "上传了1个文件" in second.stdout and "复制1个，沿用上一版本21个" in second.stdout, second.stdout
    assert _live(root, "stories/s3.html") == "第3篇故事（已更正）"
    old_id, new_id = sorted(p.name for p in (root / "releases").iterdir())
    assert os.readlink(root / "current") == f"releases/{new_id}"
    shared_old, shared_new = root / "releases" / old_id / "assets/site.css", root / "current/assets/site.css"
    assert os.stat(shared_old).st_ino == os.stat(shared_new).st_ino  # unchanged files are hard links
    assert os.stat(shared_new).st_mode & 0o777 == 0o444

    listing = _mz(server, "releases", "--to", url)
    assert listing.returncode == 0 and f"* {new_id}" in listing.stdout and "共2个版本" in listing.stdout, listing.stdout
    clean = _mz(server, "verify", url)
    assert clean.returncode == 0 and "全部文件与完整性清单一致" in clean.stdout, clean.stdout + clean.stderr

    page = root / "current/stories/s5.html"
    os.chmod(page, 0o644)
    page.write_text("第5篇故事!", encoding="utf-8")  # one byte more
    (root / "current/stories/evil.html").write_text("<script>篡改</script>", encoding="utf-8")
    (root / "current/stories/s7.html").unlink()
    found = _mz(server, "verify", url)
    assert found.returncode == 1
    for line in ("被修改：stories/s5.html", "被添加：stories/evil.html", "被删除：stories/s7.html"):
        assert line in found.stdout
    restored = _mz(server, "verify", url, "--restore")
    assert restored.returncode == 1 and "已恢复3处，复查通过" in restored.stdout, restored.stdout + restored.stderr
    assert _live(root, "stories/s5.html") == "第5篇故事" and _live(root, "stories/s7.html") == "第7篇故事"
    assert len(list((root / "quarantine").rglob("evil.html"))) == 1
    assert _mz(server, "verify", url).returncode == 0

    back = _mz(server, "rollback", "--to", url)
    assert back.returncode == 0 and f"现在是版本 {old_id}" in back.stdout, back.stdout + back.stderr
    assert _live(root, "stories/s3.html") == "第3篇故事" and _mz(server, "verify", url).returncode == 0
    forward = _mz(server, "rollback", "--to", url, "--release", new_id)
    assert forward.returncode == 0 and _live(root, "stories/s3.html") == "第3篇故事（已更正）"
    unknown = _mz(server, "rollback", "--to", url, "--release", "no-such")
    assert unknown.returncode == 2 and "没有版本" in unknown.stderr


def test_old_releases_and_their_objects_are_pruned_on_the_server(server, tmp_path):
    root = tmp_path / "www"
    url = server.url(root)
    for number in range(3):
        result = _mz(server, "deploy", "--to", url, "--keep", "2",
                     "--site", str(_site(tmp_path / f"s{number}", {"news": f"版本{number}"})))
        assert result.returncode == 0, result.stderr
    releases = sorted(p.name for p in (root / "releases").iterdir())
    assert len(releases) == 2 and sorted(p.stem for p in (root / "manifests").iterdir()) == releases
    assert len([p for p in (root / "objects").rglob("*") if p.is_file()]) == 4  # 2 shared + one story each
    assert _live(root, "stories/news.html") == "版本2"


def test_ssh_deploy_shares_the_lock_with_local_deploys(server, tmp_path):
    root = tmp_path / "www"
    url = server.url(root)
    assert _mz(server, "deploy", "--to", url, "--site", str(_site(tmp_path / "a", {"x": "一"}))).returncode == 0
    with open(root / "deploy.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a deploy run on the server itself
        busy = _mz(server, "deploy", "--to", url, "--wait", "1", "--site", str(_site(tmp_path / "b", {"x": "二"})))
    assert busy.returncode == 1 and "正在等待" in busy.stderr and "没有做任何改动" in busy.stderr, busy.stderr
    assert _live(root, "stories/x.html") == "一"
    assert _mz(server, "verify", url).returncode == 0  # the lock is free again


def test_a_deploy_killed_mid_upload_leaves_the_live_site_and_the_next_one_succeeds(server, tmp_path):
    root = tmp_path / "www"
    url = server.url(root)
    assert _mz(server, "deploy", "--to", url, "--site", str(_site(tmp_path / "a", {"x": "第一版"}))).returncode == 0
    before = os.readlink(root / "current")
    big = _site(tmp_path / "big", {"x": "第二版", **{f"n{i}": "字" * 2000 + str(i) for i in range(1500)}})
    process = subprocess.Popen([sys.executable, "-m", "mzpress.cli", "deploy", "--to", url, "--site", str(big)],
                               env=_env(server), cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    killed = False
    while time.monotonic() < deadline and process.poll() is None:
        if sum(1 for _ in (root / "objects").rglob("*")) > 60:  # the upload is under way
            process.send_signal(signal.SIGKILL)
            killed = True
            break
        time.sleep(0.01)
    process.wait()
    assert killed, "the deploy finished before it could be killed"
    assert os.readlink(root / "current") == before and _live(root, "stories/x.html") == "第一版"
    again = _mz(server, "deploy", "--to", url, "--wait", "30", "--site", str(big))  # the server released the lock
    assert again.returncode == 0, again.stdout + again.stderr
    assert _live(root, "stories/x.html") == "第二版" and not list((root / "releases").glob(".*"))
    assert _mz(server, "verify", url).returncode == 0


def test_a_full_disk_on_the_server_gives_a_clear_error_and_the_live_site_stays(server, tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(root)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("needs root to mount a small tmpfs: " + mounted.stderr.decode(errors="replace"))
    url = server.url(root)
    try:
        assert _mz(server, "deploy", "--to", url, "--site", str(_site(tmp_path / "a", {"x": "一"}))).returncode == 0
        before = os.readlink(root / "current")
        full = _mz(server, "deploy", "--to", url,
                   "--site", str(_site(tmp_path / "b", {"x": "二"}, payload=os.urandom(3 * 1024 * 1024))))
        assert full.returncode == 1 and "磁盘空间不足" in full.stderr and "Traceback" not in full.stderr, full.stderr
        assert os.readlink(root / "current") == before and _live(root, "stories/x.html") == "一"
        assert _mz(server, "verify", url).returncode == 0
        assert _mz(server, "deploy", "--to", url, "--site", str(_site(tmp_path / "c", {"x": "三"}))).returncode == 0
    finally:
        subprocess.run(["umount", str(root)], check=True)


def test_ssh_problems_are_explained_in_chinese(server, tmp_path):
    site = _site(tmp_path / "s", {"x": "一"})
    root = tmp_path / "www"
    other_host = tmp_path / "other_known_hosts"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "fake")], check=True)
    other_host.write_text(f"[127.0.0.1]:{server.port} {(tmp_path / 'fake.pub').read_text()}", encoding="utf-8")
    cases = [
        (_mz(server, "deploy", "--to", server.url(root), "--site", str(site), MZPRESS_SSH_KNOWN_HOSTS=str(other_host)),
         1, "主机密钥"),
        (_mz(server, "deploy", "--to", server.url(root), "--site", str(site), key=tmp_path / "fake"), 1, "密钥被拒绝"),
        (_mz(server, "deploy", "--to", server.url(root), "--site", str(site), key=server.key_without_rsync),
         1, "没有 rsync"),
        (_mz(server, "deploy", "--to", f"ssh://{server.user}@127.0.0.1:1{root}", "--site", str(site)), 1, "无法连接服务器"),
        (_mz(server, "deploy", "--to", "ssh://deploy@web/relative/../path", "--site", str(site)), 2, "绝对路径"),
        (_mz(server, "verify", server.url(tmp_path / "never-deployed")), 2, "不存在"),
        (_mz(server, "deploy", "--to", "ftp://web/srv", "--site", str(site)), 2, "不支持的发布地址"),
    ]
    for result, code, text in cases:
        assert result.returncode == code and text in result.stderr, (text, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
    assert not root.exists()  # nothing was written on the server
