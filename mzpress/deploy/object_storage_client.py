"""The S3 connection of ``s3://bucket/prefix`` targets: the address, settings from the environment, errors.

Settings (the names Aliyun OSS, Tencent COS, MinIO and AWS tools accept):

    MZPRESS_S3_ENDPOINT or AWS_ENDPOINT_URL     e.g. https://oss-cn-hangzhou.aliyuncs.com (default: AWS S3)
    AWS_REGION or AWS_DEFAULT_REGION            default us-east-1
    AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY    required; AWS_SESSION_TOKEN for temporary keys (STS)
    MZPRESS_S3_ADDRESSING                       virtual (default: OSS and COS need it) or path (MinIO)
    AWS_MAX_ATTEMPTS                            attempts per request (default 3)

boto3 1.36 and later send CRC checksums with aws-chunked bodies by default, which OSS, COS and
older MinIO reject: checksums are sent only when an operation requires them, and every upload
carries Content-MD5 instead. Every botocore error becomes a :class:`DeployError` in Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from mzpress.deploy.deploy_error import USAGE, DeployError

_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IP = re.compile(r"^\d+\.\d+\.\d+\.\d+$")
ADDRESSING = ("virtual", "path")
CONTROL_DIR = ".mzpress"  # the folder of mzpress's own objects under the prefix


@dataclass(frozen=True, slots=True)
class S3Address:
    bucket: str
    prefix: str  # "" or ending in "/", e.g. "www/"

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"


def parse_s3_url(url: str) -> S3Address:
    """``s3://bucket[/prefix]`` checked against the bucket naming rules, or DeployError (USAGE)."""
    example = "地址格式为 s3://存储桶/前缀，例如 s3://mz-site/www；存储桶名由3到63个小写字母、数字、连字符和点组成。"
    head, separator, rest = url.partition("://")
    if head.lower() != "s3" or not separator:
        raise DeployError(f"“{url}”不是对象存储地址。", example, USAGE)
    if any(mark in rest for mark in "?#@\\") or any(ord(c) < 32 for c in rest):
        raise DeployError(f"对象存储地址“{url}”中不能有 ?、#、@、反斜杠或控制字符（访问密钥不要写在地址里）。",
                          example + "访问密钥用环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY 提供。", USAGE)
    bucket, _, prefix = rest.partition("/")
    if not _BUCKET.match(bucket) or ".." in bucket or ".-" in bucket or "-." in bucket or _IP.match(bucket):
        raise DeployError(f"存储桶名“{bucket}”无效。", example, USAGE)
    prefix = prefix.strip("/")
    parts = prefix.split("/") if prefix else []
    if any(part in ("", ".", "..") for part in parts):
        raise DeployError(f"对象存储地址“{url}”的前缀“{prefix}”无效（不能有空的一级、. 或 ..）。", example, USAGE)
    if parts and parts[0] == CONTROL_DIR:
        raise DeployError(f"前缀不能以 {CONTROL_DIR} 开头（“{url}”）。", f"{CONTROL_DIR}/ 是 mzpress 保存版本的位置。", USAGE)
    return S3Address(bucket, prefix + "/" if prefix else "")


@dataclass(frozen=True, slots=True)
class S3Settings:
    endpoint: str | None
    region: str
    access_key: str
    secret_key: str
    session_token: str | None
    addressing: str
    attempts: int

    @property
    def endpoint_name(self) -> str:
        return self.endpoint or f"AWS S3（{self.region}）"


def settings_from(environ) -> S3Settings:
    """The connection settings in ``environ``; DeployError (USAGE) when they are missing or invalid."""
    endpoint = (environ.get("MZPRESS_S3_ENDPOINT") or environ.get("AWS_ENDPOINT_URL") or "").strip() or None
    if endpoint is not None and not re.match(r"^https?://[^/\s]+/?$", endpoint):
        raise DeployError(f"对象存储服务地址“{endpoint}”无效。",
                          "MZPRESS_S3_ENDPOINT 应当形如 https://oss-cn-hangzhou.aliyuncs.com"
                          "（只写协议和主机名，存储桶写在 s3:// 地址里）。", USAGE)
    region = (environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or "us-east-1").strip()
    access_key = environ.get("AWS_ACCESS_KEY_ID", "").strip()
    secret_key = environ.get("AWS_SECRET_ACCESS_KEY", "").strip()
    if not access_key or not secret_key:
        raise DeployError("没有对象存储的访问密钥（环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY）。",
                          "在云服务控制台为发布专用的子账号（RAM 用户）创建访问密钥，"
                          "用这两个环境变量提供（在 CI 中放在 secrets 里）。", USAGE)
    addressing = (environ.get("MZPRESS_S3_ADDRESSING") or "virtual").strip().lower()
    if addressing not in ADDRESSING:
        raise DeployError(f"MZPRESS_S3_ADDRESSING 的值“{addressing}”无效。",
                          "用 virtual（阿里云 OSS、腾讯云 COS、AWS）或 path（MinIO 等自建服务）。", USAGE)
    attempts_text = (environ.get("AWS_MAX_ATTEMPTS") or "3").strip()
    if not attempts_text.isdigit() or not 1 <= int(attempts_text) <= 10:
        raise DeployError(f"AWS_MAX_ATTEMPTS 的值“{attempts_text}”无效。", "用1到10之间的整数（默认3）。", USAGE)
    return S3Settings(endpoint.rstrip("/") if endpoint else None, region, access_key, secret_key,
                      environ.get("AWS_SESSION_TOKEN") or None, addressing, int(attempts_text))


