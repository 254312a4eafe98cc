"""Slugs from Chinese titles: pinyin by word, ascii only, short, never cut inside a word, deterministic, unique."""

from __future__ import annotations

import pytest

from mzpress.model.slugs import (
    MAX_LENGTH,
    MAX_WORDS,
    MAX_WRITTEN_LENGTH,
    SLUG_PATTERN,
    SlugError,
    check_slug,
    notice_slug,
    slugify,
    unique_slug,
)


@pytest.mark.parametrize(("title", "slug"), [
    ("城关镇敬老", "chengguanzhen-jinglao"),
    ("“孝老爱亲”！", "xiaolaoaiqin"),  # punctuation dropped; characters the dictionary leaves single kept together
    ("2025年ＡＢＣ培训", "2025-nian-abc-peixun"),  # digits kept, full-width letters folded
    ("绿色殡葬", "lvse-binzang"),  # ü is written v
    ("Café 咖啡 😀", "cafe-kafei"),  # accents stripped, emoji dropped
    ("重庆 银行", "chongqing-yinhang"),  # phrase readings for polyphonic characters
    ("城关镇幸福食堂让老人吃上热乎饭", "chengguanzhen-xingfu-shitang"),  # whole words only, ≤ 32 characters
    ("关于2026年度社会组织等级评估结果的公示", "2026-niandu-shehui-zuzhi"),  # a leading 关于 dropped
])
def test_pinyin_slug(title, slug):
    assert slugify(title) == slug
    assert SLUG_PATTERN.match(slug)


def test_slug_is_short_and_never_cut_inside_a_word():
    long_title = "关于开展二〇二五年度全县城乡最低生活保障对象动态管理工作的通知"
    slug = slugify(long_title)
    assert len(slug) <= MAX_LENGTH and len(slug.split("-")) <= MAX_WORDS
    words = slug.split("-")
    assert words == slugify(long_title + "补充").split("-")[:len(words)]  # a longer title: the same start
    for word in words:  # each part is the pinyin of whole words of the title
        assert word in {"kaizhan", "erling", "erwu", "niandu", "quanxian", "chengxiang", "zuidi", "shenghuo",
                        "baozhang", "duixiang", "dongtai", "guanli", "gongzuo", "tongzhi"} or word.isdigit(), word
    ascii_title = " ".join(["internationalization"] * 5)
    assert slugify(ascii_title) == "internationalization"  # a second part would pass 32 characters
    assert slugify("中华人民共和国社会救助暂行办法解读") == "zhonghuarenmingongheguo-shehui"
    assert len(slugify("乌鲁木齐市天山区人民政府办公室文件汇编")) <= MAX_LENGTH


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


@pytest.mark.parametrize("slug", ["Jing-lao", "jing_lao", "-jing", "jing--lao", "敬老", "jing-", "a" * (MAX_WRITTEN_LENGTH + 1)])
def test_hand_written_slugs_are_checked(slug):
    with pytest.raises(SlugError, match="小写英文字母"):
        check_slug(slug)


def test_valid_hand_written_slug_passes():
    assert check_slug("zuimei-chuangkou-2025") == "zuimei-chuangkou-2025"


@pytest.mark.parametrize(("title", "slug"), [
    ("关于2026年12月城乡低保对象拟认定名单的公示", "chengxiang-dibao-duixiang-ni"),
    ("关于2027年1月城乡低保对象拟认定名单的公示", "chengxiang-dibao-duixiang-ni"),  # numbered -2 by unique_slug
    ("十二月份临时救助名单公示", "linshi-jiuzhu-mingdan-gongshi"),
    ("2026年第四季度高龄津贴发放名单公示", "gaoling-jintie-fafang-mingdan"),
    ("２０２６年１２月５日城关镇临时停水通知", "chengguanzhen-linshi"),  # full-width digits too
    ("关于第3批养老服务补贴的公示", "di-3-pi-yanglao"),  # a batch number is a word, not a date
    ("2026年12月", "2026-nian-12-yue"),  # nothing but a date: the whole title
])
def test_notice_slug_leaves_out_the_dates(title, slug):
    assert notice_slug(title) == slug
