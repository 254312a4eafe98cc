"""Personal data in the text a reader reads of the rendered page.

The privacy check (:mod:`mzpress.checks.privacy`) reads the file as written and a per-line projection
of its Markdown; the public reads the page the build renders. This check reads that page
(:mod:`mzpress.checks.page_reading`): the text of the sanitised HTML as a browser parses it, with
entities decoded, format characters (U+200B, U+00AD, U+2060, U+FEFF…) removed and hyphen- and
space-like separators made plain, read twice (text nodes joined as they are, and with a line break
between them), and every ``alt`` and ``title``; ID and mobile numbers are also looked for with a
single space, hyphen or line break between digits closed up, as a reader reads across it. An ID number, mobile number or bank card found there
and not among those found in the source is reported (rules ``privacy.*``) at the first body line
holding its first digits, else on the page. Nobody can exempt ID numbers or bank cards
(:data:`mzpress.checks.exemptions.NOT_EXEMPTABLE`).
"""

from __future__ import annotations

import re

from mzpress.checks.page_reading import page_reading
from mzpress.checks.privacy import identifier_finding, public_numbers
from mzpress.model.findings import Finding
from mzpress.model.source_text import SourceFile
from mzpress.text.identifiers import Kind, find_identifiers

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
_ELEVEN_DIGITS = re.compile(r"(?:[0-9][^0-9]*+){11}")
_BETWEEN_DIGITS = re.compile(r"(?<=[0-9])[ \n\t-](?=[0-9])")
_STRICT_KINDS = frozenset({Kind.ID_NUMBER, Kind.MOBILE})  # region code and birth date; 1[3-9] and 11 digits


def _compact(value: str) -> str:
    return _NOT_ALNUM.sub("", value).upper()


def check_shown_identifiers(source: SourceFile, ctx) -> list[Finding]:
    """Text check for Markdown files: identifiers the rendered page shows that the source reading missed."""
    reading = page_reading(source, ctx)
    if reading is None or reading.rendering.problems or not reading.rendering.html:
        return []
    shown = reading.text
    texts = [shown.joined, shown.separated, *shown.attribute_texts]
    if not any(_ELEVEN_DIGITS.search(text) for text in texts):
        return []
    public = public_numbers(ctx)  # the site's published contact numbers are no finding
    written = {_compact(item.original) for item in find_identifiers(source.text or "", public=public)}
    findings: list[Finding] = []
    # A reader also reads digits across one space, hyphen or line break as one number (a code span over
    # a line break shows as "139 12345678"): scanned joined too, for the kinds whose shape is strict.
    closed = [(_BETWEEN_DIGITS.sub("", text), _STRICT_KINDS) for text in texts[:2]]
    for text, kinds in [*((text, None) for text in texts), *closed]:
        for item in find_identifiers(text, public=public):
            if kinds is not None and item.kind not in kinds:
                continue
            compact = _compact(item.original)
            if compact in written:
                continue
            written.add(compact)
            digits = _compact(item.original)
            line = reading.locate(digits[:7], digits[:3])
            findings.append(identifier_finding(item, source.relpath, line, None))
    return findings
