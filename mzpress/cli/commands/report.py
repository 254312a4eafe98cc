"""``mzpress report --period P``: the information-report statistics (信息报送统计) per unit and for the bureau.

``--outline`` gives instead the website section of the half-yearly 意识形态工作 report as Markdown
(on the screen, or with ``--out`` as ``outline-P.md`` and, in 公文 style, ``outline-P.docx``).

Exit 0 with the report; 2 for a period that does not parse, a configuration error in units.yml
or outlets.yml, or no usable git repository. Definitions: :mod:`mzpress.publishing.information_report`,
:mod:`mzpress.history.submissions` and :mod:`mzpress.publishing.half_year_outline`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import git

from mzpress.editing.output_files import OutputError, write_output
from mzpress.history.ledger import LedgerUnavailable, git_problem
from mzpress.history.submissions import read_submissions
from mzpress.model.clock import build_time
from mzpress.model.config import CONFIG_DIR, load_config
from mzpress.model.finding_formats import render
from mzpress.model.findings import FindingsError, Severity
from mzpress.model.outlets import OUTLETS_FILE
from mzpress.model.project import find_root
from mzpress.model.report_period import PeriodError, parse_period
from mzpress.publishing.information_report import information_report
from mzpress.publishing.outline_documents import render_docx, render_markdown
from mzpress.publishing.project_outline import project_outline
from mzpress.publishing.report_documents import EXTENSIONS, FORMATS, RENDERERS, csv_bytes

# The configuration the report reads; an error elsewhere in site_config/ is for mzpress check.
REPORT_CONFIG = (f"{CONFIG_DIR}/units.yml", OUTLETS_FILE)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="信息报送统计：各单位报送、发布、录用、积分和任务完成情况",
        description="按月、季度、半年或年统计各单位的报送数（稿件和通知公告）、发布数、采用率、各级渠道录用篇次、"
                    "积分和任务完成情况，并给出全局合计和排名。报送以稿件在任一分支上的第一次提交为准，录用以稿件信息区的 "
                    "adopted_by 为准（渠道见 site_config/outlets.yml）。采用率＝报送中已发布÷报送。"
                    "加 --outline 生成半年意识形态工作报告的网站部分（Markdown 和 Word）。")
    parser.add_argument("--period", required=True, metavar="周期",
                        help="统计周期：2026-04（月）、2026-Q2（季度）、2026-H1（上半年，H2为下半年）或2026（年）")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="输出格式：text（表格，默认）、csv（Excel/WPS）、json 或 html（带图表的网页）")
    parser.add_argument("--outline", action="store_true",
                        help="生成意识形态工作报告的网站部分：各单位和各文化专题的发布、专题活动、各级录用、撤稿及原因、"
                             "三审执行和网站自查情况；显示为 Markdown，加 --out 另写一份公文格式的 Word 文件（.docx）")
    parser.add_argument("--out", metavar="文件夹", help="把报表写成文件夹中的 report-周期.扩展名 文件，而不是显示在屏幕上")
    parser.add_argument("--at", metavar="日期", help="统计时间（默认现在），例如2026-07-01或2026-07-01 08:00")
    parser.set_defaults(func=run)


def _write_outline(args, period_text: str, outline) -> int:
    markdown = render_markdown(outline)
    if not args.out:
        sys.stdout.flush()
        sys.stdout.buffer.write(markdown.encode("utf-8"))
        sys.stdout.buffer.flush()
        return 0
    try:
        for extension, data in (("md", markdown.encode("utf-8")), ("docx", render_docx(outline))):
            written = write_output(Path(args.out), f"outline-{period_text}.{extension}", data)
            print(written.message("报告提纲" if extension == "md" else "报告提纲（Word）"))
    except OutputError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    return 0


def _write(args, period_text: str, output: str) -> int:
    data = csv_bytes(output) if args.format == "csv" else output.encode("utf-8")
    if not args.out:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        written = write_output(Path(args.out), f"report-{period_text}.{EXTENSIONS[args.format]}", data)
    except OutputError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(written.message("统计报表"))
    return 0


def run(args) -> int:
    if args.outline and args.format is not None:
        print("用法错误：--outline 生成 Markdown（加 --out 时另有 Word 文件），不能与 --format 同用。", file=sys.stderr)
        return 2
    args.format = args.format or "text"
    try:
        period = parse_period(args.period)
    except PeriodError as exc:
        print(f"用法错误：{exc}", file=sys.stderr)
        return 2
    try:
        at = build_time(args.at)
    except FindingsError:
        print(f"用法错误：统计时间“{args.at}”不是有效的日期。写成2026-07-01或2026-07-01 08:00（北京时间），"
              "不写就按现在统计。", file=sys.stderr)
        return 2
    root = find_root(args.root)
    config, findings = load_config(root)
    blocking = [f for f in findings if f.severity is Severity.ERROR and f.file in REPORT_CONFIG]
    if blocking:
        print(render(blocking, "text"), file=sys.stderr)
        print("配置有误，无法统计。请按上面的提示修改 site_config/ 中的文件后再运行。", file=sys.stderr)
        return 2
    try:
        ledger = read_submissions(root)
    except (LedgerUnavailable, git.GitCommandError) as exc:
        print(f"无法统计信息报送：{git_problem(exc)}", file=sys.stderr)
        return 2
    report = information_report(ledger, config, period, at)
    if args.outline:
        try:
            outline = project_outline(root, config, report)
        except (LedgerUnavailable, git.GitCommandError) as exc:
            print(f"无法生成报告提纲：{git_problem(exc)}", file=sys.stderr)
            return 2
        return _write_outline(args, period.text, outline)
    return _write(args, period.text, RENDERERS[args.format](report))
