"""Shared fixtures: the sample site built once per test session (per xdist worker)."""

from __future__ import annotations

import pytest

from tests.support.project import REPO_ROOT, build


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The repository's sample content, built strictly with the build date fixed to 2026-11-30."""
    out = tmp_path_factory.mktemp("sample-site")
    result = build(REPO_ROOT, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out
