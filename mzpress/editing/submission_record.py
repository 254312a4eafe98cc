"""Recording a submission (报送) in a story's front matter: one ``submitted_to`` entry, nothing else touched.

``mzpress export FILE --for … --to OUTLET --record`` adds::

    submitted_to:
      - {outlet: city-mz-site, date: 2026-12-08, kind: text}

at the end of the front matter, or one more item under an existing ``submitted_to:`` list. Every other
byte of the file stays as it was (line endings included); a list written in flow style
(``submitted_to: [{…}]``) is rewritten as the block list above with the same entries. A story that
already records the same outlet and kind is left alone (a story is sent to an outlet once).
The caller keeps the original first (:func:`mzpress.editing.in_place.rewrite`).
"""

from __future__ import annotations

import datetime as dt
import re

from mzpress.model.findings import FindingsError, error
from mzpress.model.frontmatter import split
from mzpress.model.outlets import DEFAULT_KIND
from mzpress.model.yaml_source import LineDict, LineList

FIELD = "submitted_to"
_KEY_LINE = re.compile(rf"^{FIELD}\s*:(?P<rest>.*)$")
_TOP_LEVEL_KEY = re.compile(r"^[^\s#-][^:]*:")
_PLAIN_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")


def entry_line(outlet: str, date: dt.date, kind: str = DEFAULT_KIND) -> str:
    """``{outlet: city-mz-site, date: 2026-12-08, kind: text}`` (outlet ids and kinds are plain words)."""
    return f"{{outlet: {outlet}, date: {date.isoformat()}, kind: {kind}}}"


def recorded(meta: LineDict, outlet: str, kind: str) -> str | None:
    """The date of an existing entry for ``outlet`` and ``kind`` as written, or None."""
    entries = meta.get(FIELD)
    if not isinstance(entries, list):
        return None
    for item in entries:
        if isinstance(item, dict) and str(item.get("outlet", "")).strip() == outlet \
                and str(item.get("kind") or DEFAULT_KIND).strip() == kind:
            return str(item.get("date", ""))
    return None


def _flow_entries(value) -> list[str] | None:
    """The entries of an existing list as block items, or None when one cannot be written back as it was."""
    if not isinstance(value, LineList):
        return None
    lines = []
    for item in value:
        if not isinstance(item, dict):
            return None
        parts = []
        for key, raw in item.items():
            text = raw.isoformat() if isinstance(raw, dt.date) else str(raw)
            if not _PLAIN_VALUE.match(str(key)) or not _PLAIN_VALUE.match(text):
                return None
            parts.append(f"{key}: {text}")
        lines.append("{" + ", ".join(parts) + "}")
    return lines


def record_submission(text: str, relpath: str, outlet: str, date: dt.date, kind: str = DEFAULT_KIND) -> str | None:
    """``text`` with the submission added, or None when the story already records it.

    Raises :class:`FindingsError` when the front matter is missing or broken, or when an existing
    ``submitted_to`` cannot be extended without rewriting what the writer wrote."""
    document = split(text, relpath)  # raises with file:line when the front matter is broken
    if recorded(document.meta, outlet, kind) is not None:
        return None
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    closing = next(i for i in range(1, len(lines)) if lines[i].rstrip("\r\n") == "---")
    item = entry_line(outlet, date, kind)
    key_index = next((i for i in range(1, closing) if _KEY_LINE.match(lines[i].rstrip("\r\n"))), None)
    if key_index is None:
        block = f"{FIELD}:{newline}  - {item}{newline}"
        return "".join(lines[:closing]) + block + "".join(lines[closing:])
    end = key_index + 1  # the lines of the value: indented, list items, blank lines and comments
    while end < closing and not _TOP_LEVEL_KEY.match(lines[end]):
        end += 1
    while end - 1 > key_index and not lines[end - 1].strip():
        end -= 1
    rest = _KEY_LINE.match(lines[key_index].rstrip("\r\n")).group("rest").split("#", 1)[0].strip()
    if not rest:  # a block list: one more item, indented as the first one
        items = [line for line in lines[key_index + 1:end] if line.lstrip().startswith("- ")]
        indent = items[0][:len(items[0]) - len(items[0].lstrip())] if items else "  "
        return "".join(lines[:end]) + f"{indent}- {item}{newline}" + "".join(lines[end:])
    existing = _flow_entries(document.meta.get(FIELD))
    if existing is None:
        raise FindingsError([error(
            "submitted_to.format", relpath, key_index + 1,
            "信息区的报送记录（submitted_to）写法不对，无法自动添加新的报送记录。",
            f"把这一项改成每条一行的写法，例如{newline}submitted_to:{newline}  - {item}")])
    block = f"{FIELD}:{newline}" + "".join(f"  - {entry}{newline}" for entry in [*existing, item])
    return "".join(lines[:key_index]) + block + "".join(lines[end:])
