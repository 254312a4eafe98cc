"""The MkDocs adapter's modules: the plugin is only an entry point, and the build speed-ups stay switched on."""

from __future__ import annotations

import ast
from pathlib import Path

from mkdocs.config import load_config

from mzpress.adapters.mkdocs.fast_build import FastBuild, PageState
from tests.support.project import REPO_ROOT

PACKAGE = REPO_ROOT / "mzpress"
PLUGIN = "mzpress.adapters.mkdocs.plugin"


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: resolve against the importing module's package
                parts = path.relative_to(REPO_ROOT).with_suffix("").parts[:-node.level]
                module = ".".join([*parts, module] if module else parts)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_nothing_in_the_package_imports_the_plugin_module():
    # MkDocs loads the plugin through its entry point (pyproject.toml); the other adapter modules
    # get what they need as arguments, so there is no import loop through plugin.py.
    importers = sorted(path.relative_to(REPO_ROOT).as_posix() for path in PACKAGE.rglob("*.py")
                       if PLUGIN in _imported_modules(path))
    assert importers == []


def test_the_projects_configuration_keeps_the_page_output_cache_on(monkeypatch):
    # Whole pages are cached only when every plugin hooking into page contexts or the template
    # environment is one FastBuild knows; moving the plugin once switched the cache off unnoticed.
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(REPO_ROOT / "mkdocs.yml"))
    assert FastBuild._only_known_page_plugins(config)


def test_page_state_hands_a_workers_share_back_into_the_same_dicts():
    parent = PageState()
    feed_html = parent.track("feed_html")
    feed_html["a.md"] = "<p>甲</p>"
    worker = PageState()
    worker.track("feed_html").update({"b.md": "<p>乙</p>", "c.md": "<p>丙</p>"})
    parent.merge(worker.share({"b.md"}))
    assert feed_html == {"a.md": "<p>甲</p>", "b.md": "<p>乙</p>"}


def test_a_page_whose_rendering_fails_in_the_build_stops_it_instead_of_publishing_it_empty(monkeypatch):
    """The check may have judged a rendering kept from an earlier run; if this build's rendering of the page
    fails (too slow on a busy machine, say), the build stops: nothing is published in place of the page."""
    from types import SimpleNamespace

    import pytest
    from mkdocs.exceptions import PluginError

    from mzpress.adapters.mkdocs import fast_build
    from mzpress.text.page_rendering import Rendering, RenderProblem

    failed = Rendering("", (), None, (RenderProblem("time", None, None, "12"),))
    monkeypatch.setattr(fast_build.page_rendering, "render", lambda text, settings: failed)
    build = SimpleNamespace(inputs=SimpleNamespace(markdown=None))
    page = SimpleNamespace(markdown="正文", file=SimpleNamespace(src_uri="stories/2026/a.md"))
    with pytest.raises(PluginError, match="stories/2026/a.md.*没能渲染"):
        FastBuild._render_published(build, page, None, None)
