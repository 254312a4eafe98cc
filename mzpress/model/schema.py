"""The front-matter schema of every page type: one definition, used by the build, the CLI and scaffolding.

``validate(kind, meta, relpath, config)`` turns a parsed front matter into typed
values (units and topics resolved, dates made timezone-aware) and findings that
name the field's line and say how to fix it.

:data:`SCHEMAS` are the fields writers fill in (the browser editor offers exactly these);
:data:`RECORDED_FIELDS` are fields a command writes into the front matter (``submitted_to``, by
``mzpress export --record``), validated the same way; the editor offers them too (under 更多设置).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from mzpress.model.config import SiteConfig
from mzpress.model.findings import Finding, error, warning
from mzpress.model.outlets import DEFAULT_KIND, KINDS, Adoption, Outlets, Submission
from mzpress.model.plain_text import markup_problem
from mzpress.model.suggestions import closest, did_you_mean
from mzpress.model.yaml_source import LineDict, LineList

TIMEZONE = ZoneInfo("Asia/Shanghai")
_DATE_TEXT = re.compile(
    r"^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")
CAMPAIGN_KINDS = {"selection": "评选", "training": "培训"}
# Material's page status becomes a CSS class name: a plain identifier only.
_STATUS = re.compile(r"^[a-z][a-z0-9-]{0,31}$")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str  # text | datetime | date | bool | int | positive-int | strlist | unit | topics | path | campaign-kind | changes | withdrawn
    # | adoptions | submissions
    required: bool = False
    example: str = ""


_TITLE = FieldSpec("title", "标题", "text", True, "title: 城关镇开展敬老志愿服务活动")
_UNIT = FieldSpec("unit", "来源单位", "unit", True, "unit: office")
_AUTHOR = FieldSpec("author", "作者", "text", True, "author: 李晓梅")
_EDITOR = FieldSpec("editor", "责任编辑", "text", True, "editor: 王建国")
_DATE = FieldSpec("date", "发布时间", "datetime", True, "date: 2025-03-12 09:30")
_SUMMARY = FieldSpec("summary", "摘要", "text", True, "summary: 一句话说明这篇稿件讲了什么。")
_OPTIONAL_SUMMARY = FieldSpec("summary", "摘要", "text", False, "summary: 一句话摘要")
_DRAFT = FieldSpec("draft", "草稿标记", "bool", False, "draft: true")
_COVER = FieldSpec("cover", "封面图片", "path", False, "cover: images/xxx-1.jpg")
_COVER_ALT = FieldSpec("cover_alt", "封面图片说明", "text", False, "cover_alt: 志愿者为老人理发")
_TAGS = FieldSpec("tags", "标签", "strlist", False, "tags: [敬老, 志愿服务]")
_CHANGES = FieldSpec("changes", "更新记录", "changes", False, "changes:\n  - date: 2025-03-13\n    note: 更正活动地点")
# The reason categories of a take-down (``withdrawn.reason_category``, ``mzpress takedown --reason-category``):
# what the page at the old address shows, instead of any free text. 个人信息 is never a mere withdrawal.
PERSONAL_DATA_CATEGORY = "个人信息"
TAKEDOWN_CATEGORIES = (PERSONAL_DATA_CATEGORY, "舆情", "事实错误", "其他")
_WITHDRAWN = FieldSpec("withdrawn", "撤回说明", "withdrawn", False, "withdrawn:\n  date: 2025-06-01\n  reason: 活动已取消")
# A scheduled take-down (time-limited notices: recruitment, subsidy applications): from this time on the
# page is not published, exactly as after ``mzpress withdraw --unpublish``.
_UNPUBLISH_AT = FieldSpec("unpublish_at", "下线时间", "datetime", False, "unpublish_at: 2025-12-31 18:00")
_ADOPTED_BY = FieldSpec("adopted_by", "录用记录", "adoptions", False,
                        "adopted_by:\n  - {outlet: city-mz-site, date: 2026-04-03, kind: text, "
                        "url: https://mz.shi.example.gov.cn/xxx.html}")
# Written by ``mzpress export --record``: the outlets the story was sent to (报送), for ``mzpress report``.
_SUBMITTED_TO = FieldSpec("submitted_to", "报送记录", "submissions", False,
                          "submitted_to:\n  - {outlet: city-mz-site, date: 2026-04-02, kind: text}")
_IN_BULLETIN = FieldSpec("bulletin", "收入简报", "bool", False, "bulletin: true")
_START = FieldSpec("start", "开始日期", "date", True, "start: 2025-03-12")
_END = FieldSpec("end", "结束日期", "date", True, "end: 2025-03-18")

_COMMON = (_TITLE, _UNIT, _AUTHOR, _EDITOR)
# 回应关切（情况通报）: who issues the response (default: the site's name in site.yml) and how many days after its
# ``date`` it stays pinned at the top of the home page (default 7, at most MAX_PIN_DAYS).
DEFAULT_PIN_DAYS = 7
MAX_PIN_DAYS = 30
_ISSUER = FieldSpec("issuer", "发布机关", "text", False, "issuer: 示例县民政局")
_PIN_DAYS = FieldSpec("pin_days", "首页置顶天数", "positive-int", False, "pin_days: 7")

SCHEMAS: dict[str, tuple[FieldSpec, ...]] = {
    "story": (*_COMMON, _DATE, _SUMMARY,
              FieldSpec("topics", "文化专题", "topics", False, "topics: [xiaoxian]"),
              _COVER, _COVER_ALT, _TAGS, _DRAFT, _CHANGES, _WITHDRAWN, _UNPUBLISH_AT, _ADOPTED_BY, _IN_BULLETIN),
    "notice": (*_COMMON, _DATE, _SUMMARY, _START, _END, _TAGS, _DRAFT, _CHANGES, _WITHDRAWN, _UNPUBLISH_AT),
    "campaign": (*_COMMON, _DATE, _SUMMARY, _START,
                 FieldSpec("end", "结束日期", "date", False, "end: 2025-12-31"),
                 FieldSpec("kind", "活动类型", "campaign-kind", True, "kind: selection"),
                 _COVER, _COVER_ALT, _DRAFT, _CHANGES, _WITHDRAWN, _UNPUBLISH_AT),
    "member": (*_COMMON, _DATE, _SUMMARY, FieldSpec("order", "排列顺序", "int", False, "order: 1"),
               _COVER, _COVER_ALT, _TAGS, _DRAFT, _CHANGES, _WITHDRAWN, _UNPUBLISH_AT),
    "topic": (*_COMMON, _OPTIONAL_SUMMARY, _COVER, _COVER_ALT),
    "response": (*_COMMON, _DATE, _SUMMARY, _ISSUER, _PIN_DAYS, _COVER, _COVER_ALT, _TAGS, _DRAFT, _CHANGES,
                 _WITHDRAWN, _UNPUBLISH_AT),
    # Written by ``mzpress bulletin``: the month's stories in one numbered issue.
    "bulletin": (*_COMMON, _DATE, _OPTIONAL_SUMMARY,
                 FieldSpec("issue", "本年期号", "positive-int", True, "issue: 4"),
                 FieldSpec("issue_total", "总期号", "positive-int", True, "issue_total: 52"),
                 _DRAFT, _CHANGES, _WITHDRAWN, _UNPUBLISH_AT),
    "page": (*_COMMON, _OPTIONAL_SUMMARY, _DRAFT, _CHANGES),
    "home": (FieldSpec("title", "标题", "text", False, "title: 首页"),
             FieldSpec("unit", "来源单位", "unit", False), FieldSpec("author", "作者", "text"),
             FieldSpec("editor", "责任编辑", "text"), _OPTIONAL_SUMMARY),
}

# Fields that commands write, by page kind (validated like the others; the browser editor offers them under 更多设置).
RECORDED_FIELDS: dict[str, tuple[FieldSpec, ...]] = {"story": (_SUBMITTED_TO,)}

# Keys MkDocs/Material understand that writers may use on any page.
PASSTHROUGH_KEYS = frozenset({"hide", "search", "description", "status", "template"})

KIND_LABELS = {"story": "民政故事", "notice": "通知公告", "campaign": "专题活动", "member": "活动页面",
               "topic": "文化专题", "bulletin": "民政简报", "response": "回应关切", "page": "页面", "home": "首页"}


def parse_datetime(value: Any) -> dt.datetime | None:
    """Front-matter time as an aware datetime in Asia/Shanghai; None when it cannot be a date."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=TIMEZONE) if value.tzinfo is None else value.astimezone(TIMEZONE)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=TIMEZONE)
    if isinstance(value, str):
        match = _DATE_TEXT.match(value)
        if not match:
            try:  # full ISO 8601 with an offset, as machines write it
                return parse_datetime(dt.datetime.fromisoformat(value.strip()))
            except ValueError:
                return None
        year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
        try:
            return dt.datetime(year, month, day, hour, minute, second, tzinfo=TIMEZONE)
        except ValueError:
            return None
    return None


