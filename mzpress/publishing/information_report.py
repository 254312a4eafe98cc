"""The information-report statistics (信息报送统计) of ``mzpress report``: per unit and for the bureau.

Pure: it takes the ledger of submissions (:mod:`mzpress.history.submissions`), the configuration,
the period and the report's time, and returns frozen dataclasses; the formats
(:mod:`mzpress.publishing.report_documents`) only lay them out. The definitions:

* **submitted (报送)**: stories and notices (通知公告) whose submission (first commit on any scanned
  ref, author date, Beijing time) falls in the period and is not after the report's time; the
  notices among them are also counted on their own (``notices_submitted``).
* **unit**: the ``unit:`` of the story's tip (HEAD's version for a story on the main line, the
  branch's for a branch-only story). A unit id not in units.yml is reported under its id, flagged
  “不在 units.yml 中”; a story whose front matter cannot be read, or that names no unit, is counted
  under “未知单位” and named in the notes.
* **published (发布)**: public on the main line at the report's time — in HEAD's tree, readable as
  UTF-8, ``date`` valid and reached, not a draft, not unpublished (``Page.is_published`` on the
  values :func:`mzpress.model.schema.validate` gives) — counted in the period holding its ``date``.
  Other front-matter problems (``mzpress check`` reports them) do not change the count.
* **published of the submitted (报送中已发布)**: of the stories and notices submitted in the period,
  those published at the report's time, whatever the period of their ``date``.
* **adoption rate (采用率)** = published of the submitted ÷ submitted. It never uses “published”,
  which counts by ``date`` and so is another set of pages: a row “报送1 报送中已发布1 采用率100%
  发布0” is a story submitted in the period and published in the next.
* **external adoptions (录用)**: ``adopted_by`` entries of published stories (notices have none) whose
  adoption date
  falls in the period (and is not after the report's day), counted per entry (篇次) and by outlet
  level. An entry that ``mzpress check`` rejects (an outlet not in outlets.yml, a bad date …) is
  **skipped**, with a note naming the file and line.
* **sent to outlets (对外报送)**: ``submitted_to`` entries (``mzpress export --record``) of stories on the
  main line, per outlet, with the adoptions per outlet beside them
  (:mod:`mzpress.publishing.outlet_report`); an entry ``mzpress check`` rejects is skipped with a note.
* **points (积分)**: the outlet's points for the entry's kind, plus the level's
  ``instruction_points`` when the entry has an ``instruction`` (批示).
* **quotas**: ``units.yml`` ``quotas`` of the period's kind (month: monthly, quarter: quarterly,
  half year: twice quarterly, year: yearly); ``submitted`` compares with the submissions,
  ``adopted`` with the adoption entries.
* **rank (排名)**: the units of units.yml by points, then adoptions, then submissions, best first;
  equal figures share a rank (1, 2, 2, 4). Rows of unknown units are not ranked.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from mzpress.history.submissions import StorySubmission, SubmissionLedger
from mzpress.model.config import SiteConfig
from mzpress.model.content import CONTENT_DIR, Page
from mzpress.model.findings import FindingsError, Severity
from mzpress.model.frontmatter import split
from mzpress.model.outlets import LEVELS, Adoption, Submission
from mzpress.model.report_period import Month, ReportPeriod, day_label, month_of
from mzpress.model.schema import TIMEZONE, validate
from mzpress.model.source_text import Policy, decode_text
from mzpress.model.yaml_source import LineDict, LineList
from mzpress.publishing.outlet_report import OutletRow, outlet_rows

UNKNOWN_UNIT = ""  # the unit key of stories whose unit cannot be read
UNIT, UNKNOWN, NO_UNIT, TOTAL = "unit", "unknown-unit", "no-unit", "total"  # kinds of rows
UNKNOWN_UNIT_NAME = "未知单位"
NOT_CONFIGURED = "不在units.yml中"
ADOPTION_RULES = ("schema.adoption", "schema.unknown-outlet")
# Fields whose invalid value leaves open whether the site would publish the story.
_DECIDING_FIELDS = ("date", "draft", "withdrawn")


@dataclass(frozen=True, slots=True)
class ReportNote:
    """Something the reader of the report must know: ``kind`` shallow | period-open | unknown-unit |
    unreadable | no-unit | undecided | adoption | submission."""

    kind: str
    message: str
    file: str = ""
    line: int | None = None

    @property
    def location(self) -> str:
        if not self.file:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True, slots=True)
class StoryFacts:
    """One story or notice as the report counts it (see the module docstring)."""

    path: str
    unit: str  # the unit id written in the tip, UNKNOWN_UNIT when unreadable or absent
    submitted: dt.datetime | None
    on_main: bool
    published: bool
    date: dt.datetime | None
    adoptions: tuple[Adoption, ...]
    notes: tuple[ReportNote, ...] = ()
    kind: str = "story"  # story | notice
    title: str = ""  # as written in the tip ("" when unreadable)
    topics: tuple[str, ...] = ()  # the culture topics (topic ids of topics.yml) of a published story
    submissions: tuple[Submission, ...] = ()  # the valid submitted_to entries of a story on the main line


@dataclass(frozen=True)
class UnitRow:
    """The figures of one row for the period. ``kind``: ``unit`` (in units.yml), ``unknown-unit`` (an id not
    in units.yml, ``name`` is the id), ``no-unit`` (“未知单位”: front matter unreadable or without a unit),
    ``total`` (the bureau, “合计”)."""

    kind: str
    unit_id: str
    name: str
    submitted: int  # stories and notices
    published: int  # stories and notices
    submitted_published: int  # of the submitted, published at the report's time
    adoptions: int
    by_level: dict[str, int]  # county, city, province, national
    points: Decimal
    quota_submitted: int | None  # None: no quota of the period's kind
    quota_adopted: int | None
    rank: int | None = None
    notices_submitted: int = 0  # of ``submitted``, the notices
    notices_published: int = 0  # of ``published``, the notices

    @property
    def configured(self) -> bool:
        return self.kind == UNIT

    @property
    def adoption_rate(self) -> float | None:
        """采用率 = submitted_published / submitted (None without submissions)."""
        return self.submitted_published / self.submitted if self.submitted else None

    @property
    def stories_submitted(self) -> int:
        return self.submitted - self.notices_submitted

    @property
    def stories_published(self) -> int:
        return self.published - self.notices_published

    @property
    def submitted_met(self) -> bool | None:
        return None if self.quota_submitted is None else self.submitted >= self.quota_submitted

    @property
    def adopted_met(self) -> bool | None:
        return None if self.quota_adopted is None else self.adoptions >= self.quota_adopted

    @property
    def remark(self) -> str:
        return {UNKNOWN: NOT_CONFIGURED, NO_UNIT: "信息区无法读取或没有写来源单位"}.get(self.kind, "")


@dataclass(frozen=True)
class MonthRow:
    """The bureau's figures in one month of the trend."""

    month: Month
    submitted: int
    published: int
    adoptions: int
    points: Decimal


