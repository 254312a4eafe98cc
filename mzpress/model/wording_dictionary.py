"""The wording dictionary (错敏词): the built-in entries and ``site_config/wording.yml``, validated.

Both files have the same shape; every problem is a ``wording.config`` finding with file:line::

    sources:                       # short names for citations, used by ``source:``
      xdhy7: 《现代汉语词典》（第7版）
    outdated_grace_days: 90        # wording.yml only: grace period after an outdated term's ``since``
    rules:
      - wrong: 五保户
        variants: [五保对象, 五保老人, {wrong: 五保供养, right: 特困人员救助供养}]
        right: 特困人员
        category: outdated         # typo / outdated / non-standard / sensitive / political-fixed-term
        since: 2014-05-01          # outdated only: the date from which the new term applies
        source: shjz               # a key of ``sources:`` or the citation itself
        note: 为什么要改
        severity: warning          # optional: error, warning, info, off
        exceptions: [...]          # optional: longer correct phrases containing ``wrong``
    proper_names: [示例县民政局]     # no finding inside these (site names, organisations, programmes)
    fixed_terms:                   # names a one-character slip in is serious (中华人民共合国)
      - {term: 中华人民共和国, source: xianfa}
    leaders:                       # wording.yml only: the county's leaders, titles in the official order
      - {name: 王某某, titles: [县委副书记, 县长]}
    party_congresses:              # built-in only: 党的十八大 … 二十大, the bare form is a warning
      {numbers: [十八, 十九, 二十], prefixes: [党的, 中共], source: xinhua}

Chinese category names (错别字, 过时表述, 不规范表述, 敏感词, 政治固定表述) are accepted too.
An entry of the built-in dictionary without a source fails the tests; one in ``wording.yml``
is reported as a warning (``wording.unsourced``) and still applies. ``mzpress wording-audit``
lists them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from mzpress.model.findings import Finding, FindingsError, Severity, error, warning
from mzpress.model.source_text import decode
from mzpress.model.yaml_source import LineDict, LineList, load_yaml

CONFIG_FILE = "site_config/wording.yml"
STARTER_FILE = "mzpress/data/wording-starter.yml"
CONFIG_RULE = "wording.config"

# category as written (English id or Chinese name) -> rule suffix
CATEGORIES = {
    "typo": "typo", "错别字": "typo",
    "outdated": "outdated", "过时表述": "outdated",
    "non-standard": "nonstandard", "nonstandard": "nonstandard", "不规范表述": "nonstandard",
    "sensitive": "sensitive", "敏感词": "sensitive",
    "political-fixed-term": "fixed-term", "fixed-term": "fixed-term", "政治固定表述": "fixed-term",
}
CATEGORY_NAMES = {"typo": "错别字", "outdated": "过时表述", "nonstandard": "不规范表述",
                  "sensitive": "敏感词", "fixed-term": "政治固定表述"}
CATEGORY_IDS = ("typo", "outdated", "non-standard", "sensitive", "political-fixed-term")
DEFAULT_SEVERITY = {"typo": Severity.ERROR, "sensitive": Severity.ERROR, "fixed-term": Severity.ERROR,
                    "nonstandard": Severity.WARNING, "outdated": Severity.WARNING}
SEVERITIES = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO, "off": None}
ENTRY_KEYS = ("wrong", "variants", "right", "category", "since", "source", "severity", "note", "exceptions",
              "followed_by")
DIGIT = "数字"  # in ``followed_by``: any digit
BUILTIN_KEYS = ("sources", "rules", "proper_names", "fixed_terms", "party_congresses")
LOCAL_KEYS = ("starter", "outdated_grace_days", "sources", "rules", "proper_names", "fixed_terms", "leaders")
FIXED_TERM_MIN_LENGTH = 6  # shorter names have too many correct one-character neighbours (国务院 / 国务卿)
_EXAMPLE = "- {wrong: 既使, right: 即使, category: typo, source: 《现代汉语词典》（第7版）, note: 说明}"


@dataclass(frozen=True, slots=True)
class WordingRule:
    """One form to look for. An entry with ``variants`` gives one rule per form, sharing the rest."""

    wrong: str
    right: str
    category: str  # rule suffix: typo, outdated, nonstandard, sensitive, fixed-term
    severity: Severity
    note: str
    exceptions: tuple[str, ...] = ()
    origin: str = ""  # file:line where the entry was defined
    enabled: bool = True  # False: ``severity: off``, only there to switch a built-in rule off
    source: str = ""  # the citation (law, regulation, notice, standard, with its number)
    since: dt.date | None = None  # outdated terms: the date from which the new term applies
    stem: str = ""  # the entry's first ``wrong`` form (the same as ``wrong`` for the entry itself)
    followed_by: tuple[str, ...] = ()  # when given: only a match followed by one of these (DIGIT: a digit)

    @property
    def rule_id(self) -> str:
        return f"wording.{self.category}"

    @property
    def category_name(self) -> str:
        return CATEGORY_NAMES[self.category]


@dataclass(frozen=True, slots=True)
class FixedTerm:
    """A name that must be written exactly; a one-character slip in it is reported."""

    term: str
    source: str
    origin: str = ""


@dataclass(frozen=True, slots=True)
class Leader:
    """A county leader and their titles in the official order (``site_config/wording.yml: leaders``)."""

    name: str
    titles: tuple[str, ...]
    origin: str = ""


@dataclass(frozen=True, slots=True)
class CongressRule:
    """Party congress names: the ordinal with 大 (十八大) must carry one of ``prefixes`` (党的十八大)."""

    numbers: tuple[str, ...]
    prefixes: tuple[str, ...]
    source: str
    note: str = ""
    origin: str = ""


@dataclass(frozen=True, slots=True)
class Unsourced:
    """An entry without a source: where it is and what it looks for."""

    origin: str
    what: str


@dataclass(frozen=True)
class WordingSettings:
    """The dictionary in effect for a run: built-in entries merged with the site's own."""

    rules: tuple[WordingRule, ...] = ()
    fixed_terms: tuple[FixedTerm, ...] = ()
    proper_names: tuple[str, ...] = ()
    leaders: tuple[Leader, ...] = ()
    congress: CongressRule | None = None
    grace_days: int = 0
    findings: tuple[Finding, ...] = ()  # problems of the files, reported once per run by the check
    unsourced: tuple[Unsourced, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)


