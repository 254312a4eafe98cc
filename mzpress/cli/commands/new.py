"""``mzpress new story|notice|response|campaign``: a new page with complete front matter in the right folder."""

from __future__ import annotations

import sys

from mzpress.cli.prompting import fill, page_questions, stdin_is_terminal
from mzpress.editing.scaffold import KINDS, PageRequest, ScaffoldError, create_page, now, parse_date
from mzpress.model.config import require_config
from mzpress.model.project import find_root
from mzpress.model.schema import DEFAULT_PIN_DAYS
from mzpress.model.slugs import SlugError

NEXT_STEPS = {
    "story": "下一步：打开这个文件，在第二个 --- 下面写正文；照片放进同一年份的 images 文件夹；写完运行 scripts/mzpress check。",
    "notice": "下一步：打开这个文件写公示内容，核对公示起止日期（start、end）；附件放进同一年份的 files 文件夹；写完运行 scripts/mzpress check。",
    "response": "下一步：打开这个文件写情况通报正文（事情经过、核查情况、处理结果），核对发布机关（issuer）和首页置顶天数（pin_days）；"
                "写完运行 scripts/mzpress check。发布后在首页顶部置顶显示，到期自动取消置顶。",
    "campaign": "下一步：打开这个文件写活动介绍；活动的每个页面放在同一个文件夹里；写完运行 scripts/mzpress check。",
}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "new", help="新建稿件（民政故事、通知公告、回应关切或专题活动）",
        description="按网站规定的格式新建一篇稿件：自动生成文件名（标题的拼音）、放进正确的文件夹、写好信息区。"
                    "缺少的信息在终端里会逐项询问。")
    parser.add_argument("kind", choices=tuple(KINDS), metavar="类型",
                        help="story（民政故事）、notice（通知公告）、response（回应关切·情况通报）或 campaign（专题活动）")
    parser.add_argument("--title", help="标题")
    parser.add_argument("--unit", help="来源单位代号或名称，例如 elderly-care 或 养老服务股")
    parser.add_argument("--topic", action="append", metavar="专题", help="文化专题代号，可写多次（仅民政故事）")
    parser.add_argument("--date", help="发布时间，例如 2025-03-12 09:30（默认现在）")
    parser.add_argument("--author", help="作者姓名")
    parser.add_argument("--editor", help="责任编辑姓名")
    parser.add_argument("--summary", help="一句话摘要（可以稍后在文件里填写）")
    parser.add_argument("--start", help="公示或活动开始日期（默认等于发布日期）")
    parser.add_argument("--end", help="公示或活动结束日期（通知公告默认开始日期后第 6 天）")
    parser.add_argument("--kind", dest="campaign_kind", metavar="活动类型",
                        help="专题活动的类型：selection（评选）或 training（培训）")
    parser.add_argument("--issuer", help="回应关切的发布机关（默认网站名称，即 site_config/site.yml 的 name）")
    parser.add_argument("--pin-days", type=int, metavar="天数",
                        help=f"回应关切在首页顶部置顶的天数（默认 {DEFAULT_PIN_DAYS} 天）")
    parser.add_argument("--slug", help="自己指定文件名（小写英文字母、数字和连字符），默认用标题的拼音")
    parser.set_defaults(func=run)


def run(args, interactive: bool | None = None) -> int:
    root = find_root(args.root)
    config = require_config(root)
    if interactive is None:
        interactive = stdin_is_terminal()
    try:
        if args.kind != "story" and args.topic:
            raise ScaffoldError("只有民政故事（story）可以设置文化专题（--topic）。")
        if args.kind != "campaign" and args.campaign_kind:
            raise ScaffoldError("只有专题活动（campaign）需要 --kind。")
        if args.kind != "response" and (args.issuer or args.pin_days is not None):
            raise ScaffoldError("只有回应关切（response）可以设置 --issuer 和 --pin-days。")
        raw = {"title": args.title, "unit": args.unit, "author": args.author, "editor": args.editor,
               "topics": args.topic, "date": args.date, "summary": args.summary,
               "campaign_kind": args.campaign_kind}
        values = fill(raw, page_questions(config, args.kind, slug_given=bool(args.slug)), interactive)
        date, has_time = values.get("date") or (now(), True)
        start = parse_date(args.start, "开始日期")[0].date() if args.start else None
        end = parse_date(args.end, "结束日期")[0].date() if args.end else None
        request = PageRequest(
            kind=args.kind, title=values["title"], unit=values["unit"], author=values["author"],
            editor=values["editor"], date=date, date_has_time=has_time, summary=values.get("summary", ""),
            topics=values.get("topics", []), start=start, end=end,
            campaign_kind=values.get("campaign_kind"), slug=args.slug)
        if args.kind == "response":
            request.issuer = (args.issuer or "").strip() or config.site.name
            request.pin_days = args.pin_days
        path = create_page(root, request)
    except (ScaffoldError, SlugError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(f"已新建{KINDS[args.kind]}：{path.relative_to(root).as_posix()}")
    if not request.summary:
        print("提醒：摘要（summary）还是空的，发布前请补上一句话摘要，否则 scripts/mzpress check 会报错。")
    print(NEXT_STEPS[args.kind])
    return 0
