"""The self-inspection as a report: terminal text, JSON, and the self-inspection table (自查表) in
Markdown (the CI job summary) and as one self-contained, printable HTML page.

The table has the columns offices file: 检查指标 | 要求 | 检查结果 | 证据/说明 | 单项否决/扣分, titled with
the month of the inspection. Every value that can come from ``site_config/`` or ``content/``
(column names, titles, paths) is escaped for the format it is written into; the HTML page has
no script and loads nothing (its CSS is inline, with an A4 print stylesheet).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from mzpress.publishing.inspection import (
    ColumnState,
    Inspection,
    cn_date,
    cn_moment,
    local_day,
)
from mzpress.publishing.site_probe import SiteProbe

FORMATS = ("text", "json", "markdown", "html")
SUFFIXES = {"text": "txt", "json": "json", "markdown": "md", "html": "html"}
TABLE_HEADER = ("检查指标", "要求", "检查结果", "证据/说明", "单项否决/扣分")
BASIS = "《政府网站与政务新媒体检查指标》；栏目、更新时限和单项否决门槛见 site_config/columns.yml"


def title(inspection: Inspection) -> str:
    year, month = inspection.month
    return f"{inspection.site_name}网站自查表（{year}年{month}月）"


def report_name(inspection: Inspection, fmt: str) -> str:
    """The file ``--out`` writes: inspect-YYYY-MM.md (the month of the inspection)."""
    year, month = inspection.month
    return f"inspect-{year:04d}-{month:02d}.{SUFFIXES[fmt]}"


def _update_rule(state: ColumnState) -> str:
    days = state.column.update_days
    return f"{days}天内更新" if days is not None and not state.exempt else "不受更新时限约束"


def _last_update(state: ColumnState) -> str:
    if state.last_update:
        return cn_date(local_day(state.last_update))
    return "无内容" if state.empty else "—（页面没有发布时间）"


def _age(state: ColumnState) -> str:
    return f"{state.age_days}天" if state.age_days is not None else "—"


def _column_state(state: ColumnState) -> str:
    text = state.state_label
    if state.stale:
        text += f"（超期{state.days_over}天）"
    return text + (f"。{state.note}" if state.note else "")


def _warnings_heading(inspection: Inspection) -> str:
    return f"预警（{inspection.warn_days}天内将超期）"


def _no_warnings(inspection: Inspection) -> str:
    return f"没有栏目将在{inspection.warn_days}天内超期。"


# --------------------------------------------------------------------------------------- text


def render_text(inspection: Inspection) -> str:
    lines = [f"{inspection.site_name}网站自查（检查时间：{cn_moment(inspection.at)}）",
             f"检查结论：{inspection.verdict_text}", ""]
    for indicator in inspection.indicators:
        lines.append(f"[{indicator.result}] {indicator.name}（{indicator.outcome}）")
        lines.append(f"    要求：{indicator.requirement}")
        lines += [f"    - {line}" for line in indicator.evidence]
    lines += ["", "栏目更新情况："]
    for state in inspection.columns:
        lines.append(f"    {state.column.name}（{state.column.path}，{state.kind_label}，{_update_rule(state)}）："
                     f"最近更新{_last_update(state)}，未更新{_age(state)}，{_column_state(state)}")
    lines += ["", f"{_warnings_heading(inspection)}："]
    lines += [f"    - {w.text}" for w in inspection.warnings] or [f"    {_no_warnings(inspection)}"]
    notes = _notes(inspection)
    if notes:
        lines += ["", "说明："] + [f"    - {note}" for note in notes]
    return "\n".join(lines) + "\n"


def _notes(inspection: Inspection) -> list[str]:
    notes = list(inspection.notes)
    if inspection.probe is not None:
        notes += list(inspection.probe.notes)
    return notes


# --------------------------------------------------------------------------------------- json


def _probe_data(probe: SiteProbe | None) -> dict[str, Any] | None:
    if probe is None:
        return None
    return {
        "url": probe.url, "https": probe.https, "sample_source": probe.sample_source,
        "unreachable_seconds": probe.unreachable_seconds, "notes": list(probe.notes),
        "identity": [{"label": label, "expected": expected, "found_on": found}
                     for label, expected, found in probe.identity_summary()],
        "pages": [{"url": p.url, "status": p.status, "seconds": round(p.seconds, 3), "error": p.error,
                   "reachable": p.reachable, "identity": {label: found for label, found in p.identity}}
                  for p in probe.pages],
    }


def _day(value) -> str | None:
    return value.isoformat() if value is not None else None


def inspection_data(inspection: Inspection) -> dict[str, Any]:
    """Everything in the report, machine-readable (``--format json``)."""
    settings = inspection.settings
    home = inspection.home
    year, month = inspection.month
    return {
        "site": inspection.site_name,
        "title": title(inspection),
        "at": inspection.at.isoformat(),
        "month": f"{year:04d}-{month:02d}",
        "verdict": inspection.verdict,
        "verdict_text": inspection.verdict_text,
        "verdict_detail": inspection.verdict_detail,
        "failed": inspection.failed,
        "settings": {"home_update_days": settings.home_update_days, "long_stale_days": settings.long_stale_days,
                     "warn_days": inspection.warn_days,
                     "veto": {"stale_columns": settings.veto.stale_columns,
                              "long_stale_columns": settings.veto.long_stale_columns,
                              "empty_columns": settings.veto.empty_columns}},
        "indicators": [{"key": i.key, "name": i.name, "requirement": i.requirement, "veto": i.veto,
                        "judged": i.judged, "triggered": i.triggered, "problems": i.problems, "result": i.result,
                        "outcome": i.outcome, "evidence": list(i.evidence)} for i in inspection.indicators],
        "home": {"newest": home.newest.isoformat() if home.newest else None, "page": home.newest_page or None,
                 "title": home.newest_title or None, "age_days": home.age_days, "stale_on": _day(home.stale_on)},
        "columns": [{
            "id": s.column.id, "name": s.column.name, "path": s.column.path, "contains": s.column.contains,
            "kind": s.column.kind, "kind_label": s.kind_label, "update_days": s.column.update_days,
            "filters": {key: value for key in ("topic", "campaign", "unit", "tag")
                        if (value := getattr(s.column, key))},
            "pages": s.page_count, "last_update": s.last_update.isoformat() if s.last_update else None,
            "last_page": s.last_page or None, "age_days": s.age_days, "state": s.state,
            "state_label": s.state_label, "days_over": s.days_over, "stale_on": _day(s.stale_on),
            "long_stale_on": _day(s.long_stale_on), "note": s.note or None,
        } for s in inspection.columns],
        "warnings": [{"subject": w.subject, "column": w.column_id or None, "what": w.what, "date": w.on.isoformat(),
                      "days_left": w.days_left, "text": w.text} for w in inspection.warnings],
        "probe": _probe_data(inspection.probe),
        "notes": _notes(inspection),
    }


def render_json(inspection: Inspection) -> str:
    return json.dumps(inspection_data(inspection), ensure_ascii=False, indent=2) + "\n"


# ----------------------------------------------------------------------------------- markdown

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def md(text: str) -> str:
    """Plain text inside a Markdown table cell: no markup, no HTML, no line break."""
    escaped = html.escape(str(text), quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped).replace("\r", " ").replace("\n", " ")


def _md_row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def render_markdown(inspection: Inspection) -> str:
    lines = [f"# {md(title(inspection))}", "",
             f"- 检查时间：{md(cn_moment(inspection.at))}",
             f"- 检查结论：**{md(inspection.verdict)}**"
             + (f"（{md(inspection.verdict_detail)}）" if inspection.verdict_detail else ""),
             f"- 检查依据：{md(BASIS)}", "",
             _md_row(TABLE_HEADER), _md_row(["---"] * len(TABLE_HEADER))]
    for i in inspection.indicators:
        evidence = "<br>".join(md(line) for line in i.evidence)
        lines.append(_md_row([md(i.name), md(i.requirement), f"**{md(i.result)}**", evidence, md(i.outcome)]))
    lines += ["", "## 栏目更新情况", "",
              _md_row(("栏目", "路径", "类别", "更新要求", "最近更新", "未更新天数", "状态")), _md_row(["---"] * 7)]
    for s in inspection.columns:
        lines.append(_md_row([md(s.column.name), md(s.column.path), md(s.kind_label), md(_update_rule(s)),
                              md(_last_update(s)), md(_age(s)), md(_column_state(s))]))
    lines += ["", f"## {md(_warnings_heading(inspection))}", ""]
    lines += [f"- {md(w.text)}" for w in inspection.warnings] or [md(_no_warnings(inspection))]
    notes = _notes(inspection)
    if notes:
        lines += ["", "## 说明", ""] + [f"- {md(note)}" for note in notes]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------- html

_CSS = """
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; color: #000; background: #fff;
  margin: 2em auto; max-width: 60em; padding: 0 1em; line-height: 1.5; }
