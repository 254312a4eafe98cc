"""The 手机报 digest: within the limit, cut after a whole sentence, never inside a number or a quotation."""

import re

import pytest

from mzpress.publishing.mobile_digest import DigestError, mobile_digest

TITLE = "东湖乡长者食堂开餐"
LEAD = [
    "3月11日中午11点，东湖乡长者食堂准时开餐。两荤两素一汤，60岁以上老人每餐只需支付5元，80岁以上老人享受更多优惠。",
    "“以前一个人懒得做饭。现在走几步路就能吃上热乎饭！”一位78岁的老人说。今年全县计划投入3.5万元，新建助餐点1,200个左右？",
]
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
WHOLE_NUMBERS = {"3", "11", "60", "5", "80", "78", "3.5", "1,200"}


def test_whole_text_when_it_fits():
    digest = mobile_digest(TITLE, LEAD, "摘要。", 500)
    assert digest.text == f"【{TITLE}】{''.join(LEAD)}"
    assert (digest.source, digest.shortened, digest.length) == ("body", False, len(digest.text))


@pytest.mark.parametrize("limit", range(50, 140))
def test_every_limit_is_kept_at_a_sentence_end(limit):
    digest = mobile_digest(TITLE, LEAD, "东湖乡首个长者食堂正式开餐。", limit)
    assert digest.length <= limit
    text = digest.text[len(TITLE) + 2:]
    assert "".join(LEAD).startswith(text) or text == "东湖乡首个长者食堂正式开餐。"
    assert text.endswith(("。", "！", "？", "”")) or text.endswith("……")
    assert text.count("“") == text.count("”")  # never inside the quotation
    assert set(NUMBER.findall(text)) <= WHOLE_NUMBERS  # never a cut number such as 3. or 1,2


def test_cut_points():
    assert mobile_digest(TITLE, LEAD, "", 70).text == f"【{TITLE}】3月11日中午11点，东湖乡长者食堂准时开餐。"
    # The quotation holds two sentences: the cut comes after the one that closes it (一位78岁的老人说。).
    quoted = mobile_digest(TITLE, LEAD[1:], "", 60)
    assert quoted.text == f"【{TITLE}】“以前一个人懒得做饭。现在走几步路就能吃上热乎饭！”一位78岁的老人说。"


def test_summary_when_asked_or_when_no_sentence_fits():
    long_sentence = ["东湖乡长者食堂" + "为老人提供午餐" * 20 + "。"]
    digest = mobile_digest(TITLE, long_sentence, "东湖乡首个长者食堂开餐。", 60)
    assert (digest.text, digest.source, digest.shortened) == (f"【{TITLE}】东湖乡首个长者食堂开餐。", "summary", False)
    asked = mobile_digest(TITLE, LEAD, "东湖乡首个长者食堂开餐。", 500, use_summary=True)
    assert asked.source == "summary" and asked.text.endswith("开餐。")


def test_a_clause_with_ellipsis_when_not_even_the_summary_fits():
    words = ["全县计划投入1,200万元，新建助餐点，" + "覆盖所有乡镇" * 30 + "。"]
    digest = mobile_digest(TITLE, words, "", 60)
    assert digest.text == f"【{TITLE}】全县计划投入1,200万元，新建助餐点……" and digest.length <= 60
    with pytest.raises(DigestError, match="第一句话太长"):
        mobile_digest(TITLE, ["一二三四五六七八九十" * 10 + "。"], "", 60)


def test_a_title_that_leaves_no_room():
    with pytest.raises(DigestError, match="另拟一个短标题"):
        mobile_digest("很长的标题" * 10, LEAD, "", 55)
