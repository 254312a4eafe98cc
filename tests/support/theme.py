"""The theme's Jinja environment as the MkDocs build makes it (Material plus overrides/), for template tests."""

from __future__ import annotations

from pathlib import Path

import jinja2
from mkdocs.theme import Theme

from tests.support.project import REPO_ROOT


def theme_env(*custom_dirs: Path) -> jinja2.Environment:
    """``config.theme.get_env()`` of the repository's mkdocs.yml; ``custom_dirs`` come first (a site's overrides)."""
    theme = Theme(name="material", custom_dir=str(REPO_ROOT / "overrides"), locale="zh")
    theme.dirs[:0] = [str(d) for d in custom_dirs]
    return theme.get_env()
