"""``mzpress bulletin 2026-04``: assemble the month's stories into the numbered monthly bulletin (民政简报).

Writes ``content/bulletins/<year>/<year>-<month>.md`` (see :mod:`mzpress.editing.bulletin`), then
prints what a replaced issue loses (a diff), and the 报/送/发 block of ``site.yml``
``bulletin.distribution`` for the printed copy.
Exit 0 when written; 2 for a month that does not parse, a configuration error, a unit, author or
editor missing, a month that is not over or an issue edited by hand (both without ``--force``),
numbering that would go backwards, or a month without published stories.
"""

from __future__ import annotations

import sys

from mzpress.editing.atomic_files import TargetExistsError
from mzpress.editing.bulletin import (
    BulletinError,
    bulletin_markdown,
    distribution_lines,
    plan_bulletin,
    replaced_lines,
    write_bulletin,
)
from mzpress.model.backup_names import backup_note, backup_phrase
from mzpress.model.clock import build_time
from mzpress.model.config import CONFIG_DIR, load_config
from mzpress.model.content import CONTENT_DIR, load_site
from mzpress.model.finding_formats import render
from mzpress.model.findings import FindingsError, Severity
from mzpress.model.project import find_root
from mzpress.model.report_period import MONTH, Month, PeriodError, parse_period
from mzpress.model.schema import parse_datetime
from mzpress.model.suggestions import did_you_mean


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "bulletin", help="编印月度《民政简报》：把一个月的稿件汇编成一期",
        description="把指定月份已发布的民政故事汇编成一期简报，写入 content/bulletins/年份/年份-月份.md。"
                    "本月有稿件标记了 bulletin: true 时只收这些稿件，否则收本月全部已发布稿件。"
                    "期号接着上一期往后编（总期号跨年连续，本年期号每年从1开始）。生成后像稿件一样检查、提交审核。")
    parser.add_argument("month", metavar="月份", help="简报所属月份，例如 2026-04")
    parser.add_argument("--all", dest="everything", action="store_true",
                        help="收入本月全部已发布稿件，不管 bulletin: true 标记")
    parser.add_argument("--force", action="store_true",
                        help="月份还没有结束也编印；或这一期已经手工修改过也重新生成（期号不变，原文件先备份，并列出被替换的内容）")
    parser.add_argument("--date", metavar="时间", help="简报的发布时间（默认现在），例如 2026-05-06 09:00")
    parser.add_argument("--unit", metavar="单位代号", help="编印单位（默认 site.yml 中 bulletin.unit，或 office）")
    parser.add_argument("--author", metavar="姓名", help="编辑（默认 site.yml 中 bulletin.author）")
    parser.add_argument("--editor", metavar="姓名", help="责任编辑、签发人（默认 site.yml 中 bulletin.editor）")
    parser.add_argument("--at", metavar="日期", help="按这个时间判断稿件是否已发布（默认现在）")
    parser.set_defaults(func=run)


def _fail(message: str, suggestion: str) -> int:
    print(f"错误：{message}\n  修改建议：{suggestion}", file=sys.stderr)
    return 2


def _month(text: str) -> Month:
    period = parse_period(text)
    if period.kind != MONTH:
        raise PeriodError(f"简报按月编印，“{text}”不是一个月份。月份写成 2026-04 这样的形式。")
    return Month(period.year, period.number)


