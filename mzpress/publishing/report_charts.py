"""The SVG charts of the HTML information report, drawn by pygal: self-contained, no script, text as text.

pygal (a maintained plotting library) writes SVG whose labels are ``<text>`` elements. Out of the
box it also links a tooltip script from an external host and puts a configuration ``<script>`` and
comments naming its web site into every chart: the charts here set ``js=[]`` and strip every
``<script>`` element and comment (a pygal XML filter), so a chart loads nothing and runs
nothing, printed or offline. Fonts are a CJK system-font stack, never a web font.

Counts are whole numbers, so are the axes: pygal picks "nice" ticks for the data's range, which for
a maximum of 1 are 0, 0.1 … 0.9, and sizes a secondary axis by the primary's number of ticks
(0.9090909091). Each chart therefore gets its own whole-number ticks (:func:`whole_ticks`, given as
``y_labels``) and the points axis on the right a range that puts a whole number at every tick.
"""

from __future__ import annotations

import math

import pygal
from pygal.style import Style

from mzpress.publishing.information_report import InformationReport

FONT_STACK = '"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif'
# Submitted / its quota, adopted / its quota: dark and light of two hues (also told apart by the legend).
_COLORS = ("#1f5fa8", "#a9c4e6", "#b3342b", "#eab0ab")
_TREND_COLORS = ("#1f5fa8", "#3c8d40", "#b3342b", "#8a5a00")
_STEPS = (1, 2, 5)  # tick steps 1, 2, 5, 10, 20, 50, 100 ...
MAX_TICKS = 10  # intervals on an axis at most


def whole_ticks(largest: float, most: int = MAX_TICKS) -> list[int]:
    """Whole-number ticks from 0 to at least ``largest`` (at least 0 and 1), at most ``most`` intervals,
    with a step of 1, 2 or 5 times a power of ten."""
    top = max(1, math.ceil(largest))
    scale = 1
    while True:
        for step in (s * scale for s in _STEPS):
            if math.ceil(top / step) <= most:
                return list(range(0, math.ceil(top / step) * step + 1, step))
        scale *= 10


def _integer_text(value) -> str:
    """Tick and value labels: 3, 2.5 (never 3.0 or 0.9090909091)."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _style(colors: tuple[str, ...]) -> Style:
    return Style(font_family=FONT_STACK, background="white", plot_background="white", foreground="#333",
                 foreground_strong="#111", foreground_subtle="#777", colors=colors, opacity=".95",
                 opacity_hover=".95", transition="0ms", title_font_size=18, label_font_size=13,
                 major_label_font_size=13, legend_font_size=14, value_font_size=12)


def _self_contained(root):
    """pygal XML filter: remove every ``<script>`` element and every comment."""
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag
            if callable(tag) or (isinstance(tag, str) and tag.rsplit("}", 1)[-1] == "script"):
                parent.remove(child)
    return root


def _options(title: str, colors: tuple[str, ...]) -> dict:
    return {"title": title, "style": _style(colors), "js": [],
            "disable_xml_declaration": True, "truncate_label": -1, "truncate_legend": -1,
            "legend_at_bottom": True, "print_values": True, "width": 960, "height": 460,
            "no_data_text": "无数据", "margin": 16, "value_formatter": _integer_text}


def _render(chart) -> str:
    chart.add_xml_filter(_self_contained)
    return chart.render(is_unicode=True)


def units_chart(report: InformationReport) -> str:
    """Each unit's submitted and adopted against its quota (the light bars are the quotas)."""
    chart = pygal.Bar(x_label_rotation=20, **_options(f"各单位报送、录用与任务（{report.period.label}）", _COLORS))
    values = [v for row in report.units for v in (row.submitted, row.quota_submitted, row.adoptions, row.quota_adopted)
              if v is not None]
    chart.y_labels = whole_ticks(max(values, default=0))
    chart.x_labels = [row.name for row in report.units]
    chart.add("报送", [row.submitted for row in report.units])
    chart.add("报送任务", [row.quota_submitted for row in report.units])
    chart.add("录用", [row.adoptions for row in report.units])
    chart.add("录用任务", [row.quota_adopted for row in report.units])
    return _render(chart)


def trend_chart(report: InformationReport) -> str:
    """The bureau's monthly trend: submitted, published, adopted; points on the right-hand axis."""
    months = report.months
    years = {m.month.year for m in months}
    labels = [f"{m.month.month}月" if len(years) == 1 else m.month.label for m in months]
    options = _options(f"各月趋势（{labels[0]}—{labels[-1]}）" if len(years) > 1
                       else f"{months[0].month.year}年各月趋势", _TREND_COLORS)
    options["print_values"] = False  # the table under the chart gives the figures; on lines they would overlap
    ticks = whole_ticks(max((v for m in months for v in (m.submitted, m.published, m.adoptions)), default=0))
    # The points axis has as many ticks as the counts axis: a whole number of points per interval.
    per_tick = max(1, math.ceil(max((float(m.points) for m in months), default=0) / (len(ticks) - 1)))
    chart = pygal.Line(x_label_rotation=20 if len(years) > 1 else 0, dots_size=4, include_x_axis=True,
                       secondary_range=(0, per_tick * (len(ticks) - 1)), **options)
    chart.y_labels = ticks
    chart.x_labels = labels
    chart.add("报送", [m.submitted for m in months])
    chart.add("发布", [m.published for m in months])
    chart.add("录用", [m.adoptions for m in months])
    chart.add("积分（右轴）", [float(m.points) for m in months], secondary=True)
    return _render(chart)