def _date_problem(value: Any) -> str:
    text = str(value)
    match = _DATE_TEXT.match(text) if isinstance(value, str) else None
    if match:
        return f"日期“{text}”不存在（请核对月份和日期，例如2月没有30日）。"
    return f"“{text}”不是有效的日期。"


class _Validator:
    def __init__(self, relpath: str, meta: LineDict, config: SiteConfig):
        self.relpath, self.meta, self.config = relpath, meta, config
        self.findings: list[Finding] = []

    def fail(self, spec: FieldSpec, message: str, suggestion: str, rule: str = "schema.invalid") -> None:
        self.findings.append(error(rule, self.relpath, self.meta.line_of(spec.name), message, suggestion))

    def value(self, spec: FieldSpec, raw: Any) -> Any:
        method = getattr(self, "_" + spec.kind.replace("-", "_"))
        return method(spec, raw)

    def _text(self, spec, raw):
        if isinstance(raw, dict | list):
            self.fail(spec, f"{spec.label}（{spec.name}）应当是一段文字。", f"写成一行，例如 {spec.example}")
            return None
        text = str(raw).strip()
        if not text:
            self.fail(spec, f"{spec.label}（{spec.name}）是空的。", f"填写内容，例如 {spec.example}", "schema.missing")
            return None
        return self._plain(spec, text, self.meta.line_of(spec.name))

    def _plain(self, spec, text: str, line: int | None) -> str | None:
        """Plain-text fields reach titles, meta tags, feeds and the search index: no markup in them."""
        problem = markup_problem(spec.label, spec.name, text)
        if problem is None:
            return text
        self.findings.append(error("schema.markup", self.relpath, line, *problem))
        return None

    def _datetime(self, spec, raw):
        value = parse_datetime(raw)
        if value is None:
            self.fail(spec, f"{spec.label}：{_date_problem(raw)}",
                      f"按“年-月-日 时:分”填写，例如 {spec.example}", "schema.date")
        return value

    def _date(self, spec, raw):
        value = parse_datetime(raw)
        if value is None:
            self.fail(spec, f"{spec.label}：{_date_problem(raw)}", f"按“年-月-日”填写，例如 {spec.example}", "schema.date")
            return None
        return value.date()

    def _bool(self, spec, raw):
        if isinstance(raw, bool):
            return raw
        self.fail(spec, f"{spec.label}（{spec.name}）只能写 true 或 false。", f"例如 {spec.example}")
        return None

    def _int(self, spec, raw):
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        self.fail(spec, f"{spec.label}（{spec.name}）应当是整数。", f"例如 {spec.example}")
        return None

    def _positive_int(self, spec, raw):
        if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 1:
            return raw
        self.fail(spec, f"{spec.label}（{spec.name}）应当是大于0的整数，现在是“{raw}”。", f"例如 {spec.example}")
        return None

    def _strlist(self, spec, raw):
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list) or any(isinstance(i, dict | list) or i is None for i in items):
            self.fail(spec, f"{spec.label}（{spec.name}）应当是列表。", f"例如 {spec.example}")
            return []
        container = self.meta.get(spec.name)
        result = []
        for index, item in enumerate(items):
            text = str(item).strip()
            line = container.line_of(index) if isinstance(container, LineList) else self.meta.line_of(spec.name)
            if text and self._plain(spec, text, line) is not None:
                result.append(text)
        return result

    def _unit(self, spec, raw):
        ident = str(raw).strip()
        unit = self.config.unit_by_id.get(ident)
        if unit is None:
            self.fail(spec, f"来源单位“{ident}”不在单位名单（site_config/units.yml）中。",
                      did_you_mean(ident, self.config.unit_choices, "单位"), "schema.unknown-unit")
        return unit

    def _topics(self, spec, raw):
        result = []
        idents = self._strlist(spec, raw)
        for index, ident in enumerate(idents):
            topic = self.config.topic_by_id.get(ident)
            if topic is None:
                container = self.meta.get(spec.name)
                line = container.line_of(index) if isinstance(container, LineList) else self.meta.line_of(spec.name)
                self.findings.append(error(
                    "schema.unknown-topic", self.relpath, line,
                    f"文化专题“{ident}”不在专题名单（site_config/topics.yml）中。",
                    did_you_mean(ident, self.config.topic_choices, "专题")))
            elif topic not in result:
                result.append(topic)
        return result

    def _path(self, spec, raw):
        text = self._text(spec, raw)
        if text and (text.startswith(("/", "http://", "https://")) or "\\" in text):
            self.fail(spec, f"{spec.label}要写相对于本文件的路径。", f"例如 {spec.example}（图片放在同级的 images 文件夹里）")
            return None
        return text

    def _campaign_kind(self, spec, raw):
        ident = str(raw).strip()
        if ident not in CAMPAIGN_KINDS:
            self.fail(spec, f"活动类型“{ident}”不存在。", did_you_mean(ident, CAMPAIGN_KINDS, "活动类型"))
            return None
        return ident

    def _changes(self, spec, raw):
        if not isinstance(raw, list):
            self.fail(spec, "更新记录（changes）应当是列表，每条有 date 和 note。", f"例如\n{spec.example}")
            return []
        result = []
        for index, item in enumerate(raw):
            line = raw.line_of(index) if isinstance(raw, LineList) else self.meta.line_of(spec.name)
            when = parse_datetime(item.get("date")) if isinstance(item, dict) else None
            note = str(item.get("note") or "").strip() if isinstance(item, dict) else ""
            if when is None or not note:
                self.findings.append(error(
                    "schema.invalid", self.relpath, line, f"第{index + 1}条更新记录缺少有效的 date 或 note。",
                    "每条写成 - date: 2025-03-13 和 note: 更新内容说明。"))
                continue
            if self._plain(spec, note, line) is None:
                continue
            result.append({"date": when, "note": note})
        return sorted(result, key=lambda c: c["date"])

    def _withdrawn(self, spec, raw):
        if not isinstance(raw, dict):
            self.fail(spec, "撤回说明（withdrawn）应当包含 date 和 reason。", f"例如\n{spec.example}")
            return None
        when = parse_datetime(raw.get("date"))
        reason = str(raw.get("reason") or "").strip()
        if when is None:
            self.fail(spec, "撤回说明缺少有效的撤回日期（date）。", f"例如\n{spec.example}", "schema.date")
        if not reason:
            self.fail(spec, "撤回说明缺少撤回原因（reason），公众需要知道为什么撤回。",
                      "写明原因，例如 reason: 活动已取消，相关信息不再有效。", "schema.withdrawn-reason")
        if reason and self._plain(spec, reason, self.meta.line_of(spec.name)) is None:
            return None
        if when is None or not reason:
            return None
        redirect = str(raw.get("redirect") or "").strip() or None
        category = str(raw.get("reason_category") or "").strip() or None
        if category is not None and category not in TAKEDOWN_CATEGORIES:
            self.fail(spec, f"撤下原因类别（reason_category）“{category}”不存在。",
                      f"只能写{'、'.join(TAKEDOWN_CATEGORIES)}之一。", "schema.withdrawn-category")
            return None
        if category == PERSONAL_DATA_CATEGORY and not raw.get("unpublish"):
            self.fail(spec, "涉及个人信息的页面必须撤下（unpublish: true），不能只撤回、带着个人信息留在网上。",
                      "在 withdrawn 下加一行 unpublish: true，或用 scripts/mzpress takedown 应急撤稿。",
                      "schema.withdrawn-personal-data")
            return None
        return {"date": when, "reason": reason, "unpublish": bool(raw.get("unpublish")), "redirect": redirect,
                "reason_category": category}

    def _adoptions(self, spec, raw):
        """``adopted_by``: each entry an outlet of outlets.yml, a day not before the story's own ``date``,
        text or photo, an http(s) address, a plain-text instruction; one entry per outlet and kind.
        (A day after the check time is judged by the ``adoptions.future`` check, which knows the time.)"""
        return self._outlet_entries(
            spec, raw, _AdoptionReader, parse_datetime(self.meta.get("date")),
            not_a_list="录用记录（adopted_by）应当是列表，每条录用一行，以“- ”开头。", same_outlet="同一录用渠道",
            advice="同一渠道的文字稿件和图片稿件各记一条即可，删掉重复的这一条。")

    def _submissions(self, spec, raw):
        """``submitted_to``: each entry an outlet of outlets.yml, a day, text or photo; one entry per outlet
        and kind (a story is sent to an outlet once; sending it again does not make it two submissions)."""
        return self._outlet_entries(
            spec, raw, _SubmissionReader, None,
            not_a_list="报送记录（submitted_to）应当是列表，每次报送一行，以“- ”开头。", same_outlet="同一渠道",
            advice="同一篇稿件报送同一渠道只记一次，删掉重复的这一条。")

    def _outlet_entries(self, spec, raw, reader: type[_AdoptionReader], story_date: dt.datetime | None, *,
                        not_a_list: str, same_outlet: str, advice: str) -> list:
        """The entries of a list of ``adopted_by`` or ``submitted_to`` records, each read by ``reader``
        (whose ``noun`` and ``rule`` name them in findings); a second entry of one outlet and kind is reported."""
        if not isinstance(raw, list):
            self.fail(spec, not_a_list, f"例如\n{spec.example}", reader.rule)
            return []
        result = []
        seen: dict[tuple[str, str], int] = {}
        for index, item in enumerate(raw):
            line = raw.line_of(index) if isinstance(raw, LineList) else self.meta.line_of(spec.name)
            entry = reader(self, index + 1, line, story_date).read(item)
            if entry is None:
                continue
            key = (entry.outlet, entry.kind)
            if key in seen:
                self.findings.append(error(
                    reader.rule, self.relpath, line,
                    f"第{index + 1}条{reader.noun}与第{seen[key]}条重复（{same_outlet}“{entry.outlet}”、"
                    f"同为{KINDS[entry.kind]}）。", advice))
                continue
            seen[key] = index + 1
            result.append(entry)
        return result


