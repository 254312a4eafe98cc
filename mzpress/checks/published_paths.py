"""Site check: personal identifiers in the path of a published file (its file name or a folder name).

A file under ``content/`` is published under its own name: the page's address, the image with its
smaller renditions (``张三13912345678.480w.jpg``), the attachment's download link, the release
manifest. A mobile number, ID number or bank card in that name is published with it, whatever the
file holds. :func:`check_published_paths` reads the path of every file of the site (pages and
assets alike) with :func:`mzpress.text.identifiers.find_identifiers_in_name`: digits separated by
``-``, ``_``, ``.`` or spaces (``139-1234-5678.jpg``, ``139_1234_5678.png``), next to letters
(``zhangsan13912345678.jpg``) or split by invisible characters are found; dates and camera names
(``2026-12-05.jpg``, ``IMG_20261205_134512.jpg``) have no identifier's shape.

Each identifier is an error (rules ``privacy.id-number``, ``privacy.mobile``, ``privacy.bank-card``)
on the file itself, without a line, so the file is not published (``published_files``) and a
partial check of that file reports it. The message shows the path masked; the suggestion gives the
``git mv`` to run (masked too: the writer puts the real name in) and the pages that use the file.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from mzpress.checks.context import CheckContext
from mzpress.checks.links import file_references
from mzpress.checks.privacy import RULES
from mzpress.model.content import CONTENT_DIR, Site
from mzpress.model.findings import Finding, error
from mzpress.text.identifiers import Identifier, Kind, find_identifiers_in_name

_LABELS = {Kind.ID_NUMBER: "身份证号码", Kind.MOBILE: "手机号码", Kind.BANK_CARD: "银行卡号"}
_SUSPECTED = "疑似身份证号（校验位不符）"


def masked_path(path: str, found: list[Identifier]) -> str:
    """``path`` with every identifier found in it replaced by its masked form (same length)."""
    parts, pos = [], 0
    for item in sorted(found, key=lambda i: i.start):
        parts += [path[pos:item.start], item.masked]
        pos = item.end
    return "".join(parts) + path[pos:]


def _users(site: Site) -> dict[str, list[str]]:
    """File (relative to content/) -> the pages (relative to content/) that show or link to it."""
    users: dict[str, list[str]] = {}
    for page in site.pages:
        source = site.sources.get(page.src)
        text = source.text if source is not None and source.text is not None else page.body
        targets = file_references(page, text)
        cover = page.values.get("cover")
        if isinstance(cover, str) and cover:
            targets.add(page.asset_src(cover))
        for target in targets:
            users.setdefault(target, []).append(page.src)
    return users


def _shown(path: str) -> str:
    """A path relative to content/ as the writer types it, identifiers masked."""
    return f"{CONTENT_DIR}/{masked_path(path, find_identifiers_in_name(path))}"


def _finding(src: str, item: Identifier, found: list[Identifier], users: list[str]) -> Finding:
    shown = f"{CONTENT_DIR}/{masked_path(src, found)}"
    what = _SUSPECTED if item.kind is Kind.ID_NUMBER and not item.check_digit_ok else f"未脱敏的{_LABELS[item.kind]}"
    folder_end = src.find("/", item.end)
    using = "、".join(_shown(page) for page in sorted(users)[:5]) + ("等" if len(users) > 5 else "")
    if folder_end == -1:  # in the file name
        directory, name = posixpath.split(shown)
        target = f"{directory}/新文件名{posixpath.splitext(name)[1]}"
        message = (f"文件名中有{what}：“{shown}”（此处显示的是脱敏后的样子）。文件名会随文件一起公开，"
                   "网页地址、图片的各个尺寸和下载链接里都能看到完整的号码。")
        pages = f"，再把引用它的页面（{using}）里的文件名改成新名字" if users else "，再把引用它的页面里的文件名改成新名字"
        suggestion = (f"给文件改一个不含个人信息的名字（例如用拼音加序号）{pages}。"
                      f"改名命令：git mv \"{shown}\" \"{target}\"（把带*的原文件名换成实际的文件名）。")
    else:  # in a folder's name
        folder = shown[:len(CONTENT_DIR) + 1 + folder_end]
        target = f"{posixpath.dirname(folder)}/新文件夹名"
        message = (f"文件夹名中有{what}：“{folder}”（此处显示的是脱敏后的样子）。文件夹名是其中每个文件网址的一部分，"
                   f"会随“{shown}”一起公开。")
        suggestion = ("给文件夹改一个不含个人信息的名字（例如用拼音加序号），再把引用其中文件的页面里的路径一并改掉。"
                      f"改名命令：git mv \"{folder}\" \"{target}\"（把带*的原文件夹名换成实际的名字）。")
    return error(RULES[item.kind], f"{CONTENT_DIR}/{src}", None, message, suggestion)


def check_published_paths(site: Site, ctx: CheckContext) -> Iterable[Finding]:
    """Site check: one error per identifier in the path of every file under content/ (pages and assets)."""
    findings: list[Finding] = []
    users: dict[str, list[str]] | None = None
    for src in site.files:
        found = find_identifiers_in_name(src)
        if not found:
            continue
        if users is None:
            users = _users(site)
        findings += [_finding(src, item, found, users.get(src, [])) for item in found]
    return findings
