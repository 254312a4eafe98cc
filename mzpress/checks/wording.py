"""Wording rules (错敏词): typos, non-standard, outdated and sensitive words, political fixed terms.

The dictionary is the built-in one (``mzpress/data/wording-starter.yml``) merged with the site's
``site_config/wording.yml`` (see :mod:`mzpress.model.wording_dictionary` for the format; every
entry carries its source). What is reported, and where not:

* **Rules** (``wording.typo`` / ``.nonstandard`` / ``.outdated`` / ``.sensitive`` / ``.fixed-term``):
  every form of every entry (its ``variants`` included), matched in one pass with an Aho-Corasick
  automaton. A match inside ``right`` itself, inside one of the entry's ``exceptions``, or
  explained next to the right form (特困人员（原五保户）) is correct usage; an entry with
  ``followed_by`` only counts when followed by one of those (截止 + a time).
* **Dates**: an outdated term is reported only on a page dated on or after the entry's ``since``
  plus ``outdated_grace_days`` (front matter ``date``; a file without a date counts as written
  today), and not in a sentence that names an earlier year (2012年，全县五保户……). The finding
  names the change date, the page's date and the source.
* **Context**: no rule finding inside a 《…》 title, inside a configured proper name
  (``proper_names``), or inside a quotation marked as historical (时称“五保户”; a block starting
  with 【历史原文】), see :mod:`mzpress.text.wording_context`. Inline exemptions
  (``<!-- mzpress: allow wording.outdated 理由 -->``) work as for every check.
* **Fixed terms** (``wording.fixed-term``): a one-character slip in a long fixed name
  (中华人民共合国), also inside titles; Party congress names without 党的 (十八大, a warning).
* **Leaders** (``wording.leader-order``): the titles before a configured leader's name in another
  order than ``site_config/wording.yml: leaders`` gives.

Fenced code, inline code and URLs are skipped. In a Markdown file the body lines with markup are
matched a second time as the reader sees them (``mzpress.text.rendered_text``): a word split by
markup that does not show (``残**废**人``) is reported at the writer's line and column; a match
found as written is not reported again, and one that is correct usage as read is not reported.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from mzpress.checks.page_reading import page_reading
from mzpress.model.findings import Finding, error, warning
from mzpress.model.schema import TIMEZONE
from mzpress.model.source_text import SourceFile
from mzpress.model.wording_dictionary import (
    CATEGORIES,
    CATEGORY_NAMES,
    CONFIG_FILE,
    DIGIT,
    STARTER_FILE,
    CongressRule,
    FixedTerm,
    Leader,
    WordingRule,
    WordingSettings,
    load_builtin,
    load_wording,
    parse_rules,
)
from mzpress.text.markdown_regions import LineIndex, code_spans, mask, url_spans
from mzpress.text.rendered_text import RenderedLine, rendered_markdown
from mzpress.text.wording_context import (
    Regions,
    explains_rename,
    historical_spans,
    is_mention,
    name_spans,
    page_date,
    sentence_years,
    title_spans,
)

__all__ = ["CATEGORIES", "CATEGORY_NAMES", "CONFIG_FILE", "STARTER_FILE", "WordingMatcher", "WordingRule",
           "check_wording", "load_rules", "load_starter", "parse_rules", "wording_findings", "wording_hits",
           "wording_settings_findings"]

_MASK = "\x00"  # never part of a rule
# “旧称（新称）” and “新称（原旧称）” explain a rename: not an error.
_EXPLAIN_AFTER = ("（", "(", "（即", "（现", "（现称", "（今")
_EXPLAIN_BEFORE = ("（", "(", "（原", "（原称", "（曾称", "（旧称", "（即")
_DIGITS = frozenset("0123456789０１２３４５６７８９")
_LEVELS = frozenset("省市县区乡镇村州盟旗")  # 全省人民代表大会 is not a slip of 全国人民代表大会
_NUMERALS = frozenset("〇零一二三四五六七八九十百第")
_NOT_CONGRESS_AFTER = ("类", "项", "门类", "重点", "工程", "行业", "产业", "名", "件", "精品", "景", "板块", "要素", "任务")
_LIST_JOINS = ("、", "和", "及", "与", "至", "到", "—", "－", "-", "～")
_TITLE_JOINS = "、，, 兼"


def load_starter() -> tuple[list[WordingRule], list[Finding]]:
    """The built-in rules and the problems of the built-in file."""
    return load_builtin()


def load_rules(root: Path | None) -> tuple[list[WordingRule], list[Finding]]:
    """The rules in effect for ``root`` (built-in merged with ``site_config/wording.yml``); never raises."""
    settings = load_wording(root)
    return list(settings.rules), list(settings.findings)


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    rule: WordingRule


class WordingMatcher:
    """All rules compiled into one automaton, with the rest of the dictionary (names, fixed terms,
    congress names, leaders, grace period) that :func:`wording_findings` applies."""

    def __init__(self, rules: Iterable[WordingRule], settings: WordingSettings | None = None):
        self.rules: list[WordingRule] = list(rules)
        self.settings = settings or WordingSettings(rules=tuple(self.rules))
        self._automaton = ahocorasick.Automaton()
        # For each rule: (phrase, offset of ``wrong`` in it) pairs that make a match correct usage.
        self._guards: list[tuple[tuple[str, int], ...]] = []
        self._index = {rule.wrong: index for index, rule in enumerate(self.rules)}
        for index, rule in enumerate(self.rules):
            self._automaton.add_word(rule.wrong, index)
            guards = []
            for phrase in (rule.right, *rule.exceptions):
                position = phrase.find(rule.wrong) if phrase else -1
                while position != -1:
                    guards.append((phrase, position))
                    position = phrase.find(rule.wrong, position + 1)
            self._guards.append(tuple(guards))
        if self.rules:
            self._automaton.make_automaton()

    @classmethod
    def from_settings(cls, settings: WordingSettings) -> WordingMatcher:
        return cls(settings.rules, settings)

    def __len__(self) -> int:
        return len(self.rules)

    @property
    def empty(self) -> bool:
        s = self.settings
        return not (self.rules or s.fixed_terms or s.congress or s.leaders)

    def _guarded(self, text: str, start: int, index: int) -> bool:
        rule = self.rules[index]
        end = start + len(rule.wrong)
        if rule.followed_by and not _followed(text, end, rule.followed_by):
            return True
        for phrase, offset in self._guards[index]:
            begin = start - offset
            if begin >= 0 and text.startswith(phrase, begin):
                return True
        right = rule.right
        if right:  # the writer already gives the right form next to it: 五保户（特困人员）
            if any(text.startswith(opening + right, end) for opening in _EXPLAIN_AFTER):
                return True
            before = text[max(0, start - len(right) - 3):start]
            if any(before.endswith(right + opening) for opening in _EXPLAIN_BEFORE):
                return True
        return False

    def guarded(self, text: str, start: int, rule: WordingRule) -> bool:
        """``rule.wrong`` at ``text[start:]`` is correct usage there (an exception, the right form)."""
        index = self._index.get(rule.wrong)
        return index is not None and self._guarded(text, start, index)

    def find(self, text: str) -> list[Match]:
        """Matches in ``text`` (longest first where they nest), excluding guarded ones."""
        if not self.rules:
            return []
        candidates: list[Match] = []
        for end, index in self._automaton.iter(text):
            rule = self.rules[index]
            start = end - len(rule.wrong) + 1
            if not self._guarded(text, start, index):
                candidates.append(Match(start, end + 1, rule))
        candidates.sort(key=lambda m: (m.start, -(m.end - m.start)))
        result: list[Match] = []
        covered_until = -1
        for match in candidates:
            if match.end <= covered_until:
                continue  # a shorter rule inside a longer match already reported
            result.append(match)
            covered_until = max(covered_until, match.end)
        return result


def _followed(text: str, end: int, followers: tuple[str, ...]) -> bool:
    nxt = text[end:end + 1]
    return any((f == DIGIT and nxt in _DIGITS) or (f != DIGIT and text.startswith(f, end)) for f in followers)


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class _Context:
    """Where rules do not apply in one text, and the dates that decide outdated terms."""

    titles: Regions
    names: Regions
    history: Regions
    history_lines: frozenset[int]
    page: dt.date | None
    today: dt.date
    grace: int

    @classmethod
    def of(cls, text: str, matcher: WordingMatcher, page: dt.date | None, today: dt.date,
           history_lines: frozenset[int] = frozenset()) -> _Context:
        return cls(Regions(title_spans(text)), Regions(name_spans(text, matcher.settings.proper_names)),
                   Regions(historical_spans(text)), history_lines, page, today, matcher.settings.grace_days)

    def excluded(self, text: str, start: int, end: int, rule: WordingRule, line: int) -> bool:
        """No finding here: a title, a proper name, a historical quotation, an earlier date."""
        if self.titles.contains(start, end) or self.names.overlaps(start, end) or self.history.overlaps(start, end):
            return True
        if is_mention(text, start, end):
            return True
        if line in self.history_lines:
            return True
        if rule.category == "outdated" and rule.since is not None:
            if (self.page or self.today) < rule.since + dt.timedelta(days=self.grace):
                return True
            if any(year < rule.since.year for year in sentence_years(text, start, end)):
                return True
            if explains_rename(text, start, end, rule.right):
                return True
        return False


def wording_findings(text: str, relpath: str, matcher: WordingMatcher, page: dt.date | None = None,
                     today: dt.date | None = None) -> list[Finding]:
    """Findings for every rule match in ``text``, skipping code, URLs and the contexts above.

    ``page``: the page's date (default: the front matter ``date`` of ``text``); ``today``: the date
    a page without one counts as (default: today in Beijing)."""
    return [finding for finding, _ in wording_hits(text, relpath, matcher, page, today)]


def wording_hits(text: str, relpath: str, matcher: WordingMatcher, page: dt.date | None = None,
                 today: dt.date | None = None) -> list[tuple[Finding, str]]:
    """Like :func:`wording_findings`, each finding with the text it found (for ``scripts/wording-eval``)."""
    if matcher.empty:
        return []
    page = page if page is not None else page_date(text)
    today = today or dt.datetime.now(TIMEZONE).date()
    spans = code_spans(text, skip_front_matter=True)
    masked = mask(text, spans, _MASK)
    urls = url_spans(masked)
    masked = mask(masked, urls, _MASK)
    index = LineIndex(text)
    history_lines = frozenset(index.position(start)[0] for start, end in historical_spans(masked)
                              if start == 0 or masked[start - 1] == "\n")
    context = _Context.of(masked, matcher, page, today, history_lines)
    hits: list[tuple[Finding, str]] = []
    found: dict[int, list[tuple[int, int]]] = {}  # line -> (first, end) 0-based columns of matches
    rendered = rendered_markdown(text) if matcher.rules and relpath.lower().endswith(".md") else []
    by_number = {line.number: line for line in rendered}
    for match in matcher.find(masked):
        line, column = index.position(match.start)
        found.setdefault(line, []).append((column - 1, column - 1 + match.end - match.start))
        if context.excluded(masked, match.start, match.end, match.rule, line):
            continue
        shown = by_number.get(line)
        if shown is not None and _reads_correct(shown, column - 1, match.rule, matcher):
            continue  # 五保户（**特困人员**）: the explanation reads right on the page
        hits.append((_finding(match.rule, relpath, line, column, page), match.rule.wrong))
    if rendered:
        hits += _rendered_hits(rendered, matcher, relpath, index, found, spans, urls, page, today, history_lines)
    hits += _fixed_term_hits(masked, relpath, index, matcher, context)
    hits += _congress_hits(masked, relpath, index, matcher.settings.congress, context)
    hits += _leader_hits(masked, relpath, index, matcher.settings.leaders, context)
    hits.sort(key=lambda hit: (hit[0].line or 0, hit[0].column or 0))
    return hits


def _reads_correct(shown: RenderedLine, column: int, rule: WordingRule, matcher: WordingMatcher) -> bool:
    """The match at source ``column`` reads whole on the page and is correct usage there."""
    start = shown.index_of(column)
    return (start is not None and shown.text.startswith(rule.wrong, start)
            and matcher.guarded(shown.text, start, rule))


def _rendered_hits(rendered: list[RenderedLine], matcher: WordingMatcher, relpath: str, index: LineIndex,
                   found: dict[int, list[tuple[int, int]]], code: list[tuple[int, int]],
                   urls: list[tuple[int, int]], page: dt.date | None, today: dt.date,
                   history_lines: frozenset[int]) -> list[tuple[Finding, str]]:
    """Matches in the projected lines joined by newlines (rules never contain one), except those
    already found as written, in code, in a URL or in an excluded context as read."""
    joined = "\n".join(line.text for line in rendered)
    matches = matcher.find(joined)
    if not matches:
        return []
    context = _Context.of(joined, matcher, page, today, history_lines)
    starts = []
    position = 0
    for line in rendered:
        starts.append(position)
        position += len(line.text) + 1
    code_regions, url_regions = Regions(code), Regions(urls)
    hits = []
    for match in matches:
        number = bisect_right(starts, match.start) - 1
        line = rendered[number]
        start, end = match.start - starts[number], match.end - starts[number]
        first, last = line.source_span(start, end)
        if any(first < other_end and other_first < last for other_first, other_end in found.get(line.number, ())):
            continue  # found as written already
        offsets = [index.offset(line.number, line.column(i) + 1) for i in range(start, end)]
        if any(url_regions.covers(offset) for offset in offsets):
            continue  # part of a link destination or a bare URL
        if all(code_regions.covers(offset) for offset in offsets):
            continue  # code reads as written; it is not prose
        if context.excluded(joined, match.start, match.end, match.rule, line.number):
            continue
        hits.append((_finding(match.rule, relpath, line.number, first + 1, page), match.rule.wrong))
    return hits


def _finding(rule: WordingRule, relpath: str, line: int, column: int, page: dt.date | None) -> Finding:
    note = rule.note.rstrip("。") + "。" if rule.note else ""
    basis = f"依据：{rule.source}。" if rule.source else ""
    if rule.category == "outdated" and rule.since is not None:
        dated = f"本页发布时间{_chinese_date(page)}在此之后。" if page is not None else ""
        message = (f"“{rule.wrong}”属于过时表述：自{_chinese_date(rule.since)}起应为“{rule.right}”"
                   f"（{rule.source or '未写依据'}）。{dated}")
        suggestion = (f"改为“{rule.right}”。{note}回顾当时情况的，可写成“{rule.right}（原{rule.wrong}）”，"
                      "或在这一行加豁免注释 <!-- mzpress: allow wording.outdated 理由 -->。")
    elif rule.right:
        message = f"“{rule.wrong}”属于{rule.category_name}，应为“{rule.right}”。"
        suggestion = f"改为“{rule.right}”。{note}{basis}"
    else:
        message = f"“{rule.wrong}”属于{rule.category_name}，不宜在政府网站上使用。"
        suggestion = f"删除或改写这一说法。{note}{basis}"
    if not rule.origin.startswith(STARTER_FILE):
        suggestion += f"（规则来自 {rule.origin.rsplit(':', 1)[0]}）"
    return Finding(rule.rule_id, rule.severity, relpath, line, column, message, suggestion)


# --- fixed terms, congress names, leaders --------------------------------------------------------------


def _fixed_term_hits(text: str, relpath: str, index: LineIndex, matcher: WordingMatcher,
                     context: _Context) -> list[tuple[Finding, str]]:
    """Windows of a fixed term's length that differ from it in exactly one Chinese character."""
    hits: list[tuple[Finding, str]] = []
    seen: set[int] = set()
    for term in matcher.settings.fixed_terms:
        n = len(term.term)
        half = n // 2
        for piece, offset in ((term.term[:half], 0), (term.term[half:], half)):
            position = text.find(piece)
            while position != -1:
                start = position - offset
                position = text.find(piece, position + 1)
                if start < 0 or start in seen:
                    continue
                window = text[start:start + n]
                if len(window) != n or window == term.term:
                    continue
                diffs = [i for i in range(n) if window[i] != term.term[i]]
                if len(diffs) != 1:
                    continue
                ch = window[diffs[0]]
                if not ("\u4e00" <= ch <= "\u9fff") or ch in _LEVELS:
                    continue
                if context.names.overlaps(start, start + n) or context.history.overlaps(start, start + n):
                    continue
                seen.add(start)
                hits.append((_fixed_term_finding(term, window, relpath, index, start), window))
    return hits


