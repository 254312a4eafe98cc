"""Detection and masking of ID numbers, mobiles and bank cards (mzpress.text.identifiers)."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from mzpress.text.identifiers import (
    HYPHEN_LIKE,
    INVISIBLE,
    PROVINCE_CODES,
    SPACE_LIKE,
    Kind,
    find_identifiers,
    find_identifiers_in_name,
    id_check_char,
    identifier_characters,
    is_bank_card,
    is_id15,
    is_id18,
    is_suspected_id18,
    luhn_valid,
    mask_bank_card,
    mask_id_number,
    mask_identifiers,
    mask_mobile,
    mask_name,
    normalise_digit_separators,
    normalize,
)
from tests.support.personal_data import (
    DECOYS,
    PEOPLE,
    bad_luhn,
    card,
    fullwidth,
    id18,
    id_with_x,
    mask_card,
    mask_id,
    wrong_check,
)
from tests.support.personal_data import (
    mask_mobile as expected_mobile_mask,
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(item.kind.value, item.original) for item in find_identifiers(text)]


# IDs with a wrong check character are suspected IDs now, no longer decoys.
WRONG_CHECK = {"身份证号码有误：" + wrong_check(id18("360723", "19900101", "123")),
               "身份证号码有误：" + wrong_check(id18("620102", "19700707", "555"))}
QUIET = [text for text in DECOYS if text not in WRONG_CHECK]


def test_check_character_matches_the_standards_examples():
    # The two examples printed in GB 11643-1999.
    assert id_check_char("11010519491231002") == "X"
    assert id_check_char("44052418800101001") == "4"


def test_valid_ids_are_found_with_upper_and_lower_case_x():
    with_x = id_with_x()
    for value in (id18(), with_x, with_x.lower(), "11010519491231002X", "11010519491231002x"):
        assert is_id18(value), value
        assert kinds(f"身份证号{value}。") == [("id-number", value)]


@pytest.mark.parametrize("value", [
    id18("360723", "19900230", "123"),  # no 30 February
    id18("360723", "18991231", "123"),  # before 1900
    id18("000723", "19900101", "123"),  # region codes start 1-8
    id18("960723", "19900101", "123"),
])
def test_impossible_ids_are_rejected(value):
    assert not is_id18(value)
    assert kinds(value) == []


def test_future_birth_date_is_rejected_relative_to_today():
    value = id18("360723", "20300101", "123")
    assert not is_id18(value, today=dt.date(2026, 1, 1))
    assert is_id18(value, today=dt.date(2031, 1, 1))
    assert find_identifiers(value, today=dt.date(2026, 1, 1)) == []


def test_legacy_15_digit_ids_need_a_real_date():
    assert is_id15("360723900101123")
    assert kinds("旧身份证：360723900101123") == [("id-number", "360723900101123")]
    assert not is_id15("360723901301123")
    assert not is_id15("360723900230123")
    assert kinds("360723900230123") == []


def test_mobile_numbers_in_the_shapes_people_write():
    assert kinds("电话13812345678") == [("mobile", "13812345678")]
    assert kinds("电话：138 1234 5678") == [("mobile", "138 1234 5678")]
    assert kinds("电话：138-1234-5678") == [("mobile", "138-1234-5678")]
    found = find_identifiers("+8613812345678 和 0086 15907971234")
    assert [(i.kind, i.original) for i in found] == [(Kind.MOBILE, "13812345678"), (Kind.MOBILE, "15907971234")]
    assert kinds("12812345678 10812345678") == []  # second digit 3-9 only


def test_bank_cards_need_luhn_and_an_issuer_prefix():
    unionpay = card("622202123456789012")
    assert luhn_valid(unionpay) and is_bank_card(unionpay)
    assert not is_bank_card(bad_luhn(unionpay))
    assert not is_bank_card(card("123456789012345"))  # Luhn-valid, no issuer starts with 1
    assert not is_bank_card(card("202503120001234"))  # order number starting with a year
    assert kinds(f"卡号{unionpay}") == [("bank-card", unionpay)]
    grouped = " ".join(unionpay[i:i + 4] for i in range(0, len(unionpay), 4))
    assert kinds(f"卡号：{grouped}。") == [("bank-card", grouped)]
    assert kinds(f"卡号：{grouped.replace(' ', '-')}") == [("bank-card", grouped.replace(" ", "-"))]


def test_an_id_shaped_18_digit_number_is_never_a_bank_card():
    # An ID from Gansu (62...) with a wrong check digit: look for one that also passes Luhn.
    value = next(v for n in range(10) if luhn_valid(v := wrong_check(id18("620102", "19700707", f"5{n}5"))))
    assert value.startswith("62") and luhn_valid(value)
    assert not is_bank_card(value)
    [item] = find_identifiers(f"卡号{value}")
    assert (item.kind, item.original, item.check_digit_ok) == (Kind.ID_NUMBER, value, False)
    assert item.masked == mask_id(value)  # masked as an ID (first 6, last 4), not as a card


# --- suspected IDs: the shape of an ID, the wrong check character ---------------------------------


def _x_instead_of_a_digit() -> str:
    value = next(v for n in range(100) if not (v := id18("360723", "19900101", f"{n:03d}")).endswith("X"))
    return value[:17] + "X"


@pytest.mark.parametrize("value", [
    wrong_check(id18()),
    wrong_check(id18("110105", "20000229", "117")),
    _x_instead_of_a_digit(),  # a digit expected, X written
    wrong_check(id_with_x()),  # X expected, a digit written
])
def test_an_id_with_a_wrong_check_character_is_a_suspected_id(value):
    assert not is_id18(value) and is_suspected_id18(value)
    for text in (f"身份证号{value}。", f"身份证号{value.lower()}。", f"证号：{fullwidth(value)}"):
        [item] = find_identifiers(text)
        assert item.kind is Kind.ID_NUMBER and not item.check_digit_ok
        assert text[item.start:item.end] == item.original
        assert normalize(item.masked).upper() == mask_id(value)
        masked, counts = mask_identifiers(text)
        assert counts == {Kind.ID_NUMBER: 1} and find_identifiers(masked) == []


def test_a_suspected_id_is_found_in_every_shape_an_id_is():
    value = wrong_check(id18("360723", "19851231", "042"))
    grouped = f"{value[:6]} {value[6:14]} {value[14:]}"
    fours = " ".join(value[i:i + 4] for i in range(0, 18, 4))
    for text in (grouped, fours, grouped.replace(" ", "-"), "\u200b".join(value)):
        [item] = find_identifiers(f"证件号码：{text}。")
        assert (item.kind, item.check_digit_ok, identifier_characters(item.original)) == (Kind.ID_NUMBER, False, value)


def test_a_valid_id_keeps_check_digit_ok_and_other_kinds_have_none_to_get_wrong():
    found = find_identifiers(f"{id18()} {PEOPLE[0].mobile} {PEOPLE[0].card} 360723900101123")
    assert [(item.kind, item.check_digit_ok) for item in found] == [
        (Kind.ID_NUMBER, True), (Kind.MOBILE, True), (Kind.BANK_CARD, True), (Kind.ID_NUMBER, True)]


@pytest.mark.parametrize("value", [
    wrong_check(id18("360723", "19900230", "123")),  # no 30 February
    wrong_check(id18("360723", "18991231", "123")),  # before 1900
    wrong_check(id18("960723", "19900101", "123")),  # no province 96
    wrong_check(id18("360723", "20300101", "123")),  # born in the future
])
def test_an_impossible_id_with_a_wrong_check_character_is_still_nothing(value):
    assert not is_suspected_id18(value, today=dt.date(2026, 12, 1))
    assert find_identifiers(value, today=dt.date(2026, 12, 1)) == []


def test_the_former_wrong_check_decoys_are_suspected_ids():
    for text in WRONG_CHECK:
        [item] = find_identifiers(text)
        assert item.kind is Kind.ID_NUMBER and not item.check_digit_ok


@pytest.mark.parametrize("text", QUIET)
def test_decoys_are_not_reported(text):
    assert find_identifiers(text) == []


def test_digit_boundaries():
    value = id18()
    assert kinds("9" + value) == []
    assert kinds(value + "9") == []
    assert kinds("A" + value) == []
    assert kinds("９" + value) == []  # a full-width digit is a digit too
    assert kinds("第" + value + "号") == [("id-number", value)]
    assert kinds(f"|{value}|") == [("id-number", value)]
    assert kinds(f"“{value}”") == [("id-number", value)]


def test_full_width_digits_keep_their_offsets():
    value = id_with_x()
    wide = fullwidth(value)
    text = f"身份证：{wide}，手机：{fullwidth('13812345678')}"
    found = find_identifiers(text)
    assert [(i.kind, text[i.start:i.end]) for i in found] == [
        (Kind.ID_NUMBER, wide), (Kind.MOBILE, fullwidth("13812345678"))]
    assert found[0].start == 4
    assert normalize(found[0].masked) == mask_id(value)
    assert len(normalize(text)) == len(text)


def test_masked_forms_pass():
    for person in PEOPLE:
        masked = person.masked
        text = f"{masked.name} {masked.id_number} {masked.mobile} {masked.card}"
        assert find_identifiers(text) == []
    assert find_identifiers("360723********1234 138****5678 6222 **** **** 1234") == []


def test_masking_conventions():
    value = id18()
    assert mask_id_number(value) == value[:6] + "********" + value[-4:]
    assert mask_id_number("360723900101123") == "360723*****1123"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_mobile("138 1234 5678") == "138 **** 5678"
    unionpay = card("622202123456789012")
    assert mask_bank_card(unionpay) == mask_card(unionpay)
    assert mask_bank_card("6222 0212 3456 7890") == "**** **** **** 7890"
    assert mask_name("王小明") == "王**"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳秀兰") == "欧阳**"
    assert mask_name(" 李四 ") == " 李* "
    assert mask_name("王**") == "王**"
    assert mask_name("王") == "王"


def test_mask_identifiers_masks_everything_and_keeps_length():
    person = PEOPLE[2]
    text = (f"户主{person.name}，身份证{person.id_number}，电话 {person.mobile}，"
            f"卡号{person.card}；其妻身份证{fullwidth(PEOPLE[0].id_number)}。")
    masked, counts = mask_identifiers(text)
    assert len(masked) == len(text)
    assert counts == {Kind.ID_NUMBER: 2, Kind.MOBILE: 1, Kind.BANK_CARD: 1}
    assert mask_id(person.id_number) in masked
    assert expected_mobile_mask(person.mobile) in masked
    assert mask_card(person.card) in masked
    assert find_identifiers(masked) == []
    assert mask_identifiers("没有号码的句子。") == ("没有号码的句子。", {})


def test_a_very_long_digit_run_is_skipped_whole():
    found = find_identifiers("7" * 100_000 + " 13812345678")
    assert [(i.kind, i.start, i.original) for i in found] == [(Kind.MOBILE, 100_001, "13812345678")]


def test_validators_accept_only_ascii_digits():
    value = id18()
    assert not is_id18(fullwidth(value))  # callers normalise first; find_identifiers does
    assert not is_id18("²" + value[1:])
    assert not is_bank_card("６" + card("622202123456789012")[1:])


# --- what a reader does not see, and separators that are not ASCII ------------------------------------


def test_a_mobile_grouped_by_non_breaking_hyphens_is_found_with_original_offsets():
    text = "联系电话：138\u20111234\u20115678。"
    [item] = find_identifiers(text)
    assert (item.kind, item.start, item.end) == (Kind.MOBILE, 5, 18)
    assert item.masked == "138\u2011****\u20115678"
    assert mask_identifiers(text)[0] == "联系电话：138\u2011****\u20115678。"


def test_an_id_with_a_zero_width_space_between_every_digit_is_found():
    value = id_with_x()
    written = "\u200b".join(value)
    text = f"身份证号{written}，请核对。"
    [item] = find_identifiers(text)
    assert (item.kind, item.check_digit_ok) == (Kind.ID_NUMBER, True)
    assert (item.start, item.end) == (4, 4 + len(written))
    assert item.original == written and len(item.masked) == len(written)
    assert item.masked.replace("\u200b", "") == mask_id(value)
    masked, _ = mask_identifiers(text)
    assert len(masked) == len(text) and find_identifiers(masked) == []


def test_a_mobile_with_a_soft_hyphen_and_other_invisible_characters_is_found():
    for mark in ("\u00ad", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e", "\u202e", "\ufe0f", "\U000e0031"):
        text = f"电话138{mark}1234{mark}{mark}5678"
        [item] = find_identifiers(text)
        assert (item.kind, item.start, item.end) == (Kind.MOBILE, 2, len(text)), repr(mark)
        assert identifier_characters(item.original) == "13812345678"


def test_an_invisible_character_joins_digits_it_sits_between():
    # For the reader "9" + ZWSP + ID is a 19-digit number, not an ID; a letter stays a boundary.
    value = id18()
    assert find_identifiers(f"9\u200b{value}") == []
    assert find_identifiers(f"A\u2060{value}") == []
    assert kinds(f"第\u200b{value}\u200b号") == [("id-number", value)]


@pytest.mark.parametrize("separator", list(SPACE_LIKE + HYPHEN_LIKE) + [" ", "-", "*"])
def test_every_space_and_hyphen_like_separator_groups_digits(separator):
    mobile, unionpay, value = "13812345678", card("622202123456789012"), id18()
    text = (f"电话{mobile[:3]}{separator}{mobile[3:7]}{separator}{mobile[7:]}，"
            f"卡号{separator.join(unionpay[i:i + 4] for i in range(0, len(unionpay), 4))}，"
            f"证号{value[:6]}{separator}{value[6:14]}{separator}{value[14:]}。")
    found = find_identifiers(text)
    assert [(i.kind, identifier_characters(i.original)) for i in found] == [
        (Kind.MOBILE, mobile), (Kind.BANK_CARD, unionpay), (Kind.ID_NUMBER, value)]
    assert find_identifiers(mask_identifiers(text)[0]) == []


def test_mixed_separators_read_as_one_number():
    assert kinds("电话 138 1234-5678") == [("mobile", "138 1234-5678")]
    assert kinds("电话 138\u30001234\u20135678") == [("mobile", "138\u30001234\u20135678")]


@pytest.mark.parametrize("text", [
    "2026\u201112\u201105", "2026\u201312\u201305 09:30", "2025\u20142026年", "〔2026〕12号",
    "示政发\u3014\u20602026\u3015\u200b12号", "1,234,567元", "1\u202f234\u202f567元", "12\u00a0345\u00a0678.90元",
    "0571-88888888", "0571\u201188888888", "0571 8888 8888", "(0797)8123456", "400\u2011123\u20114567",
    "时间 09:30\u201311:45", "2026\u200b12\u200b05", "20261205", "2026\u20111205\u20111234\u20115678",
    "第3\u20135页", "电话区号 +86\u2009791\u20098123\u20094567",
])
def test_ordinary_numbers_with_unusual_separators_are_quiet(text):
    assert find_identifiers(text) == []


def test_normalise_digit_separators_maps_back_to_the_original():
    text = "电\u200b话：１３８\u2011\u00ad1234\u30005678\ufeff"
    reading, offsets = normalise_digit_separators(text)
    assert reading == "电话：138-1234 5678"
    assert len(offsets) == len(reading) + 1 and offsets[-1] == len(text)
    assert all(normalize(text[offsets[i]]) == reading[i] for i in range(len(reading)))
    plain = "没有特殊字符 13812345678"
    assert normalise_digit_separators(plain) == (plain, range(len(plain) + 1))


def test_invisible_characters_are_neither_letters_nor_spaces():
    # The masker keeps every character that is not alphanumeric; an invisible one must stay put.
    invisible = re.compile(f"[{INVISIBLE}]")
    chosen = [ch for ch in map(chr, range(0x110000)) if invisible.fullmatch(ch)]
    assert len(chosen) > 300
    assert [hex(ord(ch)) for ch in chosen if ch.isalnum() or ch.isspace()] == []


# --- seeded random: identifiers written with separators and invisible characters ---------------------

_SEEDS = range(400)


def _random_id(rng: random.Random) -> str:
    region = rng.choice(sorted(PROVINCE_CODES)) + f"{rng.randrange(10000):04d}"
    born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(80 * 365))
    value = id18(region, born.strftime("%Y%m%d"), f"{rng.randrange(1000):03d}")
    return value.lower() if rng.random() < 0.2 else value


def _random_mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def _id_shaped(value: str) -> bool:
    """Province code and a real birth date from 1900 to today, read independently of the code."""
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return value[:2] in PROVINCE_CODES and dt.date(1900, 1, 1) <= born <= dt.date.today()


def _random_card(rng: random.Random) -> str:
    while True:
        prefix = rng.choice(["62", "60", "4", "5", "35", "9"])
        length = rng.randrange(16, 20)
        value = card(prefix + "".join(rng.choice("0123456789") for _ in range(length - 1 - len(prefix))))
        if length != 18 or not _id_shaped(value):  # an ID-shaped 18-digit number is an ID
            return value


_GROUPS = {Kind.ID_NUMBER: (6, 14), Kind.MOBILE: (3, 7), Kind.BANK_CARD: (4, 8, 12, 16)}
_INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u200e", "\u2063"]
_SEPARATORS = list(SPACE_LIKE + HYPHEN_LIKE + " -")


def _disguise(rng: random.Random, value: str, kind: Kind) -> str:
    """``value`` with a separator at each group boundary (half the time), one to five invisible
    characters at random places (before, inside or after it) and some full-width digits."""
    slots = [""] * (len(value) + 1)  # slot i: what is written before character i
    if rng.random() < 0.5:
        for at in _GROUPS[kind]:
            if at < len(value):
                slots[at] = rng.choice(_SEPARATORS)
    for _ in range(rng.randrange(1, 6)):
        at = rng.randrange(len(slots))
        slots[at] = rng.choice([slots[at] + rng.choice(_INVISIBLES), rng.choice(_INVISIBLES) + slots[at]])
    chars = [fullwidth(ch) if rng.random() < 0.15 else ch for ch in value]
    return "".join(slot + ch for slot, ch in zip(slots, chars + [""]))


@pytest.mark.parametrize("seed", _SEEDS)
def test_random_identifiers_with_separators_and_invisible_characters_are_found_and_masked(seed):
    rng = random.Random(seed)
    kind = rng.choice(list(Kind))
    value = {Kind.ID_NUMBER: _random_id, Kind.MOBILE: _random_mobile, Kind.BANK_CARD: _random_card}[kind](rng)
    written = _disguise(rng, value, kind)
    text = rng.choice(["联系人王小明，号码", "经审核，", "| 1 | 王* | ", "证件："]) + written + rng.choice(["。", " |", "，已核实。", ""])
    found = find_identifiers(text)
    assert [(item.kind, identifier_characters(item.original)) for item in found] == [(kind, value.upper())], \
        (text, found)
    [item] = found
    assert text[item.start:item.end] == item.original and len(item.masked) == len(item.original)
    assert item.check_digit_ok
    masked, counts = mask_identifiers(text)
    assert counts == {kind: 1} and len(masked) == len(text)
    assert find_identifiers(masked) == []
    digits = identifier_characters(masked)
    assert value.upper() not in digits
    keep = {Kind.ID_NUMBER: (6, 4), Kind.MOBILE: (3, 4), Kind.BANK_CARD: (0, 4)}[kind]
    assert identifier_characters(item.masked) == value.upper()[:keep[0]] + value.upper()[len(value) - keep[1]:]


# --- file names ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("stories/2026/images/张三13912345678.jpg", "139****5678"),
    ("images/139-1234-5678.jpg", "139-****-5678"),
    ("images/139_1234_5678.png", "139_****_5678"),
    ("images/139.1234.5678.jpeg", "139.****.5678"),
    ("images/139 1234 5678.png", "139 **** 5678"),
    ("images/zhangsan13912345678.jpg", "139****5678"),
    ("images/13912345678zhangsan.jpg", "139****5678"),
    ("images/IMG_13912345678_1.jpg", "139****5678"),
    ("images/张三_139_12345678.jpg", "139_****5678"),
    ("images/139\u200b1234\u200b5678.jpg", "139\u200b****\u200b5678"),
    ("images/１３９１２３４５６７８.jpg", "１３９****５６７８"),
    ("images/١٣٩١٢٣٤٥٦٧٨.jpg", "١٣٩****٥٦٧٨"),  # Arabic-Indic digits are digits too
])
def test_a_mobile_in_a_file_name_is_found(name, expected):
    [item] = find_identifiers_in_name(name)
    assert item.kind is Kind.MOBILE and item.masked == expected
    assert name[item.start:item.end] == item.original


def test_ids_and_cards_in_file_names():
    value = id_with_x()
    [item] = find_identifiers_in_name(f"files/{value}abc.pdf")
    assert (item.kind, item.original, item.check_digit_ok) == (Kind.ID_NUMBER, value, True)
    [item] = find_identifiers_in_name(f"files/王小明_{value[:6]}_{value[6:14]}_{value[14:]}.pdf")
    assert item.kind is Kind.ID_NUMBER
    [item] = find_identifiers_in_name(f"files/{wrong_check(id18())}.xlsx")
    assert (item.kind, item.check_digit_ok) == (Kind.ID_NUMBER, False)
    unionpay = card("622202123456789012")
    [item] = find_identifiers_in_name(f"files/card{unionpay}.pdf")
    assert item.kind is Kind.BANK_CARD and item.masked == mask_card(unionpay)
    [item] = find_identifiers_in_name(f"{value}/photo.jpg")  # a folder's name is published too
    assert item.start == 0 and item.end == 18


@pytest.mark.parametrize("name", [
    "stories/2026/images/2026-12-05.jpg", "images/20261205.jpg", "images/IMG_20261205_134512.jpg",
    "images/mmexport1701234567890.jpg", "images/微信图片_20261205134512.jpg", "images/wx_camera_1701234567890.jpg",
    "images/Screenshot_2026-03-12-13-45-12-123_com.tencent.mm.jpg", "images/DSC01234.JPG",
    "notices/2026/files/示政发〔2026〕12号.pdf", "files/2026年12月5日会议纪要-v1.2.docx",
    "images/photo-2026.12.05-001.jpg", "images/0571-88888888.png", "files/91360723MA35L8XX2K营业执照.pdf",
    "images/d41d8cd98f00b204e9800998ecf8427e.png", "images/xianhua-huan-zhiqian-1.jpg",
])
def test_ordinary_file_names_are_quiet(name):
    assert find_identifiers_in_name(name) == []


def test_public_numbers_are_no_identifiers_whatever_their_separators():
    from mzpress.text.identifiers import find_identifiers, mask_identifiers, public_number_keys

    text = "热线139-0000-0000，值班13900000001，+86 139 0000 0002，王小明13812345678，身份证" + id18()
    public = ["13900000000", "139 0000 0001", "+86 13900000002"]
    assert public_number_keys(public) >= {"13900000000", "13900000001", "13900000002", "8613900000002"}
    found = find_identifiers(text, public=public)
    assert [item.kind for item in found] == [Kind.MOBILE, Kind.ID_NUMBER]
    assert found[0].original == "13812345678"
    assert len(find_identifiers(text)) == 5  # without the exclusion every number is found
    masked, counts = mask_identifiers(text, public=public_number_keys(public))
    assert "139-0000-0000" in masked and "138****5678" in masked and counts[Kind.MOBILE] == 1
    # an ID number or a bank card is never excluded, even when listed
    assert [item.kind for item in find_identifiers(id18(), public=[id18()])] == [Kind.ID_NUMBER]