def run(args) -> int:
    try:
        month = _month(args.month)
    except PeriodError as exc:
        return _fail(str(exc).replace("统计周期", "月份"), "例如 scripts/mzpress bulletin 2026-04")
    try:
        at = build_time(args.at)
    except FindingsError:
        return _fail(f"时间“{args.at}”不是有效的日期。", "写成2026-05-06或2026-05-06 09:00（北京时间），不写就按现在。")
    date = parse_datetime(args.date) if args.date else at.replace(second=0, microsecond=0)
    if date is None:
        return _fail(f"发布时间“{args.date}”不是有效的日期。", "写成 --date \"2026-05-06 09:00\"（北京时间）。")
    root = find_root(args.root)
    config, findings = load_config(root)
    blocking = [f for f in findings if f.severity is Severity.ERROR and f.file.startswith(CONFIG_DIR + "/")]
    if blocking:
        print(render(blocking, "text"), file=sys.stderr)
        return _fail("site_config/ 中的配置有误，无法编印简报。", "按上面的提示修改后再运行。")
    settings = config.site.bulletin
    unit = args.unit or settings.unit
    if unit not in config.unit_by_id:
        return _fail(f"编印单位“{unit}”不在单位名单（site_config/units.yml）中。",
                     did_you_mean(unit, config.unit_choices, "单位"))
    author, editor = (args.author or settings.author).strip(), (args.editor or settings.editor).strip()
    if not author or not editor:
        missing = "编辑（--author）" if not author else "责任编辑（--editor）"
        return _fail(f"没有指定简报的{missing}。“谁主办，谁负责”：每期简报要写明编辑和责任编辑。",
                     "在命令后加上 --author 姓名 --editor 姓名，或在 site_config/site.yml 的 bulletin 一节写上 "
                     "author 和 editor。")
    site, _ = load_site(root, at, config, findings)
    try:
        plan = plan_bulletin(site, month, everything=args.everything, force=args.force)
        text = bulletin_markdown(site, plan, unit=unit, author=author, editor=editor, date=date)
        backup = write_bulletin(root, plan, text)
    except BulletinError as exc:
        return _fail(exc.message, exc.suggestion)
    except TargetExistsError as exc:
        return _fail(f"{exc.path} 已经存在。", f"要重新生成，加上 --force：scripts/mzpress bulletin {month.key} --force")
    except OSError as exc:
        return _fail(f"无法写入 {CONTENT_DIR}/{plan.src}：{exc.strerror or exc}。", "检查文件夹的写入权限和磁盘空间。")
    which = "标记了 bulletin: true 的稿件" if plan.flagged else "本月全部已发布稿件"
    done = "已重新生成" if plan.replaces is not None else "已生成"
    print(f"{done} {CONTENT_DIR}/{plan.src}：{month.year}年第{plan.issue}期（总第{plan.issue_total}期），"
          f"收入{which}{len(plan.stories)}篇。")
    if plan.unfinished:
        print(f"注意：{month.label}还没有结束，本期只收入了到现在为止发布的稿件；月底以后可以重新生成"
              f"（scripts/mzpress bulletin {month.key}）。")
    _print_replaced(plan, text, backup)
    _print_distribution(site)
    print("下一步：打开文件核对内容（可以删改），运行 scripts/mzpress check，然后提交审核。")
    return 0


def _print_replaced(plan, text: str, backup) -> None:
    """For an issue that was replaced: where the old text is, and what the new one changes (hand edits lost)."""
    if plan.replaces is None:
        return
    if plan.edited:
        print("原来的简报有手工修改，已被新生成的内容替换。")
    if backup is not None:
        print(f"原文件{backup_phrase(backup)}。{backup_note([backup])}")
    else:
        print("原文件已提交到 git，可用 git diff 查看改动、git checkout 恢复。")
    lines = replaced_lines(plan, text)
    if not lines:
        print("与原文件相比内容没有变化。")
        return
    print("与原文件相比的改动（以 - 开头的是原有、已被替换的内容，以 + 开头的是新生成的内容）：")
    for line in lines:
        print(f"  {line}")


def _print_distribution(site) -> None:
    """The 报/送/发 block of site.yml for the printed copy."""
    lines = distribution_lines(site)
    if not lines:
        print("提示：site_config/site.yml 中还没有填写简报的报送范围（bulletin.distribution 的报、送、发），"
              "印发纸质简报时请在末页手工写上。")
        return
    print("印发纸质简报时，末页的报送范围（site_config/site.yml 中 bulletin.distribution）：")
    for line in lines:
        print(f"  {line}")