def _fixed_term_finding(term: FixedTerm, window: str, relpath: str, index: LineIndex, start: int) -> Finding:
    line, column = index.position(start)
    basis = f"依据：{term.source}。" if term.source else ""
    return error("wording.fixed-term", relpath, line,
                 f"“{window}”与固定名称“{term.term}”相差一个字，疑似写错（属于严重表述错误）。",
                 f"改为“{term.term}”。{basis}", column=column)


def _congress_pattern(rule: CongressRule) -> re.Pattern[str]:
    numbers = sorted(rule.numbers, key=len, reverse=True)
    return re.compile("(" + "|".join(re.escape(n) for n in numbers) + ")大")


def _congress_hits(text: str, relpath: str, index: LineIndex, rule: CongressRule | None,
                   context: _Context) -> list[tuple[Finding, str]]:
    """十八大 without 党的 (or another prefix), except in a list after a prefixed one."""
    if rule is None or "大" not in text:
        return []
    hits: list[tuple[Finding, str]] = []
    chained_until = -1  # end of the last congress name that carried a prefix (or joined one)
    for match in _congress_pattern(rule).finditer(text):
        start, end = match.span()
        if start > 0 and text[start - 1] in _NUMERALS:
            continue  # 二十八大, 第十八大: another number
        if any(text.startswith(after, end) for after in _NOT_CONGRESS_AFTER):
            continue  # 十八大类, 二十大重点项目
        if any(text.endswith(prefix, 0, start) for prefix in rule.prefixes):
            chained_until = end
            continue
        if chained_until >= 0 and text[chained_until:start] in _LIST_JOINS:
            chained_until = end
            continue  # 党的十八大、十九大和二十大
        if context.titles.contains(start, end) or context.names.overlaps(start, end) \
                or context.history.overlaps(start, end):
            continue
        line, column = index.position(start)
        name = match.group(0)
        note = rule.note.rstrip("。") + "。" if rule.note else ""
        hits.append((warning(
            "wording.fixed-term", relpath, line,
            f"“{name}”是党的全国代表大会的简称，正式稿件中应写作“{rule.prefixes[0]}{name}”。",
            f"改为“{rule.prefixes[0]}{name}”。{note}依据：{rule.source}。", column=column), name))
    return hits


