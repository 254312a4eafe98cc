"""``mzpress import-docx FILE.docx``: a Word/WPS document becomes a story or a notice with web-ready images.

``--kind notice`` takes the publicity period from ``--start``/``--end`` or from the text;
``--update FILE`` replaces the body of an existing page and keeps its front matter.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from mzpress.checks.typography import style_of
from mzpress.cli.prompting import fill, page_questions, stdin_is_terminal
from mzpress.editing.docx_import import DocxImportError, import_docx, update_from_docx
from mzpress.editing.scaffold import NOTICE_DAYS, PAGE_KINDS, PageRequest, ScaffoldError, now, parse_date
from mzpress.model.config import require_config
from mzpress.model.project import find_root
from mzpress.model.slugs import SlugError
from mzpress.text.images import MISSING_ALT
from mzpress.text.notice_period import Period, chinese_date

# --kind as the writer types it -> the page kind (a campaign's member page is "campaign-member")
KIND_OPTIONS = {"story": "story", "notice": "notice", "campaign-member": "member"}
_KIND_HELP = "、".join(f"{option}（{PAGE_KINDS[kind]}）" for option, kind in KIND_OPTIONS.items())
_UPDATE_CONFLICTS = (("title", "--title"), ("summary", "--summary"), ("slug", "--slug"), ("unit", "--unit"),
                     ("author", "--author"), ("editor", "--editor"), ("date", "--date"), ("topic", "--topic"),
                     ("start", "--start"), ("end", "--end"), ("kind", "--kind"), ("campaign", "--campaign"))


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import-docx", help="把 Word/WPS 文档（.docx）导入为民政故事、通知公告或专题活动稿件",
        description="把 .docx 文档转换为网站稿件：保留标题层级（包括“一、”“（一）”这样加粗的小标题）、列表、表格、"
                    "加粗和图片；图片下方“图为……”的说明用作图片说明文字；图片自动缩小并去除拍摄位置等信息。"
                    "标题取自正文第一行（加粗、居中或字号较大），其次是文档属性。")
    parser.add_argument("file", metavar="文件.docx", help="要导入的 Word/WPS 文档（.docx）")
    parser.add_argument("--kind", choices=tuple(KIND_OPTIONS), default=None, metavar="类型",
                        help=f"稿件类型：{_KIND_HELP}，默认 story")
    parser.add_argument("--campaign", metavar="活动文件夹",
                        help="专题活动稿件属于哪个专题活动（content/campaigns/ 下的文件夹名，仅 --kind campaign-member）")
    parser.add_argument("--unit", help="来源单位代号或名称")
    parser.add_argument("--topic", action="append", metavar="专题", help="文化专题代号，可写多次（仅民政故事）")
    parser.add_argument("--author", help="作者姓名")
    parser.add_argument("--editor", help="责任编辑姓名")
    parser.add_argument("--date", help="发布时间，例如 2025-03-12 09:30（默认现在）")
    parser.add_argument("--start", metavar="日期", help="公示开始日期（仅通知公告；不写则从正文“公示期为……至……”中读取）")
    parser.add_argument("--end", metavar="日期", help="公示结束日期（仅通知公告）")
    parser.add_argument("--title", help="标题（默认取自文档）")
    parser.add_argument("--summary", help="一句话摘要（默认取正文第一段）")
    parser.add_argument("--slug", help="自己指定文件名（小写英文字母、数字和连字符），默认用标题的拼音")
    parser.add_argument("--update", metavar="稿件.md",
                        help="用文档替换这篇已有稿件的正文，保留开头信息区（标题、日期、摘要等）；原稿可从 git 或备份找回")
    parser.set_defaults(func=run)


def _describe_period(period: Period) -> str:
    return f"{chinese_date(period.start)}至{chinese_date(period.end)}"


def _confirm_on_terminal(period: Period) -> bool:
    print(f"从正文“{period.quote}”读出公示期：{_describe_period(period)}。")
    while True:
        try:
            answer = input("公示期是否正确？（直接回车或输入 y 表示正确，输入 n 取消导入）：").strip().lower()
        except EOFError:
            return False
        if answer in ("", "y", "yes", "是", "对"):
            return True
        if answer in ("n", "no", "否", "不"):
            return False
        print("请输入 y 或 n。")


def _refuse(exc: Exception) -> int:
    print(f"无法导入：{exc}", file=sys.stderr)
    print("没有写入任何文件。", file=sys.stderr)
    return 1


def _run_update(args, root: Path, config) -> int:
    given = [flag for name, flag in _UPDATE_CONFLICTS if getattr(args, name, None)]
    if given:
        print(f"错误：--update 只替换稿件正文，不能同时写 {'、'.join(given)}。\n"
              "  修改建议：去掉这些选项；要改标题、日期、摘要等，请直接修改稿件开头的信息区。", file=sys.stderr)
        return 2
    try:
        result = update_from_docx(root, Path(args.file), Path(args.update), config.site.images)
    except DocxImportError as exc:
        print(f"无法更新：{exc}", file=sys.stderr)
        print("稿件没有改动，也没有写入任何文件。", file=sys.stderr)
        return 1
    print(f"已用 {Path(args.file).name} 替换正文：{result.story.relative_to(root).as_posix()}（开头信息区未改动）")
    if result.backup is not None:
        print(f"原来的稿件已备份到：{result.backup.relative_to(root).as_posix()}")
    else:
        print("原来的稿件在 git 中保存着，需要时可以用 git 找回。")
    for path in result.images:
        print(f"  新增图片：{path.relative_to(root).as_posix()}")
    _report_common(result)
    print("下一步：打开文件核对正文；如果第一段改了，请同时核对摘要（summary），然后运行 scripts/mzpress check。")
    return 0


def _report_common(result) -> None:
    if result.missing_alt:
        print(f"请补充：{result.missing_alt}处图片没有说明文字，已写成“{MISSING_ALT}”。"
              "请改成一句描述图片内容的话（例如“志愿者为老人理发”），否则 scripts/mzpress check 会报错。")
    for note in result.notes:
        print(f"请注意：{note}")


def run(args, interactive: bool | None = None) -> int:
    root = find_root(args.root)
    config = require_config(root)
    if interactive is None:
        interactive = stdin_is_terminal()
    if args.update:
        return _run_update(args, root, config)
    kind = KIND_OPTIONS[args.kind or "story"]
    source = Path(args.file)
    try:
        if kind != "member" and args.campaign:
            raise ScaffoldError("只有专题活动稿件（--kind campaign-member）需要 --campaign。")
        if kind != "notice" and (args.start or args.end):
            raise ScaffoldError("只有通知公告（--kind notice）需要 --start/--end（公示起止日期）。")
        if kind != "story" and args.topic:
            raise ScaffoldError("只有民政故事（story）可以设置文化专题（--topic）。")
        start = parse_date(args.start, "开始日期")[0].date() if args.start else None
        end = parse_date(args.end, "结束日期")[0].date() if args.end else None
        raw = {"title": args.title, "unit": args.unit, "author": args.author, "editor": args.editor,
               "topics": args.topic, "date": args.date, "summary": args.summary}
        questions = page_questions(config, kind, slug_given=bool(args.slug), title_required=False,
                                   ask_summary=False)
        questions = [q for q in questions if q.name != "title" or args.title]
        values = fill(raw, questions, interactive)
        date, has_time = values.get("date") or (now(), True)
        request = PageRequest(
            kind=kind, title=values.get("title", ""), unit=values["unit"], author=values["author"],
            editor=values["editor"], date=date, date_has_time=has_time, summary=(args.summary or "").strip(),
            topics=values.get("topics", []), slug=args.slug, start=start, end=end, campaign=args.campaign)
        confirm = _confirm_on_terminal if interactive else None
        result = import_docx(root, source, request, config.site.images, confirm_period=confirm,
                             style=style_of(config))
    except (ScaffoldError, SlugError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except DocxImportError as exc:
        return _refuse(exc)
    print(f"已导入{PAGE_KINDS[result.kind]}：{result.story.relative_to(root).as_posix()}")
    print(f"标题：{result.title}")
    if result.kind == "notice":
        if result.period is not None:
            print(f"公示期：{_describe_period(result.period)}（取自正文“{result.period.quote}”），"
                  "请核对；不对时打开文件修改 start、end 两行。")
        else:
            start = request.start or request.date.date()
            end = request.end or start + dt.timedelta(days=NOTICE_DAYS - 1)
            how = "按命令中的日期" if request.start and request.end else f"未写明的日期按默认公示{NOTICE_DAYS}天计算"
            print(f"公示期：{chinese_date(start)}至{chinese_date(end)}（{how}），请核对。")
    if result.images:
        print(f"图片{len(result.images)}张（已缩小到长边不超过 {config.site.images.max_edge} 像素，"
              "并去除拍摄位置等隐私信息）：")
        for path in result.images:
            print(f"  {path.relative_to(root).as_posix()}")
    _report_common(result)
    if not result.summary:
        print("请补写：摘要（summary）是空的。正文开头没有能用作摘要的段落（第一段太短，或者是日期、署名），"
              "请打开文件在“summary:”后面写一两句话概括稿件内容，否则 scripts/mzpress check 会报错；"
              "也可以导入时用 --summary \"……\" 给出摘要。")
    elif result.summary_guessed:
        print("请核对：摘要（summary）是从正文第一段自动截取的。")
    print("下一步：打开文件核对标题、正文和表格，然后运行 scripts/mzpress check。")
    return 0
