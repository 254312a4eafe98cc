"""The site configuration in ``site_config/``: identity and settings, units, topics, columns, outlets.

Loaded once per run into typed, frozen values, validated like content: every
problem (a wrong type, an unknown key, a value out of range) is a finding with
file:line and a fix in plain Chinese. ``mzpress check``, the build and every
command read these values and nothing else, so they all agree on a configuration.
``wording.yml`` is read by :mod:`mzpress.model.wording_dictionary` (its findings are reported
once per run by the wording check).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mzpress.model.config_values import ConfigReader, shown
from mzpress.model.findings import Finding, FindingsError, error, has_errors
from mzpress.model.inspection_settings import (
    COLUMN_CONTENT_BY_ID,
    COLUMN_FILTERS,
    COLUMN_KIND_BY_ID,
    UPDATED_KINDS,
    InspectionSettings,
    read_inspection_settings,
    read_update_days,
)
from mzpress.model.markdown_settings import MarkdownSettings, read_markdown_settings
from mzpress.model.outlets import OUTLETS_FILE, Outlets, read_outlets
from mzpress.model.review_policy import (
    REVIEW_STAGES,
    PublicKey,
    ReviewPolicy,
    parse_public_key,
    read_review_policy,
)
from mzpress.model.site_settings import SiteSettings, read_site_settings
from mzpress.model.source_text import read_source
from mzpress.model.suggestions import closest, did_you_mean
from mzpress.model.wording_dictionary import WordingSettings, load_wording
from mzpress.model.yaml_source import LineDict, LineList, load_yaml

CONFIG_DIR = "site_config"
OFFICER_LABEL = "信息宣传员"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QUOTA_PERIODS = ("monthly", "quarterly", "yearly")
COLUMN_CONTENTS = tuple(COLUMN_CONTENT_BY_ID)
COLUMN_KINDS = tuple(COLUMN_KIND_BY_ID)
QUOTA_TARGETS = ("submitted", "adopted")
UNIT_KEYS = ("id", "name", "officer", "reviewers", "quotas")
PERSON_KEYS = ("name", "github", "stage", "role", "ssh_key", "emergency")
TOPIC_KEYS = ("id", "name", "description")
COLUMN_KEYS = ("id", "name", "path", "contains", "kind", "update_days", *COLUMN_FILTERS)


@dataclass(frozen=True)
class Person:
    """Someone named in units.yml. ``ssh_keys``: the public keys their signed approvals are checked
    against (``ssh_key:``, one line or a list); ``emergency``: may sign an emergency take-down (应急)."""

    name: str
    github: str = ""
    stage: str = ""
    role: str = ""
    ssh_keys: tuple[PublicKey, ...] = ()
    emergency: bool = False


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
    """A column (栏目) of columns.yml. ``update_days``: the update rule in effect (the kind's default
    when not written), None for a kind exempt from it. ``topic``, ``campaign``, ``unit``, ``tag``
    narrow what the column holds ("" = no filter)."""

    id: str
    name: str
    path: str
    contains: str
    kind: str
    update_days: int | None
    line: int
    topic: str = ""
    campaign: str = ""
    unit: str = ""
    tag: str = ""


@dataclass(frozen=True)
class SiteConfig:
    """All of ``site_config/``, checked once (``wording.yml``'s problems: see ``wording``)."""

    root: Path
    site: SiteSettings = field(default_factory=SiteSettings)
    units: tuple[Unit, ...] = ()
    topics: tuple[Topic, ...] = ()
    columns: tuple[Column, ...] = ()
    bureau_reviewers: tuple[Person, ...] = ()
    review: ReviewPolicy = field(default_factory=ReviewPolicy)  # units.yml review: (mzpress review-check)
    inspection: InspectionSettings = field(default_factory=InspectionSettings)
    outlets: Outlets = field(default_factory=Outlets)  # outlets.yml: who adopts stories, for mzpress report
    # wording.yml merged with the built-in dictionary; its problems are reported by the wording check
    wording: WordingSettings = field(default_factory=WordingSettings, repr=False, compare=False)
    # mkdocs.yml's Markdown extensions: the gate renders pages exactly as the build does
    markdown: MarkdownSettings = field(default_factory=MarkdownSettings, repr=False, compare=False)
    unit_by_id: dict[str, Unit] = field(init=False, repr=False, compare=False)
    topic_by_id: dict[str, Topic] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "unit_by_id", {u.id: u for u in self.units})
        object.__setattr__(self, "topic_by_id", {t.id: t for t in self.topics})

    @property
    def unit_choices(self) -> dict[str, str]:
        return {u.id: u.name for u in self.units}

    @property
    def topic_choices(self) -> dict[str, str]:
        return {t.id: t.name for t in self.topics}


