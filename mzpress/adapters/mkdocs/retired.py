"""The documents written at unpublished pages' old addresses, rendered with the theme's Jinja templates.

The core says what such a page shows (:func:`mzpress.publishing.withdrawal.retired_context`, plain
data); the markup is the theme's: ``mzpress/retired.html`` (``overrides/mzpress/retired.html``), the 本页已撤下
notice, a page of the site extending ``main.html`` (header, footer with 网站标识码, 当前位置), and
``mzpress/moved.html``, the small page that forwards a moved page's readers at once. A site overrides
either like any other template, by a file of the same name in its ``custom_dir``.

The notice needs what every page of the site gets from MkDocs: :func:`notice_context` makes a MkDocs page at
the old address (titled 本页已撤下, not in the navigation, not a search result) and MkDocs' template context
for it (through :mod:`.mkdocs_internals`), with the navigation the plugins left in ``on_nav``.
"""

from __future__ import annotations

from typing import Any

import jinja2

from mzpress.adapters.mkdocs import mkdocs_internals as internals
from mzpress.publishing.withdrawal import RetiredPage, retired_context

RETIRED_TEMPLATE = "mzpress/retired.html"  # the 本页已撤下 notice (extends main.html)
MOVED_TEMPLATE = "mzpress/moved.html"  # the page forwarding to a moved page's new address
RETIRED_TITLE = "本页已撤下"


def notice_context(retired: RetiredPage, trail: dict[str, Any], config, nav, files) -> dict[str, Any]:
    """MkDocs' template context of the notice at ``retired``'s old address: a page there titled
    :data:`RETIRED_TITLE` (never the old title), ``trail`` its 当前位置 (``page.meta.mz_trail``)."""
    meta = {"title": RETIRED_TITLE, "search": {"exclude": True}, "mz_trail": trail}
    page = internals.page_outside_nav(config, retired.src, RETIRED_TITLE, meta)
    if page.url != retired.url:
        raise ValueError(f"{retired.src}: MkDocs puts it at /{page.url}, not at its old address /{retired.url}")
    return dict(internals.template_context(nav, files, config, page))


def retired_document(env: jinja2.Environment, retired: RetiredPage, site_name: str, site_url: str,
                     context: dict[str, Any] | None = None) -> str:
    """The HTML written at ``retired.output_path``. ``env``: the theme's environment (``config.theme.get_env()``);
    ``context``: :func:`notice_context`, which the notice's template (a page of the site) needs; a redirect's
    forwarding page uses none of it."""
    data = retired_context(retired, site_name, site_url)
    template = MOVED_TEMPLATE if data["target_url"] is not None else RETIRED_TEMPLATE
    text = env.get_template(template).render({**(context or {}), "retired": data})
    return text if text.endswith("\n") else text + "\n"
