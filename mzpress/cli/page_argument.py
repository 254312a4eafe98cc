"""The page a command names on its command line (``export``, ``takedown``, ``withdraw``): one way to find it and
one set of messages.

A writer may type the file as their shell sees it (``content/stories/2026/x.md``, an absolute path, ``x.md`` from
inside the folder), from the project root while working elsewhere (``content/stories/2026/x.md`` with
``--root``), or as its path under ``content/`` (``stories/2026/x.md``, the form ``mzpress check`` prints), with
or without ``.md``. The first of these that is a file is the page; it must be a Markdown file inside
``content/``. Anything else is a usage error (exit 2) that says what was looked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mzpress.cli.refused import Refused
from mzpress.model.content import classify
from mzpress.model.project import content_relative
from mzpress.model.schema import KIND_LABELS

EXAMPLE = "content/stories/2025/xxx.md"


@dataclass(frozen=True)
class PageArgument:
    path: Path  # the file
    src: str  # its path relative to content/, e.g. stories/2026/x.md

    @property
    def relpath(self) -> str:
        """Its path relative to the project, as messages name it: ``content/stories/2026/x.md``."""
        return f"content/{self.src}"

    @property
    def kind(self) -> str | None:
        """The page kind its place in content/ gives it (``story``, ``notice`` …), None for no known kind."""
        where = classify(self.src)
        return where[0] if where else None

    @property
    def kind_label(self) -> str:
        """The kind's Chinese name for messages (民政故事 …), 这个文件 for no known kind."""
        kind = self.kind
        return KIND_LABELS.get(kind, "这个文件") if kind else "这个文件"


def _candidates(root: Path, given: str) -> list[Path]:
    typed = Path(given)
    places = [typed] if typed.is_absolute() else [typed, root / typed, root / "content" / typed]
    if given.endswith(".md"):
        return places
    return [candidate for place in places for candidate in (place, place.with_name(place.name + ".md"))]


def page_argument(root: Path, given: str) -> PageArgument:
    """The page ``given`` names (see the module's docstring). Raises :class:`Refused` (exit 2) when it names no
    file, or a file that is not a Markdown file inside ``content/``."""
    found = next((candidate for candidate in _candidates(root, given) if candidate.is_file()), None)
    if found is None:
        raise Refused(f"找不到文件“{given}”，请检查路径。稿件的路径写法如 {EXAMPLE}"
                      "（在项目文件夹中运行命令时）。", 2)
    src = content_relative(root, str(found))
    if src is None or not src.endswith(".md"):
        raise Refused(f"“{given}”不是 content/ 文件夹里的稿件（.md 文件）。稿件的路径写法如 {EXAMPLE}。", 2)
    return PageArgument(found, src)