_ADOPTION_KEYS = ("outlet", "date", "kind", "url", "instruction")
_ADOPTION_EXAMPLE = "- {outlet: city-mz-site, date: 2026-04-03, kind: text}"


class _AdoptionReader:
    """One ``adopted_by`` entry (the ``number``-th, at ``line``): a valid :class:`Adoption` or None (reported)."""

    noun = "录用记录"
    rule = "schema.adoption"
    example = _ADOPTION_EXAMPLE

    def __init__(self, validator: _Validator, number: int, line: int | None, story_date: dt.datetime | None):
        self.validator, self.number, self.line, self.story_date = validator, number, line, story_date
        self.outlets: Outlets = validator.config.outlets
        self.ok = True

    def fail(self, line: int | None, message: str, suggestion: str, rule: str | None = None) -> None:
        self.ok = False
        self.validator.findings.append(error(rule or self.rule, self.validator.relpath, line, message, suggestion))

    def known(self, item, keys: tuple[str, ...]) -> bool:
        """Whether ``item`` is a mapping; every key not in ``keys`` is reported."""
        if not isinstance(item, LineDict):
            self.fail(self.line, f"第{self.number}条{self.noun}格式不对。", f"每条写成一行，例如 {self.example}")
            return False
        for key in item:
            if key not in keys:
                guess = closest(str(key), keys)
                hint = f"你是不是想写 {guess}？" if guess else ""
                self.fail(item.line_of(key), f"第{self.number}条{self.noun}里有不认识的字段“{key}”。",
                          f"{hint}{self.noun}能写的字段：{'、'.join(keys)}。")
        return True

    def read(self, item) -> Adoption | None:
        if not self.known(item, _ADOPTION_KEYS):
            return None
        outlet = self.outlet(item)
        day = self.day(item)
        kind = self.kind(item)
        url = self.url(item)
        instruction = self.instruction(item)
        if not self.ok:
            return None
        return Adoption(outlet, day, kind, url, instruction, item.line_of("outlet"))

    def _text(self, item: LineDict, key: str) -> str | None:
        value = item.get(key)
        if value is None or isinstance(value, dict | list | bool):
            return None
        return str(value).strip() or None

    def outlet(self, item: LineDict) -> str:
        ident = self._text(item, "outlet")
        line = item.line_of("outlet")
        if ident is None:
            self.fail(line, f"第{self.number}条{self.noun}缺少{self.noun[:2]}渠道（outlet）。",
                      f"写上{self.noun[:2]}渠道的代号（见 site_config/outlets.yml），例如 {self.example}")
            return ""
        if not self.outlets.present:
            self.fail(line, f"还没有录用渠道名单（site_config/outlets.yml），无法核对{self.noun[:2]}渠道“{ident}”。",
                      "请网站管理员新建 site_config/outlets.yml，列出各录用渠道的代号、名称、级别和分值"
                      "（参照示例项目的 outlets.yml）。", "schema.unknown-outlet")
            return ""
        if ident not in self.outlets.by_id:
            self.fail(line, f"{self.noun[:2]}渠道“{ident}”不在录用渠道名单（site_config/outlets.yml）中。",
                      did_you_mean(ident, self.outlets.choices, "录用渠道"), "schema.unknown-outlet")
            return ""
        return ident

    def day(self, item: LineDict) -> dt.date | None:
        raw = item.get("date")
        line = item.line_of("date")
        what = self.noun[:2]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            self.fail(line, f"第{self.number}条{self.noun}缺少{what}日期（date）。", f"写上{what}的日期，例如 {self.example}")
            return None
        when = parse_datetime(raw)
        if when is None:
            self.fail(line, f"{what}日期：{_date_problem(raw)}", "按“年-月-日”填写，例如 date: 2026-04-03")
            return None
        if self.story_date is not None and when.date() < self.story_date.date():
            self.fail(line, f"录用日期{when.date():%Y-%m-%d}早于稿件的发布时间（date: {self.story_date:%Y-%m-%d}）。",
                      "核对录用日期：稿件发布以后才会被录用。")
            return None
        return when.date()

    def kind(self, item: LineDict) -> str:
        raw = item.get("kind")
        if raw is None:
            return DEFAULT_KIND
        value = str(raw).strip()
        if value not in KINDS:
            self.fail(item.line_of("kind"), f"稿件类别“{value}”不存在。", did_you_mean(value, KINDS, "稿件类别"))
            return DEFAULT_KIND
        return value

    def url(self, item: LineDict) -> str:
        raw = item.get("url")
        if raw is None:
            return ""
        value = raw.strip() if isinstance(raw, str) else ""
        try:
            parts = urlsplit(value)
            host = parts.hostname
        except ValueError:
            parts, host = None, None
        if parts is not None and parts.scheme in ("http", "https") and host and not any(c.isspace() for c in value) \
                and value.isprintable():
            return value
        shown_value = value or str(raw)
        self.fail(item.line_of("url"), f"录用网址“{shown_value}”不是以 http:// 或 https:// 开头的完整网址。",
                  "写录用页面的完整网址，例如 url: https://mz.shi.example.gov.cn/xxx.html；没有网址就删掉 url 这一项。")
        return ""

    def instruction(self, item: LineDict) -> str:
        raw = item.get("instruction")
        if raw is None:
            return ""
        line = item.line_of("instruction")
        text = self._text(item, "instruction")
        if text is None:
            self.fail(line, "批示（instruction）应当写明哪位领导作了批示。", "例如 instruction: 县长批示；没有批示就删掉这一项。")
            return ""
        spec = FieldSpec("instruction", "批示", "text")
        if self.validator._plain(spec, text, line) is None:
            self.ok = False
            return ""
        return text


