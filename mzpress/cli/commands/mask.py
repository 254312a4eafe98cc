"""``mzpress mask FILE [-o OUT] [--force]``: write a de-identified copy of a list; the input is never touched.

After writing, the copy is scanned again with the same personal-data checks as
``mzpress scan``; exit 0 when it is clean, 1 when something is left (printed, masked), 2 when
nothing could be written (missing or unsupported file, existing output without --force).
"""

from __future__ import annotations

import sys
from pathlib import Path

from mzpress.checks.attachments import scan_pieces
from mzpress.checks.privacy import scan_string
from mzpress.editing.masking import TEXT_SUFFIXES, MaskError, default_output, mask_file
from mzpress.model.backup_names import backup_note, backup_phrase
from mzpress.model.finding_formats import render
from mzpress.model.findings import Finding
from mzpress.text.attachments import UnreadableAttachment, read_pieces, read_text


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "mask", help="生成名单的脱敏副本（身份证号、手机号、银行卡号、姓名），不改动原文件",
        description="为 Markdown 表格、.csv、.txt、.xlsx、.docx 文件生成脱敏副本：身份证号保留前 6 位和后 4 位，"
                    "手机号保留前 3 位和后 4 位，银行卡号只保留后 4 位，“姓名”“户主”“申请人”“联系人”等列只保留姓。"
                    "原文件不会被修改。")
    parser.add_argument("file", metavar="文件", help="要脱敏的文件")
    parser.add_argument("-o", "--output", metavar="输出文件", default=None,
                        help="脱敏副本的文件名（默认：原文件名加 .masked，放在原文件旁边）")
    parser.add_argument("--force", action="store_true",
                        help="输出文件已存在时替换它（旧文件先备份到项目根目录的 .mzpress-backup 文件夹；"
                             "不在网站项目里时备份为旁边的“文件名.bak”）")
    parser.set_defaults(func=run)


def verify(path: Path) -> list[Finding]:
    """Personal-data findings left in a written copy (empty when it is clean)."""
    shown = path.as_posix()
    if path.suffix.lower() in TEXT_SUFFIXES:
        text, _ = read_text(path.read_bytes())
        return scan_string(text, shown)
    return scan_pieces(read_pieces(path), shown)


def run(args) -> int:
    src = Path(args.file)
    dst = Path(args.output) if args.output else default_output(src)
    try:
        result = mask_file(src, dst, force=args.force)
    except MaskError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(f"已生成脱敏副本：{result.output}（{result.summary()}）。原文件未改动。")
    if result.backup is not None:
        print(f"原来的 {result.output.name} {backup_phrase(result.backup)}。{backup_note([result.backup])}")
    try:
        left = verify(result.output)
    except UnreadableAttachment as exc:
        print(f"错误：无法复查脱敏副本：{exc.reason}。", file=sys.stderr)
        return 1
    if left:
        print(render(left, "text"))
        print("脱敏副本中仍有上面列出的个人信息（例如在批注、图表或图片中，或是信息区里用转义写法拼出的号码），"
              "请人工处理后再发布。", file=sys.stderr)
        return 1
    print("复查通过：脱敏副本中没有发现未脱敏的身份证号、手机号或银行卡号。发布前请再人工核对一遍。")
    return 0
