"""Repairing the encoding of a writer's text file (``mzpress fix-encoding``).

Converts GBK/GB18030 (WPS, old Notepad) and UTF-16 (Notepad's “Unicode”) to UTF-8,
removes a BOM, zero-width characters and control characters. A file that is neither
UTF-8, UTF-16 with a BOM nor Chinese GB18030 is left alone: guessing would corrupt it.
What counts as which is the scanning policy of ``mzpress.model.source_text.decode_text``, the
decoder ``mzpress check`` and ``mzpress scan`` use too, so a file the check says looks like GBK
is a file this converts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mzpress.editing.in_place import rewrite
from mzpress.model.source_text import (
    CONTROL_PATTERN,
    GB18030,
    UTF16_BOMS,
    ZERO_WIDTH_PATTERN,
    Policy,
    decode_text,
)

# Files fix-encoding is willing to touch.
TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".csv", ".yml", ".yaml"})


@dataclass
class Repair:
    """What repairing some bytes did: the new bytes, the steps taken (in Chinese), or why not."""

    data: bytes | None = None
    actions: list[str] = field(default_factory=list)
    problem: str | None = None

    @property
    def changed(self) -> bool:
        return self.data is not None and bool(self.actions)


def _lines_of(text: str, pattern) -> list[int]:
    lines: list[int] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if pattern.search(line):
            lines.append(number)
    return lines


def _line_list(lines: list[int]) -> str:
    shown = "、".join(str(n) for n in lines[:8])
    return f"第{shown}行" + ("等" if len(lines) > 8 else "")


def _decode(raw: bytes, actions: list[str]) -> str | None:
    decoded = decode_text(raw, policy=Policy.SCAN)
    if decoded.text is None:
        return None
    if decoded.encoding in UTF16_BOMS.values():
        actions.append("把 UTF-16（记事本“Unicode”）编码转换为 UTF-8")
        return decoded.text
    if decoded.had_bom:
        actions.append("去掉文件开头的 BOM 标记")
    if decoded.encoding == GB18030:
        actions.append("把 GBK/GB18030 编码转换为 UTF-8")
    return decoded.text


def repair_bytes(raw: bytes) -> Repair:
    """The repaired UTF-8 bytes of a text file, or a problem when it cannot be read safely."""
    actions: list[str] = []
    text = _decode(raw, actions)
    if text is None:
        return Repair(problem="文件既不是 UTF-8，也不是 GBK/GB18030 编码的中文文本（可能是图片、Word 文档或其他格式），"
                              "为避免损坏，没有做任何修改。")
    zero_width = ZERO_WIDTH_PATTERN.findall(text)
    if zero_width:
        actions.append(f"删除{len(zero_width)}个零宽字符（{_line_list(_lines_of(text, ZERO_WIDTH_PATTERN))}）")
        text = ZERO_WIDTH_PATTERN.sub("", text)
    controls = CONTROL_PATTERN.findall(text)
    if controls:
        actions.append(f"删除{len(controls)}个控制字符（{_line_list(_lines_of(text, CONTROL_PATTERN))}）")
        text = CONTROL_PATTERN.sub("", text)
    return Repair(data=text.encode("utf-8"), actions=actions)


@dataclass
class FileRepair:
    path: Path
    repair: Repair
    backup: Path | None = None


def repair_file(path: Path) -> FileRepair:
    """Repair ``path`` in place, keeping a backup of the original first (``backups.write_backup``: under
    ``.mzpress-backup/`` in a project, ``FILE.bak`` outside one; never overwriting a backup)."""
    path = Path(path)
    repair = repair_bytes(path.read_bytes())
    if not repair.changed:
        return FileRepair(path, repair)
    backup = rewrite(path, repair.data, git_is_backup=False)
    return FileRepair(path, repair, backup)