h1 { font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", sans-serif; font-size: 1.5em; text-align: center; }
h2 { font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", sans-serif; font-size: 1.15em; margin-top: 1.5em; }
.meta { margin: 0.25em 0; }
.verdict-fail { color: #b00000; font-weight: bold; }
.verdict-pass { font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; font-size: 0.95em; }
th, td { border: 1px solid #000; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }
th { background: #eee; }
table.inspection th:nth-child(1) { width: 5.5em; }
table.inspection th:nth-child(3) { width: 4em; }
table.inspection th:nth-child(5) { width: 7.5em; }
td.result { white-space: nowrap; font-weight: bold; }
td.result-fail { color: #b00000; }
ul.evidence { margin: 0; padding-left: 1.2em; }
.signature { margin-top: 3em; display: flex; justify-content: space-between; }
@page { size: A4; margin: 18mm 15mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
  th { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tr { break-inside: avoid; }
  h2 { break-after: avoid; }
}
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _cell(text, css: str = "") -> str:
    return f'<td class="{css}">{_e(text)}</td>' if css else f"<td>{_e(text)}</td>"


def render_html(inspection: Inspection) -> str:
    heading = title(inspection)
    verdict_class = "verdict-fail" if inspection.failed else "verdict-pass"
    rows = []
    for i in inspection.indicators:
        evidence = "".join(f"<li>{_e(line)}</li>" for line in i.evidence)
        result_class = "result result-fail" if i.triggered else "result"
        rows.append(f"<tr>{_cell(i.name)}{_cell(i.requirement)}{_cell(i.result, result_class)}"
                    f'<td><ul class="evidence">{evidence}</ul></td>{_cell(i.outcome)}</tr>')
    columns = "".join(
        f"<tr>{_cell(s.column.name)}{_cell(s.column.path)}{_cell(s.kind_label)}{_cell(_update_rule(s))}"
        f"{_cell(_last_update(s))}{_cell(_age(s))}{_cell(_column_state(s))}</tr>" for s in inspection.columns)
    warnings = "".join(f"<li>{_e(w.text)}</li>" for w in inspection.warnings)
    warnings_html = f"<ul>{warnings}</ul>" if warnings else f"<p>{_e(_no_warnings(inspection))}</p>"
    notes = "".join(f"<li>{_e(note)}</li>" for note in _notes(inspection))
    notes_html = f"<h2>说明</h2><ul>{notes}</ul>" if notes else ""
    header = "".join(f"<th>{_e(h)}</th>" for h in TABLE_HEADER)
    column_header = "".join(f"<th>{_e(h)}</th>" for h in ("栏目", "路径", "类别", "更新要求", "最近更新",
                                                          "未更新天数", "状态"))
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(heading)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{_e(heading)}</h1>
<p class="meta">检查时间：{_e(cn_moment(inspection.at))}</p>
<p class="meta">检查结论：<span class="{verdict_class}">{_e(inspection.verdict_text)}</span></p>
<p class="meta">检查依据：{_e(BASIS)}</p>
<table class="inspection">
<thead><tr>{header}</tr></thead>
<tbody>
{"".join(rows)}
</tbody>
</table>
<h2>栏目更新情况</h2>
<table>
<thead><tr>{column_header}</tr></thead>
<tbody>{columns}</tbody>
</table>
<h2>{_e(_warnings_heading(inspection))}</h2>
{warnings_html}
{notes_html}
<div class="signature"><span>填表人：</span><span>审核人：</span><span>日期：</span></div>
</body>
</html>
"""


def render(inspection: Inspection, fmt: str) -> str:
    return {"text": render_text, "json": render_json, "markdown": render_markdown, "html": render_html}[fmt](inspection)
