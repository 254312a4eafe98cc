"""The SVG charts of the HTML information report, drawn by pygal: self-contained, no script, text as text.

pygal (a maintained plotting library) writes SVG whose labels are ``<text>`` elements. Out of the
box it also links a tooltip script from an external host and puts a configuration ``<script>`` and
comments naming its web site into every chart: the charts here set ``js=[]`` and strip every
``<script>`` element and comment (a pygal XML filter), so a chart loads nothing and runs
nothing, printed or offline. Fonts are a CJK system-font stack, never a web font.
"""

from __future__ import annotations

import pygal
from pygal.style import Style

from mzpress.publishing.information_report import InformationReport

FONT_STACK = '"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif'
# Submitted / its quota, adopted / its quota: dark and light of two hues (also told apart by the legend).
_COLORS = ("#1f5fa8", "#a9c4e6", "#b3342b", "#eab0ab")
_TREND_COLORS = ("#1f5fa8", "#3c8d40", "#b3342b", "#8a5a00")


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
            "no_data_text": "无数据", "margin": 16}


def _render(chart) -> str:
    chart.add_xml_filter(_self_contained)
    return chart.render(is_unicode=True)


def units_chart(report: InformationReport) -> str:
    """Each unit's submitted and adopted against its quota (the light bars are the quotas)."""
    chart = pygal.Bar(x_label_rotation=20, **_options(f"各单位报送、录用与任务（{report.period.label}）", _COLORS))
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
    chart = pygal.Line(x_label_rotation=20 if len(years) > 1 else 0, dots_size=4, include_x_axis=True, **options)
    chart.x_labels = labels
    chart.add("报送", [m.submitted for m in months])
    chart.add("发布", [m.published for m in months])
    chart.add("录用", [m.adoptions for m in months])
    chart.add("积分（右轴）", [float(m.points) for m in months], secondary=True)
    return _render(chart)