class _Reader:
    """Reads one dictionary file, collecting findings with file:line."""

    def __init__(self, file: str):
        self.file = file
        self.findings: list[Finding] = []
        self.unsourced: list[Unsourced] = []
        self.sources: dict[str, str] = {}

    def fail(self, line: int | None, message: str, suggestion: str) -> None:
        self.findings.append(error(CONFIG_RULE, self.file, line, message, suggestion))

    def text(self, entry: LineDict, key: str, line: int, required: bool) -> str | None:
        value = entry.get(key)
        if value is None:
            if required:
                self.fail(line, f"这条规则缺少 {key}。",
                          "每条规则要写 wrong（错误写法）、right（正确写法）、category（类别）、source（依据）和 note（说明）。")
                return None
            return ""
        if isinstance(value, bool | LineDict | LineList | list | dict):
            self.fail(entry.line_of(key), f"{key} 应当是文字。", "把内容用英文双引号括起来，例如 right: \"是\"。")
            return None
        return str(value).strip()

    def strings(self, container: Any, key: str, line: int, example: str) -> tuple[str, ...] | None:
        value = container.get(key, []) if isinstance(container, dict) else []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
            self.fail(line, f"{key} 应当是文字列表。", f"写成 {key}: {example}")
            return None
        return tuple(x.strip() for x in value)

    def source(self, value: str) -> str:
        return self.sources.get(value, value)

    # -- sections ------------------------------------------------------------------------------

    def read_sources(self, data: LineDict) -> None:
        value = data.get("sources")
        if value is None:
            return
        if not isinstance(value, LineDict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
            self.fail(data.line_of("sources"), "sources 应当是“简称: 依据全文”的若干行。",
                      "例如 sources: 下一行缩进写 shjz: 《社会救助暂行办法》（国务院令第649号）")
            return
        self.sources = {str(k): v.strip() for k, v in value.items()}

    def rules(self, data: LineDict) -> list[WordingRule]:
        entries = data.get("rules")
        if entries is None:
            return []
        if not isinstance(entries, LineList):
            self.fail(data.line_of("rules"), "rules 应当是一个列表。", f"每条规则一行，以“- ”开头，例如 {_EXAMPLE}")
            return []
        rules: list[WordingRule] = []
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries):
            line = entries.line_of(index)
            for rule in self.entry(entry, line):
                if rule.wrong in seen:
                    self.fail(line, f"“{rule.wrong}”重复出现（第{seen[rule.wrong]}行已有）。", "删掉其中一条，只保留一条。")
                    continue
                seen[rule.wrong] = line
                rules.append(rule)
        return rules

    def entry(self, entry: Any, line: int) -> list[WordingRule]:
        if not isinstance(entry, LineDict):
            self.fail(line, "这一条不是“字段: 内容”形式的规则。", f"写成 {_EXAMPLE}")
            return []
        unknown = [k for k in entry if k not in ENTRY_KEYS]
        if unknown:
            self.fail(entry.line_of(unknown[0]), f"不认识的字段“{unknown[0]}”。", f"规则只能有这些字段：{'、'.join(ENTRY_KEYS)}。")
            return []
        wrong = self.text(entry, "wrong", line, required=True)
        right = self.text(entry, "right", line, required=False)
        note = self.text(entry, "note", line, required=False)
        category_name = self.text(entry, "category", line, required=True)
        source = self.text(entry, "source", line, required=False)
        if None in (wrong, right, note, category_name, source):
            return []
        if not wrong:
            self.fail(entry.line_of("wrong"), "wrong 不能为空。", "写上需要查找的错误写法。")
            return []
        category = CATEGORIES.get(category_name)
        if category is None:
            self.fail(entry.line_of("category"), f"类别“{category_name}”不在可选范围内。",
                      f"类别只能是：{'、'.join(CATEGORY_IDS)}（或中文：{'、'.join(CATEGORY_NAMES.values())}）。")
            return []
        severity_value = entry.get("severity", "")
        severity_text = "off" if severity_value is False else str(severity_value).strip().lower()  # YAML: off = false
        if severity_text and severity_text not in SEVERITIES:
            self.fail(entry.line_of("severity"), f"严重程度“{severity_value}”写法不对。",
                      "只能写 error（错误）、warning（警告）、info（提示）或 off（关闭这条规则）。")
            return []
        severity = SEVERITIES[severity_text] if severity_text else DEFAULT_SEVERITY[category]
        enabled = severity is not None
        since = self.since(entry, category, enabled)
        if since is False:
            return []
        exceptions = self.strings(entry, "exceptions", entry.line_of("exceptions"), "[既使用, 既使得]")
        if exceptions is None:
            return []
        followed_by = self.strings(entry, "followed_by", entry.line_of("followed_by"), "[数字, 目前, 今年]")
        forms = self.variants(entry, wrong, right)
        if forms is None or followed_by is None:
            return []
        bad = [x for x in exceptions if not any(form in x for form, _ in forms)]
        if bad:
            self.fail(entry.line_of("exceptions"), f"exceptions 中的“{bad[0]}”不包含“{wrong}”或它的变体。",
                      "exceptions 列出的是含有错误写法、但本身正确的较长词语。")
            return []
        origin = f"{self.file}:{line}"
        if enabled and not source:
            self.unsourced.append(Unsourced(origin, wrong))
        return [WordingRule(form, form_right, category, severity or Severity.INFO, note,
                            tuple(x for x in exceptions if form in x), origin, enabled,
                            self.source(source), since or None, wrong, followed_by)
                for form, form_right in forms]

    def since(self, entry: LineDict, category: str, enabled: bool) -> dt.date | None | bool:
        """The entry's ``since`` date; None when it has none; False when it is wrong (reported)."""
        value = entry.get("since")
        if value is None:
            if category == "outdated" and enabled:
                self.fail(entry.line, "过时表述要写 since：从哪一天起改用新说法。",
                          "按依据文件的施行日期写，例如 since: 2014-05-01；早于这一天发布的稿件不会因此报告。")
                return False
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(entry.line_of("since"), f"since “{value}”不是日期。", "写成 since: 2014-05-01（年-月-日）。")
            return False

    def variants(self, entry: LineDict, wrong: str, right: str) -> list[tuple[str, str]] | None:
        value = entry.get("variants", [])
        if not isinstance(value, list):
            self.fail(entry.line_of("variants"), "variants 应当是列表。", "写成 variants: [五保对象, 五保老人]")
            return None
        forms = [(wrong, right)]
        for item in value:
            if isinstance(item, str) and item.strip():
                forms.append((item.strip(), right))
            elif isinstance(item, LineDict) and isinstance(item.get("wrong"), str) and item["wrong"].strip() \
                    and set(item) <= {"wrong", "right"}:
                forms.append((item["wrong"].strip(), str(item.get("right", right)).strip()))
            else:
                self.fail(entry.line_of("variants"), "variants 的每一项应当是一个写法，或 {wrong: 写法, right: 改法}。",
                          "写成 variants: [五保对象, {wrong: 五保供养, right: 特困人员救助供养}]")
                return None
        return forms

    def proper_names(self, data: LineDict) -> tuple[str, ...]:
        return self.strings(data, "proper_names", data.line_of("proper_names"), "[示例县民政局, 香港政府新闻网]") or ()

    def fixed_terms(self, data: LineDict) -> list[FixedTerm]:
        items = data.get("fixed_terms")
        if items is None:
            return []
        if not isinstance(items, LineList):
            self.fail(data.line_of("fixed_terms"), "fixed_terms 应当是列表。", "每项写成 - {term: 中华人民共和国, source: 依据}")
            return []
        terms = []
        for index, item in enumerate(items):
            line = items.line_of(index)
            if not isinstance(item, LineDict) or not isinstance(item.get("term"), str) or set(item) - {"term", "source"}:
                self.fail(line, "固定名称应当写成 {term: 名称, source: 依据}。", "例如 - {term: 全国人民代表大会, source: 《中华人民共和国宪法》}")
                continue
            term = item["term"].strip()
            if len(term) < FIXED_TERM_MIN_LENGTH:
                self.fail(line, f"固定名称“{term}”太短（少于{FIXED_TERM_MIN_LENGTH}个字），相差一个字的正确词语太多。",
                          "短名称的常见错写请写成 rules 中的一条（category: political-fixed-term）。")
                continue
            source = str(item.get("source") or "").strip()
            if not source:
                self.unsourced.append(Unsourced(f"{self.file}:{line}", term))
            terms.append(FixedTerm(term, self.source(source), f"{self.file}:{line}"))
        return terms

    def leaders(self, data: LineDict) -> list[Leader]:
        items = data.get("leaders")
        if items is None:
            return []
        example = "- {name: 王某某, titles: [县委副书记, 县长]}"
        if not isinstance(items, LineList):
            self.fail(data.line_of("leaders"), "leaders 应当是列表，每位领导一项。", f"写成 {example}")
            return []
        leaders = []
        for index, item in enumerate(items):
            line = items.line_of(index)
            if not isinstance(item, LineDict) or set(item) - {"name", "titles"}:
                self.fail(line, "领导应当写成 {name: 姓名, titles: [职务1, 职务2]}。", f"例如 {example}")
                continue
            name = item.get("name")
            titles = self.strings(item, "titles", item.line_of("titles"), "[县委副书记, 县长]")
            if not isinstance(name, str) or not name.strip():
                self.fail(line, "领导缺少姓名（name）。", f"例如 {example}")
                continue
            if titles is None:
                continue
            if len(titles) < 2:
                self.fail(item.line_of("titles"), f"“{name}”的职务少于两个，无法检查排序。",
                          "按县委、县政府公布的顺序写出全部职务；只有一个职务的领导不用写在这里。")
                continue
            leaders.append(Leader(name.strip(), titles, f"{self.file}:{line}"))
        return leaders

    def congress(self, data: LineDict) -> CongressRule | None:
        value = data.get("party_congresses")
        if value is None:
            return None
        line = data.line_of("party_congresses")
        numbers = self.strings(value, "numbers", line, "[十八, 十九, 二十]")
        prefixes = self.strings(value, "prefixes", line, "[党的, 中共]")
        if not isinstance(value, LineDict) or not numbers or not prefixes:
            self.fail(line, "party_congresses 应当写 numbers、prefixes、source 和 note。", "参照内置词库的写法。")
            return None
        source = str(value.get("source") or "").strip()
        if not source:
            self.unsourced.append(Unsourced(f"{self.file}:{line}", "党的代表大会简称"))
        return CongressRule(numbers, prefixes, self.source(source), str(value.get("note") or "").strip(),
                            f"{self.file}:{line}")


