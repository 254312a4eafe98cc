"""Deploys, rollback, releases and verify on real folders: atomic switch, integrity manifest, faults.

scripts/deploy (the thin wrapper) and ``mzpress deploy/rollback/releases/verify`` run as
subprocesses; faults are real: a SIGKILL mid-copy, a full tmpfs, a lock held by another process.
"""

from __future__ import annotations

import fcntl
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mzpress.publishing.manifest import MANIFEST_NAME, build_manifest, read_manifest, write_manifest
from tests.support.project import REPO_ROOT, add_story, build, new_project

DEPLOY = REPO_ROOT / "scripts/deploy"


def _site(path: Path, marker: str, extra_files: int = 0, payload: bytes = b"") -> Path:
    (path / "stories").mkdir(parents=True, exist_ok=True)
    (path / "index.html").write_text(f"<h1>{marker}</h1>", encoding="utf-8")
    (path / "stories/index.html").write_text(marker, encoding="utf-8")
    (path / "shared.css").write_text("body{color:#333}", encoding="utf-8")  # the same in every site
    for number in range(extra_files):
        (path / "stories" / f"s{number}.html").write_text(f"{marker} {number} " + "字" * 300, encoding="utf-8")
    if payload:
        (path / "big.bin").write_bytes(payload)
    write_manifest(path, build_manifest(path, "0123456789abcdef0123456789abcdef01234567",
                                        "2026-12-02T10:00:00+00:00", "0.1.0"))
    return path


def _env(**extra) -> dict:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MZPRESS_")}
    environ.update(extra)
    return environ


def _deploy(site: Path | None, target: Path | None, **env) -> subprocess.CompletedProcess:
    extra = dict(env)
    if target is not None:
        extra["MZPRESS_DEPLOY_DIR"] = str(target)
    if site is not None:
        extra["MZPRESS_SITE_DIR"] = str(site)
    return subprocess.run([str(DEPLOY)], capture_output=True, text=True, env=_env(**extra), timeout=120)


def _mz(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mzpress.cli", *args], capture_output=True, text=True,
                          env=_env(), timeout=120, cwd=REPO_ROOT)


def _live(target: Path, name: str = "index.html") -> str:
    return (target / "current" / name).read_text(encoding="utf-8")


def test_deploy_switches_current_to_a_complete_copy_and_shares_unchanged_files(tmp_path):
    target = tmp_path / "www"
    first = _deploy(_site(tmp_path / "one", "第一版"), target)
    assert first.returncode == 0, first.stderr
    current = target / "current"
    assert current.is_symlink() and _live(target) == "<h1>第一版</h1>"
    assert not (current / MANIFEST_NAME).exists()  # the manifest lives outside the web root
    old_release = os.readlink(current)
    old_id = old_release.split("/")[1]
    assert (target / "manifests" / f"{old_id}.json").is_file() and old_id.endswith("-0123456789")
    second = _deploy(_site(tmp_path / "two", "第二版"), target)
    assert second.returncode == 0, second.stderr
    assert "复制2个，沿用上一版本1个" in second.stdout
    assert os.readlink(current) != old_release and _live(target, "stories/index.html") == "第二版"
    assert (target / old_release / "index.html").read_text(encoding="utf-8") == "<h1>第一版</h1>"  # kept
    shared_old, shared_new = target / old_release / "shared.css", current / "shared.css"
    assert os.stat(shared_old).st_ino == os.stat(shared_new).st_ino  # hard link
    assert os.stat(shared_new).st_mode & 0o777 == 0o444  # read-only
    assert not [p for p in target.rglob(".*")]  # no temporary leftovers
    listing = _mz("releases", "--to", str(target))
    assert listing.returncode == 0 and "共2个版本" in listing.stdout and "* " + os.readlink(current)[9:] in listing.stdout


def test_deploy_keeps_only_the_newest_releases_and_their_objects(tmp_path):
    target = tmp_path / "www"
    for number in range(4):
        result = _deploy(_site(tmp_path / f"s{number}", f"v{number}"), target, MZPRESS_KEEP_RELEASES="2")
        assert result.returncode == 0, result.stderr
    releases = sorted(p.name for p in (target / "releases").iterdir())
    assert len(releases) == 2 and f"releases/{releases[-1]}" == os.readlink(target / "current")
    assert sorted(p.stem for p in (target / "manifests").iterdir()) == releases
    wanted = {e.sha256 for r in releases for e in read_manifest(target / "manifests" / f"{r}.json").files.values()}
    assert {p.name for p in (target / "objects").rglob("*") if p.is_file()} == wanted
    assert _live(target) == "<h1>v3</h1>"


