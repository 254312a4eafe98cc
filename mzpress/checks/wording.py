"""Wording rules (错敏词): wrong, non-standard, outdated and sensitive words in government writing.

The rules come from the packaged starter dictionary ``mzpress/data/wording-starter.yml``
(unless ``site_config/wording.yml`` says ``starter: false``) and the bureau's own list
in ``site_config/wording.yml``::

    starter: true
    rules:
      - {wrong: 民政所, right: 民政办, category: 过时表述, note: 本县乡镇机构改革后统一称民政办。}

Each rule has ``wrong``, ``right`` (may be empty: delete or rephrase), ``category``
(错别字, 不规范表述, 过时表述, 敏感词), optional ``severity`` (error, warning, info or
off; default error for 错别字 and 敏感词, warning otherwise), ``note`` (why) and
optional ``exceptions``: longer correct phrases that contain ``wrong`` and must not be
reported (``既使用`` for ``既使``). A match that lies inside ``right`` itself is never
reported either, so a rule such as 一带一路 → “一带一路” does not fire again on its own fix;
nor is a match the writer explains in brackets next to the right form
(民办非企业单位（社会服务机构）, 社会服务机构（原民办非企业单位）).
A local rule with the same ``wrong`` as a starter rule replaces it (``severity: off``
switches a starter rule off).

All rules are matched in one pass with an Aho-Corasick automaton (pyahocorasick),
built once per run. Fenced code, inline code and URLs are skipped.

In a Markdown file the body lines with markup are matched a second time as the reader sees
them (``mzpress.text.rendered_text``), all in one more pass: a word split by markup that
does not show (``残**废**人``, ``残<b>废</b>人``, ``残&#x5e9F;人``) is reported at the writer's
line and the source column where it starts. A match found as written is not reported again
(overlapping columns of the same line); a match that lies wholly inside code, or touches a
URL, is skipped as before. A match found as written that is correct usage as read (an
exception or the explained right form around it only joins up on the page:
民办非企业单位（**社会服务机构**）) is not reported. The front matter (YAML) and fenced code
are not projected.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick

from mzpress.model.findings import Finding, FindingsError, Severity, error
from mzpress.model.source_text import SourceFile, decode
from mzpress.model.yaml_source import LineDict, LineList, load_yaml
from mzpress.text.markdown_regions import LineIndex, code_spans, mask, url_spans
from mzpress.text.rendered_text import RenderedLine, rendered_markdown

CONFIG_FILE = "site_config/wording.yml"
STARTER_FILE = "mzpress/data/wording-starter.yml"

CATEGORIES = {  # Chinese name -> rule suffix
    "错别字": "typo",
    "不规范表述": "nonstandard",
    "过时表述": "outdated",
    "敏感词": "sensitive",
}
CATEGORY_NAMES = {suffix: name for name, suffix in CATEGORIES.items()}
DEFAULT_SEVERITY = {"typo": Severity.ERROR, "sensitive": Severity.ERROR,
                    "nonstandard": Severity.WARNING, "outdated": Severity.WARNING}
SEVERITIES = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO, "off": None}
ENTRY_KEYS = ("wrong", "right", "category", "severity", "note", "exceptions")
_MASK = "\x00"  # never part of a rule
# “旧称（新称）” and “新称（原旧称）” explain a rename: not an error.
_EXPLAIN_AFTER = ("（", "(", "（即", "（现", "（现称", "（今")
_EXPLAIN_BEFORE = ("（", "(", "（原", "（原称", "（曾称", "（旧称", "（即")


@dataclass(frozen=True, slots=True)
class WordingRule:
    wrong: str
    right: str
    category: str  # rule suffix: typo, nonstandard, outdated, sensitive
    severity: Severity
    note: str
    exceptions: tuple[str, ...] = ()
    origin: str = ""  # file:line where the rule was defined
    enabled: bool = True  # False: ``severity: off``, only there to switch a starter rule off

    @property
    def rule_id(self) -> str:
        return f"wording.{self.category}"

    @property
    def category_name(self) -> str:
        return CATEGORY_NAMES[self.category]


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    rule: WordingRule


class WordingMatcher:
    """All rules compiled into one automaton; ``find`` returns the matches in a text."""

    def __init__(self, rules: Iterable[WordingRule]):
        self.rules: list[WordingRule] = list(rules)
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

    def __len__(self) -> int:
        return len(self.rules)

    def _guarded(self, text: str, start: int, index: int) -> bool:
        for phrase, offset in self._guards[index]:
            begin = start - offset
            if begin >= 0 and text.startswith(phrase, begin):
                return True
        right = self.rules[index].right
        if right:  # the writer already gives the right form next to it: 民办非企业单位（社会服务机构）
            end = start + len(self.rules[index].wrong)
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


# --- loading ------------------------------------------------------------------------------------------


def _config_error(file: str, line: int | None, message: str, suggestion: str) -> Finding:
    return error("wording.config", file, line, message, suggestion)


def parse_rules(data: Any, file: str, findings: list[Finding], key: str = "rules") -> list[WordingRule]:
    """Rules from a loaded YAML mapping's ``rules`` list; problems go to ``findings``."""
    if not isinstance(data, LineDict):
        findings.append(_config_error(file, 1, "错敏词配置应当是“字段: 内容”的形式。",
                                      "参照示例：第一行写 starter: true，下面写 rules: 列表。"))
        return []
    entries = data.get(key)
    if entries is None:
        return []
    if not isinstance(entries, LineList):
        findings.append(_config_error(file, data.line_of(key), f"{key} 应当是一个列表。",
                                      "每条规则一行，以“- ”开头，例如 - {wrong: 既使, right: 即使, category: 错别字, note: 说明}"))
        return []
    rules: list[WordingRule] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        line = entries.line_of(index)
        rule = _parse_entry(entry, file, line, findings)
        if rule is None:
            continue
        if rule.wrong in seen:
            findings.append(_config_error(file, line, f"“{rule.wrong}”重复出现（第{seen[rule.wrong]}行已有）。",
                                          "删掉其中一条，只保留一条。"))
            continue
        seen[rule.wrong] = line
        rules.append(rule)
    return rules


