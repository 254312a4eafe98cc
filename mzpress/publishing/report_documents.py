"""The information report laid out: a text table, CSV for Excel and WPS, JSON, one self-contained HTML page.

Every format shows the same :class:`~mzpress.publishing.information_report.InformationReport`:

* ``text``: a table aligned for a terminal (Chinese characters count two columns), the footnote
  defining 采用率 (:data:`RATE_NOTE`), the monthly trend and the notes;
* ``csv``: one row per unit and a 合计 row, Chinese headers, then an empty row and the footnote;
  :func:`csv_bytes` encodes it as UTF-8 with a BOM (``utf-8-sig``), which Excel and WPS need to
  read Chinese;
* ``json``: everything, for other tools;
* ``html``: one page with inline CSS (print-friendly, A4 landscape) and the pygal SVG charts inline
  (whole-number axes); no script and no external resource; every value is HTML-escaped; the
  footnote under the table.

Every format defines 采用率 the same way: 报送中已发布 ÷ 报送 (see
:mod:`mzpress.publishing.information_report`), and shows both figures in the row.
"""

from __future__ import annotations

import csv
import html
import io
import json
import unicodedata
from decimal import Decimal

from mzpress.model.outlets import LEVELS
from mzpress.model.report_period import day_label
from mzpress.publishing.information_report import UNKNOWN, InformationReport, MonthRow, UnitRow
from mzpress.publishing.report_charts import FONT_STACK, trend_chart, units_chart

FORMATS = ("text", "csv", "json", "html")
EXTENSIONS = {"text": "txt", "csv": "csv", "json": "json", "html": "html"}
RATE_NOTE = ("注：采用率＝报送中已发布÷报送，即本期报送的稿件和通知公告中到统计时已经发布的篇数，除以本期报送的篇数。"
             "“本期发布”按信息区的发布时间（date）计入周期，与本期报送的不一定是同一批稿件，不参与计算采用率。")
DEFINITIONS = (
    ("报送", "稿件（民政故事）和通知公告在任一分支（主线、本地分支、远程跟踪分支）上的第一次提交，"
             "按提交的作者时间（北京时间）计入所在周期；“其中通知公告”是其中通知公告的篇数。"),
    ("来源单位", "稿件信息区的unit：已合并的稿件看主线上的当前版本，未合并的看分支上的版本。"),
    ("报送中已发布", "本期报送的稿件和通知公告中，到统计时已经在网站上公开的篇数（不论发布时间在哪一期）。"),
    ("采用率", "报送中已发布÷报送（本期报送为0时不计算，显示“—”）。"),
    ("本期发布", "统计时在主线上公开（不是草稿、发布时间已到、没有撤下）、信息区的发布时间（date）在本期的稿件和通知公告。"),
    ("录用", "已发布稿件信息区adopted_by中录用日期在本期的记录，每条计一篇次，按渠道级别分列。"),
    ("对外报送", "主线上稿件信息区submitted_to中报送日期在本期的记录（导出稿件时用 scripts/mzpress export --record 记下），"
                 "每条计一篇次，按渠道列出，并列出同一渠道本期的录用篇次。"),
    ("积分", "每条录用按渠道和稿件类别（文字、图片）计分；有领导批示的，另加该级别的批示分。"),
    ("任务", "units.yml中本期类别（月、季度、年）的任务数，半年按季度任务数的两倍计：报送任务比报送数，录用任务比录用篇次。"),
    ("排名", "units.yml中的单位按积分、录用篇次、报送数依次排序，数字相同的名次相同。"),
)


# --------------------------------------------------------------------------- values