_SUBMISSION_KEYS = ("outlet", "date", "kind")


class _SubmissionReader(_AdoptionReader):
    """One ``submitted_to`` entry: a valid :class:`Submission` or None (reported). A story may be sent
    before the site publishes it, so the day is not compared with the story's ``date``."""

    noun = "报送记录"
    rule = "schema.submission"
    example = "- {outlet: city-mz-site, date: 2026-04-02, kind: text}"

    def read(self, item) -> Submission | None:
        if not self.known(item, _SUBMISSION_KEYS):
            return None
        outlet = self.outlet(item)
        day = self.day(item)
        kind = self.kind(item)
        if not self.ok:
            return None
        return Submission(outlet, day, kind, item.line_of("outlet"))


def _passthrough_findings(meta: LineDict, relpath: str) -> list[Finding]:
    """The MkDocs/Material keys reach the page head as they are: text only, in the shapes the theme expects."""
    findings = []
    description = meta.get("description")
    if description is not None:
        if isinstance(description, dict | list):
            findings.append(error("schema.invalid", relpath, meta.line_of("description"),
                                  "页面描述（description）应当是一段文字。", "写成一行，例如 description: 一句话介绍本页。"))
        elif (problem := markup_problem("页面描述", "description", str(description))) is not None:
            findings.append(error("schema.markup", relpath, meta.line_of("description"), *problem))
    status = meta.get("status")
    if status is not None and not (isinstance(status, str) and _STATUS.match(status)):
        findings.append(error("schema.invalid", relpath, meta.line_of("status"),
                              f"页面状态（status）“{status}”格式不对。",
                              "只写小写英文字母、数字和连字符，例如 status: new；不需要就删掉这一行。"))
    template = meta.get("template")
    if template is not None:
        findings.append(error("schema.invalid", relpath, meta.line_of("template"),
                              "稿件不能自己指定页面模板（template）。",
                              "删掉 template 这一行；版式由网站统一设置，需要调整请联系网站管理员。"))
    return findings