def _text_field(entry: LineDict, key: str, file: str, line: int, findings: list[Finding],
                required: bool) -> str | None:
    value = entry.get(key)
    if value is None:
        if required:
            findings.append(_config_error(file, line, f"这条规则缺少 {key}。",
                                          "每条规则要写 wrong（错误写法）、right（正确写法）、category（类别）和 note（说明）。"))
            return None
        return ""
    if isinstance(value, bool | LineDict | LineList):
        findings.append(_config_error(file, entry.line_of(key), f"{key} 应当是文字。",
                                      "把内容用英文双引号括起来，例如 right: \"是\"。"))
        return None
    return str(value)


def _parse_entry(entry: Any, file: str, line: int, findings: list[Finding]) -> WordingRule | None:
    if not isinstance(entry, LineDict):
        findings.append(_config_error(file, line, "这一条不是“字段: 内容”形式的规则。",
                                      "写成 - {wrong: 既使, right: 即使, category: 错别字, note: 说明}"))
        return None
    unknown = [k for k in entry if k not in ENTRY_KEYS]
    if unknown:
        findings.append(_config_error(file, entry.line_of(unknown[0]), f"不认识的字段“{unknown[0]}”。",
                                      f"规则只能有这些字段：{'、'.join(ENTRY_KEYS)}。"))
        return None
    wrong = _text_field(entry, "wrong", file, line, findings, required=True)
    right = _text_field(entry, "right", file, line, findings, required=False)
    note = _text_field(entry, "note", file, line, findings, required=False)
    category_name = _text_field(entry, "category", file, line, findings, required=True)
    if wrong is None or right is None or note is None or category_name is None:
        return None
    wrong = wrong.strip()
    if not wrong:
        findings.append(_config_error(file, entry.line_of("wrong"), "wrong 不能为空。", "写上需要查找的错误写法。"))
        return None
    category = CATEGORIES.get(category_name.strip()) or (category_name if category_name in CATEGORY_NAMES else None)
    if category is None:
        findings.append(_config_error(file, entry.line_of("category"), f"类别“{category_name}”不在可选范围内。",
                                      f"类别只能是：{'、'.join(CATEGORIES)}。"))
        return None
    severity_value = entry.get("severity", "")
    # YAML reads a bare ``off`` as false.
    severity_text = "off" if severity_value is False else str(severity_value).strip().lower()
    if severity_text and severity_text not in SEVERITIES:
        findings.append(_config_error(file, entry.line_of("severity"), f"严重程度“{entry.get('severity')}”写法不对。",
                                      "只能写 error（错误）、warning（警告）、info（提示）或 off（关闭这条规则）。"))
        return None
    severity = SEVERITIES[severity_text] if severity_text else DEFAULT_SEVERITY[category]
    exceptions_value = entry.get("exceptions", [])
    if isinstance(exceptions_value, str):
        exceptions_value = [exceptions_value]
    if not isinstance(exceptions_value, list) or not all(isinstance(x, str) for x in exceptions_value):
        findings.append(_config_error(file, entry.line_of("exceptions"), "exceptions 应当是文字列表。",
                                      "写成 exceptions: [既使用, 既使得]"))
        return None
    exceptions = tuple(x for x in exceptions_value if wrong in x)
    if len(exceptions) != len(exceptions_value):
        findings.append(_config_error(file, entry.line_of("exceptions"),
                                      f"exceptions 中的每一项都应当包含“{wrong}”。",
                                      "exceptions 列出的是含有错误写法、但本身正确的较长词语。"))
        return None
    return WordingRule(wrong, right.strip(), category, severity or Severity.INFO, note.strip(), exceptions,
                       f"{file}:{line}", enabled=severity is not None)


