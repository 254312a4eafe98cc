"""Detection and masking of ID numbers, mobiles and bank cards (mzpress.text.identifiers)."""

from __future__ import annotations

import datetime as dt

import pytest

from mzpress.text.identifiers import (
    Kind,
    find_identifiers,
    id_check_char,
    is_bank_card,
    is_id15,
    is_id18,
    luhn_valid,
    mask_bank_card,
    mask_id_number,
    mask_identifiers,
    mask_mobile,
    mask_name,
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
    wrong_check(id18()),
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
    assert kinds(value) == []


@pytest.mark.parametrize("text", DECOYS)
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