def _unpublish_at_findings(values: dict[str, Any], meta: LineDict, relpath: str) -> list[Finding]:
    """``unpublish_at`` takes the page down: it must come after the page's ``date``."""
    date, until = values.get("date"), values.get("unpublish_at")
    if date is None or until is None or until > date:
        return []
    return [error("schema.unpublish-at", relpath, meta.line_of("unpublish_at"),
                  f"下线时间（unpublish_at: {until:%Y-%m-%d %H:%M}）不晚于发布时间（date: {date:%Y-%m-%d %H:%M}），"
                  "页面一发布就会下线。",
                  "把 unpublish_at 改成发布以后的时间（北京时间），例如 unpublish_at: "
                  f"{date + dt.timedelta(days=30):%Y-%m-%d} 18:00；不需要定时下线就删掉这一行。")]


def _response_values(values: dict[str, Any], meta: LineDict, relpath: str, config: SiteConfig) -> list[Finding]:
    """回应关切: ``issuer`` defaults to the site's name, ``pin_days`` to 7 and may not exceed MAX_PIN_DAYS."""
    findings = []
    if values.get("issuer") is None and meta.get("issuer") is None:
        values["issuer"] = config.site.name or None
    if values.get("issuer") is None and meta.get("issuer") is None:
        findings.append(error(
            "schema.missing", relpath, meta.line, "回应关切缺少发布机关（issuer），网站配置里也没有网站名称可以代替。",
            "在开头信息区加一行：issuer: 示例县民政局（或在 site_config/site.yml 中填写 name）。"))
    days = values.get("pin_days")
    if days is None and meta.get("pin_days") is None:
        values["pin_days"] = DEFAULT_PIN_DAYS
    elif isinstance(days, int) and days > MAX_PIN_DAYS:
        findings.append(error(
            "schema.pin-days", relpath, meta.line_of("pin_days"),
            f"首页置顶天数（pin_days: {days}）超过了{MAX_PIN_DAYS}天，置顶太久会一直压着首页的其他信息。",
            f"写1到{MAX_PIN_DAYS}之间的天数，例如 pin_days: {DEFAULT_PIN_DAYS}；不写就是{DEFAULT_PIN_DAYS}天。"))
        values["pin_days"] = None
    return findings


