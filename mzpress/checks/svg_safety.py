"""SVG pictures under content/: an SVG is a document that can run script, so only plain drawings pass.

Served from the site's own host, a script inside an SVG runs with the site's origin when the file
is opened directly (the CSP's ``script-src 'self'`` allows same-site files). Refused, as errors:
``<script>``, event-handler attributes (``onload=``), ``<foreignObject>`` (HTML inside the picture),
``<iframe>``/``<embed>``/``<object>``, ``javascript:`` addresses, references to other hosts
(``href``/``xlink:href``/``url(...)`` other than ``#…`` and ``data:image/…``), ``<!DOCTYPE``/``<!ENTITY``
(entity expansion) and style sheets (``<?xml-stylesheet``, ``@import``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from mzpress.checks.context import CheckContext
from mzpress.model.content_files import SVG_SUFFIXES
from mzpress.model.findings import Finding, error

_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<\s*script\b", re.I), "含有脚本（<script>）"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "含有事件属性（on…=）"),
    (re.compile(r"<\s*(?:foreignObject|iframe|embed|object)\b", re.I), "嵌入了网页内容（foreignObject、iframe 等）"),
    (re.compile(r"javascript\s*:", re.I), "含有 javascript: 地址"),
    (re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.I), "含有 DOCTYPE 或 ENTITY 声明"),
    (re.compile(r"<\?\s*xml-stylesheet|@import", re.I), "引用了样式表"),
    (re.compile(r"""(?:href\s*=\s*["']\s*(?![#"']|data:image/)|url\(\s*["']?\s*(?![#"')]|data:image/))""", re.I),
     "引用了其他文件或网站（只能用 #… 或 data:image/…）"),
)


def check_svg(path: Path, relpath: str, ctx: CheckContext) -> Iterable[Finding]:
    """Attachment check: one error per kind of active content in an SVG file."""
    if path.suffix.lower() not in SVG_SUFFIXES:
        return
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        yield error("svg.unsafe", relpath, None, f"SVG 图片无法读取：{exc.strerror or exc}。", "重新复制一份。")
        return
    for pattern, what in _PROBLEMS:
        match = pattern.search(text)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            yield error("svg.unsafe", relpath, line, f"SVG 图片{what}，会在读者的浏览器里运行或加载外部内容，不能发布。",
                        "用绘图软件另存为“纯 SVG”或导出为 PNG 图片后替换这个文件。")
