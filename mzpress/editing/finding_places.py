"""Where in the browser editor a finding belongs: the field or the paragraph of the body, not a line number.

A writer in the editor never sees the saved file, so "第10行" tells them nothing. ``finding_place(page, line)``
turns the line of a finding in the page the editor saved (front matter, then Markdown) into the place the
writer sees: a front-matter field by its Chinese label as the editor shows it (``「摘要」``), or the body's
paragraph (``正文第2段``; every block between blank lines counts, headings and pictures included, as the
editor shows them one under the other). Pure: the editor's backend (``adapters/mkdocs/editor_api.py``) sends the
place with each finding and the editor page puts the message next to that field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mzpress.model.schema import RECORDED_FIELDS, SCHEMAS
from mzpress.text.markdown_regions import front_matter_line_count

BODY = "body"
# Every front-matter field the editor offers, by its schema name, with the label the editor shows.
FIELD_LABELS: dict[str, str] = {spec.name: spec.label for specs in (*SCHEMAS.values(), *RECORDED_FIELDS.values())
                                for spec in specs}
FIELD_LABELS[BODY] = "正文"
_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")


@dataclass(frozen=True)
class FindingPlace:
    field: str  # the front-matter key, or "body"
    label: str  # the field's name in the editor: 标题, 摘要, 正文
    paragraph: int | None = None  # the body's block, from 1

    @property
    def phrase(self) -> str:
        """The place in a sentence of the editor's list: ``「摘要」``, ``正文第2段``."""
        if self.field != BODY:
            return f"「{self.label}」"
        return f"正文第{self.paragraph}段" if self.paragraph else "正文"


def finding_place(page: str, line: int | None) -> FindingPlace | None:
    """The field or paragraph of ``page`` that (1-based) ``line`` lies in; None for no line or a line of no field."""
    if not line or line < 1:
        return None
    lines = page.splitlines()
    if line > len(lines):
        return None
    end = front_matter_line_count(lines) - 1  # the closing fence's index; -1 without front matter
    index = line - 1
    if 0 < index < end:
        for back in range(index, 0, -1):  # the top-level key whose block holds the line
            match = _TOP_LEVEL_KEY.match(lines[back])
            if match:
                name = match.group(1)
                return FindingPlace(name, FIELD_LABELS.get(name, name))
        return None
    if index <= end:  # a line of the front matter's fences
        return None
    paragraph, in_block = 0, False
    for text in lines[end + 1:index + 1]:
        blank = not text.strip()
        if not blank and not in_block:
            paragraph += 1
        in_block = not blank
    return FindingPlace(BODY, FIELD_LABELS[BODY], paragraph or None)
