"""The website self-inspection (网站自查) against the government-website inspection indicators.

Pure: :func:`evaluate` judges a :class:`~mzpress.model.content.Site` loaded at the moment of the
inspection, with the evidence the checks gathered (broken links, the backdating judgement and,
optionally, what the deployed site answered over HTTP), and returns plain dataclasses. Loading
the project and running the checks is :mod:`mzpress.publishing.project_inspection`; the reports
are :mod:`mzpress.publishing.inspection_report`.

Rules (gov-site-rules §1; the thresholds come from ``site_config/columns.yml``):

* a column holds the pages listed at the moment (published, not withdrawn) of its ``contains``
  type that match its filters; its last update is the newest front-matter ``date`` among them
  (honest: the backdating check holds dates to the git ledger);
* age = calendar days (Asia/Shanghai) from the last update to the inspection day; a column of an
  updated kind (dynamic, notice, policy) is stale when age > update_days, long-stale when age >
  ``long_stale_days``; a column without any page is empty (every kind); an empty column is
  counted as empty only;
* 首页更新: the newest page the home page lists is at most ``home_update_days`` old;
* single-veto items: stale ≥ veto.stale_columns, long-stale ≥ veto.long_stale_columns, empty ≥
  veto.empty_columns, the home page, a backdated page, the deployed site unreachable; stale or
  empty columns below a threshold, broken links, missing images and attachments, the footer
  identity and HTTPS are deductions;
* early warning: a column (or the home page) that is fine today and goes stale within
  ``warn_days`` days is named with that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from mzpress.model.config import Column
from mzpress.model.content import CONTENT_DIR, Page, Site
from mzpress.model.inspection_settings import (
    COLUMN_CONTENT_BY_ID,
    COLUMN_KIND_BY_ID,
    UPDATED_KINDS,
    InspectionSettings,
)
from mzpress.model.schema import TIMEZONE
from mzpress.publishing.listings import home_lists
from mzpress.publishing.site_probe import SiteProbe

# Evidence lines listed per indicator before “……等共N处”.
EVIDENCE_LIMIT = 10
UNREACHABLE_SHARE = 0.05  # pages of the sample that may fail to open before the site counts as unreachable


def cn_date(value: dt.date | dt.datetime) -> str:
    """2026年12月4日 (house style: no spaces, no leading zeros)."""
    return f"{value.year}年{value.month}月{value.day}日"


def cn_moment(value: dt.datetime) -> str:
    """2026年12月2日18:53 (Asia/Shanghai)."""
    local = value.astimezone(TIMEZONE)
    return f"{cn_date(local)}{local:%H:%M}"


def local_day(value: dt.datetime) -> dt.date:
    return value.astimezone(TIMEZONE).date()


@dataclass(frozen=True)
class ColumnState:
    """One column at the moment of the inspection."""

    column: Column
    page_count: int
    last_update: dt.datetime | None
    last_page: str  # project-relative path of the newest page, "" when empty
    age_days: int | None  # days since the last update; None when empty
    stale: bool
    long_stale: bool
    stale_on: dt.date | None  # the first day it counts as stale (None: exempt or empty)
    long_stale_on: dt.date | None
    note: str = ""  # a problem with the column's own definition (a campaign folder that is missing)

    @property
    def empty(self) -> bool:
        return self.page_count == 0

    @property
    def exempt(self) -> bool:
        return self.column.kind not in UPDATED_KINDS

    @property
    def kind_label(self) -> str:
        kind = COLUMN_KIND_BY_ID.get(self.column.kind)
        return kind.label if kind else self.column.kind

    @property
    def days_over(self) -> int:
        if not self.stale or self.age_days is None or self.column.update_days is None:
            return 0
        return self.age_days - self.column.update_days

    @property
    def state(self) -> str:
        """empty | long-stale | stale | exempt | ok."""
        if self.empty:
            return "empty"
        if self.long_stale:
            return "long-stale"
        if self.stale:
            return "stale"
        return "exempt" if self.exempt else "ok"

    @property
    def state_label(self) -> str:
        return {"empty": "空白栏目", "long-stale": "长期未更新", "stale": "超期未更新",
                "exempt": "无需按期更新", "ok": "按时更新"}[self.state]


@dataclass(frozen=True)
class HomeState:
    """What the home page lists: its newest page and how old it is."""

    newest: dt.datetime | None
    newest_page: str  # project-relative path, "" when the home page lists nothing
    newest_title: str
    age_days: int | None
    stale_on: dt.date | None


@dataclass(frozen=True)
class LinkProblem:
    """A broken link, a missing image or a missing attachment of a published page."""

    relpath: str
    line: int | None
    what: str  # 链接 | 图片 | 附件
    destination: str
    problem: str

    @property
    def location(self) -> str:
        return f"{self.relpath}:{self.line}" if self.line else self.relpath


@dataclass(frozen=True)
class BackdatingEvidence:
    """The backdating check's judgement: ``judged`` False when git could not tell (not a repository,
    a shallow clone, a broken ledger setting), with ``note`` saying why."""

    judged: bool
    backdated: tuple[tuple[str, str], ...] = ()  # (location, what is wrong)
    note: str = ""


@dataclass(frozen=True)
class PendingTakedown:
    """An emergency take-down (应急撤稿) on the main line whose 三审 still awaits 事后补审."""

    commit: str  # short sha
    subject: str
    at: dt.datetime  # when it was committed
    awaiting: tuple[str, ...]  # the stages no after-the-fact approval signs yet


@dataclass(frozen=True)
class Indicator:
    """One row of the self-inspection table."""

    key: str
    name: str
    requirement: str
    veto: bool  # a single-veto item (else a deduction item)
    judged: bool
    triggered: bool  # the single veto applies (veto items only)
    problems: int  # deductions found (columns, links ...)
    evidence: tuple[str, ...]

    @property
    def result(self) -> str:
        if not self.judged:
            return "未检查"
        if self.triggered:
            return "不合格"
        return "需整改" if self.problems else "合格"

    @property
    def outcome(self) -> str:
        """The 单项否决/扣分 cell."""
        if not self.judged:
            return "单项否决：未检查" if self.veto else "扣分：未检查"
        deductions = f"扣分：{self.problems}项" if self.problems else "扣分：无"
        if not self.veto:
            return deductions
        if self.triggered:
            return "单项否决：已触发"
        return "单项否决：未触发" + (f"；{deductions}" if self.problems else "")


@dataclass(frozen=True)
class EarlyWarning:
    subject: str  # the column's name, or 首页
    column_id: str  # "" for the home page
    on: dt.date  # the day it goes stale (or long-stale)
    days_left: int
    what: str  # stale | long-stale | home

    @property
    def text(self) -> str:
        event = {"stale": "超期未更新", "long-stale": "成为长期未更新栏目",
                 "home": "超过规定天数没有新信息"}[self.what]
        return f"{self.subject}将于{cn_date(self.on)}{event}（还有{self.days_left}天）"


@dataclass(frozen=True)
class Inspection:
    site_name: str
    at: dt.datetime
    settings: InspectionSettings
    warn_days: int
    columns: tuple[ColumnState, ...]
    home: HomeState
    indicators: tuple[Indicator, ...]
    warnings: tuple[EarlyWarning, ...]
    probe: SiteProbe | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def failed(self) -> bool:
        """A single-veto item failed: the site would fail the inspection (exit code 1)."""
        return any(i.triggered for i in self.indicators)

    @property
    def verdict(self) -> str:
        return "不合格" if self.failed else "合格"

    @property
    def verdict_detail(self) -> str:
        """Why: the single-veto items that failed, else the items to rectify ("" when none)."""
        vetoed = [i.name for i in self.indicators if i.triggered]
        if vetoed:
            return f"单项否决：{'、'.join(vetoed)}"
        rectify = [i.name for i in self.indicators if i.judged and i.problems]
        if rectify:
            return f"{len(rectify)}项需整改：{'、'.join(rectify)}"
        return ""

    @property
    def verdict_text(self) -> str:
        detail = self.verdict_detail
        return f"{self.verdict}（{detail}）" if detail else self.verdict

    @property
    def month(self) -> tuple[int, int]:
        local = self.at.astimezone(TIMEZONE)
        return local.year, local.month


# ------------------------------------------------------------------------------- columns


def _matches(page: Page, column: Column) -> bool:
    if column.topic:
        if page.kind == "topic":
            if page.parts.get("slug") != column.topic:
                return False
        elif not any(t.id == column.topic for t in page.topics):
            return False
    if column.campaign and page.campaign_id != column.campaign:
        return False
    if column.unit and (page.unit is None or page.unit.id != column.unit):
        return False
    if column.tag and column.tag not in (page.values.get("tags") or []):
        return False
    # a column of ordinary pages holds those under its path (机构概况: about/...)
    return column.contains != "pages" or not column.path or page.url.startswith(column.path)


def column_pages(site: Site, column: Column, by_kind: dict[str, list[Page]] | None = None) -> list[Page]:
    """The pages ``column`` holds at ``site.now``: listed, of its content type, matching its filters."""
    content = COLUMN_CONTENT_BY_ID.get(column.contains)
    if content is None:
        return []
    if by_kind is None:
        by_kind = _listed_by_kind(site)
    return [p for kind in content.page_kinds for p in by_kind.get(kind, []) if _matches(p, column)]


def _listed_by_kind(site: Site) -> dict[str, list[Page]]:
    by_kind: dict[str, list[Page]] = {}
    for page in site.listed:
        by_kind.setdefault(page.kind, []).append(page)
    return by_kind


def _column_note(site: Site, column: Column) -> str:
    if column.campaign and not any(src.startswith(f"campaigns/{column.campaign}/") for src in site.files):
        return (f"活动文件夹 {CONTENT_DIR}/campaigns/{column.campaign}/ 不存在，请核对 "
                f"site_config/columns.yml 第{column.line}行的 campaign。")
    return ""


def column_state(column: Column, pages: Sequence[Page], today: dt.date, long_stale_days: int,
                 note: str = "") -> ColumnState:
    dated = [p for p in pages if p.date is not None]
    newest = max(dated, key=lambda p: (p.date, p.src)) if dated else None
    if newest is None:
        return ColumnState(column, len(pages), None, "", None, False, False, None, None, note)
    last_day = local_day(newest.date)
    age = (today - last_day).days
    days = column.update_days if column.kind in UPDATED_KINDS else None
    stale = days is not None and age > days
    long_stale = days is not None and age > long_stale_days
    stale_on = last_day + dt.timedelta(days=days + 1) if days is not None else None
    long_on = last_day + dt.timedelta(days=long_stale_days + 1) if days is not None else None
    return ColumnState(column, len(pages), newest.date, newest.relpath, age, stale, long_stale, stale_on, long_on,
                       note)


def home_state(site: Site, today: dt.date, settings: InspectionSettings) -> HomeState:
    dated = [p for p in home_lists(site).pages if p.date is not None]
    if not dated:
        return HomeState(None, "", "", None, None)
    newest = max(dated, key=lambda p: (p.date, p.src))
    last_day = local_day(newest.date)
    return HomeState(newest.date, newest.relpath, newest.title, (today - last_day).days,
                     last_day + dt.timedelta(days=settings.home_update_days + 1))


# ------------------------------------------------------------------------------ indicators


def _limited(lines: list[str], total: int | None = None, unit: str = "处") -> tuple[str, ...]:
    total = len(lines) if total is None else total
    if len(lines) <= EVIDENCE_LIMIT:
        return tuple(lines)
    return (*lines[:EVIDENCE_LIMIT], f"……等共{total}{unit}")


def _last(state: ColumnState) -> str:
    return cn_date(local_day(state.last_update)) if state.last_update else "无"


def _home_indicator(home: HomeState, settings: InspectionSettings) -> Indicator:
    days = settings.home_update_days
    requirement = f"首页在{days}天内须有新发布的信息（超过{days}天没有新信息为单项否决）"
    if home.newest is None:
        return Indicator("home-update", "首页更新", requirement, True, True, True, 0,
                         ("首页没有列出任何已发布的稿件、公告或活动。",))
    ok = home.age_days <= days
    line = (f"首页最新信息《{home.newest_title}》（{home.newest_page}），发布于{cn_date(local_day(home.newest))}，"
            f"距检查日{home.age_days}天")
    line += f"，在{days}天以内。" if ok else f"，超过{days}天的要求{home.age_days - days}天。"
    return Indicator("home-update", "首页更新", requirement, True, True, not ok, 0, (line,))


def _stale_indicator(states: Sequence[ColumnState], settings: InspectionSettings) -> Indicator:
    threshold = settings.veto.stale_columns
    stale = [s for s in states if s.stale]
    defaults = "，".join(f"{k.label}类{k.update_days}天" for k in COLUMN_KIND_BY_ID.values() if k.update_days)
    requirement = (f"动态、要闻、通知公告、政策文件等栏目在规定天数内更新（默认时限：{defaults}）；"
                   f"超期未更新的栏目累计达到{threshold}个为单项否决")
    lines = [f"{s.column.name}（{s.column.path}）：最近更新{_last(s)}，已{s.age_days}天未更新，"
             f"超过{s.column.update_days}天的要求{s.days_over}天" for s in stale]
    triggered = len(stale) >= threshold
    head = f"超期未更新栏目{len(stale)}个（单项否决门槛{threshold}个）。"
    exempt = [s.column.name for s in states if s.exempt]
    tail = [f"不受更新时限约束的栏目（历史性专题、基本信息）：{'、'.join(exempt)}。"] if exempt else []
    return Indicator("stale-columns", "栏目不更新", requirement, True, True, triggered,
                     0 if triggered else len(stale), (head, *_limited(lines, unit="个栏目"), *tail))


def _long_stale_indicator(states: Sequence[ColumnState], settings: InspectionSettings) -> Indicator:
    threshold = settings.veto.long_stale_columns
    days = settings.long_stale_days
    long_stale = [s for s in states if s.long_stale]
    requirement = f"应更新的栏目不得超过{days}天未更新（长期未更新）；长期未更新的栏目达到{threshold}个为单项否决"
    lines = [f"{s.column.name}（{s.column.path}）：最近更新{_last(s)}，已{s.age_days}天未更新" for s in long_stale]
    triggered = len(long_stale) >= threshold
    head = f"长期未更新栏目{len(long_stale)}个（单项否决门槛{threshold}个）。"
    return Indicator("long-stale-columns", "栏目长期不更新", requirement, True, True, triggered,
                     0 if triggered else len(long_stale), (head, *_limited(lines, unit="个栏目")))


def _empty_indicator(states: Sequence[ColumnState], settings: InspectionSettings) -> Indicator:
    threshold = settings.veto.empty_columns
    empty = [s for s in states if s.empty]
    requirement = f"栏目不得没有任何内容（空白栏目）；空白栏目达到{threshold}个为单项否决"
    lines = [f"{s.column.name}（{s.column.path}）：没有任何已发布的内容" + (f"。{s.note}" if s.note else "")
             for s in empty]
    triggered = len(empty) >= threshold
    head = f"空白栏目{len(empty)}个（单项否决门槛{threshold}个），共检查{len(states)}个栏目。"
    return Indicator("empty-columns", "空白栏目", requirement, True, True, triggered,
                     0 if triggered else len(empty), (head, *_limited(lines, unit="个栏目")))


def _links_indicator(problems: Sequence[LinkProblem], pages: int) -> Indicator:
    requirement = "站内链接、图片和附件都能正常访问（不能正常访问的链接、缺失的图片和附件为扣分项）"
    counts = {what: sum(1 for p in problems if p.what == what) for what in ("链接", "图片", "附件")}
    head = (f"检查已发布页面{pages}个：失效链接{counts['链接']}处，缺失图片{counts['图片']}处，"
            f"缺失附件{counts['附件']}处。")
    lines = [f"{p.location}：{p.what}“{p.destination}”{p.problem}" for p in problems]
    return Indicator("links", "链接可用性", requirement, False, True, False, len(problems),
                     (head, *_limited(lines)))


def _backdating_indicator(evidence: BackdatingEvidence) -> Indicator:
    requirement = "发布时间与实际发布时间相符，不得倒填、伪造发稿日期（单项否决）"
    if not evidence.judged:
        return Indicator("backdating", "伪造发稿日期", requirement, True, False, False, 0,
                         (f"未能检查：{evidence.note}",))
    lines = [f"{where}：{what}" for where, what in evidence.backdated]
    head = (f"发现{len(lines)}个页面的发布时间早于首次合并到主线的时间。" if lines
            else "未发现倒填发稿日期：每个页面的发布时间都与git台账中首次发布的时间相符。")
    tail = (evidence.note,) if evidence.note else ()
    return Indicator("backdating", "伪造发稿日期", requirement, True, True, bool(lines), 0,
                     (head, *_limited(lines), *tail))


def _after_the_fact_indicator(pending: Sequence[PendingTakedown], at: dt.datetime, days: int) -> Indicator:
    """事后补审: each emergency take-down still awaiting its 三审 after ``days`` days is a deduction."""
    overdue = [t for t in pending if (at - t.at) > dt.timedelta(days=days)]
    requirement = f"应急撤稿后{days}天内完成事后补审（三审签名），超期未补审为扣分项"
    head = (f"应急撤稿中有{len(pending)}个待事后补审，其中{len(overdue)}个已超过{days}天。" if pending
            else "应急撤稿都已完成事后补审。")
    lines = [f"提交 {t.commit}（{cn_moment(t.at)}）“{t.subject}”：已超过{days}天，待事后补审：{'、'.join(t.awaiting)}；"
             f"请审核人运行 scripts/mzpress approve --commit {t.commit} --stage 环节 补签" for t in overdue]
    return Indicator("after-the-fact", "应急撤稿事后补审", requirement, False, True, False, len(overdue),
                     (head, *_limited(lines)))


def _probe_indicators(probe: SiteProbe) -> list[Indicator]:
    indicators = []
    limit = f"{probe.unreachable_seconds:g}"
    requirement = f"首页和抽查页面都能打开，打开时间少于{limit}秒（无法访问为单项否决）"
    failed = [p for p in probe.pages if not p.reachable]
    home = probe.home
    share = len(failed) / len(probe.pages) if probe.pages else 1.0
    triggered = home is None or not home.reachable or share >= UNREACHABLE_SHARE
    lines = [f"抽查{len(probe.pages)}个页面（{probe.sample_source}），{len(failed)}个无法正常打开。"]
    lines += [f"{p.url}：{p.describe()}" for p in probe.pages]
    indicators.append(Indicator("reachability", "网站可访问性", requirement, True, True, triggered, 0,
                                (lines[0], *_limited(lines[1:], unit="个页面"))))
    missing = [p for p in probe.pages if p.status == 404]
    indicators.append(Indicator(
        "online-links", "线上页面可用性", "首页链接和网站地图中的页面都能正常访问（打不开的页面为扣分项）", False,
        home is not None and home.reachable, False, len(missing),
        (f"抽查的页面中{len(missing)}个返回404（页面不存在）。",
         *_limited([f"{p.url}：{p.describe()}" for p in missing]))))
    checked = [p for p in probe.pages if p.identity]
    identity_lines, lacking = [], 0
    for label, expected, found_on in probe.identity_summary():
        if not expected:
            identity_lines.append(f"{label}：site_config/site.yml 没有配置，无从核对。")
            lacking += 1
        elif found_on == len(checked):
            identity_lines.append(f"{label}“{expected}”：抽查的{len(checked)}个页面的页脚都有。")
        else:
            identity_lines.append(f"{label}“{expected}”：抽查的{len(checked)}个页面中{len(checked) - found_on}个页脚没有。")
            lacking += 1
    indicators.append(Indicator(
        "footer-identity", "网站标识", "每个页面的页脚展示网站标识码、ICP备案号和公安机关备案号（缺少为扣分项）",
        False, bool(checked), False, lacking, tuple(identity_lines) or ("没有能打开的网页可供核对。",)))
    https = probe.https
    indicators.append(Indicator(
        "https", "HTTPS安全访问", "网站通过HTTPS访问（未使用HTTPS为扣分项）", False, True, False, 0 if https else 1,
        (f"检查地址为{probe.url}，" + ("使用HTTPS。" if https else "没有使用HTTPS，浏览器会提示“不安全”。"),)))
    return indicators


def _warnings(states: Sequence[ColumnState], home: HomeState, today: dt.date, warn_days: int) -> list[EarlyWarning]:
    warnings = []
    if home.stale_on is not None and 0 < (home.stale_on - today).days <= warn_days:
        warnings.append(EarlyWarning("首页", "", home.stale_on, (home.stale_on - today).days, "home"))
    for state in states:
        if state.empty:
            continue
        if not state.stale and state.stale_on is not None and 0 < (state.stale_on - today).days <= warn_days:
            warnings.append(EarlyWarning(state.column.name, state.column.id, state.stale_on,
                                         (state.stale_on - today).days, "stale"))
        elif state.stale and not state.long_stale and state.long_stale_on is not None \
                and 0 < (state.long_stale_on - today).days <= warn_days:
            warnings.append(EarlyWarning(state.column.name, state.column.id, state.long_stale_on,
                                         (state.long_stale_on - today).days, "long-stale"))
    return sorted(warnings, key=lambda w: (w.on, w.subject))


def evaluate(site: Site, links: Sequence[LinkProblem], backdating: BackdatingEvidence,
             probe: SiteProbe | None = None, warn_days: int | None = None,
             notes: Sequence[str] = (), takedowns: Sequence[PendingTakedown] | None = None) -> Inspection:
    """The self-inspection of ``site`` at ``site.now`` (the site must be loaded at that moment).

    ``takedowns``: the emergency take-downs awaiting 事后补审 (None, or none at all: no such row)."""
    settings = site.config.inspection
    warn_days = settings.warn_days if warn_days is None else warn_days
    today = local_day(site.now)
    by_kind = _listed_by_kind(site)
    states = tuple(column_state(c, column_pages(site, c, by_kind), today, settings.long_stale_days,
                                _column_note(site, c))
                   for c in site.config.columns)
    home = home_state(site, today, settings)
    indicators = [
        _home_indicator(home, settings),
        _stale_indicator(states, settings),
        _long_stale_indicator(states, settings),
        _empty_indicator(states, settings),
        _links_indicator(links, len(site.published)),
        _backdating_indicator(backdating),
    ]
    if takedowns:
        indicators.append(_after_the_fact_indicator(takedowns, site.now, site.config.review.after_the_fact_days))
    if probe is not None:
        indicators += _probe_indicators(probe)
    return Inspection(site.config.site.name, site.now, settings, warn_days, states, home, tuple(indicators),
                      tuple(_warnings(states, home, today, warn_days)), probe, tuple(notes))
