"""Plain text handed to Material's templates, escaped once.

Material's ``base.html`` writes ``page.meta.title``, ``page.meta.description``, ``page.meta.author``,
``config.site_name`` and ``config.site_description`` into ``<title>`` and ``<meta content="…">``
without escaping (MkDocs renders templates without autoescape). The check refuses markup in these
values (``schema.markup``, ``config.invalid``); as a second line of defence the plugin hands them
over as :class:`markupsafe.Markup` of the escaped text: written raw they are escaped, and ``| e`` in
mzpress' own templates does not escape them twice.
"""

from __future__ import annotations

from markupsafe import Markup, escape


def plain_text(value: str) -> Markup:
    """``value`` as text that is safe in element content and in quoted attributes."""
    return value if isinstance(value, Markup) else escape(str(value))