def _leader_hits(text: str, relpath: str, index: LineIndex, leaders: tuple[Leader, ...],
                 context: _Context) -> list[tuple[Finding, str]]:
    """Titles written before a configured leader's name in another order than configured."""
    hits: list[tuple[Finding, str]] = []
    for leader in leaders:
        titles = sorted(leader.titles, key=len, reverse=True)
        position = text.find(leader.name)
        while position != -1:
            chain: list[tuple[int, str]] = []  # (start, title), from the name backwards
            cursor = position
            while True:
                while cursor > 0 and text[cursor - 1] in " \u3000":
                    cursor -= 1
                title = next((t for t in titles if text.endswith(t, 0, cursor)), None)
                if title is None:
                    break
                cursor -= len(title)
                chain.append((cursor, title))
                if cursor > 0 and text[cursor - 1] in _TITLE_JOINS:
                    cursor -= 1
            chain.reverse()
            written = [title for _, title in chain]
            order = [leader.titles.index(t) for t in written]
            if len(written) >= 2 and order != sorted(order) and not context.titles.contains(chain[0][0], position):
                line, column = index.position(chain[0][0])
                right = "、".join(sorted(written, key=leader.titles.index))
                hits.append((error(
                    "wording.leader-order", relpath, line,
                    f"“{'、'.join(written)}{leader.name}”的职务排序与本县公布的顺序不一致。",
                    f"改为“{right}{leader.name}”。排序以 {leader.origin.rsplit(':', 1)[0]} 第{leader.origin.rsplit(':', 1)[1]}行"
                    "（leaders）为准，职务变动时请局办公室更新。", column=column), leader.name))
            position = text.find(leader.name, position + 1)
    return hits