def make_client(settings: S3Settings):
    """A boto3 S3 client for ``settings`` (thread-safe: the deploy uploads from several threads)."""
    import boto3
    from botocore.config import Config

    config = Config(
        request_checksum_calculation="when_required", response_checksum_validation="when_required",
        s3={"addressing_style": settings.addressing}, retries={"max_attempts": settings.attempts, "mode": "standard"},
        connect_timeout=10, read_timeout=60, max_pool_connections=16)
    return boto3.session.Session().client(
        "s3", endpoint_url=settings.endpoint, region_name=settings.region, aws_access_key_id=settings.access_key,
        aws_secret_access_key=settings.secret_key, aws_session_token=settings.session_token, config=config)


def error_code(exc: BaseException) -> str | None:
    """The S3 error code of a ClientError (``NoSuchKey``, ``PreconditionFailed`` ...), else None."""
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return None
    error = response.get("Error") or {}
    return str(error.get("Code")) if error.get("Code") is not None else None


def translate(exc: BaseException, doing: str, address: S3Address, settings: S3Settings) -> DeployError | None:
    """The DeployError for a botocore exception raised while ``doing`` something; None if it is not one."""
    from botocore import exceptions as bx

    where = settings.endpoint_name
    if isinstance(exc, bx.EndpointConnectionError | bx.ConnectTimeoutError | bx.ConnectionClosedError
                  | bx.ReadTimeoutError | bx.ProxyConnectionError | bx.SSLError | bx.HTTPClientError):
        return DeployError(f"{doing}时无法连接对象存储服务 {where}：{exc}。",
                           "检查 MZPRESS_S3_ENDPOINT（或 AWS_ENDPOINT_URL）是否正确、网络是否连通，然后重新运行；"
                           "线上网站没有变化。")
    if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError):
        return DeployError("没有对象存储的访问密钥。", "设置环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY。", USAGE)
    if isinstance(exc, bx.ParamValidationError):
        return DeployError(f"{doing}时参数无效：{exc}。", "请报告这个问题。")
    if not isinstance(exc, bx.ClientError):
        return DeployError(f"{doing}时对象存储出错：{exc}。", "排除上面的问题后重新运行。") \
            if isinstance(exc, bx.BotoCoreError) else None
    code = error_code(exc) or "?"
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    message = exc.response.get("Error", {}).get("Message") or ""
    if code == "NoSuchBucket":
        return DeployError(f"存储桶“{address.bucket}”不存在（{where}）。",
                           "先在云服务控制台创建存储桶；或检查 s3:// 地址、MZPRESS_S3_ENDPOINT 和 AWS_REGION（地域）。",
                           USAGE)
    if code in ("InvalidAccessKeyId", "InvalidAccessKeyID"):
        return DeployError(f"对象存储不认可访问密钥 AWS_ACCESS_KEY_ID（{where}）。",
                           "检查 AWS_ACCESS_KEY_ID 是否正确、是否已停用，以及服务地址是否是这个密钥所属的云服务。", USAGE)
    if code == "SignatureDoesNotMatch":
        return DeployError(f"对象存储拒绝了请求签名：AWS_SECRET_ACCESS_KEY 不正确（{where}）。",
                           "检查 AWS_SECRET_ACCESS_KEY 是否与 AWS_ACCESS_KEY_ID 配套，注意不要多复制空格。", USAGE)
    if code in ("AccessDenied", "Forbidden", "403") or status == 403:
        return DeployError(f"{doing}时被拒绝访问：这个访问密钥没有存储桶“{address.bucket}”的相应权限（{where}）。",
                           f"给发布用的子账号授予对 {address.bucket}/{address.prefix}* 的读、写、删除和列举权限。")
    if code in ("PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException"):
        return DeployError(f"存储桶“{address.bucket}”不在所设的地域或服务地址上（{where}）。",
                           "把 MZPRESS_S3_ENDPOINT 和 AWS_REGION 改为存储桶所在地域的地址。", USAGE)
    return DeployError(f"{doing}时对象存储返回错误 {code}（HTTP {status}）：{message}",
                       "排除上面的问题后重新运行；线上网站保持上一次完整发布的状态。")


@contextmanager
def translating(doing: str, address: S3Address, settings: S3Settings) -> Iterator[None]:
    """Turn a botocore exception inside the block into a :class:`DeployError`."""
    try:
        yield
    except DeployError:
        raise
    except Exception as exc:
        error = translate(exc, doing, address, settings)
        if error is None:
            raise
        raise error from None
