"""Which target a ``--to`` address opens: a local folder, ``ssh://user@host/path`` or ``s3://bucket/prefix``.

The targets themselves implement the session interface of :mod:`mzpress.deploy.release_target`
(:class:`~mzpress.deploy.release_target.LocalTarget`, :class:`~mzpress.deploy.ssh_target.SshTarget`,
:class:`~mzpress.deploy.object_storage_target.ObjectStorageTarget`); this module is the one place that knows
all three, and nothing below it imports it.
"""

from __future__ import annotations

from mzpress.deploy.deploy_error import USAGE, DeployError
from mzpress.deploy.release_target import LocalTarget

REMOTE_SCHEMES = ("ssh", "s3")


def scheme_of(target: str) -> str | None:
    """``ssh`` or ``s3`` for a remote target, None for a local folder."""
    head, separator, _ = target.partition("://")
    return head.lower() if separator and head.lower() in REMOTE_SCHEMES else None


def open_target(target: str, environ: dict[str, str] | None = None):
    """The target named by ``--to``: imported lazily, so a local deploy needs neither ssh nor boto3."""
    scheme = scheme_of(target)
    if scheme == "ssh":
        from mzpress.deploy.ssh_target import SshTarget

        return SshTarget(target, environ)
    if scheme == "s3":
        from mzpress.deploy.object_storage_target import ObjectStorageTarget

        return ObjectStorageTarget(target, environ)
    head, separator, _ = target.partition("://")
    if separator and "/" not in head:
        raise DeployError(f"不支持的发布地址“{target}”。",
                          "发布目录可以是本机目录、ssh://用户@服务器/目录 或 s3://存储桶/前缀。", USAGE)
    return LocalTarget(target)