@dataclass(frozen=True)
class InformationReport:
    bureau: str  # site.yml name
    period: ReportPeriod
    at: dt.datetime
    units: tuple[UnitRow, ...]
    total: UnitRow
    months: tuple[MonthRow, ...]  # the trend (see ReportPeriod.trend_months)
    notes: tuple[ReportNote, ...]
    head: str
    branches: tuple[str, ...]
    remotes: tuple[str, ...]
    shallow: bool
    earliest_commit: dt.datetime | None
    unknown_submissions: int  # shallow clones: stories whose submission time is before the available history
    facts: tuple[StoryFacts, ...] = ()  # every story and notice of the ledger as counted (all periods)
    outlets: tuple[OutletRow, ...] = ()  # 对外报送与录用 per outlet of outlets.yml, in its order

    @property
    def complete(self) -> bool:
        """Whether the period was over at the report's time."""
        return self.at >= self.period.end


# --------------------------------------------------------------------------- one story


def _note(kind: str, message: str, file: str = "", line: int | None = None) -> ReportNote:
    return ReportNote(kind, message, file, line)


def _adoption_lines(meta, field: str = "adopted_by") -> set[int]:
    """The lines of the ``adopted_by`` (or ``submitted_to``) entries (a finding there is about an entry the
    report skips)."""
    entries = meta.get(field)
    lines: set[int] = set()
    if isinstance(entries, LineList):
        for index, item in enumerate(entries):
            lines.add(entries.line_of(index))
            if isinstance(item, LineDict):
                lines.update(item.key_lines.values())
    return lines


