"""Bounds checked before Python-Markdown sees a page: nesting depth and an estimate of the render time.

Python-Markdown 3.11 (with the site's extensions ``toc``, ``tables``, ``fenced_code``, ``attr_list``,
``md_in_html`` and ``admonition``) recurses once or more per level of nesting and rescans text in many
places. Measured on the development machine (2 shared cores, CPython 3.11, CPU time of one render):

* 5,000 nested ``*``, 1,000 separated ``****a ``, 90 runs ``a*…*b`` of falling length or a list
  nested 300 levels deep raise ``RecursionError`` (``toc``'s ``iterparent`` and the serializer take a
  frame per element level, the block parser 4 per list level and 3 per blockquote, admonition or
  ``<div markdown="1">`` level);
* many inline constructs are quadratic in the length of the paragraph they are in: an unclosed ``[``
  is scanned to the end of its paragraph three times in Python (10,000 nested ``[[…]]``: 43 s; 2,000
  ``[a `` in 6 KB: 1.7 s), so is ``](`` without its ``)``, a backtick run without its partner (3 KB
  of ```` ``a` ```` repeated: 1.2 s), an HTML start tag without ``>`` (scanned to the next ``>`` by the
  HTML block parser: 4,000 ``<a `` in 12 KB: 2.5 s) and ``{`` in a heading or table cell; every inline
  match rebuilds its paragraph's string (4,000 ``**a**`` in 800 KB: 1.8 s);
* block constructs that split the block they are in (``#`` headings, ``---``/``===``, ``***``,
  ``!!!``) rescan the rest of the block each time (2,000 ``a``/``===`` pairs without blank lines,
  12 KB: 2.6 s); a table builds every column of its header in every row (a 7 KB table of 1,000
  columns and 1,000 rows: 6.3 s and 10 MB of HTML); each unclosed ```` ``` ```` fence is scanned to
  the end of the page; ``<p markdown="1">`` makes its whole content one paragraph, blank lines and all;
* plain markup costs 5 to 60 µs per element (a list item 15 to 45 µs, a table row of five cells
  100 µs, a link 38 µs, an e-mail autolink 61 µs), so 1 MB of ``**a** `` in one paragraph takes
  minutes and 1 MB of ordinary dense markup 1.5 s.

:func:`bound_problems` reads the text once (linear time: any 1 MB page in about 0.5 s at most, no
Markdown import) and reports:

* depths (:data:`LIMITS`, each far above what a real page uses, each far below the recursion limit):

  - ``list`` 16 levels (list markers and, below a list or an admonition, 4 columns of indentation),
  - ``blockquote`` 16 levels of ``>``,
  - ``nesting`` 32 levels of lists, blockquotes, admonitions and ``markdown="1"`` HTML together
    (at most 4 frames each: about 130 frames while parsing; on a page with the word ``markdown``
    every open HTML element counts, its attributes may hide ``>`` in quotes),
  - ``html`` 64 raw HTML elements open inside each other (the sanitiser's and the browser's HTML
    parsers slow down past thousands: 10,000 nested ``<div>`` take 0.3 s in nh3, 100,000 take 30 s),
  - ``emphasis`` 200: half the ``*`` and ``_`` of one paragraph, an upper bound of how many emphasis
    elements can nest there (each needs a delimiter on both sides), not counting runs of one, two or
    four inside a word (``王**``, ``138****5678``: masked names and numbers, which cannot stack up),
  - ``brackets`` 32 levels of ``[`` in one paragraph.

  At every depth limit at once (16 blockquotes holding 16 nested lists holding 150 nested emphases,
  31 nested brackets and an image) Python-Markdown needs about 200 Python frames of the 1,000 allowed
  by default, in a forked build worker or a preview thread alike, and renders in 0.01 s.
* ``time``: an estimate of the render time in microseconds, the sum of the costs above (linear terms
  per character, line, block and inline token; the quadratic terms per paragraph and per page:
  bracket, parenthesis and backtick scans, tag scans, block splits, table cells, fences), each weight
  at or above the largest cost per unit measured for that construct. The limit is
  :data:`TIME_BUDGET_US` (0.8 s): the estimate is 1.5 to 4 times the CPU time measured for pages of
  one construct at the limit (0.1 to 0.5 s; 1 MB of plain text: 0.16 s), and of 40,000 random pages
  (10,000 within the bounds, the slowest 0.6 s) none took more than 1.3 times its estimate plus the
  0.03 s Python-Markdown takes to set up. The 59 pages of the sample site are estimated at 2 ms at
  most, a 2,000-row 公示 table at 0.48 s (it takes 0.2 s). ``BoundProblem.cause`` names the largest term.

A page past a bound is not rendered at all; :func:`describe` says why in plain Chinese.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

# --- the limits ------------------------------------------------------------------------------------

TIME_BUDGET_US = 800_000  # estimated render time of one page, in microseconds

LIMITS: dict[str, int] = {
    "list": 16,
    "blockquote": 16,
    "nesting": 32,
    "html": 64,
    "emphasis": 200,
    "brackets": 32,
    "time": TIME_BUDGET_US,
}

DEPTH_KINDS = ("list", "blockquote", "nesting", "html", "emphasis", "brackets")


@dataclass(frozen=True, slots=True)
class BoundProblem:
    """A page past one of :data:`LIMITS`.

    ``line`` is 1-based within the text given to :func:`bound_problems`; ``depth_or_count`` is the
    depth found (depth kinds) or the estimated render time in microseconds (``time``); ``cause`` names
    what costs most for ``time`` (see :data:`CAUSES`), else "".
    """

    line: int
    kind: str
    depth_or_count: int
    limit: int
    cause: str = ""


# --- weights of the render-time estimate (nanoseconds; measured, with margin) ----------------------

_W_CHAR = 250  # every character (1 MB of plain text in one paragraph: 0.17 s)
_W_LINE = 5_000  # every non-blank line
_W_CHUNK = 40_000  # every block between blank lines (a paragraph: 44 µs)
_W_CHUNK2 = 4  # × blocks²: the block parser pops the first of the remaining blocks each time
_W_BLOCKLINE = 40_000  # a line starting with block markup (a list item: 15 to 45 µs, a heading 25 µs)
_W_NEST = 8_000  # × nesting depth of every line (each level re-splits and re-parses its lines)
_W_TOKEN = {"*": 2_000, "_": 2_000, "`": 12_000, "[": 40_000, "<": 25_000, "&": 15_000, "\\": 10_000,
            "{": 5_000, "|": 2_000, "@": 60_000}  # a link 38 µs, an entity 19 µs, an e-mail autolink 61 µs
_W_URL = 30_000  # "://" (an autolink: 49 µs)
_W_RUN = 20_000  # a run of * or _ (a bold phrase: about 30 µs; "*_" alternating, each its own run: 10 µs a run)
_W_LINEBREAK = 30_000  # "  \n" (23 µs)
_W_REBUILD = 0.3  # × inline tokens × length of their paragraph: each match rebuilds the paragraph
_W_DELIM = 1.5  # × distance from each * or _ run to the end of its paragraph
_W_EMPHASIS2 = 900  # × (emphasis depth bound)² of a paragraph (100 nested emphases: 5.5 ms)
_W_BRACKET = 700  # × characters between each [ and its ] (or the end of the paragraph)
_W_PAREN = 300  # × characters between each ]( and its ) (or the end of the paragraph)
_W_TICK = 250  # × characters scanned from each backtick run for its partner
_W_TAG = 150  # × characters scanned from each < for the end of its tag
_W_BRACE = 8  # × { in a line × length of the line (attr_list on headings and cells)
_W_TABLE_SPLIT = 20  # × backtick runs × (backtick runs + pipes) in a table row
_W_SPLIT_CHAR = 8  # × characters of a block × lines in it that split it (headings, rules, !!!)
_W_SPLIT_LINE = 250  # × lines of a block × lines in it that split it
_W_CELL = 15_000  # every table cell (header columns × rows; a row of five cells with text: 100 µs)
_W_FENCE = 12  # × characters from a fence line to the next line that may close it

CAUSES = ("size", "lines", "blocks", "markup", "nesting", "emphasis", "brackets", "parentheses",
          "backticks", "tags", "braces", "block-splits", "table", "fences")

# --- patterns --------------------------------------------------------------------------------------

# Blockquote and list markers at the start of a line: a ">" takes one space after it, a list marker all.
_PREFIX_RUN = re.compile(r"(?:[ ]*(?:>[ ]?|(?:[*+-]|\d{1,9}[.)])(?=[ ]|$)[ ]*))*")
_PREFIX_MAX = 4096
_PREFIX_TOKENS = re.compile(r"([ ]*)(?:(>)[ ]?|(?:[*+-]|\d{1,9}[.)])(?=[ ]|$)[ ]*)")
# The markers after a ">" that ends a tag, a comment or the like (not the ">" of a blockquote marker).
_TAIL_MARKERS = re.compile(r"(?<=[^\s>])>((?:[ ]*(?:>[ ]?|(?:[*+-]|\d{1,9}[.)])(?=[ ]|$)[ ]*)){1,4096})")
_PM_BQ = re.compile(r"(?:[ ]{0,3}>[ ]?)*")  # Python-Markdown's BlockQuoteProcessor.clean, level after level
_LIST_START = re.compile(r"[ ]{0,3}(?:[*+-]|\d+\.)[ ]+")  # UListProcessor / OListProcessor at a block start
_LIST_ITEM = re.compile(r"[ ]*(?:[*+-]|\d+\.)[ ]+")  # an item line inside a list block (any indentation)
_SETEXT = re.compile(r"(?:=+|-+)[ ]*")
_ADMONITION = re.compile(r'!!! ?[\w\-]+(?: +[\w\-]+)*(?: +"(?:.*?)")? *$')
_SPLITTER_START = ("#", "!", "<", "`", "~", "=", "-", "*", "_", " ")
_SEPARATOR_CHARS = frozenset("|:- ")
_BLOCK_MARKUP = ("-", "*", "+", ">", "#", "<", "!", "`", "~", "|", "=")
_INLINE_CHARS = ("*", "_", "`", "[", "<", "&", "\\")
_TAG_START = re.compile(r"<(?:[A-Za-z/!?])")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)([^<>]*?)(/?)>")
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")
_MARKDOWN_WORD = re.compile(r"markdown", re.I)
_MARKED_SECTION_END = re.compile(r"\]\s*\]\s*>")
_BACKTICK_RUN = re.compile(r"`+")
_DELIMITER_RUN = re.compile(r"[*_]+")
_EMPHASIS_RUN = re.compile(r"\*+|_+")
_BRACKET = re.compile(r"[\[\]]")
_PAREN = re.compile(r"[()]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")

# Elements that never contain others (void) or whose end tag may be left out (the HTML parser closes
# them by itself, so they do not nest by repetition).
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})
_OPTIONAL_END = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup",
                           "rb", "rt", "rtc", "rp", "colgroup", "caption"})


# --- the scan --------------------------------------------------------------------------------------


@dataclass
class _Cost:
    total: float = 0.0
    worst: float = 0.0
    line: int = 1

    def add(self, ns: float, line: int) -> None:
        self.total += ns
        if ns > self.worst:
            self.worst = ns
            self.line = line


@dataclass
class _Scan:
    lines: list[str]  # sub-lines (a lone \r also ends a line for Python-Markdown), tabs expanded
    numbers: list[int] | None  # the body line of each sub-line, when a lone \r made them differ
    costs: dict[str, _Cost] = field(default_factory=lambda: {cause: _Cost() for cause in CAUSES})
    depths: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (depth, line), first past
    md_depth: dict[int, int] = field(default_factory=dict)  # line index -> open markdown="1" elements

    def number(self, index: int) -> int:
        return self.numbers[index] if self.numbers is not None else index + 1

    def cost(self, cause: str, ns: float, index: int) -> None:
        self.costs[cause].add(ns, self.number(index))

    def total(self) -> float:
        return sum(c.total for c in self.costs.values())

    def deep(self, kind: str, depth: int, index: int) -> None:
        if depth > LIMITS[kind] and kind not in self.depths:
            self.depths[kind] = (depth, self.number(index))


def bound_problems(body: str) -> list[BoundProblem]:
    """The bounds ``body`` (a page's Markdown without front matter) is past, in line order; [] when none."""
    scan = _scan(body)
    problems = [BoundProblem(line, kind, depth, LIMITS[kind]) for kind, (depth, line) in scan.depths.items()]
    total = scan.total()
    if total > TIME_BUDGET_US * 1000:
        cause, cost = max(scan.costs.items(), key=lambda item: item[1].total)
        problems.append(BoundProblem(cost.line, "time", int(total // 1000), TIME_BUDGET_US, cause))
    return sorted(problems, key=lambda p: (p.line, p.kind))


def estimated_microseconds(body: str) -> dict[str, int]:
    """The render-time estimate of ``body`` by cause, in microseconds (for tests and measurements)."""
    return {cause: int(cost.total // 1000) for cause, cost in _scan(body).costs.items()}


def _scan(body: str) -> _Scan:
    scan = _split_lines(body)
    text = "\n".join(scan.lines)
    if _linear_costs(scan, text) <= TIME_BUDGET_US * 1000:  # else the page is refused already
        _tags(scan, text)
        _blocks(scan)
        _fences(scan, text)
    return scan


def _split_lines(body: str) -> _Scan:
    """Lines as Python-Markdown reads them: \\r\\n and a lone \\r end a line, tabs are 4 columns."""
    if "\r" not in body:
        lines = body.split("\n")
        numbers = None
    else:
        lines, numbers = [], []
        for number, line in enumerate(body.split("\n"), 1):
            parts = line.removesuffix("\r").split("\r")
            lines.extend(parts)
            numbers.extend([number] * len(parts))
    if "\t" in body:
        lines = [line.expandtabs(4) if "\t" in line else line for line in lines]
    return _Scan(lines, numbers)


def _linear_costs(scan: _Scan, text: str) -> float:
    """Costs proportional to the size and to how much markup the page has (cheap; counted first)."""
    scan.cost("size", _W_CHAR * len(text), 0)
    scan.cost("lines", _W_LINE * (len(scan.lines) - text.count("\n\n")), 0)
    markup = (sum(_W_TOKEN[c] * text.count(c) for c in _W_TOKEN) + _W_LINEBREAK * text.count("  \n")
              + _W_URL * text.count("://"))
    if "*" in text or "_" in text:  # runs counted up to what the budget allows (a page of "*_" has a million)
        most = TIME_BUDGET_US * 1000 // _W_RUN + 1
        markup += _W_RUN * sum(1 for _ in itertools.islice(_EMPHASIS_RUN.finditer(text), most))
    scan.cost("markup", markup, 0)
    return scan.total()


# --- HTML tags: nesting, markdown="1" elements, and how far the HTML parser scans ------------------


def _tags(scan: _Scan, text: str) -> None:
    if "<" not in text:
        return
    starts = _line_starts(text)
    _tag_nesting(scan, text, starts)
    _tag_scans(scan, text, starts)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def _tag_nesting(scan: _Scan, text: str, starts: list[int]) -> None:
    """Raw HTML elements open inside each other (elements that close themselves excepted)."""
    stack: list[str] = []
    open_names: dict[str, int] = {}  # how many of each name are on the stack
    for match in _TAG.finditer(text):
        closing, name, _, self_closing = match.groups()
        name = name.lower()
        if closing:
            _close(stack, open_names, name)
        elif not self_closing and name not in _VOID and name not in _OPTIONAL_END:
            stack.append(name)
            open_names[name] = open_names.get(name, 0) + 1
            scan.deep("html", len(stack), bisect.bisect_right(starts, match.start()) - 1)
    if _MARKDOWN_WORD.search(text):
        _markdown_elements(scan, text, starts)


def _markdown_elements(scan: _Scan, text: str, starts: list[int]) -> None:
    """Which lines may be inside an element with a ``markdown`` attribute, and how deep.

    Python-Markdown parses the content of such elements (md_in_html): each level recurses like a
    blockquote, and a ``markdown="span"`` element is one paragraph even across blank lines. Its
    attributes may hold ``>`` or ``<`` in quotes, so on a page that has the word at all every element
    opened by ``<name`` counts until its end tag, whatever its attributes (an upper bound).
    """
    stack: list[str] = []
    open_names: dict[str, int] = {}
    last_index = 0
    for match in _TAG_NAME.finditer(text):
        closing, name = match.groups()
        name = name.lower()
        index = bisect.bisect_right(starts, match.start()) - 1
        if stack:
            for i in range(last_index, index + 1):
                scan.md_depth[i] = max(scan.md_depth.get(i, 0), len(stack))
        last_index = index
        if closing:
            _close(stack, open_names, name)
        elif name not in _VOID:
            stack.append(name)
            open_names[name] = open_names.get(name, 0) + 1
            scan.md_depth[index] = max(scan.md_depth.get(index, 0), len(stack))
    if stack:
        for i in range(last_index, len(starts)):
            scan.md_depth[i] = max(scan.md_depth.get(i, 0), len(stack))


def _close(stack: list[str], open_names: dict[str, int], name: str) -> None:
    """An end tag closes the innermost open element of its name and everything opened inside it."""
    if open_names.get(name):
        while True:
            popped = stack.pop()
            open_names[popped] -= 1
            if popped == name:
                break


def _tag_scans(scan: _Scan, text: str, starts: list[int]) -> None:
    """Characters Python-Markdown's HTML parser scans from each ``<`` that may start a tag.

    An incomplete start tag is scanned up to the next ``>`` outside a quoted attribute value and
    scanned again from the next ``<``. ``_reach`` is an upper bound of where that scan ends: a quote
    may open a value or be part of a name, so both are followed and the farther end is kept.
    """
    n = len(text)
    reach = _reach(text)
    section_ends = [m.end() for m in _MARKED_SECTION_END.finditer(text)] if "<![" in text else []
    # Where each comment and processing instruction ends, looked up by position: searching the text
    # again from every "<!--" is quadratic when none is closed (10,000 "<!--": 1.4 s).
    comment_ends = _positions(text, ("-->", "--!>")) if "<!--" in text else []
    pi_ends = _positions(text, ("?>",)) if "<?" in text else []
    for match in _TAG_START.finditer(text):
        i = match.start()
        if text.startswith("<![", i):
            k = bisect.bisect_left(section_ends, i)
            end = section_ends[k] if k < len(section_ends) else n
        elif text.startswith("<!--", i):
            end = _next_at(comment_ends, i + 4, n)
        elif text.startswith("<?", i):
            end = _next_at(pi_ends, i + 2, n)
        else:
            end = reach(i + 1)
        if end - i > 64:
            scan.cost("tags", _W_TAG * (end - i), bisect.bisect_right(starts, i) - 1)


def _positions(text: str, needles: tuple[str, ...]) -> list[int]:
    """Every start of any of ``needles`` in ``text``, sorted."""
    return sorted(match.start() for match in re.finditer("|".join(re.escape(n) for n in needles), text))


def _next_at(positions: list[int], start: int, default: int) -> int:
    """The first of ``positions`` at or after ``start``, else ``default``."""
    k = bisect.bisect_left(positions, start)
    return positions[k] if k < len(positions) else default


def _reach(text: str):
    """A function: where a tag scan that is outside quotes at ``p`` stops (its ``>``, or the end).

    As in ``locatestarttagend_tolerant``, a quote opens a value only after ``=``; elsewhere it is part
    of a name. An unclosed value ends the real scan early; here it runs to the end (an upper bound).
    """
    n = len(text)
    specials = [m.start() for m in re.finditer(r"[>\"']", text)]
    out = [n] * (len(specials) + 1)  # out[k]: where the scan stops if it is outside quotes at specials[k]
    for k in range(len(specials) - 1, -1, -1):
        p = specials[k]
        c = text[p]
        if c == ">":
            out[k] = p
        elif _after_equals(text, p):
            close = text.find(c, p + 1)
            out[k] = n if close == -1 else out[bisect.bisect_right(specials, close)]
        else:
            out[k] = out[k + 1]

    def reach(p: int) -> int:
        return out[bisect.bisect_left(specials, p)]

    return reach


def _after_equals(text: str, p: int) -> bool:
    j = p - 1
    while j >= 0 and text[j] in " \t\n\r\f\v":
        j -= 1
    return j >= 0 and text[j] == "="


# --- blocks and their paragraphs -------------------------------------------------------------------


@dataclass
class _Prefix:
    quotes: int  # ">" markers
    items: int  # list markers
    indent: int  # columns of indentation among and before them (not the space after a marker)
    leading: int  # columns of indentation before the first marker or the text
    content: str  # the line after all markers


def _prefix(line: str) -> _Prefix:
    # Markers past the first few thousand characters are not counted: the depth is far past any limit.
    run = _PREFIX_RUN.match(line, 0, _PREFIX_MAX).group()
    rest = line[len(run):]
    content = rest.lstrip(" ")
    spaces = len(rest) - len(content)
    if not run:
        return _Prefix(0, 0, spaces, spaces, content)
    tokens = _PREFIX_TOKENS.findall(run)  # (spaces before, ">" or "") for each marker
    quotes = sum(1 for _, quote in tokens if quote)
    indent = sum(len(before) for before, _ in tokens)
    return _Prefix(quotes, len(tokens) - quotes, indent + spaces, len(tokens[0][0]), content)


_MARKUP_FIRST = frozenset(" >-*+0123456789#!<`~=_|[")


def _pm_clean(line: str) -> str:
    """The line with its blockquote markers removed the way Python-Markdown removes them."""
    end = _PM_BQ.match(line, 0, _PREFIX_MAX).end()  # (past that the page is refused for its depth)
    return line[end:] if end else line


def _is_blank(line: str) -> bool:
    return not line.strip(" ")


def _splits_block(content: str) -> bool:
    """A line that certainly ends the block it is in (heading, rule, setext underline, admonition)."""
    return (content.startswith("#") or _is_rule(content)
            or _SETEXT.fullmatch(content) is not None or _ADMONITION.match(content) is not None)


def _is_rule(content: str) -> bool:
    """HRProcessor's test (up to 3 spaces, then 3 or more of one of - _ *, at most 2 spaces apart)."""
    text = content.rstrip(" ")
    stripped = text.lstrip(" ")
    if len(text) - len(stripped) > 3 or not stripped or stripped[0] not in "-_*":
        return False
    mark = stripped[0]
    return (stripped.count(mark) >= 3 and not stripped.replace(mark, "").replace(" ", "")
            and "   " not in stripped)


def _may_split_block(content: str) -> bool:
    """A line that may make Python-Markdown split its block and rescan the rest (for the cost)."""
    return content.startswith(_SPLITTER_START) and (
        content.startswith(("#", "!", "<", "```", "~~~")) or _splits_block(content))


def _blocks(scan: _Scan) -> None:
    lines = scan.lines
    count = len(lines)
    chunks = 0
    in_container = False  # below a list or an admonition, indentation nests
    unit: list[int] | None = None  # [first, last] line index of the paragraph being collected
    index = 0
    while index < count:
        if _is_blank(lines[index]):
            if unit is not None and not scan.md_depth.get(index):
                _paragraph(scan, unit)
                unit = None
            index += 1
            continue
        end = index
        while end < count and not _is_blank(lines[end]):
            end += 1
        chunks += 1
        in_container, unit = _chunk(scan, index, end, in_container, unit)
        index = end
    if unit is not None:
        _paragraph(scan, unit)
    scan.cost("blocks", _W_CHUNK * chunks + _W_CHUNK2 * chunks * chunks, 0)


def _chunk(scan: _Scan, first: int, end: int, in_container: bool, unit: list[int] | None):
    """One block between blank lines: depths, costs, and where its paragraphs begin."""
    lines = scan.lines
    md_depth = scan.md_depth
    table = _is_table(lines, first, end)
    list_block = _LIST_START.match(_pm_clean(lines[first])) is not None
    after_split = False
    splitters = quotes_max = max_columns = 0
    chars = 0
    for index in range(first, end):
        line = lines[index]
        chars += len(line) + 1
        md = md_depth.get(index, 0) if md_depth else 0
        if line[0] in _MARKUP_FIRST:
            prefix = _prefix(line)
            content = prefix.content
            cleaned = _pm_clean(line) if line.lstrip(" ").startswith(">") else line
            # nesting
            if prefix.items or content.startswith("!!!"):
                in_container = True
            elif index == first and prefix.leading < 4 and not prefix.quotes and not content.startswith("["):
                in_container = False
            levels = prefix.indent // 4 if in_container else 0
            scan.deep("blockquote", prefix.quotes, index)
            scan.deep("list", prefix.items + levels, index)
            depth = prefix.quotes + prefix.items + levels + md
            quotes_max = max(quotes_max, prefix.quotes)
            if prefix.quotes or prefix.items or content.startswith(_BLOCK_MARKUP):
                scan.cost("blocks", _W_BLOCKLINE, index)
            if _may_split_block(content) or _may_split_block(cleaned.lstrip(" ")):
                splitters += 1
            split_here = not md and _splits_block(cleaned)
        else:
            cleaned = line
            if index == first:
                in_container = False
            depth = md
            split_here = False
        if ">" in line:
            depth = max(depth, _tail_depth(scan, line, md, index))
        if depth:
            scan.deep("nesting", depth, index)
            scan.cost("nesting", _W_NEST * depth * max(1, len(line) // 80), index)
        # costs of a single line
        if "{" in line:
            scan.cost("braces", _W_BRACE * line.count("{") * len(line), index)
        if "|" in line:
            if "`" in line:
                runs = len(_BACKTICK_RUN.findall(line))
                scan.cost("table", _W_TABLE_SPLIT * runs * (runs + line.count("|")), index)
            if index > first and set(cleaned.strip(" ")) <= _SEPARATOR_CHARS:
                max_columns = max(max_columns, lines[index - 1].count("|") + 1)
        # paragraphs: a new one at the start of the block, at each item of a list, at each table row
        if index == first:
            new = unit is None
        elif md:
            new = False
        elif table:
            new = True
        elif after_split:
            list_block = _LIST_START.match(cleaned) is not None
            new = list_block
        else:
            new = list_block and _LIST_ITEM.match(cleaned) is not None
        if new and unit is not None:
            _paragraph(scan, unit)
            unit = None
        if unit is None:
            unit = [index, index]
        else:
            unit[1] = index
        after_split = split_here
    lines_in = end - first
    if splitters:
        scan.cost("block-splits", splitters * (_W_SPLIT_CHAR * chars + _W_SPLIT_LINE * lines_in)
                  * (1 + quotes_max), first)
    if max_columns:
        scan.cost("table", _W_CELL * max_columns * lines_in, first)
    return in_container, unit


def _tail_depth(scan: _Scan, line: str, md: int, index: int) -> int:
    """Nesting that starts after the end of an HTML tag, comment or the like inside the line.

    Python-Markdown's HTML block parser puts what follows a raw block's end tag on the same line into a
    new block (``</div> > > > x`` is a blockquote three deep), so the markers after any ``>`` that
    closes something count as the start of a line.
    """
    deepest = 0
    for match in _TAIL_MARKERS.finditer(line):
        tokens = _PREFIX_TOKENS.findall(match.group(1))
        quotes = sum(1 for _, quote in tokens if quote)
        scan.deep("blockquote", quotes, index)
        scan.deep("list", len(tokens) - quotes, index)
        deepest = max(deepest, len(tokens) + md)
    return deepest


def _is_table(lines: list[str], first: int, end: int) -> bool:
    """Whether Python-Markdown certainly reads the block as one table (each row a paragraph of its own).

    Only simple tables count: header and separator without backticks or backslashes, at the top
    level, and no line that could start an HTML block or an admonition and so end the table early.
    """
    if end - first < 2:
        return False
    header, separator = lines[first].strip(" "), lines[first + 1].strip(" ")
    if any(c in header + separator for c in "`\\") or header.startswith((">", "<", "!", "#")):
        return False
    if not set(separator) <= _SEPARATOR_CHARS or "|" not in header:
        return False
    if len(_table_cells(header)) < 2 or len(_table_cells(separator)) != len(_table_cells(header)):
        return False
    return not any(lines[i].lstrip(" ").startswith(("<", "!")) for i in range(first, end))


def _table_cells(row: str) -> list[str]:
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    return row.split("|")


# --- one paragraph (the text Python-Markdown's inline patterns run over) ---------------------------


def _paragraph(scan: _Scan, unit: list[int]) -> None:
    first, last = unit
    text = "\n".join(scan.lines[first:last + 1])
    length = len(text)
    tokens = sum(text.count(c) for c in _INLINE_CHARS) + text.count("  \n")
    if tokens == 0:
        return
    scan.cost("markup", _W_REBUILD * tokens * length, first)
    if "*" in text or "_" in text:
        bound = _emphasis_bound(text)
        scan.deep("emphasis", bound, first)
        scan.cost("emphasis", _W_EMPHASIS2 * bound * bound, first)
        scan.cost("emphasis", _W_DELIM * sum(length - m.start() for m in _DELIMITER_RUN.finditer(text)), first)
    if "[" in text:
        _brackets(scan, text, first)
    if "`" in text:
        _backticks(scan, text, first)


def _emphasis_bound(text: str) -> int:
    """An upper bound of how many emphasis elements can nest in a paragraph.

    Each element takes at least one ``*`` or ``_`` on each side of every point it contains, so half the
    delimiter characters bound the depth. Runs of one, two or four between two non-space characters
    (``王**（``, ``138****5678``: masked names and numbers) are not counted: Python-Markdown closes what
    is open with such a run before it opens anything, so they do not stack up (random and evolved
    sequences of them never nested deeper than the other runs allow). Every other run counts all its
    characters: separated runs of four to eight (``****a `` …) nest a level or more each (1,000 of them
    raise RecursionError), and 50 runs ``a*…*b`` of falling length, 2.8 KB, nest 540 deep.
    """
    counted = 0
    n = len(text)
    for match in _EMPHASIS_RUN.finditer(text):
        start, end = match.span()
        length = end - start
        if (length in (1, 2, 4) and start and end < n
                and not text[start - 1].isspace() and not text[end].isspace()):
            continue
        counted += length
    return counted // 2


def _brackets(scan: _Scan, text: str, first: int) -> None:
    """Nesting of ``[`` and how far Python-Markdown scans for each ``]`` and each ``)`` after ``](``.

    A ``]`` right after a backslash or between the first and the last backtick may be hidden from
    the scan (escaped, in code), so it does not close anything here: the estimate stays an upper bound.
    """
    length = len(text)
    first_tick, last_tick = text.find("`"), text.rfind("`")
    stack: list[int] = []
    deepest = 0
    spans = 0
    for match in _BRACKET.finditer(text):
        p = match.start()
        if text[p] == "[":
            stack.append(p)
            if len(stack) > deepest:
                deepest = len(stack)
        elif stack and (p == 0 or text[p - 1] != "\\") and not (first_tick < p < last_tick):
            spans += p - stack.pop()
    spans += sum(length - p for p in stack)
    scan.deep("brackets", deepest, first)
    scan.cost("brackets", _W_BRACKET * spans, first)
    if "](" in text:
        _parentheses(scan, text, first)


def _parentheses(scan: _Scan, text: str, first: int) -> None:
    length = len(text)
    closes: dict[int, int] = {}
    stack: list[int] = []
    for match in _PAREN.finditer(text):
        p = match.start()
        if text[p] == "(":
            stack.append(p)
        elif stack and text[p - 1] != "\\":
            closes[stack.pop()] = p
    spans = 0
    position = text.find("](")
    while position != -1:
        opening = position + 1
        close = closes.get(opening, length)
        if close < length and (text.count('"', opening, close) or text.count("'", opening, close)):
            close = length
        spans += close - opening
        position = text.find("](", position + 1)
    scan.cost("parentheses", _W_PAREN * spans, first)


def _backticks(scan: _Scan, text: str, first: int) -> None:
    """Characters Python-Markdown scans looking for the partner of each backtick run.

    A run of n backticks looks for the next run of exactly n; after a failure Python-Markdown may
    restart inside the run, with fewer backticks, so every length up to n is counted.
    """
    length = len(text)
    runs = [(m.start(), m.end()) for m in _BACKTICK_RUN.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for start, end in runs:
        by_length.setdefault(end - start, []).append(start)
    scanned = 0
    for start, end in runs:
        for ticks in range(1, end - start + 1):
            later = by_length.get(ticks)
            stop = length
            if later:
                k = bisect.bisect_right(later, start)
                if k < len(later):
                    stop = later[k] + ticks
            scanned += stop - (end - ticks)
        if scanned * _W_TICK > TIME_BUDGET_US * 1000:
            break
    scan.cost("backticks", _W_TICK * scanned, first)


def _fences(scan: _Scan, text: str) -> None:
    """fenced_code searches from each fence line for the next line that closes it (or to the end)."""
    if "```" not in text and "~~~" not in text:
        return
    n = len(text)
    offsets: list[tuple[int, int, str]] = []  # (line index, offset, fence) of each fence line
    offset = 0
    for index, line in enumerate(scan.lines):
        if line.startswith(("```", "~~~")):
            fence = line[:len(line) - len(line.lstrip(line[0]))]
            offsets.append((index, offset, fence))
        offset += len(line) + 1
    closing: dict[str, int] = {}  # fence -> offset of the nearest later line that is only that fence
    for index, offset, fence in reversed(offsets):
        scanned = closing.get(fence, n) - offset
        scan.cost("fences", _W_FENCE * scanned, index)
        if scan.lines[index].rstrip(" ") == fence:
            closing[fence] = offset


# --- messages --------------------------------------------------------------------------------------

_DEPTH_NAMES = {
    "list": ("列表嵌套了{n}层，最多允许{m}层", "把多层嵌套的列表改成较浅的列表或普通段落；检查是不是行首的空格太多。"),
    "blockquote": ("引用符号“>”嵌套了{n}层，最多允许{m}层", "把多层引用改成普通段落，删除行首多余的“>”。"),
    "nesting": ("列表、引用、提示框和HTML标签一共嵌套了{n}层，最多允许{m}层",
                "把多层嵌套改成普通段落或较浅的列表；删除行首多余的符号和空格。"),
    "html": ("HTML标签互相嵌套了{n}层，最多允许{m}层",
             "删除多余的HTML标签（常见于从网页或Word复制来的内容），或者改用普通段落和列表。"),
    "emphasis": ("这一段的加粗、斜体符号“*”“_”太多，可能嵌套{n}层，最多允许{m}层",
                 "删除多余的“*”和“_”；这一段确实需要很多加粗时，把它分成几段。"),
    "brackets": ("方括号“[”嵌套了{n}层，最多允许{m}层", "检查方括号是否成对，删除多余的“[”和“]”。"),
}

_CAUSE_NAMES = {
    "size": ("页面内容太长", "把内容分成几个页面，或者把很长的名单、数据作为附件上传。"),
    "lines": ("页面的行数太多", "把内容分成几个页面，或者把很长的名单、数据作为附件上传。"),
    "blocks": ("页面的段落、列表项和标题太多", "把内容分成几个页面，或者把很长的名单、数据作为附件上传。"),
    "markup": ("页面里的格式符号（“*”“_”“[”“<”“&”“`”“\\”等）太多",
               "删除多余的格式符号；如果是从其他地方复制来的内容，请只粘贴文字。"),
    "nesting": ("页面里嵌套的列表和引用太多", "把多层嵌套改成普通段落或较浅的列表。"),
    "emphasis": ("一段里的加粗、斜体符号“*”“_”太多", "删除多余的“*”和“_”，或者把很长的段落分成几段。"),
    "brackets": ("方括号“[”太多或者没有配对", "检查方括号是否成对，删除多余的“[”，或者把很长的段落分成几段。"),
    "parentheses": ("链接后的圆括号“(”太多或者没有配对", "检查每个链接“[文字](网址)”的圆括号是否成对，删除多余的“(”。"),
    "backticks": ("反引号“`”太多或者没有配对", "删除多余的反引号“`”，或者把很长的段落分成几段。"),
    "tags": ("以“<”开头的HTML标签没有用“>”结束", "检查每个“<”后面是否有对应的“>”；正文里的小于号请写成全角“＜”。"),
    "braces": ("标题或表格里的大括号“{”太多", "删除多余的“{”。"),
    "block-splits": ("一段内容里没有空行，却连着很多标题、分隔线或提示框", "在标题、分隔线和提示框的前后各加一个空行。"),
    "table": ("表格的单元格太多（列数乘以行数）", "检查表头是否有多余的“|”；很大的表格请作为Excel附件上传。"),
    "fences": ("代码块标记“```”太多或者没有配对", "检查每个“```”是否成对，删除多余的。"),
}


def describe(problem: BoundProblem) -> tuple[str, str]:
    """The (message, suggestion) for a writer, in plain Chinese."""
    if problem.kind == "time":
        what, suggestion = _CAUSE_NAMES.get(problem.cause, _CAUSE_NAMES["markup"])
        times = max(1.1, problem.depth_or_count / problem.limit)
        return (f"第{problem.line}行起：{what}，生成网页需要的计算量约为允许上限的{times:.1f}倍，"
                "网站无法安全地显示这个页面。", suggestion)
    template, suggestion = _DEPTH_NAMES.get(problem.kind, ("嵌套了{n}层，最多允许{m}层", _DEPTH_NAMES["nesting"][1]))
    detail = template.format(n=problem.depth_or_count, m=problem.limit)
    if "复制" not in suggestion:
        suggestion += "如果是从其他地方复制来的内容，请删除多余的符号。"
    return f"第{problem.line}行起嵌套层次过深（{detail}），网站无法安全地显示这一段。", suggestion
