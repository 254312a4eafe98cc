"""Material's bundle in a build with Material's own search (the search benchmark's baseline), and what a
build without it leaves out (mzpress/adapters/mkdocs/offline_assets.py), on the installed Material's files."""

from __future__ import annotations

from pathlib import Path

import material

from mzpress.adapters.mkdocs.offline_assets import POLYFILL_PATH, localise_script, unused_bundle_files

THEME = Path(material.__file__).parent / "templates"
BUNDLE = next((THEME / "assets/javascripts").glob("bundle.*.min.js"))


def test_the_bundle_loads_its_polyfill_from_the_site_itself():
    text = BUNDLE.read_text(encoding="utf-8")
    assert "https://unpkg.com/resize-observer-polyfill" in text  # what Material ships
    for base, expected in (("/", "/"), ("/mz/", "/mz/"), ("", "/"), ("/mz", "/mz/")):
        localised = localise_script(text, base)
        assert "unpkg.com" not in localised
        assert f'"{expected}{POLYFILL_PATH}"' in localised, base
    assert (Path(__file__).parents[2] / "overrides" / POLYFILL_PATH).is_file()  # and it is there to load


def test_unused_bundle_files_are_the_bundle_its_map_and_the_polyfill():
    theme_files = sorted(p.relative_to(THEME).as_posix() for p in (THEME / "assets").rglob("*") if p.is_file())
    bundle = BUNDLE.relative_to(THEME).as_posix()
    assert unused_bundle_files([*theme_files, POLYFILL_PATH, "assets/javascripts/mzpress.js"]) == [
        p for p in [*theme_files, POLYFILL_PATH] if p in (bundle, bundle + ".map", POLYFILL_PATH)]
    assert bundle + ".map" in theme_files
    assert unused_bundle_files(["assets/javascripts/workers/search.a7633da7.min.js", "stories/bundle.1234.min.js"]) == []