def story_facts(story: StorySubmission, config: SiteConfig, at: dt.datetime) -> StoryFacts:
    """What the report counts of one story or notice: its tip read with the content model's validation."""
    path = story.path
    base = {"path": path, "submitted": story.submitted, "on_main": story.on_main, "kind": story.kind}
    if story.tip is None:
        return StoryFacts(unit=UNKNOWN_UNIT, published=False, date=None, adoptions=(), notes=(
            _note("unreadable", "git中找不到这篇稿件的内容，无法判断来源单位。", path),), **base)
    decoded = decode_text(story.tip, path, Policy.SCAN)
    if decoded.text is None:
        return StoryFacts(unit=UNKNOWN_UNIT, published=False, date=None, adoptions=(), notes=(
            _note("unreadable", "文件的编码无法识别，读不出信息区。", path),), **base)
    try:
        document = split(decoded.text, path)
    except FindingsError as exc:
        first = exc.findings[0]
        return StoryFacts(unit=UNKNOWN_UNIT, published=False, date=None, adoptions=(), notes=(
            _note("unreadable", f"信息区无法读取：{first.message}", path, first.line),), **base)
    meta = document.meta
    raw_unit = meta.get("unit")
    unit = str(raw_unit).strip() if raw_unit is not None and not isinstance(raw_unit, dict | list) else ""
    title = meta.get("title")
    title = str(title).strip() if title is not None and not isinstance(title, dict | list) else ""
    # Only the main line's stories are published: a branch-only story needs no more than its unit.
    values, findings = validate(story.kind, meta, path, config) if story.on_main else ({}, [])
    notes: list[ReportNote] = []
    if not unit:
        notes.append(_note("no-unit", "信息区没有写来源单位（unit）。", path, meta.line))
    published = False
    if story.on_main:
        undecided = [name for name in _DECIDING_FIELDS if meta.get(name) is not None and values.get(name) is None]
        if any(f.severity is Severity.ERROR for f in decoded.findings):
            notes.append(_note("undecided", "文件不是 UTF-8 编码，网站不会发布，未计入发布数。", path))
        elif values.get("date") is None or undecided:
            fields = "、".join(undecided or ["date"])
            notes.append(_note("undecided", f"信息区的{fields}有误，网站不会发布，未计入发布数。", path,
                               meta.line_of((undecided or ["date"])[0])))
        else:
            page = Page(story.kind, path[len(CONTENT_DIR) + 1:], path, values, "", document.body_line, {}, meta)
            published = page.is_published(at)
    submissions: tuple[Submission, ...] = ()
    sent_lines = _adoption_lines(meta, "submitted_to")
    if story.on_main:  # sent up to an outlet whether or not the site has published it
        submissions = tuple(values.get("submitted_to") or ())
        notes += [_note("submission", f"{f.message}这条报送记录未计入。", f.file, f.line) for f in findings
                  if f.rule == "schema.submission" or (f.line in sent_lines and f.severity is Severity.ERROR)]
    adoptions: tuple[Adoption, ...] = ()
    topics: tuple[str, ...] = ()
    if published:
        topics = tuple(topic.id for topic in values.get("topics") or ())
        adoptions = tuple(values.get("adopted_by") or ())
        lines = _adoption_lines(meta)
        notes += [_note("adoption", f"{f.message}这条录用记录未计入。", f.file, f.line)
                  for f in findings if f.line not in sent_lines
                  and (f.rule in ADOPTION_RULES or (f.line in lines and f.severity is Severity.ERROR))]
    return StoryFacts(unit=unit, published=published, date=values.get("date"), adoptions=adoptions,
                      submissions=submissions,
                      notes=tuple(notes), title=title, topics=topics, **base)


