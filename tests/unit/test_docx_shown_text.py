"""A Word number split across runs reads as one in the text the attachment check scans."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from mzpress.checks.attachments import scan_attachment
from mzpress.checks.context import CheckContext
from mzpress.text.attachments import docx_pieces
from tests.support.personal_data import PEOPLE

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MOBILE = PEOPLE[0].mobile


def _formatting(p) -> None:
    p.add_run(MOBILE[:3]).bold = True
    p.add_run(MOBILE[3:7]).italic = True
    run = p.add_run(MOBILE[7:])
    run.font.superscript = True
    run.font.name = "宋体"


def _hyperlink_and_bookmark(p) -> None:
    p.add_run(MOBILE[:3])
    p._p.append(parse_xml(f'<w:proofErr {W} w:type="spellStart"/>'))
    p._p.append(parse_xml(f'<w:bookmarkStart {W} w:id="0" w:name="tel"/>'))
    p._p.append(parse_xml(f"<w:hyperlink {W}><w:r><w:t>{MOBILE[3:7]}</w:t></w:r></w:hyperlink>"))
    p.add_run(MOBILE[7:])


def _field(p) -> None:  # { MERGEFIELD 中间四位 } shows its result, 1234, between 138 and 5678
    p.add_run(MOBILE[:3])
    for xml in ('<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>',
                '<w:r {W}><w:instrText xml:space="preserve"> MERGEFIELD 中间四位 </w:instrText></w:r>',
                '<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>',
                f"<w:r {{W}}><w:rPr><w:b/></w:rPr><w:t>{MOBILE[3:7]}</w:t></w:r>",
                '<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'):
        p._p.append(parse_xml(xml.format(W=W)))
    p.add_run(MOBILE[7:])


def _tracked_deletion(p) -> None:  # the writer deleted a wrong digit with revision marks on
    p.add_run(MOBILE[:3])
    p._p.append(parse_xml(f'<w:del {W} w:id="1" w:author="李晓梅"><w:r><w:delText>0</w:delText></w:r></w:del>'))
    p.add_run(MOBILE[3:])


def _hidden_run(p) -> None:
    p.add_run(MOBILE[:3])
    p._p.append(parse_xml(f"<w:r {W}><w:rPr><w:vanish/></w:rPr><w:t>99</w:t></w:r>"))
    p.add_run(MOBILE[3:])


@pytest.mark.parametrize("build", [_formatting, _hyperlink_and_bookmark, _field, _tracked_deletion, _hidden_run])
def test_a_mobile_split_across_runs_is_found_once(tmp_path: Path, build):
    path = tmp_path / "split.docx"
    document = docx.Document()
    document.add_paragraph("2025年3月城乡低保对象名单公示")
    build(document.add_paragraph("联系电话："))
    document.save(path)
    findings = scan_attachment(path, path.name, CheckContext(root=tmp_path))
    assert [(f.rule, f.message.split("：", 1)[0]) for f in findings] == [("privacy.mobile", "第2段")]
    assert MOBILE not in findings[0].message


def test_the_shown_text_is_kept_only_when_it_differs(tmp_path: Path):
    path = tmp_path / "two.docx"
    document = docx.Document()
    _formatting(document.add_paragraph("甲："))
    _field(document.add_paragraph("乙："))
    document.save(path)
    pieces = list(docx_pieces(path))
    assert [(piece.text, piece.shown) for piece in pieces] == [
        (f"甲：{MOBILE}", None),
        (f"乙：{MOBILE[:3]}\n MERGEFIELD 中间四位 \n{MOBILE[3:]}", f"乙：{MOBILE}"),
    ]


def test_a_number_in_both_readings_is_one_finding(tmp_path: Path):
    path = tmp_path / "both.docx"
    document = docx.Document()
    p = document.add_paragraph(f"电话 {PEOPLE[1].mobile}，")
    _tracked_deletion(p)  # this paragraph reads differently on screen, but the first number is in both
    document.save(path)
    findings = scan_attachment(path, path.name, CheckContext(root=tmp_path))
    assert sorted(f.message.split("“")[1].split("”")[0] for f in findings) == sorted(
        [PEOPLE[1].mobile[:3] + "****" + PEOPLE[1].mobile[-4:], MOBILE[:3] + "****" + MOBILE[-4:]])
