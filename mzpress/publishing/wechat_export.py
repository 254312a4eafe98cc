"""The WeChat official-account (公众号) copy of a page: one HTML file that pastes into the 公众号 editor.

The 公众号 editor drops ``class`` attributes, ``<style>`` and scripts, and allows no links to other
sites, so the article here has:

* only inline ``style`` attributes, a fixed set of elements (headings, paragraphs, lists, tables,
  pictures, ``strong``/``em``/``code``/``sup``/``sub``, ``br``, ``hr``), no ``class``, no ``id``, no
  script and no ``<a>``: every text is escaped, every element written here;
* the title, a meta line (发布时间、来源单位、作者) and the body of :mod:`mzpress.publishing.export_body`
  (the website's own rendering);
* links as footnotes: the link text followed by ``[1]``, and a 参考链接 list at the end giving each
  address once, in order (a link whose text is its own address stays as it is);
* pictures in their places by file name (图1-……jpg, copied next to the HTML file), with their
  captions; the photos to upload, in order (and the cover, 封面, when the page has one), are listed
  in a panel above the article that is not selected by 全选 (``user-select: none``), so Ctrl+A,
  Ctrl+C copies the article alone.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import quote

from mzpress.model.config import SiteConfig
from mzpress.model.content import Page
from mzpress.model.report_period import day_label
from mzpress.publishing.export_body import (
    Code,
    ExportBody,
    Heading,
    ListBlock,
    Paragraph,
    Photo,
    Rule,
    Run,
    Table,
    photo_file_name,
    plain,
)

ARTICLE = ("font-size:16px;line-height:1.75;color:#333333;letter-spacing:0.5px;text-align:justify;"
           "word-wrap:break-word;max-width:677px;margin:0 auto;padding:20px 16px;background:#ffffff")
TITLE = "font-size:22px;line-height:1.4;font-weight:bold;color:#222222;margin:0 0 12px"
META = "font-size:14px;line-height:1.6;color:#888888;margin:0 0 24px"
HEADINGS = {
    1: "font-size:18px;line-height:1.5;font-weight:bold;color:#9b1c1c;margin:28px 0 12px;"
       "padding-left:8px;border-left:4px solid #9b1c1c",
    2: "font-size:17px;line-height:1.5;font-weight:bold;color:#333333;margin:24px 0 10px",
    3: "font-size:16px;line-height:1.5;font-weight:bold;color:#333333;margin:20px 0 8px",
}
PARAGRAPH = "margin:0 0 16px"
QUOTE = "margin:0 0 16px;padding:8px 12px;border-left:3px solid #dddddd;background:#f7f7f7;color:#555555"
PICTURE = "margin:16px 0 8px;text-align:center"
IMAGE = "max-width:100%;height:auto;vertical-align:top"
CAPTION = "margin:0 0 16px;text-align:center;font-size:14px;line-height:1.6;color:#888888"
LIST = "margin:0 0 16px;padding-left:2em"
ITEM = "margin:0 0 6px"
TABLE = "border-collapse:collapse;width:100%;margin:0 0 16px;font-size:14px;line-height:1.5"
CELL = "border:1px solid #cccccc;padding:6px 8px;vertical-align:top"
HEADER_CELL = CELL + ";background:#f5f5f5;font-weight:bold"
CODE = "font-family:Menlo,Consolas,monospace;font-size:14px"
CODE_BLOCK = ("margin:0 0 16px;padding:8px 12px;background:#f5f5f5;font-family:Menlo,Consolas,monospace;"
              "font-size:14px;line-height:1.5;white-space:pre-wrap;word-break:break-all")
MARK = "font-size:12px;line-height:0;vertical-align:super;color:#888888"
RULE = "border:0;border-top:1px solid #dddddd;margin:24px 0"
REFERENCES_HEADING = "font-size:15px;font-weight:bold;color:#555555;margin:32px 0 8px"
REFERENCE = "margin:0 0 6px;font-size:13px;line-height:1.6;color:#888888;word-break:break-all"
PANEL = ("user-select:none;-webkit-user-select:none;max-width:677px;margin:16px auto;padding:12px 16px;"
         "border:1px dashed #b08d57;background:#fffaf0;color:#5c4a2a;font-size:14px;line-height:1.7")
PAGE = "margin:0;padding:0 0 32px;background:#f2f2f2;font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif"


@dataclass(frozen=True)
class Reference:
    number: int
    text: str  # the link text as the page shows it
    url: str


@dataclass(frozen=True)
class WechatExport:
    html: str
    photos: tuple[Photo, ...]  # to upload, in order
    cover: Photo | None  # 封面: the page's cover picture (``cover``), when it has one
    references: tuple[Reference, ...]


def _e(text: str) -> str:
    return html.escape(text, quote=True)


class _Writer:
    def __init__(self):
        self.references: dict[str, Reference] = {}

    def reference(self, url: str, text: str) -> int:
        found = self.references.get(url)
        if found is None:
            found = self.references[url] = Reference(len(self.references) + 1, text, url)
        return found.number

    def runs(self, runs: tuple[Run, ...]) -> str:
        out = []
        index = 0
        while index < len(runs):
            run = runs[index]
            if run.href:  # the whole link: its runs, then one footnote mark
                group = [run]
                while index + 1 < len(runs) and runs[index + 1].href == run.href:
                    index += 1
                    group.append(runs[index])
                out += [self.run(r) for r in group]
                text = plain(group).strip()
                if text.rstrip("/") != run.href.rstrip("/"):
                    out.append(f'<sup style="{MARK}">[{self.reference(run.href, text)}]</sup>')
            else:
                out.append(self.run(run))
            index += 1
        return "".join(out)

    @staticmethod
    def run(run: Run) -> str:
        if run.text == "\n":
            return "<br>"
        text = _e(run.text).replace("\n", "<br>")
        if run.code:
            text = f'<code style="{CODE}">{text}</code>'
        if run.italic:
            text = f"<em>{text}</em>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        if run.script:
            text = f"<{run.script}>{text}</{run.script}>"
        return text

    def block(self, block) -> list[str]:
        if isinstance(block, Heading):
            tag = f"h{min(block.rank + 1, 4)}"
            return [f'<{tag} style="{HEADINGS[min(block.rank, 3)]}">{self.runs(block.runs)}</{tag}>']
        if isinstance(block, Paragraph):
            return [f'<p style="{QUOTE if block.quote else PARAGRAPH}">{self.runs(block.runs)}</p>']
        if isinstance(block, Photo):
            parts = [f'<p style="{PICTURE}"><img src="{_e(quote(block.file_name))}" alt="{_e(block.alt)}" '
                     f'style="{IMAGE}"></p>']
            if block.caption:
                parts.append(f'<p style="{CAPTION}">{_e(block.caption)}</p>')
            return parts
        if isinstance(block, ListBlock):
            return [self.list(block)]
        if isinstance(block, Table):
            return [self.table(block)]
        if isinstance(block, Code):
            return [f'<pre style="{CODE_BLOCK}">{_e(block.text)}</pre>']
        if isinstance(block, Rule):
            return [f'<hr style="{RULE}">']
        return []

    def list(self, block: ListBlock) -> str:
        out: list[str] = []
        stack: list[list] = []  # [level, tag, an item is open]
        for item in block.items:
            while stack and stack[-1][0] > item.level:
                level, tag, open_item = stack.pop()
                out.append(("</li>" if open_item else "") + f"</{tag}>")
            if stack and stack[-1][0] == item.level and stack[-1][2]:
                out.append("</li>")
                stack[-1][2] = False
            if not stack or stack[-1][0] < item.level:
                tag = "ol" if item.ordered else "ul"
                start = f' start="{item.number}"' if item.ordered and item.number != 1 else ""
                out.append(f'<{tag} style="{LIST}"{start}>')
                stack.append([item.level, tag, False])
            out.append(f'<li style="{ITEM}">{self.runs(item.runs)}')
            stack[-1][2] = True
        while stack:
            level, tag, open_item = stack.pop()
            out.append(("</li>" if open_item else "") + f"</{tag}>")
        return "".join(out)

    def table(self, block: Table) -> str:
        rows = []
        for row in block.rows:
            cells = []
            for cell in row:
                tag = "th" if cell.header else "td"
                style = HEADER_CELL if cell.header else CELL
                if cell.align in ("left", "center", "right"):
                    style += f";text-align:{cell.align}"
                spans = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + \
                        (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "")
                cells.append(f'<{tag} style="{style}"{spans}>{self.runs(cell.runs)}</{tag}>')
            rows.append(f"<tr>{''.join(cells)}</tr>")
        return f'<table style="{TABLE}"><tbody>{"".join(rows)}</tbody></table>'


def meta_line(page: Page) -> str:
    """发布时间：2026年3月31日　来源单位：殡葬管理所　作者：罗军 (the parts the page has)."""
    parts = []
    if page.date is not None:
        parts.append(f"发布时间：{day_label(page.date.date())}")
    if page.unit is not None:
        parts.append(f"来源单位：{page.unit.name}")
    if page.author:
        parts.append(f"作者：{page.author}")
    return "　".join(parts)


def cover_photo(page: Page) -> Photo | None:
    """The page's cover (``cover``, ``cover_alt``) as the 公众号's 封面."""
    cover = page.values.get("cover")
    if not cover:
        return None
    src = page.asset_src(cover)
    alt = page.values.get("cover_alt") or ""
    name = photo_file_name(0, src, "", alt).replace("图0", "封面", 1)
    return Photo(0, src, alt, "", name)


def _where(blocks, index: int) -> str:
    """Where a photo goes: after the text before it (its first words), or at the start."""
    for block in reversed(blocks[:index]):
        if isinstance(block, Heading | Paragraph):
            text = plain(block.runs).strip()
            return f"“{text[:12]}{'……' if len(text) > 12 else ''}”之后"
        if isinstance(block, Photo):
            return f"图{block.number}之后"
        if isinstance(block, ListBlock | Table | Code):
            return {ListBlock: "列表之后", Table: "表格之后", Code: "代码之后"}[type(block)]
    return "正文开头"


def _panel(page: Page, body: ExportBody, cover: Photo | None) -> str:
    lines = [f"<p style=\"margin:0 0 6px;font-weight:bold\">公众号排版稿：{_e('《' + page.title + '》')}</p>",
             '<p style="margin:0 0 6px">用法：打开本文件后按 Ctrl+A 全选、Ctrl+C 复制（本说明框不会被复制），'
             "在公众号后台新建图文，在正文处按 Ctrl+V 粘贴。公众号正文不能放外部链接，原文的链接已改为文末的参考链接。</p>"]
    if body.photos:
        lines.append('<p style="margin:0 0 6px">请按顺序上传下列图片（与本文件在同一文件夹），放到正文中对应的位置：</p>')
        first: dict[int, int] = {}
        for index, block in enumerate(body.blocks):
            if isinstance(block, Photo):
                first.setdefault(block.number, index)
        items = "".join(f"<li>{_e(photo.file_name)}：{_e(_where(body.blocks, first[photo.number]))}</li>"
                        for photo in body.photos)
        lines.append(f'<ol style="margin:0 0 6px;padding-left:2em">{items}</ol>')
    else:
        lines.append('<p style="margin:0 0 6px">正文没有图片。</p>')
    if cover is not None:
        lines.append(f'<p style="margin:0">封面图片：{_e(cover.file_name)}（{_e(cover.alt)}）</p>')
    if body.foreign_images:
        lines.append(f'<p style="margin:0">以下图片来自其他网站，没有导出：{_e("、".join(body.foreign_images))}</p>')
    return f'<div style="{PANEL}">{"".join(lines)}</div>'


def wechat_export(page: Page, body: ExportBody, config: SiteConfig) -> WechatExport:
    """The 公众号 HTML of ``page`` (``body`` from :func:`mzpress.publishing.export_body.export_body`)."""
    writer = _Writer()
    article = [f'<h1 style="{TITLE}">{_e(page.title)}</h1>']
    meta = meta_line(page)
    if meta:
        article.append(f'<p style="{META}">{_e(meta)}</p>')
    for block in body.blocks:
        article += writer.block(block)
    references = tuple(writer.references.values())
    if references:
        article.append(f'<p style="{REFERENCES_HEADING}">参考链接</p>')
        article += [f'<p style="{REFERENCE}">[{ref.number}] {_e(ref.text)}：{_e(ref.url)}</p>' for ref in references]
    cover = cover_photo(page)
    document = "\n".join([
        "<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(page.title)}（公众号排版稿）</title>", "</head>", f'<body style="{PAGE}">',
        _panel(page, body, cover),
        f'<section style="{ARTICLE}">', *article, "</section>", "</body>", "</html>", ""])
    return WechatExport(document, body.photos, cover, references)


def photo_files(export: WechatExport) -> list[tuple[str, str]]:
    """(source under content/, file name next to the HTML file) of every picture to copy, in order."""
    files = [(photo.src, photo.file_name) for photo in export.photos]
    if export.cover is not None:
        files.append((export.cover.src, export.cover.file_name))
    return files

