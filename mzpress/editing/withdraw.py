"""Withdrawing a page (``mzpress withdraw``): a ``withdrawn:`` block added to its front matter, nothing else touched."""

from __future__ import annotations

import datetime as dt
import json

from mzpress.model.findings import FindingsError, error
from mzpress.model.frontmatter import split


def _yaml_string(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML), keeping Chinese readable."""
    return json.dumps(value, ensure_ascii=False)


def withdrawn_block(date: dt.date, reason: str, unpublish: bool = False, redirect: str | None = None,
                    newline: str = "\n") -> str:
    lines = ["withdrawn:", f"  date: {date.isoformat()}", f"  reason: {_yaml_string(reason)}"]
    if unpublish:
        lines.append("  unpublish: true")
    if redirect:
        lines.append(f"  redirect: {_yaml_string(redirect)}")
    return newline.join(lines) + newline


def withdraw_text(text: str, relpath: str, date: dt.date, reason: str, unpublish: bool = False,
                  redirect: str | None = None) -> str:
    """``text`` with a ``withdrawn:`` block added at the end of its front matter.

    Every other byte stays as it was (line endings included). Raises FindingsError when
    the front matter is missing or broken, or when the page already has a withdrawn record.
    """
    reason = " ".join(reason.split())
    if not reason:
        raise FindingsError([error("withdrawn.reason", relpath, None, "撤回原因不能为空，公众需要知道为什么撤回。",
                                   "用 --reason 写明原因，例如 --reason \"活动已取消，相关信息不再有效\"。")])
    document = split(text, relpath)  # raises with file:line when the front matter is broken
    if "withdrawn" in document.meta:
        raise FindingsError([error(
            "withdrawn.exists", relpath, document.meta.line_of("withdrawn"), "这个页面已经有撤回记录（withdrawn）。",
            "如需改为撤下，在 withdrawn 下手动加两行：unpublish: true 和 redirect: 目标页面。")])
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    closing = next(i for i in range(1, len(lines)) if lines[i].rstrip("\r\n") == "---")
    block = withdrawn_block(date, reason, unpublish, redirect, newline)
    return "".join(lines[:closing]) + block + "".join(lines[closing:])