class _Reader(ConfigReader):
    """Units, topics and columns: ids, people, lists of entries."""

    def __init__(self, relpath: str):
        super().__init__(relpath)
        self.key_owners: list[tuple[PublicKey, Person, int]] = []  # every ssh_key read, for check_key_owners

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
                self.fail(items.line_of(index), f"{label}列表的第{index + 1}项格式不对。",
                          "每一项要写成若干行“字段: 内容”，例如 - id: office")
        return result

    def person(self, data: Any, line: int, label: str) -> Person | None:
        if data is None:
            return None
        if not isinstance(data, LineDict):
            self.fail(line, f"{label}应当写成 {{name: 姓名, github: 账号}}。", "按示例填写姓名和 GitHub/Gitea 账号。")
            return None
        self.known_keys(data, PERSON_KEYS, label)
        github = self.text(data, "github", f"{label}账号", required=False).lstrip("@")
        if github and not re.match(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$", github):
            self.fail(data.line_of("github"), f"账号“{github}”格式不对。", "只写账号本身，例如 zhouming，不要带空格或中文。")
        stage = self.text(data, "stage", "审核环节", required=False)
        if stage and stage not in REVIEW_STAGES:
            self.fail(data.line_of("stage"), f"审核环节“{stage}”不存在。", f"改成{'、'.join(REVIEW_STAGES)}之一。")
        keys = self._ssh_keys(data)
        emergency = self._emergency(data)
        if label == OFFICER_LABEL and (keys or emergency):
            self.fail(data.line_of("ssh_key" if keys else "emergency"),
                      "信息宣传员不审核稿件，这里写的审核公钥（ssh_key）或应急撤稿权（emergency）不会起作用。",
                      "写到该单位 reviewers 中审核人的那一项，或写到局级 reviewers 中。")
        person = Person(self.text(data, "name", f"{label}姓名"), github, stage,
                        self.text(data, "role", f"{label}职务", required=False), keys, emergency)
        for key in keys:
            self.key_owners.append((key, person, data.line_of("ssh_key")))
        return person

    def _ssh_keys(self, data: LineDict) -> tuple[PublicKey, ...]:
        """``ssh_key:`` one public key line, or a list of them (a reviewer with two computers)."""
        value = data.get("ssh_key")
        if value is None:
            return ()
        items = [(value, data.line_of("ssh_key"))] if not isinstance(value, list) else [
            (item, value.line_of(index) if isinstance(value, LineList) else data.line_of("ssh_key"))
            for index, item in enumerate(value)]
        keys: list[PublicKey] = []
        for item, line in items:
            if isinstance(item, dict | list) or item is None:
                self.fail(line, f"审核公钥（ssh_key）应当是一行文字，现在是“{shown(item)}”。",
                          "写成 ssh_key: \"ssh-ed25519 AAAA……\"；有两把密钥就写成列表 ssh_key: [\"ssh-ed25519 …\", \"ssh-ed25519 …\"]")
                continue
            key, problem = parse_public_key(str(item))
            if problem is not None:
                self.fail(line, *problem)
            elif key in keys:
                self.fail(line, "同一把公钥在这一项里写了两次。", "删掉重复的一把。")
            else:
                keys.append(key)
        return tuple(keys)

    def _emergency(self, data: LineDict) -> bool:
        value = data.get("emergency")
        if value is None or isinstance(value, bool):
            return bool(value)
        self.fail(data.line_of("emergency"), f"应急撤稿权（emergency）只能写 true 或 false，现在是“{shown(value)}”。",
                  "有应急撤稿权的审核人写 emergency: true，没有就删掉这一项。")
        return False

    def check_key_owners(self) -> None:
        """One public key belongs to one person: otherwise a signature could not say who signed."""
        first: dict[PublicKey, tuple[Person, int]] = {}
        for key, person, line in self.key_owners:
            owner, owner_line = first.setdefault(key, (person, line))
            if _same_person(owner, person):
                continue
            self.fail(line, f"{person.name}的公钥与第{owner_line}行{owner.name}的公钥是同一把（{key.fingerprint}）。",
                      "每位审核人用自己的密钥：请其中一人运行 scripts/mzpress approve --setup 生成自己的密钥，改写这一行。")

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
                self.fail(item.line, f"{what}代号“{item.id}”重复（第{seen[item.id]}行已经用过）。", "每个代号只能用一次，请改名。")
            seen.setdefault(item.id, item.line)


def _same_person(a: Person, b: Person) -> bool:
    """Two entries of units.yml for one person (a 初审 of two units): the same account, or no account and one name."""
    if a.github or b.github:
        return a.github.lower() == b.github.lower()
    return a.name == b.name


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


def _top_level(reader: _Reader, data: Any, allowed: tuple[str, ...]) -> None:
    if isinstance(data, LineDict):
        reader.known_keys(data, allowed, f"{reader.name} ")


def _quotas(reader: _Reader, data: Any, line: int) -> dict[str, dict[str, int]]:
    if data is None:
        return {}
    if not isinstance(data, LineDict):
        reader.fail(line, "quotas 应当按 monthly/quarterly/yearly 分别写 submitted 和 adopted。", "参照示例的 quotas 写法。")
        return {}
    result: dict[str, dict[str, int]] = {}
    for period, targets in data.items():
        if period not in QUOTA_PERIODS:
            guess = closest(str(period), QUOTA_PERIODS)
            hint = f"你是不是想写 {guess}？" if guess else ""
            reader.fail(data.line_of(period), f"考核周期“{period}”不存在。", f"{hint}只能是 {'、'.join(QUOTA_PERIODS)}。")
            continue
        if not isinstance(targets, LineDict):
            reader.fail(data.line_of(period), f"{period} 的任务数应写成 {{submitted: 数字, adopted: 数字}}。", "参照示例填写。")
            continue
        reader.known_keys(targets, QUOTA_TARGETS, f"{period} 的任务数")
        result[period] = {}
        for key in QUOTA_TARGETS:
            value = targets.get(key, 0)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                reader.fail(targets.line_of(key), f"{period}.{key} 应当是不小于0的整数，现在是“{shown(value)}”。",
                            "用阿拉伯数字写，例如 submitted: 4")
                continue
            result[period][key] = value
    return result


def _load_units(root: Path, findings: list[Finding]) -> tuple[tuple[Unit, ...], tuple[Person, ...], ReviewPolicy]:
    data = _read_yaml(root, "units.yml", findings)
    if data is None:
        return (), (), ReviewPolicy()
    reader = _Reader(f"{CONFIG_DIR}/units.yml")
    _top_level(reader, data, ("units", "reviewers", "review"))
    units = []
    for item in reader.mapping_list(data, "units", "单位"):
        reader.known_keys(item, UNIT_KEYS, f"单位“{item.get('id', '')}”" if item.get("id") else "单位")
        reviewers = tuple(reader.people(item.get("reviewers"), item.line_of("reviewers"), "审核人"))
        units.append(Unit(
            id=reader.ident(item, "单位"), name=reader.text(item, "name", "单位名称"),
            officer=reader.person(item.get("officer"), item.line_of("officer"), OFFICER_LABEL),
            reviewers=reviewers, quotas=_quotas(reader, item.get("quotas"), item.line_of("quotas")),
            line=item.line))
    reader.check_duplicates(units, "单位")
    bureau = reader.people(data.get("reviewers") if isinstance(data, LineDict) else None,
                           data.line_of("reviewers") if isinstance(data, LineDict) else 1, "局级审核人")
    reader.check_key_owners()
    policy = read_review_policy(reader, data)
    findings.extend(reader.findings)
    return tuple(units), tuple(bureau), policy


def _load_topics(root: Path, findings: list[Finding]) -> tuple[Topic, ...]:
    data = _read_yaml(root, "topics.yml", findings)
    if data is None:
        return ()
    reader = _Reader(f"{CONFIG_DIR}/topics.yml")
    _top_level(reader, data, ("topics",))
    topics = []
    for item in reader.mapping_list(data, "topics", "专题"):
        reader.known_keys(item, TOPIC_KEYS, "专题")
        topics.append(Topic(reader.ident(item, "专题"), reader.text(item, "name", "专题名称"),
                            reader.text(item, "description", "专题简介", required=False), item.line))
    reader.check_duplicates(topics, "专题")
    findings.extend(reader.findings)
    return tuple(topics)


_COLUMN_PATH = re.compile(r"^[A-Za-z0-9._~%-]+(?:/[A-Za-z0-9._~%-]+)*$")


def _column_path(reader: _Reader, item: LineDict) -> str:
    """The column's address on the site, relative to its root, ending in “/”."""
    path = reader.text(item, "path", "栏目路径").strip("/")
    if path and (not _COLUMN_PATH.match(path) or ".." in path.split("/")):
        reader.fail(item.line_of("path"), f"栏目路径“{path}”不是网站内的路径。",
                    "写栏目在网站上的路径，相对于网站首页，例如 path: stories/ 或 path: topics/xiaoxian/")
    return path + "/" if path else ""


def _column_filters(reader: _Reader, item: LineDict, contains: str, topics: tuple[Topic, ...],
                    units: tuple[Unit, ...]) -> dict[str, str]:
    """``topic``, ``campaign``, ``unit``, ``tag``: each checked against what it names and what the column holds."""
    content = COLUMN_CONTENT_BY_ID.get(contains)
    labels = {"topic": "文化专题代号", "campaign": "专题活动代号", "unit": "来源单位代号", "tag": "标签"}
    result = {}
    for key in COLUMN_FILTERS:
        value = reader.text(item, key, labels[key], required=False)
        if not value:
            continue
        line = item.line_of(key)
        if content is not None and key not in content.filters:
            allowed = [c.id for c in COLUMN_CONTENT_BY_ID.values() if key in c.filters]
            reader.fail(line, f"{content.label}（contains: {contains}）的栏目不能按{labels[key]}（{key}）筛选。",
                        f"{key} 只能用于 contains 为 {'、'.join(allowed)} 的栏目；不需要筛选就删掉这一行。")
            continue
        if key == "topic" and value not in {t.id for t in topics}:
            reader.fail(line, f"文化专题“{value}”不在专题名单（site_config/topics.yml）中。",
                        did_you_mean(value, {t.id: t.name for t in topics}, "专题"))
            continue
        if key == "unit" and value not in {u.id for u in units}:
            reader.fail(line, f"来源单位“{value}”不在单位名单（site_config/units.yml）中。",
                        did_you_mean(value, {u.id: u.name for u in units}, "单位"))
            continue
        if key == "campaign" and not ID_PATTERN.match(value):
            reader.fail(line, f"专题活动代号“{value}”格式不对。",
                        "写 content/campaigns/ 下活动文件夹的名字，例如 campaign: meiyue-yixun")
            continue
        result[key] = value
    return result


def _load_columns(root: Path, findings: list[Finding], topics: tuple[Topic, ...] = (),
                  units: tuple[Unit, ...] = ()) -> tuple[tuple[Column, ...], InspectionSettings]:
    data = _read_yaml(root, "columns.yml", findings)
    if data is None:
        return (), InspectionSettings()
    reader = _Reader(f"{CONFIG_DIR}/columns.yml")
    _top_level(reader, data, ("inspection", "columns"))
    inspection = read_inspection_settings(reader, data) if isinstance(data, LineDict) else InspectionSettings()
    columns = []
    for item in reader.mapping_list(data, "columns", "栏目"):
        reader.known_keys(item, COLUMN_KEYS, "栏目")
        contains = reader.text(item, "contains", "栏目内容类型")
        if contains and contains not in COLUMN_CONTENTS:
            guess = closest(contains, COLUMN_CONTENTS)
            hint = f"你是不是想写 {guess}？" if guess else ""
            reader.fail(item.line_of("contains"), f"栏目内容类型“{contains}”不存在。",
                        f"{hint}改成 {'、'.join(COLUMN_CONTENTS)} 之一。")
        kind = reader.text(item, "kind", "栏目类别")
        if kind and kind not in COLUMN_KINDS:
            guess = "history" if kind == "topic" else closest(kind, COLUMN_KINDS)
            hint = f"你是不是想写 {guess}？" if guess else ""
            choices = "、".join(f"{k.id}（{k.label}）" for k in COLUMN_KIND_BY_ID.values())
            reader.fail(item.line_of("kind"), f"栏目类别“{kind}”不存在。", f"{hint}改成 {choices} 之一。")
        content = COLUMN_CONTENT_BY_ID.get(contains)
        if kind in UPDATED_KINDS and content is not None and not content.dated:
            reader.fail(item.line_of("kind"),
                        f"{content.label}（contains: {contains}）没有发布时间，无法判断{kind}类栏目是否按时更新。",
                        "这类栏目改成 kind: static（基本信息）或 kind: history（历史性专题）；"
                        "需要定期更新的栏目请放民政故事（stories）、通知公告（notices）或专题活动（campaigns）。")
        days = read_update_days(reader, item, COLUMN_KIND_BY_ID.get(kind))
        columns.append(Column(reader.ident(item, "栏目"), reader.text(item, "name", "栏目名称"),
                              _column_path(reader, item), contains, kind, days, item.line,
                              **_column_filters(reader, item, contains, topics, units)))
    reader.check_duplicates(columns, "栏目")
    findings.extend(reader.findings)
    return tuple(columns), inspection


def _load_outlets(root: Path, findings: list[Finding]) -> Outlets:
    """``outlets.yml`` is optional: absent, there are no outlets (and every ``adopted_by`` entry is an error)."""
    data = _read_yaml(root, "outlets.yml", findings, required=False)
    reader = ConfigReader(OUTLETS_FILE)
    outlets = read_outlets(reader, data)
    findings.extend(reader.findings)
    if data is None and (root / OUTLETS_FILE).is_file():  # there, but unreadable (reported): not “missing”
        return Outlets(present=True)
    return outlets


def _load_site(root: Path, findings: list[Finding]) -> SiteSettings:
    data = _read_yaml(root, "site.yml", findings)
    reader = ConfigReader(f"{CONFIG_DIR}/site.yml")
    settings = read_site_settings(reader, data)
    findings.extend(reader.findings)
    return settings


def load_config(root: Path) -> tuple[SiteConfig, list[Finding]]:
    """Load and validate ``site_config/``; never raises for bad input."""
    root = Path(root)
    findings: list[Finding] = []
    site = _load_site(root, findings)
    units, bureau, review = _load_units(root, findings)
    topics = _load_topics(root, findings)
    columns, inspection = _load_columns(root, findings, topics, units)
    outlets = _load_outlets(root, findings)
    wording = load_wording(root)
    return SiteConfig(root, site, units, topics, columns, bureau, review=review, inspection=inspection,
                      outlets=outlets, wording=wording, markdown=read_markdown_settings(root)), findings


def require_config(root: Path) -> SiteConfig:
    """Load the configuration or raise FindingsError (a configuration error: exit code 2)."""
    config, findings = load_config(root)
    if has_errors(findings):
        raise FindingsError(findings)
    return config
