"""Synthetic personal data for the privacy tests: valid IDs, mobiles, bank cards, and decoys.

Check characters and Luhn digits are computed here from the published rules (GB 11643,
ISO/IEC 7812), independently of ``mzpress.text.identifiers``, so the tests do not grade the code
with its own answers. Everything is deterministic; no real person's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def id18(region: str = "360723", birth: str = "19900101", seq: str = "123", lower: bool = False) -> str:
    first17 = region + birth + seq
    assert len(first17) == 17
    check = _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]
    return first17 + (check.lower() if lower else check)


def wrong_check(value: str) -> str:
    """The same ID with a check character that is wrong (a digit, never X)."""
    right = value[-1].upper()
    wrong = "0" if right != "0" else "1"
    return value[:-1] + wrong


def id_with_x(region: str = "360723", birth: str = "19850315") -> str:
    """An ID whose check character is X (searching sequence numbers)."""
    for n in range(1000):
        value = id18(region, birth, f"{n:03d}")
        if value.endswith("X"):
            return value
    raise AssertionError("no X check character found")


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        n = int(ch)
        if i % 2 == 0:  # doubled: the check digit will sit to the right
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str((10 - total % 10) % 10)


def card(body: str) -> str:
    """A bank card number: ``body`` plus its Luhn check digit."""
    return body + luhn_digit(body)


def bad_luhn(value: str) -> str:
    return value[:-1] + str((int(value[-1]) + 1) % 10)


def fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() or ch in "Xx" else ch for ch in text)


def mask_id(value: str) -> str:
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_mobile(value: str) -> str:
    return value[:3] + "****" + value[-4:]


def mask_card(value: str) -> str:
    return "*" * (len(value) - 4) + value[-4:]


@dataclass(frozen=True)
class Person:
    name: str
    village: str
    id_number: str
    mobile: str
    card: str

    @property
    def masked_name(self) -> str:
        keep = 2 if self.name.startswith("欧阳") else 1
        return self.name[:keep] + "*" * (len(self.name) - keep)

    @property
    def masked(self) -> Person:
        return Person(self.masked_name, self.village, mask_id(self.id_number),
                      mask_mobile(self.mobile), mask_card(self.card))


PEOPLE = [
    Person("王小明", "城关社区", id18("360723", "19520314", "021"), "13812345678", card("622202123456789012")),
    Person("李桂英", "长岭村", id18("360723", "19480101", "042", lower=True), "15907971234", card("621700987654321")),
    Person("欧阳秀兰", "新民村", id_with_x("360723", "19651231").lower(), "18679765432", card("436742001234567")),
    Person("张三", "城关社区", id18("110105", "20000229", "117"), "17370001111", card("955880123456789012")),
]

# Numbers that look long but are not personal identifiers.
DECOYS = [
    "示政发〔2025〕12号",
    "赣民发〔2024〕3号文件",
    "统一社会信用代码：91360723MA35L8XX2K",
    "统一社会信用代码：51360723MJD123456X",
    "统一社会信用代码：123607230012345678",  # all digits; not a plausible ID
    "日期 20250312，时间 2025-03-12 09:30",
    "订单号 20250312000123456789",  # 20 digits
    "订单号 2025031200123456",  # 16 digits starting with a year
    "流水号 " + card("123456789012345"),  # Luhn-valid, but no card issuer starts with 1
    "日期不存在：" + id18("360723", "19900230", "123"),  # 30 February
    "月份不存在：" + id18("360723", "19901301", "123"),
    "出生在未来：" + id18("360723", "20991231", "123"),
    "地区码不存在：" + id18("990723", "19900101", "123"),
    "老号码日期不存在：360723901301123",
    "二十位数字：99" + id18(),  # an 18-digit ID inside a 20-digit number
    "字母相连：ABC" + id18() + "DEF",
    "十二位：138123456789",
    "十位：1381234567",
    "座机 0797-8123456，邮编 341000",
    "网站标识码 3607230001，赣公网安备36072302000123号，赣ICP备12345678号-1",
    "银行卡号校验位错误：" + bad_luhn(card("622202123456789012")),
    "已脱敏：360723********1234、138****5678、6222 **** **** 1234、***************0123",
    "电话区号 +86 791 8123 4567",
    "文件编号 ２０２５０３１２０００１２３４５６７８９",  # full-width, 20 digits
]


# --- files with those people ------------------------------------------------------------------

HEADER = ["序号", "户主姓名", "村（社区）", "身份证号码", "联系电话", "银行卡号"]


def table(people, header: str = "| 序号 | 姓名 | 村（社区） | 身份证号码 | 联系电话 | 银行卡号 |") -> str:
    rows = [header, "|---|---|---|---|---|---|"]
    rows += [f"| {n} | {p.name} | {p.village} | {p.id_number} | {p.mobile} | {p.card} |"
             for n, p in enumerate(people, start=1)]
    return "\n".join(rows) + "\n"


def story(body: str, summary: str = "城关镇 2025 年 3 月城乡低保对象名单公示。") -> str:
    return ("---\ntitle: 2025年3月城乡低保对象公示\ndate: 2025-03-12 09:30\nunit: social-assistance\n"
            f"author: 李晓梅\neditor: 王建国\nsummary: {summary}\n---\n\n{body}")


def write_xlsx(path: Path, people, *, mobile_as_number: bool = True, hidden_extra=None) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "低保名单"
    ws.append(["2025年3月城关镇城乡低保对象名单"])  # title row
    ws.append(HEADER)
    for n, p in enumerate(people, start=1):
        mobile = int(p.mobile) if mobile_as_number and p.mobile.isdigit() else p.mobile
        ws.append([n, p.name, p.village, p.id_number, mobile, p.card])
    if hidden_extra is not None:
        hidden = wb.create_sheet("备用 1")
        hidden["B2"] = hidden_extra
        hidden.sheet_state = "hidden"
    wb.save(path)


def write_docx(path: Path, people, *, split_runs: bool = True, extra_paragraphs=()) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "城关镇民政办"
    document.add_paragraph("2025年3月城乡低保对象名单公示")  # paragraph 1
    first = people[0]
    p = document.add_paragraph(f"户主{first.name}，身份证号")  # paragraph 2, the ID split over runs
    if split_runs:
        p.add_run(first.id_number[:9])
        p.add_run(first.id_number[9:])
    else:
        p.add_run(first.id_number)
    p.add_run("。")
    for text in extra_paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=len(HEADER))
    for cell, title in zip(table.rows[0].cells, HEADER):
        cell.text = title
    for n, person in enumerate(people, start=1):
        cells = table.add_row().cells
        for cell, value in zip(cells, [str(n), person.name, person.village, person.id_number,
                                       person.mobile, person.card]):
            cell.text = value
    document.sections[0].footer.paragraphs[0].text = f"咨询电话：{people[1].mobile}"
    document.save(path)


def write_pdf(path: Path, pages: list[list[str]]) -> None:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    for lines in pages:
        pdf.setFont("STSong-Light", 11)
        for n, line in enumerate(lines):
            pdf.drawString(40, 800 - 18 * n, line)
        pdf.showPage()
    pdf.save()