def _load(text: str, file: str, allowed: tuple[str, ...]) -> tuple[LineDict | None, list[Finding]]:
    try:
        data = load_yaml(text, file, rule=CONFIG_RULE)
    except FindingsError as exc:
        return None, exc.findings
    if data is None:
        return LineDict(), []
    if not isinstance(data, LineDict):
        return None, [error(CONFIG_RULE, file, 1, "错敏词配置应当是“字段: 内容”的形式。",
                            "参照示例：第一行写 starter: true，下面写 rules: 列表。")]
    findings = []
    for key in data:
        if key not in allowed:
            findings.append(error(CONFIG_RULE, file, data.line_of(key), f"不认识的字段“{key}”。",
                                  f"{file.rsplit('/', 1)[-1]} 只能有这些字段：{'、'.join(allowed)}。"))
    return data, findings


def parse_rules(data: Any, file: str, findings: list[Finding]) -> list[WordingRule]:
    """The rules of a loaded dictionary mapping (its ``sources`` resolved); problems go to ``findings``."""
    if not isinstance(data, LineDict):
        findings.append(error(CONFIG_RULE, file, 1, "错敏词配置应当是“字段: 内容”的形式。",
                              "参照示例：第一行写 starter: true，下面写 rules: 列表。"))
        return []
    reader = _Reader(file)
    reader.read_sources(data)
    rules = reader.rules(data)
    findings += reader.findings
    return rules