def load_starter() -> tuple[list[WordingRule], list[Finding]]:
    findings: list[Finding] = []
    text = resources.files("mzpress").joinpath("data/wording-starter.yml").read_text(encoding="utf-8")
    try:
        data = load_yaml(text, STARTER_FILE, rule="wording.config")
    except FindingsError as exc:
        return [], exc.findings
    return parse_rules(data, STARTER_FILE, findings), findings


def load_rules(root: Path | None) -> tuple[list[WordingRule], list[Finding]]:
    """Starter rules (unless switched off) merged with ``site_config/wording.yml``; never raises."""
    findings: list[Finding] = []
    use_starter = True
    local: list[WordingRule] = []
    path = Path(root) / CONFIG_FILE if root is not None else None
    if path is not None and path.is_file():
        text, problems = decode(path.read_bytes(), CONFIG_FILE)
        findings += problems
        data = None
        if text is not None:
            try:
                data = load_yaml(text, CONFIG_FILE, rule="wording.config")
            except FindingsError as exc:
                findings += exc.findings
        if data is not None:
            if isinstance(data, LineDict) and "starter" in data:
                if isinstance(data["starter"], bool):
                    use_starter = data["starter"]
                else:
                    findings.append(_config_error(CONFIG_FILE, data.line_of("starter"),
                                                  "starter 只能写 true（使用内置词库）或 false（不使用）。",
                                                  "改成 starter: true"))
            if isinstance(data, LineDict):
                unknown = [k for k in data if k not in ("starter", "rules")]
                for key in unknown:
                    findings.append(_config_error(CONFIG_FILE, data.line_of(key), f"不认识的字段“{key}”。",
                                                  "wording.yml 只有 starter 和 rules 两个字段。"))
            local = parse_rules(data, CONFIG_FILE, findings)
    rules: dict[str, WordingRule] = {}
    if use_starter:
        starter, problems = load_starter()
        findings += problems
        rules.update((r.wrong, r) for r in starter)
    rules.update((r.wrong, r) for r in local)
    return [r for r in rules.values() if r.enabled], findings


# --- the check --------------------------------------------------------------------------------------------


def _state(ctx) -> dict:
    def build() -> dict:
        rules, findings = load_rules(getattr(ctx, "root", None))
        return {"matcher": WordingMatcher(rules), "config_findings": findings, "reported": False}

    return ctx.memo("wording", build)


