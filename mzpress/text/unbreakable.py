"""Phone numbers and dates that a line break must not split (“0000-/0000000”, “2026-/12-05”).

Browsers may break a line after the hyphen of ``0797-1234567`` or ``2026-12-05``; on a phone a
reader then sees half a number on each line. :func:`keep_together` wraps each such number in the
rendered HTML of a page in ``<span class="mz-nowrap">`` (``white-space: nowrap`` in mzpress.css).
Only text between tags is touched, never attributes, and nothing inside ``code``, ``pre``,
``script``, ``style`` or ``textarea``.
"""

from __future__ import annotations

import re

NOWRAP_CLASS = "mz-nowrap"
_PHONE = r"(?:0\d{2,3}-\d{7,8}(?:-\d{1,5})?|[48]00-\d{3}-\d{4})"
_DATE = r"(?:(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?: \d{1,2}:\d{2})?)"
_NUMBER = re.compile(rf"(?<![0-9A-Za-z_-])(?:{_PHONE}|{_DATE})(?![0-9A-Za-z_-])")
_OPEN = f'<span class="{NOWRAP_CLASS}">'
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*>|<!--.*?-->", re.S)
_RAW = frozenset({"code", "pre", "script", "style", "textarea"})


def _wrap(text: str) -> str:
    if "-" not in text:
        return text
    return _NUMBER.sub(lambda m: f"{_OPEN}{m.group(0)}</span>", text)


def keep_together(html: str) -> str:
    """``html`` with every phone number and date outside code wrapped so that it stays on one line."""
    if "-" not in html:
        return html
    out: list[str] = []
    raw_depth = 0
    position = 0
    for tag in _TAG.finditer(html):
        text = html[position:tag.start()]
        kept = raw_depth or (out and out[-1] == _OPEN)  # code, or a number wrapped already
        out.append(text if kept else _wrap(text))
        out.append(tag.group(0))
        name = (tag.group(2) or "").lower()
        if name in _RAW:
            raw_depth = max(0, raw_depth + (-1 if tag.group(1) else 1))
        position = tag.end()
    tail = html[position:]
    out.append(tail if raw_depth else _wrap(tail))
    return "".join(out)
