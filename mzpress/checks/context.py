"""What a check may consult: the project root, its configuration, and a memo for per-run objects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mzpress.model.config import SiteConfig


@dataclass
class CheckContext:
    """The project root and its configuration (None outside a project, e.g. ``mzpress scan``)."""

    root: Path
    config: SiteConfig | None = None
    _memo: dict[str, Any] = field(default_factory=dict)
    # The files under content/ (relative to it) whose findings are wanted (a partial check); None: all. A site
    # check may judge only these pages' own links and the like (the runner drops other files' findings anyway).
    focus: frozenset[str] | None = None

    def memo(self, key: str, factory: Callable[[], Any]) -> Any:
        """Build an expensive object (a compiled dictionary, say) once per run."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]
