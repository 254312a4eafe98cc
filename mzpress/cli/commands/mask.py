"""``mzpress mask FILE [-o OUT] [--force] [--kind list|notice]``: de-identify a list or a notice.

A file under ``content/`` is masked in place: the original is kept first (a copy under
``.mzpress-backup/``, git-ignored) and the command to compare the two is printed; a masked copy
inside ``content/`` would be published beside the original (``-o`` inside ``content/`` is refused).
Any other file (a list in the Downloads folder) gets a masked copy beside it, ``名单.masked.xlsx``,
or at ``-o OUT``; the input is never touched.

What is masked follows the page kind (:func:`mzpress.editing.masking.kind_of`, or ``--kind``): a
list keeps only the surnames; a 公示 notice (``content/notices/``) keeps the names and masks the
addresses beyond the village. Numbers in ``site.yml`` ``public_numbers`` are never masked.

After writing, the result is scanned again with the same personal-data checks as
``mzpress scan`` (the public numbers excepted); exit 0 when it is clean, 1 when something is left
(printed, masked), 2 when nothing could be written (missing or unsupported file, existing output
without --force, an output inside content/).
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from mzpress.checks.attachments import scan_pieces
from mzpress.checks.privacy import scan_string
from mzpress.editing.masking import (
    KINDS,
    LIST,
    NOTICE,
    TEXT_SUFFIXES,
    MaskError,
    MaskResult,
    default_output,
    kind_of,
    mask_file,
    mask_in_place,
)
from mzpress.model.backup_names import backup_note, backup_phrase
from mzpress.model.config import load_config
from mzpress.model.content import CONTENT_DIR
from mzpress.model.finding_formats import render
from mzpress.model.findings import Finding, FindingsError
from mzpress.model.project import find_root
from mzpress.text.attachments import TextPiece, UnreadableAttachment, read_pieces, read_text
from mzpress.text.identifiers import find_identifiers, public_number_keys

_KIND_NOTES = {
    LIST: "按名单脱敏：姓名只保留姓",
    NOTICE: "按公示脱敏：姓名照常公示，住址只保留到村（社区）",
}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "mask", help="给名单或公示脱敏（身份证号、手机号、银行卡号、姓名或住址）",
        description="为 Markdown 表格、.csv、.txt、.xlsx、.docx 文件脱敏：身份证号保留前6位和后4位，"
                    "手机号保留前3位和后4位，银行卡号只保留后4位。名单（默认）的“姓名”“户主”“申请人”“联系人”等列只保留姓；"
                    "公示（content/notices/ 里的文件，或 --kind notice）照常公示姓名，“住址”等列和正文中的住址只保留到村（社区）。"
                    "site_config/site.yml 中 public_numbers 列出的对外公开电话不脱敏。"
                    "content/ 里的文件直接在原处脱敏，原文件先备份到项目根目录的 .mzpress-backup 文件夹，并给出对照命令；"
                    "其他位置的文件生成脱敏副本，原文件不改动。")
    parser.add_argument("file", metavar="文件", help="要脱敏的文件")
    parser.add_argument("-o", "--output", metavar="输出文件", default=None,
                        help="脱敏副本的文件名，只能在 content/ 之外（默认：content/ 里的文件在原处脱敏；"
                             "其他文件在原文件名后加 .masked，放在原文件旁边）")
    parser.add_argument("--kind", choices=sorted(KINDS), default=None,
                        help="按哪类内容脱敏：list（名单，姓名只保留姓）或 notice（公示，保留姓名、住址只保留到村）；"
                             "默认按文件位置判断：content/notices/ 里的是公示")
    parser.add_argument("--force", action="store_true",
                        help="脱敏副本已存在时替换它（旧文件先备份到项目根目录的 .mzpress-backup 文件夹；"
                             "不在网站项目里时备份为旁边的“文件名.bak”）")
    parser.set_defaults(func=run)


def _without_public(pieces, public: frozenset[str]):
    """``pieces`` with the public numbers blanked out (same length), for the recheck of an attachment."""
    def blank(text: str | None) -> str | None:
        if not text or not public:
            return text
        kept = {(item.start, item.end) for item in find_identifiers(text, public=public)}
        for item in reversed(find_identifiers(text)):
            if (item.start, item.end) not in kept:
                text = text[:item.start] + "#" * (item.end - item.start) + text[item.end:]
        return text

    for piece in pieces:
        yield TextPiece(piece.where, blank(piece.text), blank(piece.shown))


def verify(path: Path, public: frozenset[str] = frozenset()) -> list[Finding]:
    """Personal-data findings left in a written file (empty when it is clean); ``public`` numbers are none."""
    shown = path.as_posix()
    if path.suffix.lower() in TEXT_SUFFIXES:
        text, _ = read_text(path.read_bytes())
        return scan_string(text, shown, public=public)
    return scan_pieces(_without_public(read_pieces(path), public), shown)


def _project_of(path: Path) -> Path | None:
    try:
        return find_root(path.resolve().parent)
    except FindingsError:
        return None


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _public_numbers(root: Path | None) -> frozenset[str]:
    if root is None:
        return frozenset()
    config, _ = load_config(root)
    return public_number_keys(config.site.public_numbers)


def _compare_command(original: Path, masked: Path) -> str:
    """How to see what was masked: git for text, the office programs for spreadsheets and Word files."""
    if masked.suffix.lower() in TEXT_SUFFIXES:
        return (f"对照脱敏前后的不同：git diff --no-index -- {shlex.quote(str(original))} "
                f"{shlex.quote(str(masked))}")
    return f"对照脱敏前后的不同：用 WPS 或 Office 分别打开 {original} 和 {masked}。"


def _report_in_place(result: MaskResult, note: str) -> None:
    if result.backup is None:
        print(f"{result.output}：没有发现需要脱敏的内容，文件未改动（{note}）。")
        return
    print(f"已在原处脱敏：{result.output}（{result.summary()}；{note}）。")
    print(f"脱敏前的原文件{backup_phrase(result.backup)}。{backup_note([result.backup])}")
    print(_compare_command(result.backup, result.output))


def run(args) -> int:
    src = Path(args.file)
    root = _project_of(src) if src.exists() else None
    content = root / CONTENT_DIR if root is not None else None
    in_content = content is not None and _inside(src, content)
    kind = args.kind or kind_of(src)
    note = _KIND_NOTES[kind]
    try:
        public = _public_numbers(root)
        if in_content and (args.output is None or os.path.exists(args.output)
                           and os.path.samefile(src, args.output)):
            result = mask_in_place(src, kind, public)
            _report_in_place(result, note)
        else:
            dst = Path(args.output) if args.output else default_output(src)
            if root is not None and _inside(dst.parent, root / CONTENT_DIR):
                raise MaskError(f"脱敏副本“{dst}”不能放在 {CONTENT_DIR}/ 里：那里的文件都会发布，原文件和副本会一起公开。"
                                f"不加 -o 就会在原处脱敏（原文件先备份）：scripts/mzpress mask {src}")
            result = mask_file(src, dst, force=args.force, kind=kind, public=public)
            print(f"已生成脱敏副本：{result.output}（{result.summary()}；{note}）。原文件未改动。")
            if result.backup is not None:
                print(f"原来的 {result.output.name} {backup_phrase(result.backup)}。{backup_note([result.backup])}")
            print(_compare_command(src, result.output))
    except MaskError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except FindingsError as exc:  # site_config/ cannot be read: the public numbers are unknown
        print(f"错误：无法读取网站配置（{exc}）。请先运行 scripts/mzpress check 改正配置。", file=sys.stderr)
        return 2
    try:
        left = verify(result.output, public)
    except UnreadableAttachment as exc:
        print(f"错误：无法复查脱敏结果：{exc.reason}。", file=sys.stderr)
        return 1
    if left:
        print(render(left, "text"))
        print("脱敏结果中仍有上面列出的个人信息（例如在批注、图表或图片中，或是信息区里用转义写法拼出的号码），"
              "请人工处理后再发布。", file=sys.stderr)
        return 1
    print("复查通过：没有发现未脱敏的身份证号、手机号或银行卡号。发布前请再人工核对一遍。")
    return 0
