"""The one decoder (mzpress.model.source_text.decode_text) and its two policies, PUBLISH and SCAN."""

from __future__ import annotations

import random

import pytest

from mzpress.checks.context import CheckContext
from mzpress.checks.privacy import scan_text
from mzpress.editing.encoding_repair import repair_bytes
from mzpress.model.source_text import Decoded, Policy, SourceFile, decode, decode_text, for_scanning
from mzpress.text.attachments import UnreadableAttachment, read_text
from tests.support.personal_data import PEOPLE

TEXT = "---\ntitle: 城关镇开展敬老活动\n---\n\n正文第一段，关爱老人。\n"
NOT_UTF8 = "encoding.not-utf8"


def rules(decoded: Decoded) -> list[tuple[str, int | None]]:
    return [(f.rule, f.line) for f in decoded.findings]


def garbage() -> bytes:
    rng = random.Random(9)
    return bytes(rng.randrange(256) for _ in range(4096))


# --- what the bytes are: the same under both policies -------------------------------------------

CASES = {
    "utf-8": (TEXT.encode("utf-8"), "utf-8", False),
    "utf-8 with BOM": (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8", True),
    "gbk": (TEXT.encode("gbk"), "gb18030", False),
    "gb18030": ("㐀䶵 是扩展 A 区汉字，€ 也在 GB18030 中。\n".encode("gb18030"), "gb18030", False),
    "utf-16-le with BOM": (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16-le", True),
    "utf-16-be with BOM": (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be", True),
    "binary garbage": (garbage(), None, False),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("policy", list(Policy))
def test_both_policies_agree_on_what_the_bytes_are(case, policy):
    raw, encoding, had_bom = CASES[case]
    decoded = decode_text(raw, "a.md", policy)
    assert (decoded.encoding, decoded.had_bom) == (encoding, had_bom)
    # The findings are the publishing findings under every policy.
    assert decoded.findings == decode_text(raw, "a.md", Policy.PUBLISH).findings


@pytest.mark.parametrize("case", CASES)
def test_the_publishing_policy_reads_utf8_only_and_the_scanning_policy_reads_text(case):
    raw, encoding, _ = CASES[case]
    publish = decode_text(raw, "a.md", Policy.PUBLISH)
    scan = decode_text(raw, "a.md", Policy.SCAN)
    assert publish.readable is (encoding == "utf-8")
    assert scan.readable is (encoding is not None)
    if encoding is not None:
        assert scan.text == raw.removeprefix(b"\xef\xbb\xbf").removeprefix(b"\xff\xfe").removeprefix(
            b"\xfe\xff").decode(encoding)
        assert not scan.text.startswith("\ufeff")


# --- the publishing findings --------------------------------------------------------------------


def test_clean_utf8_has_no_findings():
    assert decode_text(TEXT.encode(), "a.md") == Decoded(TEXT, "utf-8", False, ())
    assert decode(TEXT.encode(), "a.md") == (TEXT, [])


def test_a_bom_is_reported_and_left_out_of_the_text():
    decoded = decode_text(CASES["utf-8 with BOM"][0], "a.md")
    assert decoded.text == TEXT and rules(decoded) == [("encoding.bom", 1)]


def test_gbk_is_named_with_its_first_bad_line():
    decoded = decode_text(CASES["gbk"][0], "content/a.md")
    assert rules(decoded) == [(NOT_UTF8, 2)]
    assert "GBK/GB18030" in decoded.findings[0].message and "fix-encoding" in decoded.findings[0].suggestion
    assert decoded.findings[0].file == "content/a.md"


def test_a_bom_before_gbk_gives_both_findings_counting_lines_after_the_bom():
    decoded = decode_text(b"\xef\xbb\xbf" + TEXT.encode("gbk"), "a.md", Policy.SCAN)
    assert rules(decoded) == [("encoding.bom", 1), (NOT_UTF8, 2)]
    assert (decoded.encoding, decoded.had_bom, decoded.text) == ("gb18030", True, TEXT)


@pytest.mark.parametrize("case", ["utf-16-le with BOM", "utf-16-be with BOM"])
def test_utf16_is_named_as_what_fix_encoding_converts(case):
    decoded = decode_text(CASES[case][0], "a.csv")
    assert rules(decoded) == [(NOT_UTF8, 1)]
    assert "UTF-16" in decoded.findings[0].message and "fix-encoding" in decoded.findings[0].suggestion


def test_binary_garbage_is_unreadable_under_every_policy():
    for policy in Policy:
        decoded = decode_text(garbage(), "a.txt", policy)
        assert decoded.text is None and decoded.encoding is None
        assert [f.rule for f in decoded.findings] == [NOT_UTF8]
        assert "无法识别的字节" in decoded.findings[0].message


def test_bytes_that_decode_as_gb18030_but_are_not_chinese_text_are_not_read():
    latin1 = "Café crème brûlée\n".encode("latin-1")
    assert decode_text(latin1, policy=Policy.SCAN).text is None
    # Chinese characters among many control characters: binary that happens to decode.
    binary = ("城关" + "\x01\x02\x03" * 20).encode("gb18030")
    assert decode_text(binary, policy=Policy.SCAN).text is None
    assert "GBK" not in decode_text(binary, "a.txt").findings[0].message


def test_utf16_that_does_not_decode_is_unreadable():
    assert decode_text(b"\xff\xfe\x00\xd8", policy=Policy.SCAN) == Decoded(None, None, True, decode_text(
        b"\xff\xfe\x00\xd8").findings)


# --- every reader goes through it ---------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_scan_attachments_and_fix_encoding_read_the_same_bytes_the_same_way(case, tmp_path):
    raw, _, _ = CASES[case]
    scanned = decode_text(raw, policy=Policy.SCAN).text
    source = for_scanning(SourceFile(tmp_path / "a.csv", "a.csv", raw, decode(raw, "a.csv")[0]))
    assert source.text == scanned
    repair = repair_bytes(raw)
    if scanned is None:
        assert repair.problem is not None
        with pytest.raises(UnreadableAttachment):
            read_text(raw)
    else:
        assert repair.data.decode("utf-8") == scanned
        assert read_text(raw)[0] == scanned


def test_the_privacy_check_finds_a_leak_in_a_utf16_list(tmp_path):
    person = PEOPLE[0]
    raw = b"\xff\xfe" + f"姓名,身份证号码\n{person.name},{person.id_number}\n".encode("utf-16-le")
    source = SourceFile(tmp_path / "list.csv", "list.csv", raw, decode(raw, "list.csv")[0])
    found = list(scan_text(source, CheckContext(root=tmp_path)))
    assert [(f.rule, f.line, f.column) for f in found] == [("privacy.id-number", 2, 5)]
