"""Slugs from Chinese titles: pinyin, ascii only, capped, deterministic, unique across years."""

from __future__ import annotations

import pytest

from mzpress.model.slugs import (
    MAX_LENGTH,
    MAX_SYLLABLES,
    SLUG_PATTERN,
    SlugError,
    check_slug,
    slugify,
    unique_slug,
)


@pytest.mark.parametrize(("title", "slug"), [
    ("城关镇敬老", "cheng-guan-zhen-jing-lao"),
    ("“孝老爱亲”！", "xiao-lao-ai-qin"),  # punctuation dropped
    ("2025年ＡＢＣ培训", "2025-nian-abc-pei-xun"),  # digits kept, full-width letters folded
    ("绿色殡葬", "lv-se-bin-zang"),  # ü is written v
    ("Café 咖啡 😀", "cafe-ka-fei"),  # accents stripped, emoji dropped
    ("重庆 银行", "chong-qing-yin-hang"),  # phrase readings for polyphonic characters
])
def test_pinyin_slug(title, slug):
    assert slugify(title) == slug
    assert SLUG_PATTERN.match(slug)


def test_slug_is_capped_by_syllables_and_length():
    long_title = "关于开展二〇二五年度全县城乡最低生活保障对象动态管理工作的通知"
    slug = slugify(long_title)
    assert len(slug.split("-")) == MAX_SYLLABLES
    assert slug == "-".join(slugify(long_title[:12]).split("-")[:MAX_SYLLABLES])
    ascii_title = "-".join(["internationalization"] * 5)
    capped = slugify(ascii_title)
    assert capped == "internationalization-internationalization"  # a third part would pass 60 characters
    assert len(capped) <= MAX_LENGTH


def test_slug_is_deterministic():
    title = "婚姻登记处开展“颁证仪式”进社区活动"
    assert len({slugify(title) for _ in range(5)}) == 1


@pytest.mark.parametrize("title", ["！！！", "😀🎉", "   ", "——《》", ""])
def test_title_without_letters_gives_a_clear_chinese_error(title):
    with pytest.raises(SlugError) as excinfo:
        slugify(title)
    message = str(excinfo.value)
    assert "无法生成文件名" in message and "--slug" in message


def test_unique_slug_numbers_from_two():
    assert unique_slug("jing-lao", set()) == "jing-lao"
    assert unique_slug("jing-lao", {"jing-lao"}) == "jing-lao-2"
    assert unique_slug("jing-lao", {"jing-lao", "jing-lao-2", "jing-lao-3"}) == "jing-lao-4"


@pytest.mark.parametrize("slug", ["Jing-lao", "jing_lao", "-jing", "jing--lao", "敬老", "jing-", "a" * (MAX_LENGTH + 1)])
def test_hand_written_slugs_are_checked(slug):
    with pytest.raises(SlugError, match="小写英文字母"):
        check_slug(slug)


def test_valid_hand_written_slug_passes():
    assert check_slug("zuimei-chuangkou-2025") == "zuimei-chuangkou-2025"