@dataclass(frozen=True)
class _Parsed:
    rules: tuple[WordingRule, ...]
    fixed_terms: tuple[FixedTerm, ...]
    proper_names: tuple[str, ...]
    congress: CongressRule | None
    findings: tuple[Finding, ...]
    unsourced: tuple[Unsourced, ...]
    sources: dict[str, str]


@lru_cache(maxsize=1)
def _builtin() -> _Parsed:
    text = resources.files("mzpress").joinpath("data/wording-starter.yml").read_text(encoding="utf-8")
    data, findings = _load(text, STARTER_FILE, BUILTIN_KEYS)
    reader = _Reader(STARTER_FILE)
    if data is None:
        return _Parsed((), (), (), None, tuple(findings), (), {})
    reader.read_sources(data)
    rules = tuple(reader.rules(data))
    terms, names, congress = tuple(reader.fixed_terms(data)), reader.proper_names(data), reader.congress(data)
    return _Parsed(rules, terms, names, congress, tuple(findings + reader.findings), tuple(reader.unsourced),
                   dict(reader.sources))


def load_builtin() -> tuple[list[WordingRule], list[Finding]]:
    """The built-in rules (all, also those switched off by nobody) and the problems of the file."""
    parsed = _builtin()
    return list(parsed.rules), list(parsed.findings)