# --- the check --------------------------------------------------------------------------------------------


def _state(ctx) -> dict:
    def build() -> dict:
        config = getattr(ctx, "config", None)
        settings = getattr(config, "wording", None)
        if not isinstance(settings, WordingSettings):
            settings = load_wording(getattr(ctx, "root", None))
        return {"matcher": WordingMatcher.from_settings(settings), "config_findings": list(settings.findings)}

    return ctx.memo("wording", build)


def shown_wording_findings(shown: str, text: str, relpath: str, matcher: WordingMatcher, written: Counter,
                           locate: Callable[[str], int | None], today: dt.date | None = None) -> list[Finding]:
    """Rule matches in ``shown`` (the prose a reader reads of the rendered page) beyond those in the source.

    The source pass (:func:`wording_hits`) names the exact line and column; this one finds what the
    rendering shows and the source does not read as (a word split by markup the source reading does not
    undo, text after a fence Python-Markdown does not close). ``written`` counts the source pass's hits
    per wrong form; only the matches beyond that count are reported, at the first line holding the
    word (else the page)."""
    if matcher.empty or not matcher.rules or not shown:
        return []
    page = page_date(text)
    today = today or dt.datetime.now(TIMEZONE).date()
    matches = matcher.find(shown)
    if not matches:
        return []
    context = _Context.of(shown, matcher, page, today)
    read: Counter = Counter()
    findings = []
    for match in matches:
        wrong = match.rule.wrong
        read[wrong] += 1
        if read[wrong] <= written[wrong] or context.excluded(shown, match.start, match.end, match.rule, -1):
            continue
        findings.append(_finding(match.rule, relpath, locate(wrong), None, page))
    return findings


def wording_settings_findings(ctx) -> list[Finding]:
    """Run check: the problems of the wording configuration (once per run, whatever files are judged)."""
    return list(_state(ctx)["config_findings"])


def check_wording(source: SourceFile, ctx) -> list[Finding]:
    """Text check: wording rules over a decoded file and over the text its rendered page shows. A function of
    the file and the configuration alone (its findings are kept, see kept_findings.py); the configuration's own
    problems are :func:`wording_settings_findings`'."""
    state = _state(ctx)
    findings: list[Finding] = []
    if source.text is not None:
        hits = wording_hits(source.text, source.relpath, state["matcher"])
        findings += [finding for finding, _ in hits]
        reading = page_reading(source, ctx)
        if reading is not None and not reading.rendering.problems:
            written = Counter(wrong for _, wrong in hits)
            findings += shown_wording_findings(reading.text.prose, source.text, source.relpath, state["matcher"],
                                               written, reading.locate)
    return findings
