"""``mzpress import-docx FILE.docx``: a Word/WPS document becomes a story with web-ready images."""

from __future__ import annotations

import sys
from pathlib import Path

from mzpress.cli.prompting import fill, page_questions, stdin_is_terminal
from mzpress.editing.docx_import import DocxImportError, import_docx
from mzpress.editing.scaffold import PageRequest, ScaffoldError, now
from mzpress.model.config import require_config
from mzpress.model.project import find_root
from mzpress.model.slugs import SlugError
from mzpress.text.images import MISSING_ALT


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import-docx", help="把 Word/WPS 文档（.docx）导入为民政故事",
        description="把 .docx 文档转换为网站稿件：保留标题层级、列表、表格、加粗和图片；"
                    "图片自动缩小并去除拍摄位置等信息。标题取自文档属性或第一个标题。")
    parser.add_argument("file", metavar="文件.docx", help="要导入的 Word/WPS 文档（.docx）")
    parser.add_argument("--unit", help="来源单位代号或名称")
    parser.add_argument("--topic", action="append", metavar="专题", help="文化专题代号，可写多次")
    parser.add_argument("--author", help="作者姓名")
    parser.add_argument("--editor", help="责任编辑姓名")
    parser.add_argument("--date", help="发布时间，例如 2025-03-12 09:30（默认现在）")
    parser.add_argument("--title", help="标题（默认取自文档）")
    parser.add_argument("--summary", help="一句话摘要（默认取正文第一段）")
    parser.add_argument("--slug", help="自己指定文件名（小写英文字母、数字和连字符），默认用标题的拼音")
    parser.set_defaults(func=run)


def run(args, interactive: bool | None = None) -> int:
    root = find_root(args.root)
    config = require_config(root)
    if interactive is None:
        interactive = stdin_is_terminal()
    source = Path(args.file)
    try:
        raw = {"title": args.title, "unit": args.unit, "author": args.author, "editor": args.editor,
               "topics": args.topic, "date": args.date, "summary": args.summary}
        questions = page_questions(config, "story", slug_given=bool(args.slug), title_required=False,
                                   ask_summary=False)
        questions = [q for q in questions if q.name != "title" or args.title]
        values = fill(raw, questions, interactive)
        date, has_time = values.get("date") or (now(), True)
        request = PageRequest(
            kind="story", title=values.get("title", ""), unit=values["unit"], author=values["author"],
            editor=values["editor"], date=date, date_has_time=has_time, summary=(args.summary or "").strip(),
            topics=values.get("topics", []), slug=args.slug)
        result = import_docx(root, source, request, config.site.images)
    except (ScaffoldError, SlugError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except DocxImportError as exc:
        print(f"无法导入：{exc}", file=sys.stderr)
        print("没有写入任何文件。", file=sys.stderr)
        return 1
    print(f"已导入民政故事：{result.story.relative_to(root).as_posix()}")
    print(f"标题：{result.title}")
    if result.images:
        print(f"图片{len(result.images)}张（已缩小到长边不超过 {config.site.images.max_edge} 像素，"
              "并去除拍摄位置等隐私信息）：")
        for path in result.images:
            print(f"  {path.relative_to(root).as_posix()}")
    if result.missing_alt:
        print(f"请补充：{result.missing_alt}处图片没有说明文字，已写成“{MISSING_ALT}”。"
              "请改成一句描述图片内容的话（例如“志愿者为老人理发”），否则 mzpress check 会报错。")
    if result.summary_guessed:
        print("请核对：摘要（summary）是从正文第一段自动截取的。")
    for note in result.notes:
        print(f"请注意：{note}")
    print("下一步：打开文件核对标题、正文和表格，然后运行 mzpress check。")
    return 0
