"""``mzpress report --period P``: the information-report statistics (信息报送统计) per unit and for the bureau.

Exit 0 with the report; 2 for a period that does not parse, a configuration error in units.yml
or outlets.yml, or no usable git repository. Definitions: :mod:`mzpress.publishing.information_report`
and :mod:`mzpress.history.submissions`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import git

from mzpress.editing.output_files import OutputError, write_output
from mzpress.history.ledger import LedgerUnavailable, first_line
from mzpress.history.submissions import read_submissions
from mzpress.model.clock import build_time
from mzpress.model.config import CONFIG_DIR, load_config
from mzpress.model.finding_formats import render
from mzpress.model.findings import FindingsError, Severity
from mzpress.model.outlets import OUTLETS_FILE
from mzpress.model.project import find_root
from mzpress.model.report_period import PeriodError, parse_period
from mzpress.publishing.information_report import information_report
from mzpress.publishing.report_documents import EXTENSIONS, FORMATS, RENDERERS, csv_bytes

# The configuration the report reads; an error elsewhere in site_config/ is for mzpress check.
REPORT_CONFIG = (f"{CONFIG_DIR}/units.yml", OUTLETS_FILE)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="信息报送统计：各单位报送、发布、录用、积分和任务完成情况",
        description="按月、季度或年统计各单位的报送数、发布数、采用率、各级渠道录用篇次、积分和任务完成情况，"
                    "并给出全局合计和排名。报送以稿件在任一分支上的第一次提交为准，录用以稿件信息区的 "
                    "adopted_by 为准（渠道见 site_config/outlets.yml）。")
    parser.add_argument("--period", required=True, metavar="周期",
                        help="统计周期：2026-04（月）、2026-Q2（季度）或2026（年）")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="输出格式：text（表格，默认）、csv（Excel/WPS）、json 或 html（带图表的网页）")
    parser.add_argument("--out", metavar="文件夹", help="把报表写成文件夹中的 report-周期.扩展名 文件，而不是显示在屏幕上")
    parser.add_argument("--at", metavar="日期", help="统计时间（默认现在），例如2026-07-01或2026-07-01 08:00")
    parser.set_defaults(func=run)


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
    except LedgerUnavailable as exc:
        print(f"无法统计信息报送：{exc}", file=sys.stderr)
        return 2
    except git.GitCommandError as exc:
        print(f"无法统计信息报送：git 命令失败（{first_line(exc.stderr)}）。", file=sys.stderr)
        return 2
    report = information_report(ledger, config, period, at)
    return _write(args, period.text, RENDERERS[args.format](report))
