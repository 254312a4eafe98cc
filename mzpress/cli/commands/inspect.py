"""``mzpress inspect``: the website self-inspection; exit 0 pass, 1 a single-veto item fails, 2 usage or configuration error."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from urllib.parse import urlsplit

from mzpress.editing.output_files import OutputError, write_output
from mzpress.model.clock import build_time
from mzpress.model.findings import FindingsError
from mzpress.model.inspection_settings import MAX_WARN_DAYS
from mzpress.model.project import find_root
from mzpress.publishing.inspection_report import FORMATS, render, report_name
from mzpress.publishing.project_inspection import inspect_project


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "inspect", help="网站自查：按政府网站检查指标检查首页和栏目更新、空白栏目、链接和发稿日期",
        description="按《政府网站与政务新媒体检查指标》自查：首页是否按时更新、栏目是否超期或长期未更新、"
                    "有没有空白栏目、站内链接和附件是否可用、有没有倒填发稿日期；列出每项的结果和证据，"
                    "并预警即将超期的栏目。有单项否决项不合格时退出码为1。栏目和门槛在 site_config/columns.yml 中设置。")
    parser.add_argument("--at", metavar="日期", help="按这个时间检查，例如 2026-11-30（指当天结束时）或 2026-11-30 08:00；默认现在")
    parser.add_argument("--warn-days", metavar="天数", help="预警多少天内将超期的栏目（默认取 columns.yml 的 warn_days，即3天）")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="输出格式：text（终端阅读）、json、markdown 或 html（可打印的自查表）")
    parser.add_argument("--out", metavar="目录", help="把结果写入这个目录下的 inspect-年-月 文件，而不是显示出来")
    parser.add_argument("--url", metavar="网址", help="同时检查已上线的网站：首页和抽查页面能否打开、页脚标识、是否使用HTTPS")
    parser.set_defaults(func=run)


def _usage(message: str) -> int:
    print(f"用法错误：{message}", file=sys.stderr)
    return 2


def inspection_moment(text: str) -> dt.datetime | None:
    """``--at``: as the build time (a date means the end of that day, Asia/Shanghai); None when it is not a date."""
    if not text.strip():  # build_time takes an empty value for "now"; an empty --at is a mistake
        return None
    try:
        return build_time(text)
    except FindingsError:
        return None


def _warn_days(text: str | None) -> int | None | str:
    if text is None:
        return None
    value = text.strip()
    if value.isdigit() and int(value) <= MAX_WARN_DAYS:
        return int(value)
    return f"预警天数（--warn-days）应当是0到{MAX_WARN_DAYS}之间的整数，现在是“{text}”。例如 --warn-days 3"


def _url_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or parts.scheme not in ("http", "https") or not host or " " in url:
        return (f"网址（--url）“{url}”不是完整的网址。"
                "请写成以 https:// 或 http:// 开头的完整网址，例如 --url https://mz.example.gov.cn/")
    return None


def _write(directory: Path, name: str, text: str) -> int:
    try:
        written = write_output(directory, name, text.encode("utf-8"))
    except OutputError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(written.message("自查结果"))
    return 0


def run(args) -> int:
    root = find_root(args.root)
    if args.at is not None:
        at = inspection_moment(args.at)
        if at is None:
            return _usage(f"检查时间（--at）“{args.at}”不是有效日期。请写成 2026-11-30 或 2026-11-30 08:00（北京时间）。")
    else:
        at = build_time()
    warn_days = _warn_days(args.warn_days)
    if isinstance(warn_days, str):
        return _usage(warn_days)
    if args.url is not None and (problem := _url_problem(args.url)):
        return _usage(problem)
    inspection = inspect_project(root, at, warn_days, args.url)
    text = render(inspection, args.format)
    if args.out:
        code = _write(Path(args.out), report_name(inspection, args.format), text)
        if code:
            return code
    else:
        sys.stdout.write(text)
    return 1 if inspection.failed else 0