def wording_findings(text: str, relpath: str, matcher: WordingMatcher) -> list[Finding]:
    """Findings for every rule match in ``text``, skipping code and URLs.

    A Markdown file (``.md``) is also matched as read on the page (see the module docstring)."""
    spans = code_spans(text, skip_front_matter=True)
    masked = mask(text, spans, _MASK)
    urls = url_spans(masked)
    masked = mask(masked, urls, _MASK)
    matches = matcher.find(masked)
    rendered = rendered_markdown(text) if matcher.rules and relpath.lower().endswith(".md") else []
    hidden = matcher.find("\n".join(line.text for line in rendered)) if rendered else []
    if not matches and not hidden:
        return []
    index = LineIndex(text)
    findings = []
    found: dict[int, list[tuple[int, int]]] = {}  # line -> (first, end) 0-based columns of matches
    by_number = {line.number: line for line in rendered}
    for match in matches:
        line, column = index.position(match.start)
        found.setdefault(line, []).append((column - 1, column - 1 + match.end - match.start))
        shown = by_number.get(line)
        if shown is not None and _reads_correct(shown, column - 1, match.rule, matcher):
            continue  # 民办非企业单位（**社会服务机构**）: the explanation reads right on the page
        findings.append(_finding(match.rule, relpath, line, column))
    if hidden:
        more = _rendered_findings(rendered, hidden, relpath, index, found, spans, urls)
        if more:
            findings = sorted(findings + more, key=lambda f: (f.line or 0, f.column or 0))
    return findings


def _reads_correct(shown: RenderedLine, column: int, rule: WordingRule, matcher: WordingMatcher) -> bool:
    """The match at source ``column`` reads whole on the page and is correct usage there."""
    start = shown.index_of(column)
    return (start is not None and shown.text.startswith(rule.wrong, start)
            and matcher.guarded(shown.text, start, rule))


class _Regions:
    """Sorted, merged offset spans; ``covers(offset)`` in O(log n)."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            elif end > start:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def covers(self, offset: int) -> bool:
        position = bisect_right(self._starts, offset) - 1
        return position >= 0 and offset < self._ends[position]


def _rendered_findings(rendered: list[RenderedLine], matches: list[Match], relpath: str, index: LineIndex,
                       found: dict[int, list[tuple[int, int]]], code: list[tuple[int, int]],
                       urls: list[tuple[int, int]]) -> list[Finding]:
    """Findings for ``matches`` in the projected lines joined by newlines (rules never contain
    one), except those already found as written, in code or in a URL."""
    starts = []
    position = 0
    for line in rendered:
        starts.append(position)
        position += len(line.text) + 1
    code_regions, url_regions = _Regions(code), _Regions(urls)
    findings = []
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
        findings.append(_finding(match.rule, relpath, line.number, first + 1))
    return findings


def _finding(rule: WordingRule, relpath: str, line: int, column: int) -> Finding:
    note = rule.note.rstrip("。") + "。" if rule.note else ""
    if rule.right:
        message = f"“{rule.wrong}”属于{rule.category_name}，应为“{rule.right}”。"
        suggestion = f"改为“{rule.right}”。{note}"
    else:
        message = f"“{rule.wrong}”属于{rule.category_name}，不宜在政府网站上使用。"
        suggestion = f"删除或改写这一说法。{note}"
    if not rule.origin.startswith(STARTER_FILE):
        suggestion += f"（规则来自 {rule.origin.rsplit(':', 1)[0]}）"
    return Finding(rule.rule_id, rule.severity, relpath, line, column, message, suggestion)


def check_wording(source: SourceFile, ctx) -> list[Finding]:
    """Text check: wording rules over a decoded file (configuration problems reported once per run)."""
    state = _state(ctx)
    findings: list[Finding] = []
    if not state["reported"]:
        state["reported"] = True
        findings += state["config_findings"]
    if source.text is not None:
        findings += wording_findings(source.text, source.relpath, state["matcher"])
    return findings
