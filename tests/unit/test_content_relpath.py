"""Links between pages are computed without the file system, exactly as posixpath.relpath would."""

from __future__ import annotations

import itertools
import posixpath

from mzpress.model.content import _relpath, relative_url

SEGMENTS = ("stories", "x.jpg", "..", ".", "")


def test_relpath_matches_posixpath_for_every_short_combination():
    paths = {"/".join(parts) or "." for n in range(4) for parts in itertools.product(SEGMENTS, repeat=n)}
    paths = sorted(p for p in paths if not p.startswith("/"))
    for path, start in itertools.product(paths, repeat=2):
        assert _relpath(path, start) == posixpath.relpath(path, start), (path, start)


def test_relative_urls_between_pages_and_assets():
    assert relative_url("stories/2025/x/", "stories/2026/y/") == "../../2026/y/"
    assert relative_url("stories/2025/x/", "stories/2025/images/a.jpg") == "../images/a.jpg"
    assert relative_url("", "stories/") == "stories/"
    assert relative_url("stories/", "") == "../"
    assert relative_url("stories/", "stories/") == "./"
