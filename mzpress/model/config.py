"""The site configuration in ``site_config/``: identity, units, topics, columns.

Loaded once per run, validated like content: every problem is a finding with
file:line and a fix in plain Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mzpress.model.findings import Finding, FindingsError, error, has_errors
from mzpress.model.source_text import read_source
from mzpress.model.yaml_source import LineDict, LineList, load_yaml

CONFIG_DIR = "site_config"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REVIEW_STAGES = ("初审", "复审", "终审")
QUOTA_PERIODS = ("monthly", "quarterly", "yearly")
COLUMN_CONTENTS = ("stories", "notices", "campaigns", "topics", "pages")
COLUMN_KINDS = ("dynamic", "notice", "topic", "static")


@dataclass(frozen=True)
class Person:
    name: str
    github: str = ""
    stage: str = ""
    role: str = ""


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    officer: Person | None
    reviewers: tuple[Person, ...]
    quotas: dict[str, dict[str, int]]
    line: int


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    description: str
    line: int


@dataclass(frozen=True)
class Column:
    id: str
    name: str
    path: str
    contains: str
    kind: str
    update_days: int | None
    line: int


@dataclass
class SiteConfig:
    root: Path
    site: dict[str, Any]
    units: list[Unit]
    topics: list[Topic]
    columns: list[Column]
    bureau_reviewers: list[Person] = field(default_factory=list)

    def __post_init__(self):
        self.unit_by_id = {u.id: u for u in self.units}
        self.topic_by_id = {t.id: t for t in self.topics}

    @property
    def unit_choices(self) -> dict[str, str]:
        return {u.id: u.name for u in self.units}

    @property
    def topic_choices(self) -> dict[str, str]:
        return {t.id: t.name for t in self.topics}

    @property
    def footer(self) -> dict[str, Any]:
        return dict(self.site.get("footer") or {})

    def setting(self, section: str, key: str, default: Any) -> Any:
        value = (self.site.get(section) or {}).get(key)
        return default if value is None else value


class _Reader:
    """Collects findings while reading one YAML config file."""

    def __init__(self, relpath: str):
        self.relpath = relpath
        self.findings: list[Finding] = []

    def fail(self, line: int | None, message: str, suggestion: str, rule: str = "config.invalid") -> None:
        self.findings.append(error(rule, self.relpath, line, message, suggestion))

    def text(self, mapping: LineDict, key: str, label: str, required: bool = True) -> str:
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(mapping.line, f"缺少{label}（{key}）。", f"在这一项下补上一行 {key}: ……")
            return ""
        if isinstance(value, dict | list):
            self.fail(mapping.line_of(key), f"{label}（{key}）应当是一段文字。", f"写成 {key}: 文字")
            return ""
        return str(value).strip()

    def ident(self, mapping: LineDict, what: str) -> str:
        value = self.text(mapping, "id", f"{what}代号")
        if value and not ID_PATTERN.match(value):
            self.fail(mapping.line_of("id"), f"{what}代号“{value}”格式不对。",
                      "代号只能用小写英文字母、数字和连字符，例如 elderly-care。")
        return value

    def mapping_list(self, data: Any, key: str, label: str) -> list[LineDict]:
        items = data.get(key) if isinstance(data, LineDict) else None
        if not isinstance(items, LineList) or not items:
            line = data.line_of(key) if isinstance(data, LineDict) else 1
            self.fail(line, f"没有找到{label}列表（{key}:）。", f"按示例写 {key}: 然后每项以“- ”开头。")
            return []
        result = []
        for index, item in enumerate(items):
            if isinstance(item, LineDict):
                result.append(item)
            else:
                self.fail(items.line_of(index), f"{label}列表的第 {index + 1} 项格式不对。",
                          "每一项要写成若干行“字段: 内容”，例如 - id: office")
        return result

    def person(self, data: Any, line: int, label: str) -> Person | None:
        if data is None:
            return None
        if not isinstance(data, LineDict):
            self.fail(line, f"{label}应当写成 {{name: 姓名, github: 账号}}。", "按示例填写姓名和 GitHub/Gitea 账号。")
            return None
        github = str(data.get("github") or "").strip().lstrip("@")
        if github and not re.match(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$", github):
            self.fail(data.line_of("github"), f"账号“{github}”格式不对。", "只写账号本身，例如 zhouming，不要带空格或中文。")
        stage = str(data.get("stage") or "").strip()
        if stage and stage not in REVIEW_STAGES:
            self.fail(data.line_of("stage"), f"审核环节“{stage}”不存在。", f"改成 {'、'.join(REVIEW_STAGES)} 之一。")
        return Person(self.text(data, "name", f"{label}姓名"), github, stage, str(data.get("role") or ""))

    def people(self, data: Any, line: int, label: str) -> list[Person]:
        if data is None:
            return []
        if not isinstance(data, LineList):
            self.fail(line, f"{label}应当写成列表，每人一行，以“- ”开头。", "参照示例的 reviewers 写法。")
            return []
        return [p for index, item in enumerate(data) if (p := self.person(item, data.line_of(index), label))]

    def check_duplicates(self, items: list, what: str) -> None:
        seen: dict[str, int] = {}
        for item in items:
            if item.id in seen:
                self.fail(item.line, f"{what}代号“{item.id}”重复（第 {seen[item.id]} 行已经用过）。", "每个代号只能用一次，请改名。")
            seen.setdefault(item.id, item.line)


def _read_yaml(root: Path, name: str, findings: list[Finding], required: bool = True) -> Any:
    relpath = f"{CONFIG_DIR}/{name}"
    path = root / relpath
    if not path.is_file():
        if required:
            findings.append(error("config.missing", relpath, None, f"缺少配置文件 {relpath}。",
                                  "从示例项目复制这个文件，再按本单位情况修改。"))
        return None
    source, problems = read_source(path, relpath)
    findings.extend(problems)
    if source.text is None:
        return None
    try:
        return load_yaml(source.text, relpath, rule="config.yaml")
    except FindingsError as exc:
        findings.extend(exc.findings)
        return None


def _quotas(reader: _Reader, data: Any, line: int) -> dict[str, dict[str, int]]:
    if data is None:
        return {}
    if not isinstance(data, LineDict):
        reader.fail(line, "quotas 应当按 monthly/quarterly/yearly 分别写 submitted 和 adopted。", "参照示例的 quotas 写法。")
        return {}
    result: dict[str, dict[str, int]] = {}
    for period, targets in data.items():
        if period not in QUOTA_PERIODS:
            reader.fail(data.line_of(period), f"考核周期“{period}”不存在。", f"只能是 {'、'.join(QUOTA_PERIODS)}。")
            continue
        if not isinstance(targets, LineDict):
            reader.fail(data.line_of(period), f"{period} 的任务数应写成 {{submitted: 数字, adopted: 数字}}。", "参照示例填写。")
            continue
        result[period] = {}
        for key in ("submitted", "adopted"):
            value = targets.get(key, 0)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                reader.fail(targets.line_of(key), f"{period}.{key} 应当是不小于 0 的整数。", "例如 submitted: 4")
                continue
            result[period][key] = value
    return result


def _load_units(root: Path, findings: list[Finding]) -> tuple[list[Unit], list[Person]]:
    data = _read_yaml(root, "units.yml", findings)
    if data is None:
        return [], []
    reader = _Reader(f"{CONFIG_DIR}/units.yml")
    units = []
    for item in reader.mapping_list(data, "units", "单位"):
        reviewers = tuple(reader.people(item.get("reviewers"), item.line_of("reviewers"), "审核人"))
        units.append(Unit(
            id=reader.ident(item, "单位"), name=reader.text(item, "name", "单位名称"),
            officer=reader.person(item.get("officer"), item.line_of("officer"), "信息宣传员"),
            reviewers=reviewers, quotas=_quotas(reader, item.get("quotas"), item.line_of("quotas")),
            line=item.line))
    reader.check_duplicates(units, "单位")
    bureau = reader.people(data.get("reviewers") if isinstance(data, LineDict) else None, 1, "局级审核人")
    findings.extend(reader.findings)
    return units, bureau


def _load_topics(root: Path, findings: list[Finding]) -> list[Topic]:
    data = _read_yaml(root, "topics.yml", findings)
    if data is None:
        return []
    reader = _Reader(f"{CONFIG_DIR}/topics.yml")
    topics = [Topic(reader.ident(item, "专题"), reader.text(item, "name", "专题名称"),
                    reader.text(item, "description", "专题简介", required=False), item.line)
              for item in reader.mapping_list(data, "topics", "专题")]
    reader.check_duplicates(topics, "专题")
    findings.extend(reader.findings)
    return topics


def _load_columns(root: Path, findings: list[Finding]) -> list[Column]:
    data = _read_yaml(root, "columns.yml", findings)
    if data is None:
        return []
    reader = _Reader(f"{CONFIG_DIR}/columns.yml")
    columns = []
    for item in reader.mapping_list(data, "columns", "栏目"):
        contains = reader.text(item, "contains", "栏目内容类型")
        if contains and contains not in COLUMN_CONTENTS:
            reader.fail(item.line_of("contains"), f"栏目内容类型“{contains}”不存在。", f"改成 {'、'.join(COLUMN_CONTENTS)} 之一。")
        kind = reader.text(item, "kind", "栏目类别")
        if kind and kind not in COLUMN_KINDS:
            reader.fail(item.line_of("kind"), f"栏目类别“{kind}”不存在。", f"改成 {'、'.join(COLUMN_KINDS)} 之一。")
        days = item.get("update_days")
        if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days <= 0):
            reader.fail(item.line_of("update_days"), "update_days 应当是正整数（天数）。", "例如 update_days: 14")
            days = None
        columns.append(Column(reader.ident(item, "栏目"), reader.text(item, "name", "栏目名称"),
                              reader.text(item, "path", "栏目路径").strip("/") + "/", contains, kind, days, item.line))
    reader.check_duplicates(columns, "栏目")
    findings.extend(reader.findings)
    return columns


def _load_site(root: Path, findings: list[Finding]) -> dict[str, Any]:
    data = _read_yaml(root, "site.yml", findings)
    if data is None:
        return {}
    reader = _Reader(f"{CONFIG_DIR}/site.yml")
    if not isinstance(data, LineDict):
        reader.fail(1, "site.yml 应当是“字段: 内容”的形式。", "参照示例文件填写。")
        findings.extend(reader.findings)
        return {}
    reader.text(data, "name", "网站名称（主办单位全称）")
    reader.text(data, "url", "网站地址")
    footer = data.get("footer")
    if not isinstance(footer, LineDict):
        reader.fail(data.line_of("footer"), "缺少页脚信息 footer（主办单位、地址、电话、网站标识码、备案号）。", "参照示例写 footer: 一节。")
    else:
        for key, label in (("sponsor", "主办单位"), ("address", "地址"), ("phone", "电话"),
                           ("site_code", "网站标识码"), ("icp", "ICP 备案号"), ("police", "公安机关备案号")):
            reader.text(footer, key, label)
    findings.extend(reader.findings)
    return data


def load_config(root: Path) -> tuple[SiteConfig, list[Finding]]:
    """Load and validate ``site_config/``; never raises for bad input."""
    root = Path(root)
    findings: list[Finding] = []
    site = _load_site(root, findings)
    units, bureau = _load_units(root, findings)
    topics = _load_topics(root, findings)
    columns = _load_columns(root, findings)
    return SiteConfig(root, site, units, topics, columns, bureau), findings


def require_config(root: Path) -> SiteConfig:
    """Load the configuration or raise FindingsError (a configuration error: exit code 2)."""
    config, findings = load_config(root)
    if has_errors(findings):
        raise FindingsError(findings)
    return config