def points_text(points: Decimal) -> str:
    """2.5, 14, 0 (no exponent, no trailing zeros)."""
    text = format(points.quantize(Decimal("0.01")), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def rate_text(rate: float | None) -> str:
    if rate is None:
        return "—"
    text = f"{rate * 100:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def met_text(met: bool | None) -> str:
    return {True: "已完成", False: "未完成", None: "未设任务"}[met]


def quota_text(quota: int | None, met: bool | None) -> str:
    return "未设" if quota is None else f"{quota}（{met_text(met)}）"


def moment_text(moment) -> str:
    return f"{day_label(moment.date())}{moment:%H:%M}"


def _rank(row: UnitRow) -> str:
    return "—" if row.rank is None else str(row.rank)


def _name(row: UnitRow) -> str:
    """The unit's name; an id not in units.yml says so (“未知单位” is explained in the notes)."""
    return f"{row.name}（{row.remark}）" if row.kind == UNKNOWN else row.name


def _scope(report: InformationReport) -> str:
    return (f"主线（HEAD，提交{report.head[:10]}）、{len(report.branches)}个本地分支、"
            f"{len(report.remotes)}个远程跟踪分支")


def _title(report: InformationReport) -> str:
    return f"{report.bureau}信息报送统计" if report.bureau else "信息报送统计"


# --------------------------------------------------------------------------- text


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            cells.append(pad + cell if i in right else cell + pad)
        lines.append("  ".join(cells).rstrip())
    return lines


UNIT_HEADERS = ("排名", "单位", "报送", "其中通知公告", "报送中已发布", "采用率", "本期发布", "录用", *LEVELS.values(),
                "积分", "报送任务", "录用任务")


def _unit_cells(row: UnitRow) -> list[str]:
    return [_rank(row), _name(row), str(row.submitted), str(row.notices_submitted), str(row.submitted_published),
            rate_text(row.adoption_rate), str(row.published), str(row.adoptions),
            *(str(row.by_level[level]) for level in LEVELS), points_text(row.points),
            quota_text(row.quota_submitted, row.submitted_met), quota_text(row.quota_adopted, row.adopted_met)]


def _month_cells(row: MonthRow) -> list[str]:
    return [row.month.label, str(row.submitted), str(row.published), str(row.adoptions), points_text(row.points)]


OUTLET_HEADERS = ("渠道", "级别", "对外报送", "录用")


def _outlet_cells(report: InformationReport) -> list[list[str]]:
    """One row per outlet, then 合计 (对外报送与录用 by outlet)."""
    rows = [[row.name, LEVELS.get(row.level, row.level), str(row.submitted), str(row.adopted)]
            for row in report.outlets]
    return rows + [["合计", "", str(sum(r.submitted for r in report.outlets)),
                    str(sum(r.adopted for r in report.outlets))]]


def _header_lines(report: InformationReport) -> list[str]:
    lines = [f"{_title(report)}：{report.period.label}（{report.period.span_label}）",
             f"统计时间：{moment_text(report.at)}（北京时间）", f"统计范围：{_scope(report)}"]
    if report.shallow:
        since = day_label(report.earliest_commit.date()) if report.earliest_commit else "最近"
        lines.append(f"注意：本仓库是浅克隆，最早只有{since}的提交，报送数不完整（见说明）。")
    return lines


def render_text(report: InformationReport) -> str:
    lines = _header_lines(report) + [""]
    rows = [list(UNIT_HEADERS)] + [_unit_cells(r) for r in (*report.units, report.total)]
    lines += _table(rows, right=set(range(2, len(UNIT_HEADERS))))
    lines.append(RATE_NOTE)
    if report.outlets:
        lines += ["", "对外报送与录用（按渠道）："]
        lines += _table([list(OUTLET_HEADERS)] + _outlet_cells(report), {2, 3})
    lines += ["", "各月趋势（全局）："]
    lines += _table([["月份", "报送", "发布", "录用", "积分"]] + [_month_cells(m) for m in report.months], {1, 2, 3, 4})
    if report.notes:
        lines += ["", "说明："]
        lines += [f"{number}. {note.location + '：' if note.location else ''}{note.message}"
                  for number, note in enumerate(report.notes, start=1)]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- csv


CSV_HEADERS = ("排名", "单位代号", "单位", "报送", "其中通知公告", "报送中已发布", "采用率", "本期发布", "其中发布通知公告",
               "录用篇次", *(f"{v}录用" for v in LEVELS.values()),
               "积分", "报送任务", "报送任务完成情况", "录用任务", "录用任务完成情况", "备注")


def _csv_row(row: UnitRow) -> list[str]:
    return [_rank(row) if row.rank is not None else "", row.unit_id, row.name, str(row.submitted),
            str(row.notices_submitted), str(row.submitted_published),
            "" if row.adoption_rate is None else rate_text(row.adoption_rate), str(row.published),
            str(row.notices_published), str(row.adoptions),
            *(str(row.by_level[level]) for level in LEVELS), points_text(row.points),
            "" if row.quota_submitted is None else str(row.quota_submitted), met_text(row.submitted_met),
            "" if row.quota_adopted is None else str(row.quota_adopted), met_text(row.adopted_met), row.remark]


def render_csv(report: InformationReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)  # "\r\n" line ends, as Excel writes them
    writer.writerow(CSV_HEADERS)
    for row in (*report.units, report.total):
        writer.writerow(_csv_row(row))
    writer.writerow([])  # the footnote under the table, as on paper
    writer.writerow([RATE_NOTE])
    return out.getvalue()


def csv_bytes(text: str) -> bytes:
    """UTF-8 with a BOM: without it Excel and WPS read the Chinese headers as garbage."""
    return text.encode("utf-8-sig")


# --------------------------------------------------------------------------- json


def _row_data(row: UnitRow) -> dict:
    return {
        "rank": row.rank, "kind": row.kind, "unit": row.unit_id, "name": row.name, "remark": row.remark,
        "submitted": row.submitted, "published": row.published, "submitted_published": row.submitted_published,
        "notices_submitted": row.notices_submitted, "notices_published": row.notices_published,
        "adoption_rate": None if row.adoption_rate is None else round(row.adoption_rate, 4),
        "adoptions": row.adoptions, "by_level": dict(row.by_level), "points": float(row.points),
        "quota": {"submitted": row.quota_submitted, "adopted": row.quota_adopted},
        "quota_met": {"submitted": row.submitted_met, "adopted": row.adopted_met},
    }


def render_json(report: InformationReport) -> str:
    period = report.period
    data = {
        "bureau": report.bureau,
        "period": {"text": period.text, "kind": period.kind, "label": period.label, "quota_period": period.quota_period,
                   "first_day": period.first_day.isoformat(), "last_day": period.last_day.isoformat()},
        "at": report.at.isoformat(), "complete": report.complete,
        "scope": {"head": report.head, "branches": list(report.branches), "remotes": list(report.remotes)},
        "shallow": {"shallow": report.shallow,
                    "earliest_commit": report.earliest_commit.isoformat() if report.earliest_commit else None,
                    "unknown_submissions": report.unknown_submissions},
        "levels": dict(LEVELS),
        "units": [_row_data(row) for row in report.units],
        "total": _row_data(report.total),
        "months": [{"month": m.month.key, "label": m.month.label, "submitted": m.submitted, "published": m.published,
                    "adoptions": m.adoptions, "points": float(m.points)} for m in report.months],
        "outlets": [{"outlet": o.outlet_id, "name": o.name, "level": o.level, "submitted": o.submitted,
                     "adopted": o.adopted} for o in report.outlets],
        "notes": [{"kind": n.kind, "file": n.file, "line": n.line, "message": n.message} for n in report.notes],
        "definitions": dict(DEFINITIONS),
        "rate_note": RATE_NOTE,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- html


_CSS = f"""
@page {{ size: A4 landscape; margin: 12mm; }}
body {{ font-family: {FONT_STACK}; color: #111; background: #fff; margin: 24px auto; max-width: 1120px;
  line-height: 1.5; padding: 0 16px; }}
h1 {{ font-size: 24px; margin: 0 0 4px; color: #9b1c1c; }}
h2 {{ font-size: 18px; margin: 28px 0 8px; border-left: 4px solid #9b1c1c; padding-left: 8px; }}
p.meta {{ margin: 2px 0; color: #333; }}
p.warning {{ border: 1px solid #d08a00; background: #fff7e6; padding: 8px 12px; }}
p.footnote {{ font-size: 13px; color: #333; margin: 6px 0 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: 14px; }}
th, td {{ border: 1px solid #999; padding: 4px 6px; text-align: right; }}
th {{ background: #f0f0f0; }}
td.name, th.name {{ text-align: left; }}
tr.total td {{ font-weight: bold; background: #fafafa; }}
td.missed {{ color: #b3342b; }}
figure {{ margin: 12px 0; page-break-inside: avoid; break-inside: avoid; }}
figure svg {{ width: 100%; height: auto; }}
dl {{ display: grid; grid-template-columns: 6em 1fr; gap: 4px 12px; font-size: 14px; }}
dt {{ font-weight: bold; }}
dd {{ margin: 0; }}
@media print {{ body {{ margin: 0; max-width: none; }} h2 {{ page-break-after: avoid; break-after: avoid; }}
  table {{ page-break-inside: auto; }} tr {{ page-break-inside: avoid; break-inside: avoid; }} }}
"""


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _html_row(row: UnitRow) -> str:
    cells = _unit_cells(row)
    out = []
    for index, cell in enumerate(cells):
        classes = []
        if index == 1:
            classes.append("name")
        if (index == len(cells) - 2 and row.submitted_met is False) or (index == len(cells) - 1 and row.adopted_met is False):
            classes.append("missed")
        attr = f' class="{" ".join(classes)}"' if classes else ""
        out.append(f"<td{attr}>{_e(cell)}</td>")
    css = ' class="total"' if row.kind == "total" else ""
    return f"<tr{css}>{''.join(out)}</tr>"


def render_html(report: InformationReport) -> str:
    title = f"{_title(report)}：{report.period.label}"
    parts = [
        "<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>{_e(_title(report))}</h1>",
        f'<p class="meta">统计周期：{_e(report.period.label)}（{_e(report.period.span_label)}）</p>',
        f'<p class="meta">统计时间：{_e(moment_text(report.at))}（北京时间）</p>',
        f'<p class="meta">统计范围：{_e(_scope(report))}</p>',
    ]
    parts += [f'<p class="warning">{_e(note.message)}</p>' for note in report.notes if note.kind == "shallow"]
    headers = "".join(f'<th{" class=name" if i == 1 else ""}>{_e(h)}</th>' for i, h in enumerate(UNIT_HEADERS))
    parts += ["<h2>各单位完成情况</h2>", "<table>", f"<thead><tr>{headers}</tr></thead>", "<tbody>"]
    parts += [_html_row(row) for row in (*report.units, report.total)]
    parts += ["</tbody>", "</table>", f'<p class="footnote">{_e(RATE_NOTE)}</p>']
    if report.outlets:
        outlet_headers = "".join(f'<th{" class=name" if i < 2 else ""}>{_e(h)}</th>' for i, h in enumerate(OUTLET_HEADERS))
        outlet_rows = "".join(
            f'<tr{" class=total" if index == len(report.outlets) else ""}>'
            + "".join(f'<td{" class=name" if i < 2 else ""}>{_e(c)}</td>' for i, c in enumerate(cells)) + "</tr>"
            for index, cells in enumerate(_outlet_cells(report)))
        parts += ["<h2>对外报送与录用（按渠道）</h2>", "<table>", f"<thead><tr>{outlet_headers}</tr></thead>",
                  f"<tbody>{outlet_rows}</tbody>", "</table>"]
    parts += ["<h2>各单位报送、录用与任务</h2>", f'<figure aria-label="各单位报送、录用与任务">{units_chart(report)}</figure>']
    parts += ["<h2>各月趋势</h2>", f'<figure aria-label="各月趋势">{trend_chart(report)}</figure>']
    month_rows = "".join("<tr>" + "".join(f'<td{" class=name" if i == 0 else ""}>{_e(c)}</td>'
                                          for i, c in enumerate(_month_cells(m))) + "</tr>" for m in report.months)
    parts += ["<table>", "<thead><tr><th class=name>月份</th><th>报送</th><th>发布</th><th>录用</th><th>积分</th></tr></thead>",
              f"<tbody>{month_rows}</tbody>", "</table>"]
    if report.notes:
        parts += ["<h2>说明</h2>", "<ol>"]
        parts += [f"<li>{_e(note.location + '：') if note.location else ''}{_e(note.message)}</li>" for note in report.notes]
        parts.append("</ol>")
    parts += ["<h2>统计口径</h2>", "<dl>"]
    parts += [f"<dt>{_e(term)}</dt><dd>{_e(text)}</dd>" for term, text in DEFINITIONS]
    parts += ["</dl>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


RENDERERS = {"text": render_text, "csv": render_csv, "json": render_json, "html": render_html}