def test_deploy_refuses_bad_input_clearly(tmp_path):
    site = _site(tmp_path / "s", "x")
    cases = [
        (_deploy(site, None), 2, "MZPRESS_DEPLOY_DIR"),
        (_deploy(tmp_path / "missing", tmp_path / "w1"), 2, "scripts/build"),
        (_deploy(site, tmp_path / "w2", MZPRESS_KEEP_RELEASES="all"), 2, "MZPRESS_KEEP_RELEASES"),
    ]
    (tmp_path / "w3/current").mkdir(parents=True)
    (tmp_path / "w3/current/keep.html").write_text("旧网站", encoding="utf-8")
    cases.append((_deploy(site, tmp_path / "w3"), 2, "不是符号链接"))
    no_manifest = _site(tmp_path / "n", "n")
    (no_manifest / MANIFEST_NAME).unlink()
    cases.append((_deploy(no_manifest, tmp_path / "w4"), 1, "没有找到完整性清单"))
    changed = _site(tmp_path / "c", "c")
    (changed / "index.html").write_text("<h1>c!</h1>", encoding="utf-8")  # edited after the build
    (changed / "extra.html").write_text("多出来的", encoding="utf-8")
    (changed / "shared.css").unlink()
    cases.append((_deploy(changed, tmp_path / "w5"), 1, "与清单不符：index.html；清单中没有：extra.html；缺少：shared.css"))
    for result, code, text in cases:
        assert result.returncode == code and text in result.stderr, result.stderr
    assert (tmp_path / "w3/current/keep.html").read_text(encoding="utf-8") == "旧网站"
    for name in ("w1", "w4", "w5"):
        assert not os.path.lexists(tmp_path / name / "current")


def test_verify_detects_and_restores_tampering_and_rollback_switches_back(tmp_path):
    target = tmp_path / "www"
    assert _deploy(_site(tmp_path / "one", "第一版", extra_files=3), target).returncode == 0
    assert _deploy(_site(tmp_path / "two", "第二版", extra_files=3), target).returncode == 0
    clean = _mz("verify", str(target))
    assert clean.returncode == 0 and "全部文件与完整性清单一致" in clean.stdout
    live = target / "current"
    page = live / "shared.css"  # hard-linked with the first release
    data = bytearray(page.read_bytes())
    data[5] ^= 0x01  # one byte, same size, in place (the file is read-only; root or the owner can still write)
    os.chmod(page, 0o644)
    page.write_bytes(bytes(data))
    (live / "stories/evil.html").write_text("<script>篡改</script>", encoding="utf-8")
    (live / "stories/s2.html").unlink()
    found = _mz("verify", str(target))
    assert found.returncode == 1
    for line in ("被修改：shared.css", "被添加：stories/evil.html", "被删除：stories/s2.html", "--restore"):
        assert line in found.stdout + found.stderr
    restored = _mz("verify", str(target), "--restore")
    assert restored.returncode == 1 and "已恢复3处，复查通过" in restored.stdout, restored.stdout + restored.stderr
    evidence = list((target / "quarantine").rglob("evil.html"))
    assert len(evidence) == 1 and "篡改" in evidence[0].read_text(encoding="utf-8")
    assert _mz("verify", str(target)).returncode == 0
    assert (live / "shared.css").read_text(encoding="utf-8") == "body{color:#333}"
    # The in-place edit also changed the older release that shared the file: rollback repairs it first.
    back = _mz("rollback", "--to", str(target))
    assert back.returncode == 0 and "切换前恢复了" in back.stdout, back.stdout + back.stderr
    assert _live(target) == "<h1>第一版</h1>" and _mz("verify", str(target)).returncode == 0
    forward = _mz("rollback", "--to", str(target), "--release", "no-such")
    assert forward.returncode == 2 and "没有版本" in forward.stderr
    assert _mz("rollback", "--to", str(target)).returncode == 1  # nothing older than the first release


