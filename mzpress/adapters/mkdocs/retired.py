"""The documents written at unpublished pages' old addresses, rendered with the theme's Jinja templates.

The core says what such a page shows (:func:`mzpress.publishing.withdrawal.retired_context`, plain
data); the markup is the theme's ``mzpress/retired.html`` (``overrides/mzpress/retired.html``), so a
site overrides it like any other template, by a file of the same name in its ``custom_dir``.
"""

from __future__ import annotations

import jinja2

from mzpress.publishing.withdrawal import RetiredPage, retired_context

RETIRED_TEMPLATE = "mzpress/retired.html"


def retired_document(env: jinja2.Environment, retired: RetiredPage, site_name: str, site_url: str) -> str:
    """The HTML written at ``retired.output_path``. ``env``: the theme's environment (``config.theme.get_env()``)."""
    text = env.get_template(RETIRED_TEMPLATE).render(retired=retired_context(retired, site_name, site_url))
    return text if text.endswith("\n") else text + "\n"
