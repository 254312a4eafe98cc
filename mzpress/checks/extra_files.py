"""Files a site allows with ``content.extra_files`` (videos, audio, archives, icons): treated by their type.

Such a file is published as it is, so it must be what its ending says (the file signature of
:data:`mzpress.model.content_files.EXTRA_KINDS`: a page renamed to ``.mp4`` is refused) and no
larger than :data:`MAX_EXTRA_BYTES`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mzpress.checks.context import CheckContext
from mzpress.model.content import CONTENT_DIR
from mzpress.model.content_files import EXTRA_KINDS, Kind, kind_of, suffix_of
from mzpress.model.findings import Finding, error

MAX_EXTRA_BYTES = 200 * 1024 * 1024


def check_extra_file(path: Path, relpath: str, ctx: CheckContext) -> Iterable[Finding]:
    """Attachment check for files under content/ that ``content.extra_files`` allows."""
    prefix = CONTENT_DIR + "/"
    if ctx.config is None or not relpath.startswith(prefix):
        return
    if kind_of(relpath[len(prefix):], ctx.config.site.content.extra_files) != Kind.EXTRA:
        return
    label, signatures = EXTRA_KINDS[suffix_of(path.name)]
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        yield error("content.extra-file", relpath, None, f"文件无法读取：{exc.strerror or exc}。", "重新复制一份。")
        return
    if size > MAX_EXTRA_BYTES:
        yield error("content.extra-file", relpath, None,
                    f"{label}有{size // (1024 * 1024)}MB，超过了{MAX_EXTRA_BYTES // (1024 * 1024)}MB。",
                    "压缩后再放到网站上，或放到单位的视频号、网盘等平台后在稿件里写明获取方式。")
    if not any(head[offset:offset + len(magic)] == magic for offset, magic in signatures):
        yield error("content.extra-file", relpath, None, f"这个文件的内容不是{label}，与扩展名“{path.suffix}”不符。",
                    "换成真正的该类型文件，或删除它。")
