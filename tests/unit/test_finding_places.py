"""Where a finding belongs in the browser editor (mzpress/editing/finding_places.py): a field or a paragraph."""

from __future__ import annotations

from mzpress.editing.finding_places import FIELD_LABELS, FindingPlace, finding_place
from mzpress.model.schema import SCHEMAS

PAGE = """---
title: 招募志愿者
summary: 招募，
  电话写在第二行。
changes:
  - date: 2026-05-03
    note: 更正电话
---
# 招募

第一段第一行，
第一段第二行。


![照片](images/a.jpg)

最后一段。
"""


def test_a_front_matter_line_is_the_field_whose_block_holds_it():
    assert finding_place(PAGE, 2) == FindingPlace("title", "标题")
    assert finding_place(PAGE, 4) == FindingPlace("summary", "摘要")  # a continued value
    assert finding_place(PAGE, 7) == FindingPlace("changes", "更新记录")  # inside a list of the field
    assert finding_place(PAGE, 4).phrase == "「摘要」"


def test_a_body_line_is_the_block_it_is_in_counting_headings_and_pictures():
    assert [finding_place(PAGE, line).phrase for line in (9, 11, 12, 15, 17)] == [
        "正文第1段", "正文第2段", "正文第2段", "正文第3段", "正文第4段"]
    assert finding_place(PAGE, 13).paragraph == 2  # a blank line after a block: still that block
    assert finding_place("第一段。\n\n第二段。\n", 3) == FindingPlace("body", "正文", 2)  # no front matter


def test_no_line_or_a_fence_or_a_line_past_the_end_is_no_place():
    for line in (None, 0, 1, 8, 99):
        assert finding_place(PAGE, line) is None, line
    assert finding_place("---\ntitle: 没有结束\n", 2) == FindingPlace("body", "正文", 1)  # unclosed: all body


def test_every_schema_field_has_its_label_and_an_unknown_key_keeps_its_name():
    assert all(FIELD_LABELS[spec.name] == spec.label for specs in SCHEMAS.values() for spec in specs)
    assert finding_place("---\nlocation: 城关镇\n---\n正文\n", 2) == FindingPlace("location", "location")