def test_a_deploy_killed_mid_copy_leaves_the_live_site_intact(tmp_path):
    target = tmp_path / "www"
    assert _deploy(_site(tmp_path / "one", "第一版"), target).returncode == 0
    before = os.readlink(target / "current")
    big = _site(tmp_path / "big", "第二版", extra_files=3000)
    process = subprocess.Popen([sys.executable, "-m", "mzpress.cli", "deploy", "--to", str(target), "--site", str(big)],
                               env=_env(), cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    killed = False
    while time.monotonic() < deadline and process.poll() is None:
        incoming = list((target / "releases").glob(".incoming-*/stories/*"))
        if len(incoming) > 10:
            process.send_signal(signal.SIGKILL)
            killed = True
            break
        time.sleep(0.002)
    process.wait()
    assert killed, "the deploy finished before it could be killed mid-copy"
    assert os.readlink(target / "current") == before and _live(target) == "<h1>第一版</h1>"
    assert list((target / "releases").glob(".incoming-*"))  # the half copy, never visible
    assert _mz("verify", str(target)).returncode == 0
    again = _deploy(big, target)
    assert again.returncode == 0, again.stderr
    assert _live(target) == "<h1>第二版</h1>" and not list((target / "releases").glob(".incoming-*"))
    assert _mz("verify", str(target)).returncode == 0


def test_a_full_disk_gives_a_clear_error_and_the_live_site_stays(tmp_path):
    target = tmp_path / "www"
    target.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(target)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("needs root to mount a small tmpfs: " + mounted.stderr.decode(errors="replace"))
    try:
        assert _deploy(_site(tmp_path / "one", "第一版"), target).returncode == 0
        before = os.readlink(target / "current")
        full = _deploy(_site(tmp_path / "big", "第二版", payload=os.urandom(3 * 1024 * 1024)), target)
        assert full.returncode == 1 and "磁盘空间不足" in full.stderr, full.stderr
        assert os.readlink(target / "current") == before and _live(target) == "<h1>第一版</h1>"
        assert not list(target.rglob(".*")) and len(list((target / "releases").iterdir())) == 1
        assert _mz("verify", str(target)).returncode == 0
        assert _deploy(_site(tmp_path / "three", "第三版"), target).returncode == 0
    finally:
        subprocess.run(["umount", str(target)], check=True)


def test_concurrent_deploys_wait_for_the_lock_and_never_mix(tmp_path):
    target = tmp_path / "www"
    assert _deploy(_site(tmp_path / "zero", "v0"), target).returncode == 0
    sites = [_site(tmp_path / f"s{n}", f"v{n}", extra_files=400) for n in (1, 2)]
    with open(target / "deploy.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another deploy is running
        busy = _mz("deploy", "--to", str(target), "--site", str(sites[0]), "--wait", "0.2")
        assert busy.returncode == 1 and "正在进行" in busy.stderr and "没有做任何改动" in busy.stderr
        processes = [subprocess.Popen([sys.executable, "-m", "mzpress.cli", "deploy", "--to", str(target),
                                       "--site", str(site)], env=_env(), cwd=REPO_ROOT, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True) for site in sites]
        # Hold the lock until both have started and said they wait (slow to start on a busy machine).
        first_lines = [p.stderr.readline() for p in processes]
        assert all("正在等待" in line for line in first_lines), first_lines
        assert _live(target) == "<h1>v0</h1>" and all(p.poll() is None for p in processes)
    outputs = [(out, first + err) for first, (out, err) in
               zip(first_lines, (p.communicate(timeout=120) for p in processes))]
    assert all(p.returncode == 0 for p in processes), outputs
    assert _live(target) in ("<h1>v1</h1>", "<h1>v2</h1>") and _mz("verify", str(target)).returncode == 0
    marker = _live(target)[4:6]
    assert {p.read_text(encoding="utf-8").split()[0] for p in (target / "current/stories").glob("s*.html")} == {marker}


def test_a_real_build_writes_a_manifest_and_a_failed_build_none(tmp_path):
    project = new_project(tmp_path / "project")
    add_story(project, 2025, "ceshi-gaojian", title="测试稿件", date="2025-03-01 09:00")
    site = tmp_path / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = read_manifest(site / MANIFEST_NAME)
    assert "stories/2025/ceshi-gaojian/index.html" in manifest.files and MANIFEST_NAME not in manifest.files
    target = tmp_path / "www"
    assert _mz("deploy", "--to", str(target), "--site", str(site)).returncode == 0
    add_story(project, 2025, "cuowu-gaojian", title="", date="2025-13-01 09:00")  # an error stops the build
    failed = build(project, site, strict=False)
    assert failed.returncode != 0 and not (site / MANIFEST_NAME).exists()
    refused = _mz("deploy", "--to", str(target), "--site", str(site))
    assert refused.returncode in (1, 2) and ("没有找到完整性清单" in refused.stderr or "scripts/build" in refused.stderr)
    assert _mz("verify", str(target)).returncode == 0


def test_the_systemd_units_run_verify_restore_every_five_minutes(tmp_path):
    timer = (REPO_ROOT / "deploy/mzpress-verify.timer").read_text(encoding="utf-8")
    assert "OnUnitActiveSec=5min" in timer and "WantedBy=timers.target" in timer
    service = (REPO_ROOT / "deploy/mzpress-verify.service").read_text(encoding="utf-8").splitlines()
    (exec_start,) = [line.split("=", 1)[1] for line in service if line.startswith("ExecStart=")]
    assert "Type=oneshot" in service
    target = tmp_path / "www"
    assert _deploy(_site(tmp_path / "one", "第一版"), target).returncode == 0
    page = target / "current/index.html"
    os.chmod(page, 0o644)
    page.write_text("<h1>篡改</h1>", encoding="utf-8")
    # systemd would run exactly this command line with the unit's Environment= lines (set to this test's paths)
    program, *args = shlex.split(exec_start)
    run = subprocess.run([program, *args], capture_output=True, text=True, timeout=120,
                         env=_env(MZPRESS_HOME=str(REPO_ROOT), MZPRESS_DEPLOY_DIR=str(target)))
    assert run.returncode == 1 and "被修改：index.html" in run.stdout and "复查通过" in run.stdout, run.stderr
    assert _live(target) == "<h1>第一版</h1>"
