"""Splitting a Markdown file into its YAML front matter and its body."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from mzpress.model.findings import FindingsError, error
from mzpress.model.yaml_source import LineDict, load_yaml


@dataclass(frozen=True, slots=True)
class Document:
    meta: LineDict
    body: str
    body_line: int  # 1-based line where the body starts in the file


def _closing(text: str) -> int:
    """Where the line ``---`` that closes the front matter starts (at its newline), -1 when none does."""
    end = text.find("\n---", 3)
    while end != -1 and text[end + 4:end + 5] not in ("\n", ""):
        end = text.find("\n---", end + 4)
    return end


def split_body(text: str) -> tuple[str, int] | None:
    """The body and its first line as :func:`split` gives them, without reading the YAML; None when the
    file has no closed front matter."""
    text = text.replace("\r\n", "\n")
    if not text.startswith("---\n"):
        return None
    end = _closing(text)
    if end == -1:
        return None
    return text[end + 5:], text.count("\n", 0, end + 5) + 1


def split(text: str, relpath: str) -> Document:
    """Parse ``---``-delimited front matter; raise FindingsError with file:line when it is bad.

    The content loader, the privacy check and the typography check each read a page's front matter: a
    successful parse is kept (it depends on the text alone; ``relpath`` only names the file in an error,
    so a failed parse is not kept). The loader reads every page before the checks read any, so the memo
    holds a whole archive (:data:`PARSED_KEPT` texts; the page keeps the same ``meta`` and ``body``
    objects, so the memo costs little memory). Callers must not change the returned ``meta``."""
    try:
        return _parsed(text)
    except FindingsError:
        return _split(text, relpath)


PARSED_KEPT = 65_536


@lru_cache(maxsize=PARSED_KEPT)
def _parsed(text: str) -> Document:
    return _split(text, "")


def _split(text: str, relpath: str) -> Document:
    text = text.replace("\r\n", "\n")
    if not text.startswith("---\n") and text.strip() != "---":
        raise FindingsError([error(
            "frontmatter.missing", relpath, 1,
            "文件开头缺少由 --- 包围的信息区（标题、日期、单位等）。",
            "在文件第1行写 ---，接着写 title: 等字段，再用一行 --- 结束；可用 scripts/mzpress new 生成模板。")])
    end = _closing(text)
    if end == -1:
        raise FindingsError([error(
            "frontmatter.unclosed", relpath, 1,
            "信息区只有开头的 ---，没有结束的 ---。",
            "在最后一个字段之后单独写一行 ---。")])
    yaml_text = text[4:end + 1]
    meta = load_yaml(yaml_text, relpath, line_offset=1, rule="frontmatter.yaml")
    if meta is None:
        meta = LineDict()
        meta.line, meta.key_lines = 2, {}
    if not isinstance(meta, LineDict):
        raise FindingsError([error(
            "frontmatter.yaml", relpath, 2,
            "信息区应当是“字段名: 内容”的形式。", "每行写一个字段，例如 title: 标题。")])
    body_start = end + 5
    body_line = text.count("\n", 0, body_start) + 1
    return Document(meta, text[body_start:], body_line)


def title_of(text: str) -> str:
    """The ``title`` of a page's front matter, or "" when the page has none that can be read (the check reports
    why; a caller that only shows or names the page goes on without it)."""
    try:
        title = split(text, "").meta.get("title")
    except FindingsError:
        return ""
    return str(title) if title else ""
