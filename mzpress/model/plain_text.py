"""Plain-text values (titles, summaries, names from site_config/): no HTML markup in them.

They reach page titles, meta tags, feeds and the search index, where a tag or a character
reference would be markup, not text. Front matter (:mod:`mzpress.model.schema`) and
``site_config/`` (:mod:`mzpress.model.config_values`) report such values with the same words;
the templates escape every value all the same.
"""

from __future__ import annotations

import re

# Markup in a plain-text field: a tag, a comment, or a character reference (&lt; &#49; &#x31;).
MARKUP_IN_TEXT = re.compile(r"<\s*[A-Za-z/!?]|&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


def markup_in(text: str) -> str | None:
    """The first piece of HTML markup in a plain-text value, or None."""
    match = MARKUP_IN_TEXT.search(text)
    return match.group(0) if match else None


def markup_problem(label: str, name: str, text: str) -> tuple[str, str] | None:
    """(message, fix) when a plain-text value holds HTML; front matter and site_config share the wording."""
    found = markup_in(text)
    if found is None:
        return None
    return (f"{label}（{name}）是纯文本，不能包含 HTML 标签或字符实体（发现“{found}”）。",
            "删掉尖括号里的标签和 &…; 写法，直接写文字；需要书名号请用《》，需要引号请用“”。")
