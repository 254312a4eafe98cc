"""The personal-data text check on Markdown (prose, tables, front matter), CSV and TXT (mzpress.checks.privacy)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mzpress.checks.context import CheckContext
from mzpress.checks.exemptions import apply_exemptions
from mzpress.checks.privacy import scan_text
from mzpress.checks.registry import text_checks
from mzpress.cli import main
from mzpress.model.findings import Severity
from mzpress.model.source_text import read_source
from tests.support.personal_data import (
    DECOYS,
    PEOPLE,
    fullwidth,
    id18,
    mask_id,
    mask_mobile,
    story,
    table,
    wrong_check,
)

RULES = {"id": "privacy.id-number", "mobile": "privacy.mobile", "card": "privacy.bank-card"}
# IDs with a wrong check character are suspected IDs (errors), no longer decoys.
WRONG_CHECK = {"身份证号码有误：" + wrong_check(id18("360723", "19900101", "123")),
               "身份证号码有误：" + wrong_check(id18("620102", "19700707", "555"))}
QUIET = [text for text in DECOYS if text not in WRONG_CHECK]


def expected_locations(text: str, people, fields=("id_number", "mobile", "card")) -> set[tuple[str, int, int]]:
    """(rule, line, column) of every identifier, found by plain string search in the corpus."""
    rule_of = {"id_number": RULES["id"], "mobile": RULES["mobile"], "card": RULES["card"]}
    expected = set()
    lines = text.split("\n")
    for person in people:
        for field in fields:
            value = getattr(person, field)
            hits = [(n, line.index(value)) for n, line in enumerate(lines, start=1) if value in line]
            assert hits, value
            expected |= {(rule_of[field], n, col + 1) for n, col in hits}
    return expected


def scan(tmp_path: Path, name: str, content: str | bytes):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    source, _ = read_source(path, name)
    return list(scan_text(source, CheckContext(root=tmp_path)))


def locations(findings) -> set[tuple[str, int, int]]:
    return {(f.rule, f.line, f.column) for f in findings}


def test_registered_as_a_text_check():
    assert scan_text in text_checks()


def test_every_leak_in_a_markdown_table_is_found_at_its_line_and_column(tmp_path):
    text = story("公示名单如下：\n\n" + table(PEOPLE))
    findings = scan(tmp_path, "gongshi.md", text)
    assert len(findings) == 3 * len(PEOPLE)
    assert locations(findings) == expected_locations(text, PEOPLE)
    for f in findings:
        assert f.severity is Severity.ERROR
        assert f.file == "gongshi.md"


def test_messages_show_only_the_masked_form(tmp_path):
    person = PEOPLE[0]
    findings = scan(tmp_path, "a.md", story(f"联系人{person.name}，身份证号{person.id_number}，"
                                            f"电话{person.mobile}，卡号{person.card}。\n"))
    assert [f.rule for f in findings] == [RULES["id"], RULES["mobile"], RULES["card"]]
    masked = person.masked
    for f, full, shown in zip(findings, (person.id_number, person.mobile, person.card),
                              (masked.id_number, masked.mobile, masked.card)):
        assert full not in f.message and full not in f.suggestion
        assert shown in f.message and shown in f.suggestion
        assert "mzpress mask" in f.suggestion


def test_the_same_table_masked_is_clean(tmp_path):
    masked = [p.masked for p in PEOPLE]
    assert scan(tmp_path, "masked.md", story("公示名单如下：\n\n" + table(masked))) == []


def test_prose_with_lower_case_x_15_digit_ids_cards_and_full_width_digits(tmp_path):
    lower_x = PEOPLE[2].id_number
    assert lower_x.endswith("x")
    wide = fullwidth(PEOPLE[0].id_number)
    grouped = " ".join(PEOPLE[0].card[i:i + 4] for i in range(0, len(PEOPLE[0].card), 4))
    body = (f"经审核，欧阳秀兰（身份证号{lower_x}）符合条件。\n"
            f"老人持旧身份证360723480101042，另一位老人证件号码为{wide}。\n"
            f"补贴打入其银行卡 {grouped} 内，联系电话 138 1234 5678。\n")
    text = story(body)
    findings = scan(tmp_path, "prose.md", text)
    lines = text.split("\n")
    start = lines.index(body.split("\n")[0]) + 1
    assert locations(findings) == {
        (RULES["id"], start, lines[start - 1].index(lower_x) + 1),
        (RULES["id"], start + 1, lines[start].index("360723480101042") + 1),
        (RULES["id"], start + 1, lines[start].index(wide) + 1),
        (RULES["card"], start + 2, lines[start + 1].index(grouped) + 1),
        (RULES["mobile"], start + 2, lines[start + 1].index("138 1234 5678") + 1),
    }


def test_front_matter_is_scanned(tmp_path):
    text = story("正文。\n", summary=f"请联系 {PEOPLE[1].mobile} 报名。")
    findings = scan(tmp_path, "fm.md", text)
    line = text.split("\n").index(f"summary: 请联系 {PEOPLE[1].mobile} 报名。") + 1
    assert locations(findings) == {(RULES["mobile"], line, len("summary: 请联系 ") + 1)}


def test_decoys_are_quiet(tmp_path):
    text = story("\n\n".join(QUIET) + "\n")
    assert scan(tmp_path, "decoys.md", text) == []


def test_csv_and_txt_files(tmp_path):
    person = PEOPLE[3]
    csv_text = f"序号,姓名,身份证号码,联系电话\n1,{person.name},{person.id_number},{person.mobile}\n"
    findings = scan(tmp_path, "list.csv", csv_text)
    assert locations(findings) == {(RULES["id"], 2, 6), (RULES["mobile"], 2, 6 + 19)}
    findings = scan(tmp_path, "notes.txt", f"第一行\n户主身份证：{person.id_number}\n")
    assert locations(findings) == {(RULES["id"], 2, 7)}


def test_a_gb18030_csv_is_still_scanned(tmp_path):
    # Excel on Chinese Windows saves CSV as GB18030; the encoding check reports that separately.
    person = PEOPLE[0]
    raw = f"姓名,身份证号码\n{person.name},{person.id_number}\n".encode("gb18030")
    findings = scan(tmp_path, "gbk.csv", raw)
    assert locations(findings) == {(RULES["id"], 2, 5)}


def test_mzpress_scan_reports_leaks_with_exit_1_and_json_locations(tmp_path, capsys):
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "leak.md").write_text(story(table(PEOPLE[:1])), encoding="utf-8")
    (folder / "clean.md").write_text(story(table([p.masked for p in PEOPLE])), encoding="utf-8")
    code = main(["scan", "--format", "json", str(folder)])
    out = json.loads(capsys.readouterr().out)
    privacy = [f for f in out if f["rule"].startswith("privacy.")]
    assert code == 1
    assert {(Path(f["file"]).name, f["rule"]) for f in privacy} == {
        ("leak.md", RULES["id"]), ("leak.md", RULES["mobile"]), ("leak.md", RULES["card"])}
    assert all(f["line"] and f["column"] for f in privacy)
    assert PEOPLE[0].id_number not in json.dumps(out, ensure_ascii=False)


def test_an_id_split_by_the_boundary_of_a_longer_number_is_quiet(tmp_path):
    assert scan(tmp_path, "long.md", story(f"编号 12{id18()}34 不是身份证号。\n")) == []


# --- what the reader reads: identifiers split by markup that does not show -------------------------

# Where each kind is grouped (the escape technique writes a visible "*" there).
GROUPS = {"mobile": (3, 7), "id_number": (6, 14), "card": (4, 8, 12, 16)}


def _split(value: str, at: tuple[int, ...], mark: str, close: str | None = None) -> str:
    """``value`` with ``mark`` (and ``close`` after the next piece) inserted at positions ``at``."""
    pieces, last = [], 0
    for n, position in enumerate(at):
        pieces += [value[last:position], close if close is not None and n % 2 else mark]
        last = position
    return "".join(pieces) + value[last:]


HIDING = {
    "span": lambda v, f: _split(v, (3, 7), "<span>", "</span>"),
    "span-with-class": lambda v, f: _split(v, (3, 7), '<span class="x">', "</span>"),
    "strong": lambda v, f: _split(v, (3, 7), "**"),
    "emphasis": lambda v, f: _split(v, (2, 9), "*"),
    "strike-through": lambda v, f: _split(v, (3, 7), "~~"),
    "code": lambda v, f: _split(v, (3, 7), "`"),
    "comment": lambda v, f: _split(v, (5,), "<!-- 备注 -->"),
    "decimal-reference": lambda v, f: v[:3] + f"&#{ord(v[3])};" + v[4:],
    "hex-reference": lambda v, f: v[:2] + f"&#x{ord(v[2]):x};" + v[3:],
    "escaped-stars": lambda v, f: _split(v, GROUPS[f], "\\*"),
}


@pytest.mark.parametrize("how", sorted(HIDING))
@pytest.mark.parametrize("field", ["id_number", "mobile", "card"])
def test_an_identifier_hidden_by_markup_is_found_at_its_line_and_column(tmp_path, field, how):
    person = PEOPLE[0]
    value = getattr(person, field)
    written = HIDING[how](value, field)
    assert value not in written
    line = f"请联系{person.name}（{written}）办理。"
    text = story(f"第一段。\n\n{line}\n")
    findings = scan(tmp_path, "hidden.md", text)
    number = text.split("\n").index(line) + 1
    rule = {"id_number": RULES["id"], "mobile": RULES["mobile"], "card": RULES["card"]}[field]
    assert locations(findings) == {(rule, number, line.index(written) + 1)}, findings
    assert len(findings) == 1
    [finding] = findings
    assert value not in finding.message and value not in finding.suggestion
    assert value[-3:] in finding.message and "*" in finding.message


def test_hidden_identifiers_in_a_markdown_table(tmp_path):
    header = "| 序号 | 姓名 | 村（社区） | 身份证号码 | 联系电话 | 银行卡号 |"
    rows = [header, "|---|---|---|---|---|---|"]
    hidden = []
    for n, p in enumerate(PEOPLE, start=1):
        cells = (_split(p.id_number, (6, 14), "**"), _split(p.mobile, (3, 7), "<span>", "</span>"),
                 p.card[:4] + f"&#{ord(p.card[4])};" + p.card[5:])
        hidden.append(cells)
        rows.append(f"| {n} | {p.name} | {p.village} | {' | '.join(cells)} |")
    text = story("公示名单如下：\n\n" + "\n".join(rows) + "\n")
    findings = scan(tmp_path, "table.md", text)
    lines = text.split("\n")
    expected = set()
    for cells in hidden:
        number = next(n for n, line in enumerate(lines, start=1) if cells[0] in line)
        for rule, cell in zip((RULES["id"], RULES["mobile"], RULES["card"]), cells):
            expected.add((rule, number, lines[number - 1].index(cell) + 1))
    assert locations(findings) == expected
    assert len(findings) == len(expected) == 3 * len(PEOPLE)


def test_an_identifier_found_as_written_and_as_read_is_reported_once(tmp_path):
    mobile, card = PEOPLE[1].mobile, PEOPLE[1].card
    starred = _split(mobile, (3, 7), "*")  # a "*"-grouped number, and emphasis on the page
    text = story(f"电话 **{mobile}**，卡号 <b>{card}</b>。\n电话 {starred}，又 {_split(mobile, (3, 7), '**')}。\n")
    findings = scan(tmp_path, "twice.md", text)
    lines = text.split("\n")
    first = lines.index(f"电话 **{mobile}**，卡号 <b>{card}</b>。") + 1
    second_line = lines[first]
    assert locations(findings) == {
        (RULES["mobile"], first, len("电话 **") + 1),
        (RULES["card"], first, lines[first - 1].index(card) + 1),
        (RULES["mobile"], first + 1, len("电话 ") + 1),
        (RULES["mobile"], first + 1, second_line.index("又 ") + 3),
    }
    assert len(findings) == 4
    assert [(f.line, f.column) for f in findings] == sorted((f.line, f.column) for f in findings)


def test_a_mobile_grouped_by_stars_is_found_in_any_text_file(tmp_path):
    mobile = PEOPLE[3].mobile
    findings = scan(tmp_path, "notes.txt", f"电话：{_split(mobile, (3, 7), '*')}\n")
    assert locations(findings) == {(RULES["mobile"], 1, 4)}
    assert mobile not in findings[0].message


def test_csv_and_txt_are_not_read_as_markdown(tmp_path):
    mobile = PEOPLE[3].mobile
    hidden = _split(mobile, (3, 7), "<span>", "</span>")
    assert scan(tmp_path, "notes.txt", f"电话：{hidden}\n") == []
    assert scan(tmp_path, "list.csv", f"姓名,电话\n张三,{_split(mobile, (3, 7), '**')}\n") == []


def test_inline_exemptions_apply_to_hidden_identifiers(tmp_path):
    hidden = _split(PEOPLE[0].mobile, (3, 7), "**")
    text = story(f"<!-- mzpress: allow privacy.mobile 本人同意公开的办事电话 -->\n服务电话 {hidden}。\n"
                 f"\n另一处 {hidden}。\n")
    findings = scan(tmp_path, "exempt.md", text)
    result = apply_exemptions(text, "exempt.md", findings)
    lines = text.split("\n")
    comment = next(n for n, line in enumerate(lines, start=1) if line.startswith("<!-- mzpress"))
    assert sorted((f.rule, f.line) for f in result) == [
        ("exemption.used", comment), (RULES["mobile"], lines.index(f"另一处 {hidden}。") + 1)]


def test_code_front_matter_and_masked_forms_behave_as_before(tmp_path):
    mobile = PEOPLE[0].mobile
    strong = _split(mobile, (3, 7), "**")
    body = (f"代码里的 `{strong}` 照原样显示。\n\n```text\n{strong}\n{_split(mobile, (3, 7), '<b>', '</b>')}\n```\n\n"
            f"代码里写全的号码 `{mobile}` 仍然要报。\n\n"
            "已脱敏：360723********1234，138****5678，**6222 **** **** 1234**，*138****5678*\n")
    text = story(body, summary=f"报名电话 {strong}")  # YAML, shown as written: not read as Markdown
    findings = scan(tmp_path, "code.md", text)
    lines = text.split("\n")
    number = next(n for n, line in enumerate(lines, start=1) if line.startswith("代码里写全的号码"))
    assert locations(findings) == {(RULES["mobile"], number, len("代码里写全的号码 `") + 1)}


def test_decoys_wrapped_in_markup_are_quiet(tmp_path):
    body = "\n\n".join(f"{open_}{decoy}{close}" for decoy in QUIET
                       for open_, close in (("**", "**"), ("<b>", "</b>"), ("*", "*"), ("`", "`")))
    assert scan(tmp_path, "decoys.md", story(body + "\n")) == []


# --- suspected IDs: an ID's region code and birth date, a wrong check character ----------------------


def test_a_suspected_id_is_an_error_that_says_so_and_shows_only_the_masked_form(tmp_path):
    value = wrong_check(PEOPLE[0].id_number)
    text = story(f"经审核，王小明（身份证号{value}）符合条件。\n")
    findings = scan(tmp_path, "typo.md", text)
    line = text.split("\n").index(f"经审核，王小明（身份证号{value}）符合条件。") + 1
    assert locations(findings) == {(RULES["id"], line, len("经审核，王小明（身份证号") + 1)}
    [finding] = findings
    assert finding.severity is Severity.ERROR
    assert "疑似身份证号，校验位不符" in finding.message
    assert mask_id(value) in finding.message and mask_id(value) in finding.suggestion
    assert value not in finding.message and value not in finding.suggestion
    assert "mzpress mask" in finding.suggestion


def test_suspected_ids_in_csv_and_in_markup(tmp_path):
    value = wrong_check(PEOPLE[3].id_number)
    findings = scan(tmp_path, "list.csv", f"姓名,身份证号码\n张三,{value}\n")
    assert [(f.rule, f.line, "校验位不符" in f.message) for f in findings] == [(RULES["id"], 2, True)]
    hidden = f"{value[:6]}**{value[6:14]}**{value[14:]}"
    findings = scan(tmp_path, "bold.md", story(f"证号 {hidden}。\n"))
    assert [(f.rule, "校验位不符" in f.message) for f in findings] == [(RULES["id"], True)]


def test_the_former_wrong_check_decoys_are_reported(tmp_path):
    findings = scan(tmp_path, "typos.md", story("\n\n".join(sorted(WRONG_CHECK)) + "\n"))
    assert [(f.rule, "疑似身份证号，校验位不符" in f.message) for f in findings] == [(RULES["id"], True)] * 2


# --- invisible characters and unusual separators ------------------------------------------------------


def test_identifiers_split_by_invisible_characters_are_found_at_their_column(tmp_path):
    mobile, value = PEOPLE[1].mobile, PEOPLE[0].id_number
    soft = f"{mobile[:3]}\u00ad{mobile[3:7]}\u00ad{mobile[7:]}"
    zwsp = "\u200b".join(value)
    hyphens = f"{mobile[:3]}\u2011{mobile[3:7]}\u2011{mobile[7:]}"
    line = f"电话{soft}，证号{zwsp}，又{hyphens}。"
    text = story(line + "\n")
    findings = scan(tmp_path, "invisible.md", text)
    number = text.split("\n").index(line) + 1
    assert locations(findings) == {
        (RULES["mobile"], number, line.index(soft) + 1),
        (RULES["id"], number, line.index(zwsp) + 1),
        (RULES["mobile"], number, line.index(hyphens) + 1),
    }
    # The masked form is shown as the reader sees it: without the invisible characters, separators kept.
    shown = {line.index(soft) + 1: mask_mobile(mobile), line.index(zwsp) + 1: mask_id(value),
             line.index(hyphens) + 1: f"{mobile[:3]}\u2011****\u2011{mobile[7:]}"}
    for finding in sorted(findings, key=lambda f: f.column):
        assert mobile not in finding.message and value not in finding.message
        assert f"“{shown[finding.column]}”" in finding.message and f"“{shown[finding.column]}”" in finding.suggestion
        assert ("看不见的字符" in finding.message) is (finding.column != line.index(hyphens) + 1)


# --- front matter: what YAML decodes is what is published ---------------------------------------------


def front_matter(*lines: str, body: str = "正文。\n") -> str:
    return ("---\ntitle: 公示\ndate: 2025-03-12 09:30\nunit: social-assistance\nauthor: 李晓梅\neditor: 王建国\n"
            + "".join(line + "\n" for line in lines) + f"---\n\n{body}")


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if line.startswith(start))


def test_a_yaml_escape_in_a_double_quoted_summary_is_decoded_and_found(tmp_path):
    mobile = PEOPLE[1].mobile  # 15907971234
    escaped = mobile[:3] + "\\x" + f"{ord(mobile[3]):02x}" + mobile[4:]
    text = front_matter(f'summary: "请联系{escaped}报名"')
    assert mobile not in text
    findings = scan(tmp_path, "escape.md", text)
    assert [(f.rule, f.line, f.column) for f in findings] == [(RULES["mobile"], line_of(text, "summary:"), None)]
    [finding] = findings
    assert "summary" in finding.message and mask_mobile(mobile) in finding.message
    assert mobile not in finding.message and mobile not in finding.suggestion


def test_unicode_escapes_in_a_list_of_tags_and_nested_values_are_found(tmp_path):
    mobile, value = PEOPLE[2].mobile, PEOPLE[3].id_number
    unicode_escaped = "".join(f"\\u{ord(ch):04x}" for ch in mobile)
    text = front_matter("tags:", "  - 低保", f'  - "{unicode_escaped}"',
                        "contacts:", "  - name: 张三", f'    id: "{value[:9]}\\', f'      {value[9:]}"')
    findings = scan(tmp_path, "nested.md", text)
    assert sorted((f.rule, f.line) for f in findings) == sorted([
        (RULES["mobile"], line_of(text, f'  - "{unicode_escaped}"')),
        (RULES["id"], line_of(text, "    id:")),
    ])


def test_a_number_yaml_reads_as_an_integer_is_found(tmp_path):
    mobile = PEOPLE[0].mobile
    text = front_matter(f"phone: {mobile}", f"fax: {hex(int(PEOPLE[3].mobile))}")
    findings = scan(tmp_path, "int.md", text)
    # As written on the phone line; decoded from hexadecimal on the fax line (the same number is not repeated).
    assert sorted((f.rule, f.line, f.column is None) for f in findings) == [
        (RULES["mobile"], line_of(text, "phone:"), False), (RULES["mobile"], line_of(text, "fax:"), True)]


def test_a_number_found_as_written_is_not_reported_again_when_decoded(tmp_path):
    mobile, other = PEOPLE[0].mobile, PEOPLE[1].mobile
    text = front_matter(f"summary: 电话 {mobile}", "description: |", "  第一行", f"  电话 {other}",
                        f'note: "再写一次 {mobile}"')
    findings = scan(tmp_path, "twice.md", text)
    assert sorted((f.line, f.column is not None) for f in findings) == [
        (line_of(text, "summary:"), True), (line_of(text, "  电话"), True), (line_of(text, "note:"), True)]


def test_an_alias_publishes_a_value_twice_and_is_reported_at_the_alias(tmp_path):
    mobile = PEOPLE[3].mobile
    text = front_matter(f'contact: &phone "{mobile}"', "again: *phone")
    findings = scan(tmp_path, "alias.md", text)
    assert sorted((f.line, f.column is None) for f in findings) == [
        (line_of(text, "contact:"), False), (line_of(text, "again:"), True)]


def test_a_front_matter_that_does_not_parse_is_left_to_other_checks(tmp_path):
    mobile = PEOPLE[0].mobile
    text = front_matter('summary: "未闭合的引号 ' + mobile, "tags: [a, b")
    findings = scan(tmp_path, "broken.md", text)
    assert locations(findings) == {(RULES["mobile"], line_of(text, "summary:"), len('summary: "未闭合的引号 ') + 1)}
    assert scan(tmp_path, "none.md", f"没有信息区的文件 {mobile}\n") != []


def test_aliases_nested_ten_deep_are_read_once_not_ten_billion_times(tmp_path):
    levels = ['a0: &a0 ["x", "y", "z", "w", "v", "u", "t", "s", "r", "q"]']
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 11)]
    text = front_matter(*levels, 'x: "13\\x3812345678"')
    findings = scan(tmp_path, "laughs.md", text)
    assert [(f.rule, f.line) for f in findings] == [(RULES["mobile"], line_of(text, "x:"))]


def test_decoded_front_matter_is_not_read_in_csv_or_txt(tmp_path):
    text = front_matter('summary: "139\\x312345678"')
    assert scan(tmp_path, "notes.txt", text) == []