# --------------------------------------------------------------------------- the statistics


def _ranks(rows: list[UnitRow]) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4) of configured units by points, adoptions, submissions."""
    ranked = sorted((r for r in rows if r.configured), key=lambda r: (-r.points, -r.adoptions, -r.submitted))
    result: dict[str, int] = {}
    previous = None
    for position, row in enumerate(ranked, start=1):
        key = (row.points, row.adoptions, row.submitted)
        if key != previous:
            rank, previous = position, key
        result[row.unit_id] = rank
    return result


class _Tally:
    """Counts by (unit, month): submissions, their publications, publications, adoptions by level, points;
    and of the submissions and publications, the notices."""

    def __init__(self):
        self.submitted: Counter = Counter()
        self.submitted_published: Counter = Counter()
        self.published: Counter = Counter()
        self.notices_submitted: Counter = Counter()
        self.notices_published: Counter = Counter()
        self.adoptions: Counter = Counter()  # (unit, month, level)
        self.points: dict[tuple[str, Month], Decimal] = {}

    def add(self, facts: StoryFacts, config: SiteConfig, at: dt.datetime) -> None:
        unit = facts.unit
        if facts.submitted is not None and facts.submitted <= at:
            month = month_of(facts.submitted)
            self.submitted[unit, month] += 1
            if facts.kind == "notice":
                self.notices_submitted[unit, month] += 1
            if facts.published:
                self.submitted_published[unit, month] += 1
        if facts.published and facts.date is not None:
            self.published[unit, month_of(facts.date)] += 1
            if facts.kind == "notice":
                self.notices_published[unit, month_of(facts.date)] += 1
        today = at.astimezone(TIMEZONE).date()
        for adoption in facts.adoptions:
            if adoption.date > today:
                continue
            outlet = config.outlets.by_id.get(adoption.outlet)
            if outlet is None:
                continue
            month = month_of(adoption.date)
            self.adoptions[unit, month, outlet.level] += 1
            self.points[unit, month] = self.points.get((unit, month), Decimal(0)) + config.outlets.points(adoption)

    def units(self) -> set[str]:
        return {key[0] for counter in (self.submitted, self.published, self.adoptions) for key in counter}

    def row(self, kind: str, unit_id: str, name: str, months: tuple[Month, ...],
            quotas: tuple[int | None, int | None] = (None, None)) -> UnitRow:
        wanted = set(months)
        by_level = {level: sum(n for (u, m, lv), n in self.adoptions.items() if u == unit_id and m in wanted
                               and lv == level) for level in LEVELS}
        return UnitRow(
            kind, unit_id, name,
            submitted=sum(self.submitted[unit_id, m] for m in months),
            published=sum(self.published[unit_id, m] for m in months),
            submitted_published=sum(self.submitted_published[unit_id, m] for m in months),
            adoptions=sum(by_level.values()), by_level=by_level,
            points=sum((self.points.get((unit_id, m), Decimal(0)) for m in months), Decimal(0)),
            quota_submitted=quotas[0], quota_adopted=quotas[1],
            notices_submitted=sum(self.notices_submitted[unit_id, m] for m in months),
            notices_published=sum(self.notices_published[unit_id, m] for m in months))

    def month(self, month: Month) -> MonthRow:
        return MonthRow(
            month,
            submitted=sum(n for (_, m), n in self.submitted.items() if m == month),
            published=sum(n for (_, m), n in self.published.items() if m == month),
            adoptions=sum(n for (_, m, _), n in self.adoptions.items() if m == month),
            points=sum((p for (_, m), p in self.points.items() if m == month), Decimal(0)))


def _times(quota: int | None, times: int) -> int | None:
    return None if quota is None else quota * times


def _sum_quota(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _ledger_notes(ledger: SubmissionLedger, period: ReportPeriod, at: dt.datetime) -> list[ReportNote]:
    notes = []
    if ledger.shallow:
        since = day_label(ledger.earliest_commit.date()) if ledger.earliest_commit else "最近"
        notes.append(_note("shallow", (
            f"这是浅克隆（git clone --depth），只能看到{since}以后的提交；"
            f"有{ledger.unknown_submissions}篇稿件在此之前就已提交，报送时间无法确定，未计入报送数和采用率。"
            "发布数和录用数按当前版本统计，不受影响。运行 git fetch --unshallow 取回完整历史后再统计。")))
    if at < period.end:
        notes.append(_note("period-open", f"统计时间在{period.label}结束之前，本期数字还会变化。"))
    return notes


def information_report(ledger: SubmissionLedger, config: SiteConfig, period: ReportPeriod,
                       at: dt.datetime) -> InformationReport:
    """The report of ``period`` as of ``at`` (an aware datetime)."""
    tally = _Tally()
    notes = _ledger_notes(ledger, period, at)
    unknown_units: dict[str, list[str]] = {}
    every: list[StoryFacts] = []
    for story in ledger.stories:
        facts = story_facts(story, config, at)
        every.append(facts)
        tally.add(facts, config, at)
        notes += facts.notes
        if facts.unit and facts.unit not in config.unit_by_id:
            unknown_units.setdefault(facts.unit, []).append(facts.path)
    quota_period, times = period.quota_basis
    rows = []
    for unit in config.units:
        quotas = unit.quotas.get(quota_period)
        rows.append(tally.row(UNIT, unit.id, unit.name, period.months,
                              (_times(quotas.get("submitted"), times), _times(quotas.get("adopted"), times))
                              if quotas else (None, None)))
    extra = sorted(u for u in tally.units() if u not in config.unit_by_id and u != UNKNOWN_UNIT)
    for unit_id in extra:
        row = tally.row(UNKNOWN, unit_id, unit_id, period.months)
        if row.submitted or row.published or row.adoptions:
            rows.append(row)
    if UNKNOWN_UNIT in tally.units():
        row = tally.row(NO_UNIT, UNKNOWN_UNIT, UNKNOWN_UNIT_NAME, period.months)
        if row.submitted or row.published or row.adoptions:
            rows.append(row)
    for unit_id, paths in sorted(unknown_units.items()):
        shown = "、".join(paths[:5]) + (f"等{len(paths)}篇" if len(paths) > 5 else "")
        notes.append(_note("unknown-unit", f"来源单位“{unit_id}”{NOT_CONFIGURED}（可能已撤并或改名），"
                                           f"其稿件按代号单独列出：{shown}。"))
    ranks = _ranks(rows)
    rows = [UnitRow(**{**_fields(r), "rank": ranks.get(r.unit_id) if r.configured else None}) for r in rows]
    total = UnitRow(
        TOTAL, "", "合计",
        submitted=sum(r.submitted for r in rows), published=sum(r.published for r in rows),
        submitted_published=sum(r.submitted_published for r in rows), adoptions=sum(r.adoptions for r in rows),
        by_level={level: sum(r.by_level[level] for r in rows) for level in LEVELS},
        points=sum((r.points for r in rows), Decimal(0)),
        quota_submitted=_sum_quota([r.quota_submitted for r in rows if r.configured]),
        quota_adopted=_sum_quota([r.quota_adopted for r in rows if r.configured]),
        notices_submitted=sum(r.notices_submitted for r in rows), notices_published=sum(r.notices_published for r in rows))
    months = tuple(tally.month(m) for m in period.trend_months)
    return InformationReport(
        config.site.name, period, at, tuple(rows), total, months, tuple(notes), ledger.head,
        ledger.branches, ledger.remotes, ledger.shallow, ledger.earliest_commit, ledger.unknown_submissions,
        tuple(every), outlet_rows(every, config, period, at))


def _fields(row: UnitRow) -> dict:
    return {name: getattr(row, name) for name in UnitRow.__dataclass_fields__}
