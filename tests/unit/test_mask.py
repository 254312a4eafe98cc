"""``mzpress mask``: de-identified copies of Markdown, CSV, TXT, XLSX and DOCX lists (mzpress.editing.masking)."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import openpyxl
import pytest

from mzpress.checks.attachments import scan_attachment
from mzpress.checks.context import CheckContext
from mzpress.checks.privacy import scan_string
from mzpress.cli import main
from mzpress.cli.commands.mask import verify
from mzpress.editing.masking import (
    NAME,
    default_output,
    is_name_header,
    mask_csv_text,
    mask_file,
    mask_markdown,
    mask_names,
)
from mzpress.text.attachments import read_pieces
from mzpress.text.identifiers import Kind
from tests.support.personal_data import (
    DECOYS,
    PEOPLE,
    id18,
    mask_card,
    mask_id,
    mask_mobile,
    story,
    table,
    write_docx,
    write_xlsx,
    wrong_check,
)

# IDs with a wrong check character are suspected IDs (masked), no longer decoys.
WRONG_CHECK = {"身份证号码有误：" + wrong_check(id18("360723", "19900101", "123")),
               "身份证号码有误：" + wrong_check(id18("620102", "19700707", "555"))}
QUIET = [text for text in DECOYS if text not in WRONG_CHECK]


def privacy_findings(path: Path):
    if path.suffix in (".md", ".csv", ".txt"):
        return scan_string(path.read_text(encoding="utf-8"), path.name)
    return scan_attachment(path, path.name, CheckContext(root=path.parent))


def run_cli(capsys, *args) -> tuple[int, str, str]:
    code = main(["mask", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_name_headers():
    for header in ("姓名", "户主姓名", "户主", "申请人", "联系人", "监护人姓名", " 姓 名 ", "*姓名：", "姓名（户主）"):
        assert is_name_header(header), header
    for header in ("联系人电话", "身份证号码", "村（社区）", "序号", "", "备注"):
        assert not is_name_header(header), header
    assert mask_names("王小明、李四") == ("王**、李*", 2)
    assert mask_names("张\u3000三") == ("张\u3000*", 1)  # padded to line up with three-character names
    assert mask_names("王小明 / 李四") == ("王** / 李*", 2)
    assert mask_names("合计") == ("合计", 0)
    assert mask_names("12") == ("12", 0)


def test_markdown_table_names_and_identifiers(tmp_path):
    text = story("公示名单如下：\n\n" + table(PEOPLE) + f"\n联系人：{PEOPLE[0].mobile}\n")
    masked, counts = mask_markdown(text)
    assert counts == {Kind.ID_NUMBER: 4, Kind.MOBILE: 5, Kind.BANK_CARD: 4, NAME: 4}
    assert [len(line) for line in masked.split("\n")] == [len(line) for line in text.split("\n")]
    expected = story("公示名单如下：\n\n" + table([p.masked for p in PEOPLE])
                     + f"\n联系人：{mask_mobile(PEOPLE[0].mobile)}\n")
    assert masked == expected
    assert "| 1 | 王** | 城关社区 |" in masked and "| 3 | 欧阳** | 新民村 |" in masked
    assert scan_string(masked, "x.md") == []


def test_markdown_table_without_a_name_column_keeps_names(tmp_path):
    text = "| 项目 | 负责人 |\n|---|---|\n| 敬老 | 王建国 |\n"
    assert mask_markdown(text) == (text, {})


def test_md_file_masked_copy_passes_and_input_is_unchanged(tmp_path, capsys):
    src = tmp_path / "gongshi.md"
    src.write_text(story(table(PEOPLE)), encoding="utf-8")
    before = src.read_bytes()
    assert privacy_findings(src)
    code, out, _ = run_cli(capsys, src)
    assert code == 0, out
    assert src.read_bytes() == before
    dst = tmp_path / "gongshi.masked.md"
    assert dst == default_output(src) and dst.exists()
    assert "身份证号4处" in out and "姓名4处" in out and "复查通过" in out
    assert privacy_findings(dst) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gongshi.masked.md", "gongshi.md"]


def test_csv_in_gb18030_becomes_a_clean_utf8_copy(tmp_path):
    lines = ["2025年3月特困人员名单", "序号,姓名,身份证号码,联系电话,备注"]
    lines += [f"{n},{p.name},{p.id_number},{p.mobile},{DECOYS[0]}" for n, p in enumerate(PEOPLE, start=1)]
    src = tmp_path / "tekun.csv"
    src.write_bytes("\r\n".join(lines).encode("gb18030") + b"\r\n")
    before = src.read_bytes()
    result = mask_file(src, tmp_path / "out.csv")
    assert src.read_bytes() == before
    text = (tmp_path / "out.csv").read_bytes().decode("utf-8")
    assert result.counts == {Kind.ID_NUMBER: 4, Kind.MOBILE: 4, NAME: 4}
    rows = text.split("\r\n")
    assert rows[0] == lines[0] and rows[1] == lines[1]
    assert rows[2] == f"1,王**,{mask_id(PEOPLE[0].id_number)},{mask_mobile(PEOPLE[0].mobile)},{DECOYS[0]}"
    assert privacy_findings(tmp_path / "out.csv") == []


def test_txt_masks_identifiers(tmp_path):
    src = tmp_path / "notes.txt"
    src.write_text(f"户主 {PEOPLE[1].name}\n卡号 {PEOPLE[1].card}\n", encoding="utf-8")
    result = mask_file(src, default_output(src))
    assert result.counts == {Kind.BANK_CARD: 1}
    assert mask_card(PEOPLE[1].card) in result.output.read_text(encoding="utf-8")


def test_xlsx_masked_copy(tmp_path, capsys):
    src = tmp_path / "dibao.xlsx"
    write_xlsx(src, PEOPLE, hidden_extra=f"备注：{PEOPLE[0].id_number}")
    before = src.read_bytes()
    code, out, _ = run_cli(capsys, src)
    assert code == 0, out
    assert src.read_bytes() == before
    dst = tmp_path / "dibao.masked.xlsx"
    assert privacy_findings(dst) == []
    wb = openpyxl.load_workbook(dst)
    ws = wb["低保名单"]
    assert ws["A1"].value == "2025年3月城关镇城乡低保对象名单"
    assert [c.value for c in ws[2]] == ["序号", "户主姓名", "村（社区）", "身份证号码", "联系电话", "银行卡号"]
    for row, person in enumerate(PEOPLE, start=3):
        assert [c.value for c in ws[row]] == [row - 2, person.masked_name, person.village,
                                              mask_id(person.id_number), mask_mobile(person.mobile),
                                              mask_card(person.card)]
    assert wb["备用 1"].sheet_state == "hidden"
    assert wb["备用 1"]["B2"].value == f"备注：{mask_id(PEOPLE[0].id_number)}"


def test_docx_masked_copy_keeps_text_and_runs(tmp_path, capsys):
    src = tmp_path / "gongshi.docx"
    write_docx(src, PEOPLE, extra_paragraphs=QUIET)
    before = src.read_bytes()
    code, out, _ = run_cli(capsys, src, "-o", tmp_path / "out.docx")
    assert code == 0, out
    assert src.read_bytes() == before
    dst = tmp_path / "out.docx"
    assert privacy_findings(dst) == []
    document = docx.Document(dst)
    first = PEOPLE[0]
    assert document.paragraphs[1].text == f"户主{first.name}，身份证号{mask_id(first.id_number)}。"
    assert len(document.paragraphs[1].runs) == 4  # runs kept, text rewritten inside them
    assert [p.text for p in document.paragraphs[2:2 + len(QUIET)]] == QUIET
    rows = document.tables[0].rows
    assert [c.text for c in rows[0].cells][1] == "户主姓名"
    for row, person in zip(rows[1:], PEOPLE):
        assert [c.text for c in row.cells][1:] == [person.masked_name, person.village, mask_id(person.id_number),
                                                   mask_mobile(person.mobile), mask_card(person.card)]
    assert document.sections[0].footer.paragraphs[0].text == f"咨询电话：{mask_mobile(PEOPLE[1].mobile)}"


def test_mask_output_passes_mzpress_scan(tmp_path, capsys):
    src = tmp_path / "dibao.xlsx"
    write_xlsx(src, PEOPLE)
    assert main(["scan", "--format", "json", str(src)]) == 1
    assert any(f["rule"].startswith("privacy.") for f in json.loads(capsys.readouterr().out))
    assert run_cli(capsys, src)[0] == 0
    main(["scan", "--format", "json", str(tmp_path / "dibao.masked.xlsx")])
    findings = json.loads(capsys.readouterr().out)
    assert [f for f in findings if f["rule"].startswith(("privacy.", "attachment."))] == []


def test_refuses_to_overwrite_without_force_and_keeps_a_backup_with_it(tmp_path, capsys):
    # outside any project the replaced copy is kept beside it (in a project: .mzpress-backup/, see test_backups.py)
    src = tmp_path / "list.md"
    src.write_text(story(table(PEOPLE[:1])), encoding="utf-8")
    dst = default_output(src)
    dst.write_text("writer's own file", encoding="utf-8")
    code, _, err = run_cli(capsys, src)
    assert code == 2 and "--force" in err
    assert dst.read_text(encoding="utf-8") == "writer's own file"
    code, out, _ = run_cli(capsys, src, "--force")
    assert code == 0
    assert (tmp_path / "list.masked.md.bak").read_text(encoding="utf-8") == "writer's own file"
    assert privacy_findings(dst) == []
    assert "list.masked.md.bak" in out


def test_never_writes_over_the_input(tmp_path, capsys):
    src = tmp_path / "list.md"
    src.write_text(story(table(PEOPLE[:1])), encoding="utf-8")
    before = src.read_bytes()
    code, _, err = run_cli(capsys, src, "-o", src, "--force")
    assert code == 2 and "原文件" in err
    assert src.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.md"]


@pytest.mark.parametrize("name, content, words", [
    ("list.pdf", b"%PDF-1.4", "PDF"),
    ("list.xls", b"\xd0\xcf\x11\xe0", "另存为"),
    ("photo.jpg", b"\xff\xd8", "不支持"),
    ("broken.xlsx", b"PK\x03\x04 broken", "无法读取"),
    ("broken.docx", b"not a zip", "无法读取"),
])
def test_unsupported_or_broken_inputs_exit_2_without_output(tmp_path, capsys, name, content, words):
    src = tmp_path / name
    src.write_bytes(content)
    code, _, err = run_cli(capsys, src)
    assert code == 2 and words in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_missing_input_and_missing_output_folder(tmp_path, capsys):
    code, _, err = run_cli(capsys, tmp_path / "nope.csv")
    assert code == 2 and "找不到" in err
    src = tmp_path / "a.csv"
    src.write_text("姓名\n王小明\n", encoding="utf-8")
    code, _, err = run_cli(capsys, src, "-o", tmp_path / "missing" / "b.csv")
    assert code == 2 and "不存在" in err


def test_masked_pieces_match_what_the_scanner_reads(tmp_path):
    # What mask rewrites is what the scanner reads: a docx and an xlsx round trip to zero findings.
    for name, writer in (("a.docx", write_docx), ("a.xlsx", write_xlsx)):
        src = tmp_path / name
        writer(src, PEOPLE)
        assert privacy_findings(src)
        out = mask_file(src, tmp_path / f"out-{name}").output
        assert privacy_findings(out) == []
        assert list(read_pieces(out))


def test_docx_text_box_copies_and_tracked_deletions_are_masked_in_the_file(tmp_path):
    import zipfile

    from docx.oxml import parse_xml

    mobile, id_number = PEOPLE[0].mobile, PEOPLE[1].id_number
    src = tmp_path / "box.docx"
    document = docx.Document()
    paragraph = document.add_paragraph("见文本框")
    content = f"<w:txbxContent><w:p><w:r><w:t>电话{mobile}</w:t></w:r></w:p></w:txbxContent>"
    paragraph._p.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f'<mc:AlternateContent><mc:Choice Requires="wps">{content}</mc:Choice>'
        f"<mc:Fallback>{content}</mc:Fallback></mc:AlternateContent></w:r>"))
    paragraph._p.append(parse_xml(
        '<w:del xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:id="1"'
        f' w:author="李晓梅"><w:r><w:delText>{id_number}</w:delText></w:r></w:del>'))
    document.save(src)
    result = mask_file(src, tmp_path / "out.docx")
    assert result.counts == {Kind.MOBILE: 2, Kind.ID_NUMBER: 1}
    with zipfile.ZipFile(result.output) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert mobile not in xml and id_number not in xml
    assert xml.count(mask_mobile(mobile)) == 2 and mask_id(id_number) in xml
    assert privacy_findings(result.output) == []


def test_docx_footnotes_are_scanned_and_masked(tmp_path):
    # python-docx keeps footnotes as raw bytes; they must be read and rewritten too.
    import zipfile

    plain = tmp_path / "plain.docx"
    write_docx(plain, [p.masked for p in PEOPLE])
    src = tmp_path / "notes.docx"
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    footnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">'
                 f'<w:footnote w:id="1"><w:p><w:r><w:t>经办人电话 {PEOPLE[3].mobile}</w:t></w:r></w:p>'
                 "</w:footnote></w:footnotes>")
    with zipfile.ZipFile(plain) as old, zipfile.ZipFile(src, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", (
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>'))
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>'))
            new.writestr(item, data)
        new.writestr("word/footnotes.xml", footnotes.encode("utf-8"))
    found = privacy_findings(src)
    assert [(f.rule, f.message.split("：", 1)[0]) for f in found] == [("privacy.mobile", "脚注")]
    result = mask_file(src, tmp_path / "out.docx")
    assert result.counts == {Kind.MOBILE: 1}
    with zipfile.ZipFile(result.output) as archive:
        xml = archive.read("word/footnotes.xml").decode("utf-8")
    assert PEOPLE[3].mobile not in xml and mask_mobile(PEOPLE[3].mobile) in xml
    assert privacy_findings(result.output) == []


# --- suspected IDs, invisible characters, unusual separators --------------------------------------------


def test_a_suspected_id_is_masked_and_the_recheck_would_not_pass_it(tmp_path, capsys):
    typo = wrong_check(PEOPLE[0].id_number)
    src = tmp_path / "typo.md"
    src.write_text(story(f"王小明，身份证号{typo}，已核实。\n"), encoding="utf-8")
    assert [f.rule for f in verify(src)] == ["privacy.id-number"]  # what the recheck sees unmasked
    assert "校验位不符" in verify(src)[0].message
    code, out, _ = run_cli(capsys, src)
    assert code == 0, out
    assert "身份证号1处" in out and "复查通过" in out
    masked = default_output(src).read_text(encoding="utf-8")
    assert typo not in masked and mask_id(typo) in masked
    assert verify(default_output(src)) == []


def test_the_former_wrong_check_decoys_are_masked_like_ids():
    text = "\n".join(sorted(WRONG_CHECK)) + "\n"
    masked, counts = mask_markdown(text)
    assert counts == {Kind.ID_NUMBER: 2}
    for line in sorted(WRONG_CHECK):
        value = line.split("：", 1)[1]
        assert value not in masked and mask_id(value) in masked
    assert scan_string(masked, "x.md") == []


def test_numbers_split_by_invisible_characters_and_odd_hyphens_are_masked_in_place(tmp_path, capsys):
    mobile, value, other = PEOPLE[1].mobile, PEOPLE[2].id_number, PEOPLE[3].mobile
    zwsp = "\u200b".join(value)
    soft = f"{mobile[:3]}\u00ad{mobile[3:]}"
    hyphens = f"{other[:3]}\u2011{other[3:7]}\u2011{other[7:]}"
    text = story(f"| 姓名 | 身份证号码 | 电话 |\n|---|---|---|\n| 李桂英 | {zwsp} | {soft} |\n\n咨询：{hyphens}\n")
    masked, counts = mask_markdown(text)
    assert counts == {Kind.ID_NUMBER: 1, Kind.MOBILE: 2, NAME: 1}
    assert [len(line) for line in masked.split("\n")] == [len(line) for line in text.split("\n")]
    assert "\u200b".join(mask_id(value)) in masked
    assert f"{mobile[:3]}\u00ad****{mobile[7:]}" in masked
    assert f"{other[:3]}\u2011****\u2011{other[7:]}" in masked
    assert scan_string(masked, "x.md") == []
    src = tmp_path / "hidden.md"
    src.write_text(text, encoding="utf-8")
    code, out, _ = run_cli(capsys, src)
    assert code == 0 and "复查通过" in out, out


def test_a_suspected_id_and_a_disguised_mobile_in_csv_and_xlsx(tmp_path):
    typo = wrong_check(PEOPLE[3].id_number)
    mobile = PEOPLE[0].mobile
    masked, counts = mask_csv_text(f"姓名,身份证号码,电话\n张三,{typo},{mobile[:3]}\u2060{mobile[3:]}\n")
    assert counts == {Kind.ID_NUMBER: 1, Kind.MOBILE: 1, NAME: 1}
    assert masked.split("\n")[1] == f"张*,{mask_id(typo)},{mobile[:3]}\u2060****{mobile[7:]}"
    src = tmp_path / "list.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "身份证号码", "电话"])
    workbook.active.append(["张三", typo, f"{mobile[:3]}\u200b{mobile[3:]}"])
    workbook.save(src)
    assert {f.rule for f in privacy_findings(src)} == {"privacy.id-number", "privacy.mobile"}
    result = mask_file(src, tmp_path / "out.xlsx")
    assert result.counts == {Kind.ID_NUMBER: 1, Kind.MOBILE: 1, NAME: 1}
    assert privacy_findings(result.output) == []
    row = [c.value for c in openpyxl.load_workbook(result.output).active[2]]
    assert row == ["张*", mask_id(typo), f"{mobile[:3]}\u200b****{mobile[7:]}"]


def test_a_yaml_escape_in_the_front_matter_fails_the_recheck(tmp_path, capsys):
    # mask rewrites text as written; a number the YAML decoder assembles is left for a person, and
    # the recheck (which reads the decoded front matter) says so instead of passing the copy.
    mobile = PEOPLE[2].mobile
    escaped = mobile[:3] + "\\x" + f"{ord(mobile[3]):02x}" + mobile[4:]
    src = tmp_path / "escape.md"
    src.write_text(story("正文。\n", summary=f'"报名电话{escaped}"'), encoding="utf-8")
    code, out, err = run_cli(capsys, src)
    assert code == 1
    assert mask_mobile(mobile) in out and mobile not in out
    assert "人工处理" in err


# --- by page kind: a 公示 keeps names, masks addresses beyond the village; public numbers; in place ----------

from mzpress.editing.masking import (  # noqa: E402
    ADDRESS,
    LIST,
    NOTICE,
    kind_of,
    mask_address,
    mask_address_details,
    mask_xlsx,
)
from tests.support.project import mzpress, new_project, write  # noqa: E402

NOTICE_TABLE = ("| 序号 | 姓名 | 家庭住址 | 身份证号码 | 联系电话 |\n|---|---|---|---|---|\n"
                f"| 1 | 王小明 | 城关镇幸福村3组15号 | {PEOPLE[0].id_number} | {PEOPLE[0].mobile} |\n"
                f"| 2 | 欧阳秀兰 | 城关镇城关社区 | {PEOPLE[2].id_number} | {PEOPLE[2].mobile} |\n")


@pytest.mark.parametrize(("address", "masked", "count"), [
    ("城关镇幸福村3组15号", "城关镇幸福村*****", 1),
    ("城关镇幸福小区5栋2单元301室", "城关镇幸福小区*********", 1),
    ("县城人民路12号", "县城人民路***", 1),
    ("城关镇城关社区", "城关镇城关社区", 0),
    ("长岭村委会", "长岭村委会", 0),
    ("合计", "合计", 0),
    ("城关镇幸福村*****", "城关镇幸福村*****", 0),  # masked already
])
def test_an_address_keeps_the_village_and_hides_what_is_beyond(address, masked, count):
    assert mask_address(address) == (masked, count)


def test_a_notices_prose_hides_house_numbers_but_not_counts():
    text = "拟将王小明（住城关镇幸福村3组15号）纳入特困供养。全村15户、全区10户困难家庭已走访。"
    masked, places = mask_address_details(text)
    assert places == 1 and "幸福村*****）" in masked and "全村15户、全区10户" in masked
    assert len(masked) == len(text)


def test_a_notice_keeps_names_and_masks_ids_phones_and_addresses():
    masked, counts = mask_markdown(story(NOTICE_TABLE), kind=NOTICE)
    assert "| 1 | 王小明 | 城关镇幸福村***** |" in masked and "| 2 | 欧阳秀兰 | 城关镇城关社区 |" in masked
    assert mask_id(PEOPLE[0].id_number) in masked and mask_mobile(PEOPLE[2].mobile) in masked
    assert counts == {Kind.ID_NUMBER: 2, Kind.MOBILE: 2, ADDRESS: 1}
    assert scan_string(masked, "x.md") == []
    as_list, counts = mask_markdown(story(NOTICE_TABLE), kind=LIST)  # the same table as a list: surnames only
    assert "| 1 | 王** | 城关镇幸福村3组15号 |" in as_list and counts[NAME] == 2


def test_a_notice_spreadsheet_keeps_names_and_masks_the_address_column(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["姓名", "住址", "身份证号码"])
    book.active.append(["王小明", "城关镇幸福村3组15号", PEOPLE[0].id_number])
    src, out = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    book.save(src)
    with open(out, "wb") as stream:
        counts = mask_xlsx(src, stream, kind=NOTICE)
    row = [cell.value for cell in openpyxl.load_workbook(out).active[2]]
    assert row == ["王小明", "城关镇幸福村*****", mask_id(PEOPLE[0].id_number)]
    assert counts == {ADDRESS: 1, Kind.ID_NUMBER: 1}


def test_public_numbers_are_never_masked():
    text = "救助热线 139-0000-0000，联系人王小明 13812345678。"
    masked, counts = mask_markdown(text, public=["13900000000"])
    assert "139-0000-0000" in masked and "138****5678" in masked and counts == {Kind.MOBILE: 1}
    assert [f.rule for f in scan_string(text, "x.md", public=frozenset({"13900000000"}))] == ["privacy.mobile"]


def test_the_kind_follows_the_folder(tmp_path):
    assert kind_of(tmp_path / "content/notices/2026/gongshi.md") == NOTICE
    assert kind_of(tmp_path / "content/notices/2026/files/mingdan.xlsx") == NOTICE
    assert kind_of(tmp_path / "content/stories/2026/a.md") == LIST
    assert kind_of(tmp_path / "Downloads/notices/a.md") == LIST


def _notice_project(tmp_path):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    text = ("---\ntitle: 2026年特困供养人员公示\ndate: 2026-11-20 09:00\nunit: office\nauthor: 李晓梅\neditor: 王建国\n"
            "summary: 特困供养人员名单公示。\nstart: 2026-11-20\nend: 2026-11-27\n---\n\n"
            "如有异议，请拨打 13900000000 反映。\n\n" + NOTICE_TABLE)
    return root, write(root / "content/notices/2026/tekun-gongshi.md", text)


def test_mask_of_a_notice_in_content_works_in_place_and_passes_check(tmp_path):
    root, path = _notice_project(tmp_path)
    original = path.read_text(encoding="utf-8")
    before = mzpress(root, "check", "content/notices/2026/tekun-gongshi.md")
    assert "[privacy.id-number]" in before.stdout and "139****0000" not in before.stdout  # a public number
    result = mzpress(root, "mask", "content/notices/2026/tekun-gongshi.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已在原处脱敏" in result.stdout and "按公示脱敏" in result.stdout and "复查通过" in result.stdout
    assert "git diff --no-index -- " in result.stdout
    masked = path.read_text(encoding="utf-8")
    assert "王小明" in masked and "城关镇幸福村*****" in masked and "13900000000" in masked
    assert PEOPLE[0].id_number not in masked and PEOPLE[0].mobile not in masked
    assert sorted(p.name for p in path.parent.iterdir()) == ["tekun-gongshi.md"]  # no …masked.md in content/
    (backup,) = (root / ".mzpress-backup").rglob("tekun-gongshi.md.*")
    assert backup.read_text(encoding="utf-8") == original
    after = mzpress(root, "check", "content/notices/2026/tekun-gongshi.md")
    assert "privacy." not in after.stdout and "content.slug" not in after.stdout, after.stdout


def test_a_copy_inside_content_is_refused_and_a_list_elsewhere_gets_a_copy(tmp_path):
    root, path = _notice_project(tmp_path)
    refused = mzpress(root, "mask", str(path), "-o", str(path.with_name("copy.md")))
    assert refused.returncode == 2 and "不能放在 content/ 里" in refused.stderr
    assert not path.with_name("copy.md").exists()
    outside = write(root.parent / "mingdan.md", NOTICE_TABLE)
    made = mzpress(root, "mask", str(outside))
    assert made.returncode == 0 and "按名单脱敏" in made.stdout
    assert "| 1 | 王** |" in (root.parent / "mingdan.masked.md").read_text(encoding="utf-8")
    as_list = mzpress(root, "mask", str(path), "--kind", "list")
    assert as_list.returncode == 0 and "| 1 | 王** |" in path.read_text(encoding="utf-8")


def test_masking_in_place_twice_changes_nothing_the_second_time(tmp_path):
    from mzpress.editing.masking import mask_in_place

    root, _ = _notice_project(tmp_path)
    path = root / "content/notices/2026/files/mingdan.xlsx"
    path.parent.mkdir(parents=True)
    write_xlsx(path, PEOPLE[:2])
    first = mask_in_place(path, NOTICE)
    assert first.backup is not None and first.counts[Kind.ID_NUMBER] == 2
    data = path.read_bytes()
    second = mask_in_place(path, NOTICE)
    assert second.backup is None and not second.counts and path.read_bytes() == data
