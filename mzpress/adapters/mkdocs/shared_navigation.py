"""Material's navigation drawer rendered once per distinct output instead of once per page (issue 30 item 5).

Material renders ``partials/nav.html`` (every section and page of the navigation, through the recursive
``nav-item.html`` macro) on every page: a fifth of a cold build's CPU went there, although stories, notices and
listings are not in the navigation and nearly all of them get the same drawer. ``overrides/partials/nav.html``
calls :meth:`SharedNavigation.render` instead, which renders Material's own template (loaded under the prefix
:data:`MATERIAL_PREFIX`) and keeps the output under everything that template reads of the page:

* each navigation item's address as the ``url`` filter writes it for this page (relative links differ by
  folder), the home page's and the logo's, and ``base_url``;
* which items are active;
* a page that is itself in the navigation is rendered as Material does (its own entry shows its headings).

Everything else the template reads (the navigation's titles and structure, the configuration, the theme's
features and language) is the same for every page of one build; a new :class:`SharedNavigation` is made for
every build. ``MZPRESS_SHARED_NAV=0`` renders the drawer on every page, as Material does: the integration test
builds the site both ways and compares every file.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import material
from markupsafe import Markup

MATERIAL_PREFIX = "mzpress-material"
_MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"
_NAV = f"{MATERIAL_PREFIX}/partials/nav.html"
SWITCH_ENV = "MZPRESS_SHARED_NAV"


class SharedNavigation:
    """One build's navigation drawers, by what they depend on."""

    def __init__(self):
        self.outputs: dict[tuple, str] = {}
        self.shared = os.environ.get(SWITCH_ENV, "1").strip() != "0"
        self.rendered = 0  # drawers rendered (the rest were shared)

    def install(self, env: jinja2.Environment) -> None:
        """Give ``env`` Material's templates under :data:`MATERIAL_PREFIX` and the global ``mz_navigation``."""
        if not getattr(env, "_mz_material_prefix", False):
            material_loader = jinja2.PrefixLoader({MATERIAL_PREFIX: jinja2.FileSystemLoader(str(_MATERIAL_TEMPLATES))})
            env.loader = jinja2.ChoiceLoader([env.loader, material_loader])
            env._mz_material_prefix = True
        env.globals["mz_navigation"] = self.render

    @jinja2.pass_context
    def render(self, context) -> Markup:
        key = _key(context) if self.shared else None
        found = self.outputs.get(key) if key is not None else None
        if found is None:
            found = context.environment.get_template(_NAV).render(context.get_all())
            self.rendered += 1
            if key is not None:
                self.outputs[key] = found
        return Markup(found)


def _items(items) -> list:
    flat = []
    for item in items or []:
        flat.append(item)
        flat += _items(getattr(item, "children", None))
    return flat


def _key(context) -> tuple | None:
    """What Material's nav.html reads of the page, or None when the page is in the navigation."""
    nav, page = context.get("nav"), context.get("page")
    if nav is None or page is None or any(page is item for item in nav.pages):
        return None
    url = context.environment.filters["url"]
    items = _items(nav.items)
    config = context.get("config")
    homepage = config.extra.get("homepage") if config is not None else None
    if not homepage and getattr(nav, "homepage", None) is not None:
        homepage = nav.homepage.url
    logo = config.theme.get("logo") if config is not None else None
    return (id(nav), context.get("base_url"),
            tuple(url(context, item.url) if getattr(item, "url", None) is not None else None for item in items),
            tuple(bool(getattr(item, "active", False)) for item in items),
            url(context, homepage) if homepage else None, url(context, logo) if logo else None)
