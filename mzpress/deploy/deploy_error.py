"""The one error of the deploy layer: a Chinese message, a Chinese suggestion and an exit code."""

from __future__ import annotations

import errno

USAGE = 2  # exit code: the command cannot run as given (bad target, bad option)
FAILED = 1  # exit code: refused or failed; the live site is unchanged

_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}


class DeployError(Exception):
    def __init__(self, message: str, suggestion: str, code: int = FAILED):
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion
        self.code = code


class MissingTarget(DeployError):
    """The release folder does not exist (yet): nothing has been deployed there."""

    def __init__(self, message: str, suggestion: str):
        super().__init__(message, suggestion, USAGE)


def storage_error(exc: OSError, doing: str) -> DeployError:
    """A clear error for an OSError while ``doing`` something (e.g. "复制网站文件"), full disks first."""
    where = f"（{exc.filename}）" if exc.filename else ""
    if exc.errno in _NO_SPACE:
        return DeployError(f"{doing}时磁盘空间不足{where}。",
                           "清理发布目录所在磁盘的空间（或用 --keep 少保留几个旧版本）后重新运行。")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return DeployError(f"{doing}时没有写入权限{where}：{exc.strerror}。",
                           "用有权限的用户运行，或检查发布目录的属主和权限。")
    return DeployError(f"{doing}时出错{where}：{exc.strerror or exc}。", "排除上面的问题后重新运行。")
