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

    def memo(self, key: str, factory: Callable[[], Any]) -> Any:
        """Build an expensive object (a compiled dictionary, say) once per run."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]
