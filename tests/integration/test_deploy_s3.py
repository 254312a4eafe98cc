"""``mzpress deploy/verify/releases/rollback --to s3://bucket/prefix`` against a real S3 server on loopback.

The server is moto in server mode (``ThreadedMotoServer``): real HTTP on 127.0.0.1 with SigV4,
conditional PUTs, CopyObject and listings. The product code only sees an endpoint URL. The commands
run as subprocesses; the tests look at and tamper with the bucket with plain boto3. Faults are real:
a SIGKILLed deploy, failures injected into the deploy's own HTTP calls, a lock held by another process.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError

from mzpress.deploy import object_storage_target
from mzpress.deploy.deploy_error import DeployError
from mzpress.deploy.object_storage_target import ObjectStorageTarget
from mzpress.publishing.manifest import build_manifest, write_manifest
from tests.support.project import REPO_ROOT

moto_server = pytest.importorskip("moto.server")

BUNDLE = "assets/javascripts/bundle.a5f9d56c.min.js"
STYLESHEET = "assets/stylesheets/main.57a0d79d.min.css"


@pytest.fixture(scope="module")
def endpoint():
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto logs every request otherwise
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _environ(endpoint: str, **extra) -> dict:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MZPRESS_", "AWS_"))}
    environ.update(MZPRESS_S3_ENDPOINT=endpoint, MZPRESS_S3_ADDRESSING="path", AWS_REGION="us-east-1",
                   AWS_ACCESS_KEY_ID="mzpress-test", AWS_SECRET_ACCESS_KEY="mzpress-test-secret")
    environ.update(extra)
    return {k: v for k, v in environ.items() if v is not None}


def _client(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="t",
                        aws_secret_access_key="t", config=Config(s3={"addressing_style": "path"}))


@pytest.fixture
def bucket(endpoint, request):
    name = "mz-" + hashlib.sha256(request.node.name.encode()).hexdigest()[:12]
    _client(endpoint).create_bucket(Bucket=name)
    return name


def _mz(endpoint: str, *args: str, **env) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "mzpress.cli", *args], capture_output=True, text=True,
                            env=_environ(endpoint, **env), timeout=120, cwd=REPO_ROOT)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _site(path: Path, marker: str, extra_files: int = 3, changed: int | None = None, payload: bytes = b"",
          style: str = "") -> Path:
    (path / "stories").mkdir(parents=True, exist_ok=True)
    (path / "assets/javascripts").mkdir(parents=True, exist_ok=True)
    (path / "assets/stylesheets").mkdir(parents=True, exist_ok=True)
    (path / "index.html").write_text(f"<h1>{marker}</h1>", encoding="utf-8")
    (path / "shared.css").write_text("body{color:#333}" + style, encoding="utf-8")
    (path / BUNDLE).write_text("console.log(1)", encoding="utf-8")
    (path / STYLESHEET).write_text("h1{font-weight:700}", encoding="utf-8")
    for number in range(extra_files):
        text = f"第{number}篇 " + "字" * 300 + ("（已更正）" if number == changed else "")
        (path / "stories" / f"s{number}.html").write_text(text, encoding="utf-8")
    if payload:
        (path / "big.bin").write_bytes(payload)
    write_manifest(path, build_manifest(path, "0123456789abcdef0123456789abcdef01234567",
                                        "2026-12-02T10:00:00+00:00", "0.1.0"))
    return path


def _deploy_here(endpoint: str, url: str, site: Path) -> None:
    """A set-up deploy in this process (the commands themselves are tested as subprocesses)."""
    with ObjectStorageTarget(url, _environ(endpoint)).session(exclusive=True, wait_s=5) as session:
        session.deploy(site, keep=5)


def _verified_clean(endpoint: str, url: str) -> bool:
    with ObjectStorageTarget(url, _environ(endpoint)).session(exclusive=False, wait_s=0) as session:
        return session.check_release(session.current_id())[1].clean


def _live(endpoint: str, bucket: str, prefix: str = "www/") -> dict[str, bytes]:
    """Every live object under ``prefix`` (without .mzpress/) and its bytes."""
    client = _client(endpoint)
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", ()):
            rel = item["Key"][len(prefix):]
            if not rel.startswith(".mzpress/"):
                found[rel] = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
    return found


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and not p.name.startswith(".mzpress")}


def _snapshot(endpoint: str, bucket: str) -> dict[str, str]:
    client = _client(endpoint)
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"]: item["ETag"] for page in pages for item in page.get("Contents", ())}


def test_s3_deploy_redeploy_verify_restore_and_rollback_end_to_end(endpoint, bucket, tmp_path):
    url = f"s3://{bucket}/www"
    one = _site(tmp_path / "one", "第一版")
    first = _mz(endpoint, "deploy", "--to", url, "--site", str(one))
    assert first.returncode == 0, first.stderr
    assert "上传了7个文件" in first.stdout and _live(endpoint, bucket) == _files(one)
    client = _client(endpoint)
    for path, content_type, cache in (
            ("index.html", "text/html; charset=utf-8", "public, max-age=60, must-revalidate"),
            ("shared.css", "text/css; charset=utf-8", "public, max-age=3600"),
            (BUNDLE, "application/javascript; charset=utf-8", "public, max-age=31536000, immutable")):
        head = client.head_object(Bucket=bucket, Key=f"www/{path}")
        assert (head["ContentType"], head["CacheControl"]) == (content_type, cache), path

    two = _site(tmp_path / "two", "第一版", changed=1)  # one story corrected
    second = _mz(endpoint, "deploy", "--to", url, "--site", str(two))
    assert second.returncode == 0, second.stderr
    assert "上传了1个文件" in second.stdout and "复制1个，沿用上一版本6个" in second.stdout
    assert _live(endpoint, bucket) == _files(two)
    listing = _mz(endpoint, "releases", "--to", url)
    assert listing.returncode == 0 and "共2个版本" in listing.stdout, listing.stdout
    clean = _mz(endpoint, "verify", "--to", url)
    assert clean.returncode == 0 and "全部文件与完整性清单一致" in clean.stdout, clean.stdout

    data = bytearray(two.joinpath("stories/s0.html").read_bytes())
    data[3] ^= 0x01  # one byte, same size
    client.put_object(Bucket=bucket, Key="www/stories/s0.html", Body=bytes(data), ContentType="text/html")
    client.put_object(Bucket=bucket, Key="www/stories/evil.html", Body="<script>篡改</script>".encode())
    client.delete_object(Bucket=bucket, Key="www/stories/s2.html")
    found = _mz(endpoint, "verify", "--to", url)
    assert found.returncode == 1, found.stdout + found.stderr
    for line in ("被修改：stories/s0.html", "被添加：stories/evil.html", "被删除：stories/s2.html"):
        assert line in found.stdout
    assert ".mzpress" not in found.stdout.replace(url, "")
    restored = _mz(endpoint, "verify", "--to", url, "--restore")
    assert restored.returncode == 1 and "已恢复3处，复查通过" in restored.stdout, restored.stdout + restored.stderr
    assert _live(endpoint, bucket) == _files(two)
    evidence = [key for key in _snapshot(endpoint, bucket) if "/.mzpress/quarantine/" in key]
    assert sorted(key.rsplit("/", 1)[1] for key in evidence) == ["evil.html", "s0.html"]

    back = _mz(endpoint, "rollback", "--to", url)
    assert back.returncode == 0, back.stderr
    assert _live(endpoint, bucket) == _files(one)  # the live bytes are the first release's again
    assert _verified_clean(endpoint, url)
    head = client.head_object(Bucket=bucket, Key="www/stories/s1.html")
    assert head["ContentType"] == "text/html; charset=utf-8"


def test_s3_dry_run_writes_nothing_and_the_deletion_cap_refuses_before_any_write(endpoint, bucket, tmp_path):
    url = f"s3://{bucket}/www"
    _deploy_here(endpoint, url, _site(tmp_path / "a", "甲", extra_files=6))
    before = _snapshot(endpoint, bucket)
    smaller = _site(tmp_path / "b", "乙", extra_files=1)
    plan = _mz(endpoint, "deploy", "--to", url, "--site", str(smaller), "--dry-run", "--max-deletes", "3")
    assert plan.returncode == 0, plan.stderr
    assert "上传1个文件" in plan.stdout and "删除5个" in plan.stdout and "删除：stories/s5.html" in plan.stdout
    assert "超过上限3个" in plan.stdout
    refused = _mz(endpoint, "deploy", "--to", url, "--site", str(smaller), "--max-deletes", "3")
    assert refused.returncode == 1 and "超过了上限3个" in refused.stderr and "--max-deletes 5" in refused.stderr
    assert _snapshot(endpoint, bucket) == before  # neither wrote anything (not even a lock)
    done = _mz(endpoint, "deploy", "--to", url, "--site", str(smaller), "--max-deletes", "5", "--keep", "1")
    assert done.returncode == 0 and "删除了新版本中已没有的文件5个" in done.stdout, done.stdout + done.stderr
    assert _live(endpoint, bucket) == _files(smaller)
    keys = _snapshot(endpoint, bucket)  # --keep 1: the first release and the objects only it used are gone
    manifests = [key for key in keys if "/.mzpress/manifests/" in key]
    objects = {key.rsplit("/", 1)[1] for key in keys if "/.mzpress/objects/" in key}
    assert len(manifests) == 1 and "已删除较早的版本1个" in done.stdout
    assert objects == {hashlib.sha256(data).hexdigest() for data in _files(smaller).values()}


def _fail_after(client, operation: str, calls: int, key_part: str = "") -> None:
    """From the ``calls + 1``-th ``operation`` on a key containing ``key_part``, the connection fails."""
    seen = []

    def fail(params, **_kwargs):
        if key_part in params.get("Key", ""):
            seen.append(params["Key"])
            if len(seen) > calls:
                raise EndpointConnectionError(endpoint_url="http://127.0.0.1:9 (injected)")

    client.meta.events.register(f"before-parameter-build.s3.{operation}", fail)


def test_s3_interrupted_deploys_keep_the_previous_version_served_and_the_next_deploy_succeeds(
        endpoint, bucket, tmp_path):
    url = f"s3://{bucket}/www"
    environ = _environ(endpoint)
    one = _site(tmp_path / "one", "第一版", extra_files=8)
    _deploy_here(endpoint, url, one)
    two = _site(tmp_path / "two", "第二版", extra_files=8, changed=3, payload=os.urandom(24 << 20))

    # SIGKILL in phase 1: the small objects are up, the big one is still travelling. Nothing live changes.
    before = set(_snapshot(endpoint, bucket))
    process = subprocess.Popen([sys.executable, "-m", "mzpress.cli", "deploy", "--to", url, "--site", str(two)],
                               env=environ, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    uploaded: list[str] = []
    while time.monotonic() < deadline and process.poll() is None and not uploaded:
        uploaded = [key for key in _snapshot(endpoint, bucket) if key not in before and "/objects/" in key]
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL, "the deploy finished before it could be interrupted"
    big = hashlib.sha256(two.joinpath("big.bin").read_bytes()).hexdigest()
    assert uploaded and f"www/.mzpress/objects/{big}" not in _snapshot(endpoint, bucket)  # killed mid-phase-1
    assert _live(endpoint, bucket) == _files(one) and _verified_clean(endpoint, url)

    # Failures injected into the deploy's own requests: in phase 1 (uploads), then in phase 2 (copies).
    three = _site(tmp_path / "three", "第三版", extra_files=8, changed=5, style="a{color:#036}")
    target = ObjectStorageTarget(url, environ)
    with target.session(exclusive=True, wait_s=5) as session:  # takes over the killed deploy's lock
        _fail_after(session.client, "PutObject", 1, "/.mzpress/objects/")
        with pytest.raises(DeployError, match="无法连接"):
            session.deploy(three, keep=5)
    assert _live(endpoint, bucket) == _files(one)
    with target.session(exclusive=True, wait_s=5) as session:
        _fail_after(session.client, "CopyObject", 1)
        with pytest.raises(DeployError, match="无法连接"):
            session.deploy(three, keep=5)
    live = _live(endpoint, bucket)
    assert live["shared.css"] == _files(three)["shared.css"]  # assets first ...
    assert live["index.html"] == _files(one)["index.html"]  # ... pages last: the old page is still served

    done = _mz(endpoint, "deploy", "--to", url, "--site", str(three), "--wait", "5")
    assert done.returncode == 0, done.stderr
    assert _live(endpoint, bucket) == _files(three) and _verified_clean(endpoint, url)
    assert "www/.mzpress/deploy.lock" not in _snapshot(endpoint, bucket)


def test_s3_second_deploy_waits_for_the_lock_then_fails_clearly_and_a_stale_lock_is_taken_over(
        endpoint, bucket, tmp_path, monkeypatch):
    url = f"s3://{bucket}/www"
    site = _site(tmp_path / "s", "甲", extra_files=1)
    _deploy_here(endpoint, url, site)
    target = ObjectStorageTarget(url, _environ(endpoint))
    monkeypatch.setattr(object_storage_target, "_LOCK_RENEW_S", 0.2)
    client = _client(endpoint)

    def holder() -> dict:
        return json.loads(client.get_object(Bucket=bucket, Key="www/.mzpress/deploy.lock")["Body"].read())

    with target.session(exclusive=True, wait_s=1):
        first = holder()
        client.put_object(Bucket=bucket, Key="www/index.html", Body=b"<h1>half-way</h1>")  # as in a deploy's phase 2
        started = time.monotonic()
        blocked = _mz(endpoint, "deploy", "--to", url, "--site", str(site), "--wait", "1")
        assert time.monotonic() - started >= 1
        busy = _mz(endpoint, "verify", "--to", url)
        renewed = holder()
    assert blocked.returncode == 1, blocked.stderr
    assert "正在等待它结束" in blocked.stderr and "另一个发布、回滚或恢复正在进行" in blocked.stderr
    assert busy.returncode == 1 and "正在发布、回滚或恢复" in busy.stderr and "不作结论" in busy.stderr
    assert renewed["id"] == first["id"] and renewed["expires"] > first["expires"]  # the heartbeat renewed it

    stale = {"host": "ci-runner-7", "pid": 4242, "id": "x", "expires": time.time() - 1}
    client.put_object(Bucket=bucket, Key="www/.mzpress/deploy.lock", Body=json.dumps(stale).encode())
    taken = _mz(endpoint, "deploy", "--to", url, "--site", str(site), "--wait", "0")
    assert taken.returncode == 0, taken.stderr
    assert "复制1个" in taken.stdout  # index.html, changed in place, is put back; the rest is kept
    assert _live(endpoint, bucket) == _files(site)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_s3_bad_address_credentials_endpoint_or_bucket_give_a_chinese_error(endpoint, tmp_path):
    site = _site(tmp_path / "s", "甲", extra_files=0)
    site_args = ("--site", str(site))
    expected = [(2, "存储桶名“Bad_Bucket”无效"), (2, "AWS_ACCESS_KEY_ID"), (1, "无法连接对象存储服务"),
                (2, "存储桶“no-such-bucket-here”不存在")]
    results = [_mz(endpoint, "deploy", "--to", "s3://Bad_Bucket/www", *site_args),
               _mz(endpoint, "verify", "--to", "s3://mz-site/www", AWS_ACCESS_KEY_ID=None),
               _mz(f"http://127.0.0.1:{_closed_port()}", "deploy", "--to", "s3://mz-site/www", *site_args,
                   AWS_MAX_ATTEMPTS="1"),
               _mz(endpoint, "deploy", "--to", "s3://no-such-bucket-here/www", *site_args)]
    for result, (code, text) in zip(results, expected, strict=True):
        assert result.returncode == code and text in result.stderr and "修改建议：" in result.stderr, result.stderr
    for url, extra, text in (("s3://mz-site/a/../b", {}, "前缀“a/../b”无效"), ("s3://ab/www", {}, "存储桶名“ab”无效"),
                             ("s3://k:s@mz-site/www", {}, "访问密钥不要写在地址里"),
                             ("s3://mz-site/.mzpress", {}, "前缀不能以 .mzpress 开头"),
                             ("s3://mz-site/www", {"MZPRESS_S3_ADDRESSING": "dns"}, "MZPRESS_S3_ADDRESSING"),
                             ("s3://mz-site/www", {"MZPRESS_S3_ENDPOINT": "oss-cn-hangzhou"}, "服务地址")):
        with pytest.raises(DeployError, match=text) as caught:
            ObjectStorageTarget(url, _environ(endpoint, **extra))
        assert caught.value.code == 2


def test_s3_wrong_keys_or_missing_permissions_give_a_chinese_error_with_the_fix(endpoint, bucket):
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="t",
                       aws_secret_access_key="t")
    iam.create_user(UserName="deployer")
    key = iam.create_access_key(UserName="deployer")["AccessKey"]  # a real key, without any permission
    url = f"s3://{bucket}/www"
    requests.post(f"{endpoint}/moto-api/reset-auth", data=b"0", timeout=10).raise_for_status()  # check signatures
    try:
        results = [_mz(endpoint, "releases", "--to", url, AWS_ACCESS_KEY_ID="AKIANOTAREALKEY12345"),
                   _mz(endpoint, "releases", "--to", url, AWS_ACCESS_KEY_ID=key["AccessKeyId"],
                       AWS_SECRET_ACCESS_KEY="wrong-secret"),
                   _mz(endpoint, "releases", "--to", url, AWS_ACCESS_KEY_ID=key["AccessKeyId"],
                       AWS_SECRET_ACCESS_KEY=key["SecretAccessKey"])]
    finally:
        requests.post(f"{endpoint}/moto-api/reset-auth", data=b"inf", timeout=10).raise_for_status()
    expected = [(2, "不认可访问密钥 AWS_ACCESS_KEY_ID"), (2, "AWS_SECRET_ACCESS_KEY 不正确"), (1, "被拒绝访问")]
    for result, (code, text) in zip(results, expected, strict=True):
        assert result.returncode == code and text in result.stderr and "修改建议：" in result.stderr, result.stderr