def validate(kind: str, meta: LineDict, relpath: str, config: SiteConfig) -> tuple[dict[str, Any], list[Finding]]:
    """Typed values for every field of ``kind`` (None where missing or invalid) and the findings."""
    specs = SCHEMAS[kind] + RECORDED_FIELDS.get(kind, ())
    validator = _Validator(relpath, meta, config)
    values: dict[str, Any] = {}
    known = {spec.name for spec in specs}
    for spec in specs:
        raw = meta.get(spec.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            values[spec.name] = None
            if spec.required:
                validator.findings.append(error(
                    "schema.missing", relpath, meta.line,
                    f"{KIND_LABELS[kind]}缺少{spec.label}（{spec.name}）。",
                    f"在开头信息区加一行：{spec.example}"))
            continue
        values[spec.name] = validator.value(spec, raw)
    validator.findings += _passthrough_findings(meta, relpath)
    for key in meta:
        if key in known or key in PASSTHROUGH_KEYS:
            continue
        guess = closest(str(key), known)
        hint = f"是不是想写 {guess}？" if guess else f"{KIND_LABELS[kind]}可用的字段：{'、'.join(sorted(known))}。"
        validator.findings.append(warning(
            "schema.unknown-field", relpath, meta.line_of(key), f"字段“{key}”无法识别，将被忽略。", hint))
    if values.get("cover") and not values.get("cover_alt"):
        validator.findings.append(error(
            "schema.missing", relpath, meta.line_of("cover"), "有封面图片（cover）却没有图片说明（cover_alt）。",
            "加一行 cover_alt: 用一句话描述图片内容（供视障读者的读屏软件朗读）。"))
    validator.findings += _unpublish_at_findings(values, meta, relpath)
    if kind == "response":
        validator.findings += _response_values(values, meta, relpath, config)
    start, end = values.get("start"), values.get("end")
    if start and end and end < start:
        validator.findings.append(error(
            "schema.period", relpath, meta.line_of("end"), f"结束日期 {end} 早于开始日期 {start}。",
            "检查公示期或活动时间，结束日期不能早于开始日期。"))
    return values, validator.findings
