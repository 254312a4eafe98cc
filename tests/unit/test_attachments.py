"""The attachment privacy check on generated .xlsx, .docx, .pdf files (mzpress.text.attachments)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from pypdf import PdfWriter
from reportlab.pdfgen import canvas

from mzpress.checks.attachments import scan_attachment
from mzpress.checks.context import CheckContext
from mzpress.checks.registry import attachment_checks
from mzpress.model.findings import Severity
from mzpress.text.attachments import csv_pieces, read_pieces, sheet_ref
from tests.support.personal_data import DECOYS, PEOPLE, fullwidth, write_docx, write_pdf, write_xlsx

RULE = {"id_number": "privacy.id-number", "mobile": "privacy.mobile", "card": "privacy.bank-card"}


def check(path: Path):
    return scan_attachment(path, path.name, CheckContext(root=path.parent))


def where(finding) -> str:
    return finding.message.split("：", 1)[0]


def xlsx_expected(people) -> set[tuple[str, str]]:
    expected = set()
    for n, _ in enumerate(people, start=3):
        expected |= {(RULE["id_number"], f"低保名单!D{n}"), (RULE["mobile"], f"低保名单!E{n}"),
                     (RULE["card"], f"低保名单!F{n}")}
    return expected


def docx_expected(people) -> set[tuple[str, str]]:
    expected = {(RULE["id_number"], "第2段"), (RULE["mobile"], "页脚")}
    for r, _ in enumerate(people, start=2):
        expected |= {(RULE["id_number"], f"第1个表格第{r}行第4列"),
                     (RULE["mobile"], f"第1个表格第{r}行第5列"),
                     (RULE["card"], f"第1个表格第{r}行第6列")}
    return expected


def person_line(p) -> str:
    return f"{p.name} {p.village} {p.id_number} {p.mobile} {p.card}"


def found(findings) -> set[tuple[str, str]]:
    return {(f.rule, where(f)) for f in findings}


def test_registered_as_an_attachment_check():
    assert scan_attachment in attachment_checks()


def test_xlsx_every_leak_at_its_cell(tmp_path):
    path = tmp_path / "dibao.xlsx"
    write_xlsx(path, PEOPLE)
    findings = check(path)
    assert len(findings) == 3 * len(PEOPLE)
    assert found(findings) == xlsx_expected(PEOPLE)
    for f in findings:
        assert f.severity is Severity.ERROR and f.line is None and f.column is None
        assert f.file == "dibao.xlsx"
    assert all(p.id_number not in f.message for f in findings for p in PEOPLE)
    data = json.dumps([f.to_dict() for f in findings], ensure_ascii=False)
    assert "低保名单!D3：" in data


def test_xlsx_hidden_sheet_and_quoted_sheet_name(tmp_path):
    path = tmp_path / "hidden.xlsx"
    write_xlsx(path, [p.masked for p in PEOPLE], hidden_extra=f"备注：{PEOPLE[0].id_number}")
    findings = check(path)
    assert [(f.rule, where(f)) for f in findings] == [(RULE["id_number"], "'备用 1'!B2（隐藏的工作表）")]
    assert sheet_ref("Sheet1", "A1") == "Sheet1!A1"


def test_xlsx_masked_and_decoys_are_clean(tmp_path):
    path = tmp_path / "masked.xlsx"
    write_xlsx(path, [p.masked for p in PEOPLE], mobile_as_number=False)
    assert check(path) == []
    decoys = tmp_path / "decoys.xlsx"
    wb = openpyxl.Workbook()
    for text in DECOYS:
        wb.active.append([text, 20250312, 2025031200123456.0])
    wb.save(decoys)
    assert check(decoys) == []


def test_xlsx_with_a_wrong_dimension_is_read_completely(tmp_path):
    path = tmp_path / "dims.xlsx"
    write_xlsx(path, PEOPLE[:1])
    # Rewrite the sheet's <dimension> as A1:A1, as some generators do.
    import zipfile

    src = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b'<dimension ref="A1:F3"/>', b'<dimension ref="A1:A1"/>')
                assert b'ref="A1:A1"' in data
            dst.writestr(item, data)
    src.close()
    path.write_bytes(out.getvalue())
    assert found(check(path)) == xlsx_expected(PEOPLE[:1])


def test_docx_paragraphs_tables_footer_and_split_runs(tmp_path):
    path = tmp_path / "gongshi.docx"
    write_docx(path, PEOPLE)
    findings = check(path)
    assert found(findings) == docx_expected(PEOPLE)
    assert len(findings) == len(docx_expected(PEOPLE))
    assert all(f.line is None and f.severity is Severity.ERROR for f in findings)


def test_docx_tracked_deletion_is_still_in_the_file(tmp_path):
    path = tmp_path / "tracked.docx"
    document = docx.Document()
    paragraph = document.add_paragraph("删除前的内容：")
    deletion = OxmlElement("w:del")
    deletion.set(qn("w:id"), "1")
    deletion.set(qn("w:author"), "李晓梅")
    run = OxmlElement("w:r")
    text = OxmlElement("w:delText")
    text.text = PEOPLE[1].mobile
    run.append(text)
    deletion.append(run)
    paragraph._p.append(deletion)
    document.save(path)
    assert found(check(path)) == {(RULE["mobile"], "第1段")}


def test_docx_masked_and_decoys_are_clean(tmp_path):
    path = tmp_path / "masked.docx"
    write_docx(path, [p.masked for p in PEOPLE], extra_paragraphs=DECOYS)
    assert check(path) == []


def test_docx_embedded_spreadsheet_is_read(tmp_path):
    sheet = tmp_path / "inner.xlsx"
    write_xlsx(sheet, PEOPLE[:1])
    path = tmp_path / "outer.docx"
    write_docx(path, [p.masked for p in PEOPLE])
    import zipfile

    with zipfile.ZipFile(path, "a") as archive:
        archive.write(sheet, "word/embeddings/Microsoft_Excel_Worksheet.xlsx")
    findings = check(path)
    assert {where(f) for f in findings} == {
        f"嵌入的对象 Microsoft_Excel_Worksheet.xlsx 中 {cell}" for _, cell in xlsx_expected(PEOPLE[:1])}


def test_pdf_leaks_by_page(tmp_path):
    path = tmp_path / "list.pdf"
    write_pdf(path, [
        ["城关镇城乡低保对象名单", person_line(PEOPLE[0]), person_line(PEOPLE[1].masked)],
        ["（续）", person_line(PEOPLE[2]), f"老人 {fullwidth(PEOPLE[3].id_number)}"],
    ])
    findings = check(path)
    assert sorted((f.rule, where(f)) for f in findings) == sorted([
        (RULE["id_number"], "第1页"), (RULE["mobile"], "第1页"), (RULE["card"], "第1页"),
        (RULE["id_number"], "第2页"), (RULE["mobile"], "第2页"), (RULE["card"], "第2页"),
        (RULE["id_number"], "第2页"),
    ])


def test_pdf_masked_and_decoys_are_clean(tmp_path):
    path = tmp_path / "masked.pdf"
    write_pdf(path, [[person_line(p.masked) for p in PEOPLE], DECOYS])
    assert check(path) == []


def test_pdf_without_text_is_a_warning(tmp_path):
    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(100, 100, 200, 200, fill=1)
    pdf.showPage()
    pdf.save()
    findings = check(path)
    assert [(f.rule, f.severity) for f in findings] == [("attachment.no-text", Severity.WARNING)]


def test_encrypted_pdf_is_a_clear_error(tmp_path):
    plain = tmp_path / "plain.pdf"
    write_pdf(plain, [[person_line(PEOPLE[0])]])
    writer = PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    findings = check(path)
    assert [(f.rule, f.severity) for f in findings] == [("attachment.unreadable", Severity.ERROR)]
    assert "密码" in findings[0].message


@pytest.mark.parametrize("name, content, words", [
    ("broken.xlsx", b"PK\x03\x04 this is not a workbook", "损坏"),
    ("broken.docx", b"plain text renamed to docx", "损坏"),
    ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "密码"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "密码"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "损坏"),
    ("empty.pdf", b"", "损坏"),
])
def test_corrupt_and_encrypted_files_are_one_clear_error(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    findings = check(path)
    assert [(f.rule, f.severity) for f in findings] == [("attachment.unreadable", Severity.ERROR)]
    assert words in findings[0].message


@pytest.mark.parametrize("name, target", [
    ("old.xls", ".xlsx"), ("old.doc", ".docx"), ("old.wps", ".docx"), ("old.et", ".xlsx")])
def test_legacy_formats_ask_for_conversion(tmp_path, name, target):
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    findings = check(path)
    assert [(f.rule, f.severity) for f in findings] == [("attachment.legacy-format", Severity.ERROR)]
    assert target in findings[0].suggestion and "另存为" in findings[0].suggestion


def test_other_files_are_ignored(tmp_path):
    for name in ("photo.jpg", "logo.svg", "list.csv", "notes.txt", "page.md"):
        path = tmp_path / name
        path.write_text(PEOPLE[0].id_number, encoding="utf-8")
        assert check(path) == [], name  # CSV/TXT/MD belong to the text check


def test_csv_and_txt_readers_locate_rows_and_columns(tmp_path):
    person = PEOPLE[0]
    raw = f"姓名,身份证号码\n{person.name},{person.id_number}\n".encode("gb18030")
    assert [(p.where, p.text) for p in csv_pieces(raw) if p.text == person.id_number] == [
        ("第2行第2列", person.id_number)]
    path = tmp_path / "notes.txt"
    path.write_text(f"第一行\n电话 {person.mobile}\n", encoding="utf-8")
    assert [p.where for p in read_pieces(path) if person.mobile in p.text] == ["第2行"]


def test_docx_text_box_is_read_once(tmp_path):
    # Word keeps a text box twice: the drawing (mc:Choice) and a VML copy (mc:Fallback).
    from docx.oxml import parse_xml

    path = tmp_path / "textbox.docx"
    document = docx.Document()
    paragraph = document.add_paragraph("见右侧文本框")
    box = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:txbxContent><w:p><w:r>"
        f"<w:t>联系电话{PEOPLE[0].mobile}</w:t></w:r></w:p></w:txbxContent></mc:Choice>"
        "<mc:Fallback><w:txbxContent><w:p><w:r>"
        f"<w:t>联系电话{PEOPLE[0].mobile}</w:t></w:r></w:p></w:txbxContent></mc:Fallback>"
        "</mc:AlternateContent></w:r>")
    paragraph._p.append(parse_xml(box))
    document.save(path)
    findings = check(path)
    assert [(f.rule, where(f)) for f in findings] == [(RULE["mobile"], "第1段的文本框")]
