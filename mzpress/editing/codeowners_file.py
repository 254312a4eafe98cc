"""Writing the generated CODEOWNERS files (``mzpress codeowners``)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mzpress.model.codeowners import RENDERERS, OwnerPlan


def write_files(root: Path, plan: OwnerPlan, relpaths: Iterable[str]) -> list[str]:
    """Write the generated files atomically; return those that changed."""
    changed = []
    for relpath in relpaths:
        path = Path(root) / relpath
        content = RENDERERS[relpath](plan)
        if path.is_file() and path.read_text(encoding="utf-8", errors="replace") == content:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".mzpress-tmp")
        temporary.write_text(content, encoding="utf-8")
        temporary.replace(path)
        changed.append(relpath)
    return changed
