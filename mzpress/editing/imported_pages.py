"""Finding the page a Word document was already imported as, by the text of its body.

The front-matter schema has no field for an import's source (an unknown field would be a
``schema.unknown-field`` warning on every imported page), so a document is recognised by its
content: the fingerprint of a body is the SHA-256 of its letters and digits (Chinese
characters included) in order, with images, Markdown markup, punctuation and white space left
out, full-width digits and letters read as half-width and case ignored (NFKC, casefold): what
``mzpress fmt`` changes (punctuation, spacing, full-width digits and letters) does not change the
fingerprint. A re-import of the same .docx gives the same body, hence the same fingerprint, whatever
its file name, title or image names, before or after ``fmt``; a page whose words the writer has
since edited no longer matches, and importing the document again then makes a new page.

:func:`find_titled` finds pages with the same title (read the same way), for a warning.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from mzpress.editing.scaffold import SECTION, section_dir

_IMAGE = re.compile(r"!\[(?:\\.|[^\]\\])*\]\([^)]*\)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_NOT_LETTERS = re.compile(r"[\W_]+")
_FRONT_MATTER_END = re.compile(r"\n---(?:\n|$)")  # the closing line, as in mzpress.model.frontmatter.split


def letters_of(text: str) -> str:
    """The letters and digits of ``text`` in order, as ``fmt`` would leave them (NFKC, casefold)."""
    return _NOT_LETTERS.sub("", unicodedata.normalize("NFKC", text).casefold())


def body_fingerprint(body: str) -> str:
    """The fingerprint of a Markdown body; empty when the body has no text at all."""
    text = _COMMENT.sub("", _IMAGE.sub("", body))
    letters = letters_of(text)
    return hashlib.sha256(letters.encode("utf-8")).hexdigest() if letters else ""


def page_body(path: Path) -> str | None:
    """The body of the page at ``path`` (what follows the front matter); None when it cannot be read.

    The front matter is only skipped, not parsed: comparing bodies must stay fast on a site of
    thousands of pages, and a page whose front matter is broken still counts as imported.
    """
    try:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith("---\n"):
        return text
    match = _FRONT_MATTER_END.search(text, 3)
    return text[match.end():] if match else None


def find_imported(root: Path, fingerprint: str, kinds=tuple(SECTION)) -> Path | None:
    """The first page (stories, notices, campaigns) whose body has ``fingerprint``, or None."""
    if not fingerprint:
        return None
    for kind in kinds:
        base = section_dir(root, kind)
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.md")):
            body = page_body(path)
            if body is not None and body_fingerprint(body) == fingerprint:
                return path
    return None


_TITLE_LINE = re.compile(r"^title:[ \t]*(.*?)[ \t]*$", re.MULTILINE)


def page_title(path: Path) -> str | None:
    """The one-line ``title`` of the page at ``path`` as written (quotes removed), None when there is none."""
    try:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith("---\n"):
        return None
    end = _FRONT_MATTER_END.search(text, 3)
    match = _TITLE_LINE.search(text, 4, end.start() if end else len(text))
    if match is None:
        return None
    value = match.group(1)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return value


def find_titled(root: Path, title: str, kinds=tuple(SECTION)) -> list[Path]:
    """Pages (stories, notices, campaigns) whose title reads as ``title`` (letters and digits compared)."""
    key = letters_of(title)
    if not key:
        return []
    found = []
    for kind in dict.fromkeys(kinds):
        base = section_dir(root, kind)
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.md")):
            written = page_title(path)
            if written is not None and letters_of(written) == key and path not in found:
                found.append(path)
    return found
