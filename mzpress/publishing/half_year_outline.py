"""The website section of the half-yearly 意识形态工作 report (``mzpress report --period 2026-H1 --outline``).

The bureau reports its ideological work to the Party organisation every half year (每半年汇报一次);
the website's part is figures the office would otherwise count by hand. Pure: :func:`build_outline`
takes the information report of the period (:mod:`mzpress.publishing.information_report`), what git
says about the period (:class:`mzpress.history.period_record.PeriodRecord`) and a summary of the
self-inspection, and returns an :class:`Outline`; :func:`outline_blocks` lays it out as headings,
paragraphs, tables and notes that :mod:`mzpress.publishing.outline_documents` writes as Markdown and
as a Word document. What each section counts:

1. **发布**: the information report's rows (stories and notices submitted, published of the
   submitted, 采用率, published by ``date`` in the period), stories and notices apart; per culture
   topic (``topics:`` of stories published in the period; a story may have several).
2. **专题活动**: campaigns (``content/campaigns/<id>/index.md``) public at the period's end whose
   ``start``–``end`` overlaps the period, with their pages (活动页面) published in the period.
3. **录用**: the report's adoptions by outlet level.
4. **撤稿**: in the pages at the period's end, a ``withdrawn:`` dated in the period (撤回: online under
   a banner; 撤下: ``unpublish: true``) or an ``unpublish_at`` reached in it (到期下线); and pages a
   main-line commit of the period deleted (删除: no reason is recorded, the commit's message is shown).
5. **三审**: each main-line commit of the period judged by ``review-check``: complete, incomplete or
   not checkable; when the check tells key signatures from typed trailers
   (:data:`~mzpress.history.period_record.SIGNING_KNOWN`), the complete ones are split into
   signed with keys throughout and with typed signatures; otherwise the section says it cannot tell.
6. **自查**: ``mzpress inspect`` as of the period's end on the site as committed then, or (when that
   cannot be checked out) on the current files at the same moment, which the section says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from mzpress.history.period_record import (
    COMPLETE,
    INCOMPLETE,
    SIGNING_KNOWN,
    UNCHECKED,
    PeriodRecord,
    ReviewRecord,
)
from mzpress.model.config import SiteConfig
from mzpress.model.content import CONTENT_DIR, Page, classify
from mzpress.model.findings import FindingsError
from mzpress.model.frontmatter import split
from mzpress.model.outlets import LEVELS
from mzpress.model.report_period import ReportPeriod, day_label
from mzpress.model.schema import CAMPAIGN_KINDS, KIND_LABELS, TIMEZONE, validate
from mzpress.model.source_text import Policy, decode_text
from mzpress.publishing.information_report import UNKNOWN, UNKNOWN_UNIT_NAME, InformationReport, UnitRow
from mzpress.publishing.inspection import Inspection
from mzpress.publishing.report_documents import DEFINITIONS, RATE_NOTE, moment_text, points_text, rate_text

WITHDRAWN, UNPUBLISHED, EXPIRED, DELETED = "撤回", "撤下", "到期下线", "删除"
HOW_ORDER = (WITHDRAWN, UNPUBLISHED, EXPIRED, DELETED)
EXPIRED_REASON = "限时发布的内容到期，按信息区的下线时间（unpublish_at）自动下线。"
PERIOD_END, CURRENT, NOT_INSPECTED = "period-end", "current", "none"
_REVIEW_RULE = ("三审情况与发布前的 mzpress review-check 同一口径：每个环节都有签名、签名人是合并前units.yml中该环节的审核人"
                "（初审须是稿件所属单位的初审人）、各环节由不同的人签署，为“齐全”。")
REVIEW_BASIS_TYPED = (_REVIEW_RULE + "目前的三审检查只核对合并说明中的审核签名（Reviewed-by、Approved-by）是否写全，"
                      "不核验密钥签名，因此本节只分“齐全”和“不全”，不分“密钥签名”和“手写签名”。")
REVIEW_BASIS_SIGNED = (_REVIEW_RULE + "齐全的合并中，每个环节都由审核人用密钥签名（mzpress approve）的计为“密钥签名”；"
                       "有环节只凭合并说明中手写的Reviewed-by、Approved-by通过的（units.yml中review的trust: trailers过渡期）"
                       "计为“含手写签名”。")
LIST_LIMIT = 20  # rows of the take-down and review lists before “……等共N条”


@dataclass(frozen=True)
class TopicRow:
    topic_id: str
    name: str
    stories: int  # stories published in the period with this topic


@dataclass(frozen=True)
class CampaignRow:
    relpath: str
    title: str
    kind_label: str  # 评选 / 培训
    start: dt.date | None
    end: dt.date | None
    unit: str  # the unit's name
    status: str  # 即将开始 / 进行中 / 已结束 at the period's end
    pages: int  # its pages (活动页面) published in the period

    @property
    def span(self) -> str:
        start = day_label(self.start) if self.start else "未写"
        return f"{start}—{day_label(self.end)}" if self.end else f"{start}起"


@dataclass(frozen=True)
class TakeDown:
    day: dt.date
    relpath: str
    title: str
    kind_label: str  # 民政故事, 通知公告 ...
    unit: str  # the unit's name
    how: str  # 撤回 / 撤下 / 到期下线 / 删除
    reason: str


@dataclass(frozen=True)
class ReviewSummary:
    records: tuple[ReviewRecord, ...]
    signing_known: bool = SIGNING_KNOWN

    @property
    def basis(self) -> str:
        return REVIEW_BASIS_SIGNED if self.signing_known else REVIEW_BASIS_TYPED

    @property
    def all_signed(self) -> int:
        return sum(1 for r in self.records if r.all_signed)

    def count(self, state: str) -> int:
        return sum(1 for r in self.records if r.state == state)

    @property
    def content(self) -> int:
        return sum(1 for r in self.records if r.content)

    @property
    def not_complete(self) -> tuple[ReviewRecord, ...]:
        return tuple(r for r in self.records if r.state != COMPLETE)


@dataclass(frozen=True)
class InspectionSummary:
    """The self-inspection the outline reports: ``basis`` period-end | current | none."""

    basis: str
    moment: dt.datetime | None = None
    commit: str = ""
    verdict: str = ""  # 合格 / 不合格（…）
    indicators: tuple[tuple[str, str, str], ...] = ()  # (name, result, what was found)
    warnings: tuple[str, ...] = ()
    note: str = ""  # why not as of the period's end, or why not at all


@dataclass(frozen=True)
class Outline:
    report: InformationReport
    topics: tuple[TopicRow, ...]
    untagged: int  # stories published in the period without a culture topic
    campaigns: tuple[CampaignRow, ...]
    takedowns: tuple[TakeDown, ...]
    reviews: ReviewSummary
    inspection: InspectionSummary
    end_commit: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def period(self) -> ReportPeriod:
        return self.report.period

    @property
    def title(self) -> str:
        return f"{self.report.bureau}{self.period.label}意识形态工作情况（网站部分）"


# --------------------------------------------------------------------------- reading pages


def _unit_name(unit_id: str, config: SiteConfig) -> str:
    if not unit_id:
        return UNKNOWN_UNIT_NAME
    unit = config.unit_by_id.get(unit_id)
    return unit.name if unit else unit_id


def _text(value) -> str:
    return str(value).strip() if value is not None and not isinstance(value, dict | list) else ""


def read_page(relpath: str, data: bytes | None, config: SiteConfig) -> Page | None:
    """A committed page as the content model reads it (None when unreadable or not a page)."""
    if data is None or not relpath.startswith(CONTENT_DIR + "/"):
        return None
    src = relpath[len(CONTENT_DIR) + 1:]
    where = classify(src)
    decoded = decode_text(data, relpath, Policy.SCAN)
    if where is None or decoded.text is None:
        return None
    try:
        document = split(decoded.text, relpath)
    except FindingsError:
        return None
    values, _ = validate(where[0], document.meta, relpath, config)
    return Page(where[0], src, relpath, values, "", document.body_line, where[1], document.meta)


def _raw_unit(page: Page) -> str:
    """The unit id as written (a unit no longer in units.yml still names its page's unit)."""
    unit = page.unit
    return unit.id if unit is not None else _text(page.meta.get("unit") if page.meta is not None else None)


# --------------------------------------------------------------------------- sections


def topic_rows(report: InformationReport, config: SiteConfig) -> tuple[tuple[TopicRow, ...], int]:
    """Stories published in the period per culture topic, and how many have no topic."""
    counts = {topic.id: 0 for topic in config.topics}
    untagged = 0
    for facts in report.facts:
        if facts.kind != "story" or not facts.published or facts.date is None or not report.period.contains(facts.date):
            continue
        if not facts.topics:
            untagged += 1
        for topic_id in facts.topics:
            if topic_id in counts:
                counts[topic_id] += 1
    return tuple(TopicRow(t.id, t.name, counts[t.id]) for t in config.topics), untagged


def campaign_rows(pages: dict[str, Page], config: SiteConfig, period: ReportPeriod,
                  moment: dt.datetime) -> tuple[CampaignRow, ...]:
    """The campaigns public at ``moment`` (the period's end) whose time overlaps the period."""
    members: dict[str, int] = {}
    for page in pages.values():
        if page.kind == "member" and page.is_published(moment) and page.date and period.contains(page.date):
            members[page.campaign_id] = members.get(page.campaign_id, 0) + 1
    rows = []
    for page in pages.values():
        if page.kind != "campaign" or not page.is_published(moment):
            continue
        start, end = page.values.get("start"), page.values.get("end")
        if (start and start > period.last_day) or (end and end < period.first_day):
            continue
        rows.append(CampaignRow(page.relpath, page.title, CAMPAIGN_KINDS.get(page.values.get("kind") or "", ""),
                                start, end, _unit_name(_raw_unit(page), config), page.campaign_status(moment),
                                members.get(page.campaign_id, 0)))
    return tuple(sorted(rows, key=lambda r: (r.start or dt.date.min, r.relpath)))


def take_downs(pages: dict[str, Page], record: PeriodRecord, config: SiteConfig, period: ReportPeriod,
               moment: dt.datetime) -> tuple[TakeDown, ...]:
    """Withdrawals, take-downs and expiries of the period in the pages at its end, and the deletions."""
    result = []
    for page in pages.values():
        withdrawn = page.withdrawn
        kind_label = KIND_LABELS.get(page.kind, page.kind)
        unit = _unit_name(_raw_unit(page), config)
        if withdrawn and period.contains(withdrawn["date"]) and withdrawn["date"] <= moment:
            how = UNPUBLISHED if withdrawn.get("unpublish") else WITHDRAWN
            result.append(TakeDown(withdrawn["date"].astimezone(TIMEZONE).date(), page.relpath, page.title, kind_label,
                                   unit, how, withdrawn["reason"]))
        elif page.unpublish_at is not None and period.contains(page.unpublish_at) and page.unpublish_at <= moment \
                and not page.draft and page.date is not None and page.date <= page.unpublish_at:
            result.append(TakeDown(page.unpublish_at.astimezone(TIMEZONE).date(), page.relpath, page.title, kind_label,
                                   unit, EXPIRED, EXPIRED_REASON))
    for deleted in record.deleted:
        page = read_page(deleted.relpath, deleted.text, config)
        title = page.title if page is not None and page.title else deleted.relpath
        unit = _unit_name(_raw_unit(page), config) if page is not None else UNKNOWN_UNIT_NAME
        result.append(TakeDown(deleted.commit.committed.date(), deleted.relpath, title,
                               KIND_LABELS.get(deleted.kind, deleted.kind), unit, DELETED,
                               f"文件被直接删除，没有记录原因（提交说明：{deleted.commit.subject}）。"))
    return tuple(sorted(result, key=lambda t: (t.day, HOW_ORDER.index(t.how), t.relpath)))


def inspection_summary(inspection: Inspection, basis: str, commit: str = "", note: str = "") -> InspectionSummary:
    """What the outline shows of a self-inspection: its verdict, each indicator's result and first finding."""
    indicators = tuple((i.name, i.result, i.evidence[0] if i.evidence else "") for i in inspection.indicators)
    return InspectionSummary(basis, inspection.at, commit, inspection.verdict_text, indicators,
                             tuple(w.text for w in inspection.warnings), note)


def build_outline(report: InformationReport, config: SiteConfig, record: PeriodRecord,
                  inspection: InspectionSummary) -> Outline:
    moment = min(report.at, report.period.end - dt.timedelta(seconds=1))
    pages = {relpath: page for relpath, data in record.pages.items()
             if (page := read_page(relpath, data, config)) is not None}
    topics, untagged = topic_rows(report, config)
    notes = []
    if record.shallow:
        notes.append("本仓库是浅克隆（git clone --depth），早期的合并和删除记录可能不全；请在完整克隆的仓库中生成。")
    return Outline(report, topics, untagged, campaign_rows(pages, config, report.period, moment),
                   take_downs(pages, record, config, report.period, moment), ReviewSummary(record.reviews),
                   inspection, record.last.sha if record.last else "", tuple(notes))


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Block:
    """One piece of the document: ``kind`` title | meta | heading1 | heading2 | paragraph | table | note."""

    kind: str
    text: str = ""
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def _limited(rows: list[tuple[str, ...]], width: int) -> list[tuple[str, ...]]:
    if len(rows) <= LIST_LIMIT:
        return rows
    return [*rows[:LIST_LIMIT], (f"……等共{len(rows)}条", *("",) * (width - 1))]


def _row_name(row: UnitRow) -> str:
    """As in the information report: a unit id not in units.yml says so."""
    return f"{row.name}（{row.remark}）" if row.kind == UNKNOWN else row.name


def _publishing(outline: Outline) -> list[Block]:
    report, total = outline.report, outline.report.total
    label = outline.period.label
    rate = rate_text(total.adoption_rate)
    blocks = [Block("heading1", "一、网站信息发布情况"), Block("paragraph", (
        f"{label}，局网站发布民政故事{total.stories_published}篇、通知公告{total.notices_published}篇。"
        f"各单位报送稿件和通知公告{total.submitted}篇（其中通知公告{total.notices_submitted}篇），"
        f"到统计时已发布{total.submitted_published}篇，采用率{rate}。"))]
    headers = ("单位", "报送", "其中通知公告", "报送中已发布", "采用率", "发布民政故事", "发布通知公告")

    def cells(row: UnitRow) -> tuple[str, ...]:
        return (_row_name(row), str(row.submitted), str(row.notices_submitted), str(row.submitted_published),
                rate_text(row.adoption_rate), str(row.stories_published), str(row.notices_published))

    blocks += [Block("heading2", "（一）各单位发布情况"),
               Block("table", headers=headers, rows=tuple(cells(r) for r in (*report.units, total))),
               Block("note", RATE_NOTE)]
    topic_total = sum(t.stories for t in outline.topics)
    blocks += [Block("heading2", "（二）文化专题发布情况"), Block("paragraph", (
        f"围绕{len(outline.topics)}个文化专题发布民政故事{topic_total}篇次"
        f"（一篇稿件可以属于几个专题），另有{outline.untagged}篇民政故事没有标注文化专题。")),
        Block("table", headers=("文化专题", "发布民政故事"), rows=tuple((t.name, str(t.stories)) for t in outline.topics))]
    return blocks


def _campaigns(outline: Outline) -> list[Block]:
    blocks = [Block("heading1", "二、专题活动开展情况")]
    if not outline.campaigns:
        return [*blocks, Block("paragraph", f"{outline.period.label}没有开展专题活动。")]
    pages = sum(c.pages for c in outline.campaigns)
    blocks.append(Block("paragraph", f"{outline.period.label}开展专题活动{len(outline.campaigns)}项，"
                                     f"发布活动页面{pages}篇。"))
    blocks.append(Block("table", headers=("专题活动", "类型", "活动时间", "承办单位", "本期发布活动页面", "期末状态"),
                        rows=tuple((c.title, c.kind_label, c.span, c.unit, str(c.pages), c.status)
                                   for c in outline.campaigns)))
    return blocks


def _adoptions(outline: Outline) -> list[Block]:
    report, total = outline.report, outline.report.total
    levels = "、".join(f"{name}{total.by_level[level]}篇次" for level, name in LEVELS.items())
    rows = [(_row_name(r), *(str(r.by_level[level]) for level in LEVELS), str(r.adoptions), points_text(r.points))
            for r in (*report.units, total)]
    return [Block("heading1", "三、信息录用情况"), Block("paragraph", (
        f"各单位稿件被各级渠道录用{total.adoptions}篇次，其中{levels}，积分{points_text(total.points)}。")),
        Block("table", headers=("单位", *LEVELS.values(), "合计", "积分"), rows=tuple(rows))]


def _takedowns(outline: Outline) -> list[Block]:
    blocks = [Block("heading1", "四、撤稿情况")]
    items = outline.takedowns
    if not items:
        return [*blocks, Block("paragraph", f"{outline.period.label}没有撤回、撤下、到期下线或删除的页面。")]
    counts = "，".join(f"{how}{sum(1 for t in items if t.how == how)}篇" for how in HOW_ORDER)
    blocks.append(Block("paragraph", f"{outline.period.label}撤稿{len(items)}篇：{counts}。"
                                     "撤回的页面保留并标注“已撤回”，撤下、到期下线和删除的页面不再公开。"))
    rows = [(day_label(t.day), t.title, t.kind_label, t.unit, t.how, t.reason) for t in items]
    blocks.append(Block("table", headers=("日期", "标题", "类别", "单位", "方式", "原因"), rows=tuple(_limited(rows, 6))))
    return blocks


def _reviews(outline: Outline) -> list[Block]:
    summary = outline.reviews
    blocks = [Block("heading1", "五、三审制度执行情况")]
    if not summary.records:
        blocks.append(Block("paragraph", f"{outline.period.label}主线上没有合并。"))
        return [*blocks, Block("note", summary.basis)]
    unchecked, complete = summary.count(UNCHECKED), summary.count(COMPLETE)
    split = (f"（其中各环节均为密钥签名{summary.all_signed}次，含手写签名{complete - summary.all_signed}次）"
             if summary.signing_known and complete else "")
    blocks.append(Block("paragraph", (
        f"{outline.period.label}合并到主线（发布）{len(summary.records)}次，其中改动网站内容{summary.content}次；"
        f"三审记录齐全{complete}次{split}，不全{summary.count(INCOMPLETE)}次"
        + (f"，无法检查{unchecked}次" if unchecked else "") + "。")))
    if summary.not_complete:
        rows = []
        for record in summary.not_complete:
            what = "；".join([*(f"缺少{m}" for m in record.missing), *record.problems]) if record.state == INCOMPLETE \
                else f"无法检查：{record.reason}"
            rows.append((day_label(record.commit.committed.date()), record.commit.sha[:7], record.commit.subject, what))
        blocks.append(Block("table", headers=("日期", "提交", "提交说明", "问题"), rows=tuple(_limited(rows, 4))))
    return [*blocks, Block("note", summary.basis)]


def _inspection(outline: Outline) -> list[Block]:
    summary = outline.inspection
    blocks = [Block("heading1", "六、网站自查情况")]
    if summary.basis == NOT_INSPECTED:
        return [*blocks, Block("paragraph", f"未能自查：{summary.note}")]
    when = moment_text(summary.moment)
    if summary.basis == PERIOD_END:
        basis = f"按期末主线上的网站版本（提交{summary.commit[:10]}），以{when}为检查时间"
    else:
        basis = f"按现在的网站文件，以{when}为检查时间"
    blocks.append(Block("paragraph", f"{basis}，对照政府网站检查指标自查，结论：{summary.verdict}。"))
    if summary.note:
        blocks.append(Block("note", summary.note))
    blocks.append(Block("table", headers=("检查指标", "结果", "情况"), rows=summary.indicators))
    if summary.warnings:
        blocks.append(Block("paragraph", "预警：" + "；".join(summary.warnings) + "。"))
    return blocks


def _definitions(outline: Outline) -> list[Block]:
    extra = (
        ("文化专题", "已发布民政故事信息区的topics，按site_config/topics.yml的专题统计，发布时间在本期。"),
        ("专题活动", "期末已公开、活动时间（start至end）与本期有交叉的专题活动（content/campaigns/），"
                    "活动页面按发布时间计入本期。"),
        ("撤稿", "期末主线版本中撤回日期（withdrawn的date）或下线时间（unpublish_at）在本期的页面，"
                "以及本期合并中直接删除的页面。"),
        ("三审", outline.reviews.basis),
        ("自查", "与mzpress inspect相同的指标和门槛（site_config/columns.yml）。"),
    )
    return [Block("heading1", "附：统计口径"),
            *(Block("paragraph", f"{number}.{term}：{meaning}")
              for number, (term, meaning) in enumerate((*DEFINITIONS, *extra), start=1))]


def outline_blocks(outline: Outline) -> list[Block]:
    """The outline as a sequence of blocks, the same for Markdown and Word."""
    report = outline.report
    meta = (f"统计周期：{report.period.span_label}。统计时间：{moment_text(report.at)}（北京时间）。"
            f"数据来源：网站git仓库（主线提交{report.head[:10]}）。")
    blocks = [Block("title", outline.title), Block("meta", meta)]
    if not report.complete:
        blocks.append(Block("note", f"统计时间在{report.period.label}结束之前，本期数字还会变化。"))
    blocks += [Block("note", note) for note in outline.notes]
    for part in (_publishing, _campaigns, _adoptions, _takedowns, _reviews, _inspection, _definitions):
        blocks += part(outline)
    return blocks
