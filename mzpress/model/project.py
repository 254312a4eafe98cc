"""Finding the project (the folder with mkdocs.yml, site_config/ and content/)."""

from __future__ import annotations

from pathlib import Path

from mzpress.model.findings import FindingsError, error


def find_root(start: Path | str | None = None) -> Path:
    here = Path(start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "site_config").is_dir() and (candidate / "content").is_dir():
            return candidate
    raise FindingsError([error(
        "project.not-found", str(here), None, "当前文件夹不在网站项目里（找不到 site_config 和 content 文件夹）。",
        "先用 cd 进入网站项目文件夹，或用 --root 指定项目文件夹。")])


def content_relative(root: Path, given: str) -> str | None:
    """A path the user typed, as a path relative to content/ (None when outside content/)."""
    path = Path(given)
    if not path.is_absolute():
        path = Path.cwd() / path
    try:
        rel = path.resolve().relative_to((root / "content").resolve())
    except ValueError:
        return None
    return rel.as_posix()