def builtin_unsourced() -> tuple[Unsourced, ...]:
    return _builtin().unsourced


def builtin_sources() -> dict[str, str]:
    return dict(_builtin().sources)


def load_wording(root: Path | None) -> WordingSettings:
    """Built-in dictionary (unless ``starter: false``) merged with ``site_config/wording.yml``; never raises."""
    findings: list[Finding] = []
    reader = _Reader(CONFIG_FILE)
    use_builtin, grace = True, 0
    local: list[WordingRule] = []
    names: tuple[str, ...] = ()
    terms: list[FixedTerm] = []
    leaders: list[Leader] = []
    path = Path(root) / CONFIG_FILE if root is not None else None
    if path is not None and path.is_file():
        text, problems = decode(path.read_bytes(), CONFIG_FILE)
        findings += problems
        data, problems = _load(text, CONFIG_FILE, LOCAL_KEYS) if text is not None else (None, [])
        findings += problems
        if data is not None:
            if "starter" in data:
                if isinstance(data["starter"], bool):
                    use_builtin = data["starter"]
                else:
                    reader.fail(data.line_of("starter"), "starter 只能写 true（使用内置词库）或 false（不使用）。",
                                "改成 starter: true")
            grace_value = data.get("outdated_grace_days", 0)
            if isinstance(grace_value, int) and not isinstance(grace_value, bool) and 0 <= grace_value <= 3650:
                grace = grace_value
            else:
                reader.fail(data.line_of("outdated_grace_days"),
                            f"outdated_grace_days 应当是0到3650之间的天数，现在是“{grace_value}”。",
                            "写成 outdated_grace_days: 90（过时表述在改称后90天内只作提示、不报告）。")
            reader.read_sources(data)
            local = reader.rules(data)
            names = reader.proper_names(data)
            terms = reader.fixed_terms(data)
            leaders = reader.leaders(data)
    findings += reader.findings
    for item in reader.unsourced:
        file, line = item.origin.rsplit(":", 1)
        findings.append(warning("wording.unsourced", file, int(line), f"“{item.what}”这条规则没有写依据（source）。",
                                "写明依据的法律、法规、文件或标准及其文号，例如 source: 《社会救助暂行办法》（国务院令第649号）；"
                                "本局自定的写法写明本局文件。运行 scripts/mzpress wording-audit 可列出全部缺少依据的规则。"))
    rules: dict[str, WordingRule] = {}
    builtin_terms: tuple[FixedTerm, ...] = ()
    builtin_names: tuple[str, ...] = ()
    congress = None
    unsourced = list(reader.unsourced)
    if use_builtin:
        parsed = _builtin()
        findings += parsed.findings
        rules.update((r.wrong, r) for r in parsed.rules)
        builtin_terms, builtin_names, congress = parsed.fixed_terms, parsed.proper_names, parsed.congress
        unsourced = list(parsed.unsourced) + unsourced
    # A local entry replaces the built-in one with the same ``wrong`` (and all its variants).
    replaced = {rules[r.wrong].stem for r in local if r.wrong in rules}
    rules = {wrong: rule for wrong, rule in rules.items() if rule.stem not in replaced}
    rules.update((r.wrong, r) for r in local)
    local_terms = {t.term for t in terms}
    return WordingSettings(
        rules=tuple(r for r in rules.values() if r.enabled),
        fixed_terms=tuple(t for t in builtin_terms if t.term not in local_terms) + tuple(terms),
        proper_names=tuple(dict.fromkeys(builtin_names + names)),
        leaders=tuple(leaders), congress=congress, grace_days=grace,
        findings=tuple(findings), unsourced=tuple(unsourced), sources=dict(reader.sources))
