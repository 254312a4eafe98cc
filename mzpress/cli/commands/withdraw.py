"""``mzpress withdraw FILE --reason … [--unpublish [--redirect PATH]]``: record that a page is retired.

Adds a ``withdrawn:`` block at the end of the page's front matter and changes nothing
else in the file. Without ``--unpublish`` the page stays online with a banner giving the
reason, and leaves listings, feeds and search. With ``--unpublish`` it is no longer
built; its address forwards to ``--redirect`` (a page of this site) or says it was
taken down. The original stays recoverable: from git when committed unchanged,
otherwise as a copy under ``.mzpress-backup/`` at the project root (never under content/).

Exit 0 recorded, 1 when it cannot be recorded (nothing is changed), 2 usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mzpress.cli.page_argument import page_argument
from mzpress.cli.refused import Refused
from mzpress.editing.in_place import rewrite
from mzpress.editing.withdraw import withdraw_text
from mzpress.model.addresses import REDIRECT_HELP, resolve_redirect
from mzpress.model.backup_names import backup_note, backup_phrase
from mzpress.model.clock import build_time
from mzpress.model.config import load_config
from mzpress.model.content import load_site
from mzpress.model.finding_formats import render
from mzpress.model.findings import FindingsError, error, has_errors
from mzpress.model.project import content_relative, find_root
from mzpress.model.schema import (
    PERSONAL_DATA_CATEGORY,
    SCHEMAS,
    TAKEDOWN_CATEGORIES,
    parse_datetime,
)
from mzpress.model.source_text import decode
from mzpress.publishing.published_files import only_used_by
from mzpress.text.identifiers import find_identifiers


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "withdraw", help="撤回稿件（保留页面并显示撤回原因），或撤下并跳转到其他页面",
        description="在稿件开头信息区加上撤回记录（withdrawn），文件其余内容不变。"
                    "只撤回：页面保留并显示撤回原因，从列表、订阅和搜索中移除。"
                    "加 --unpublish：页面不再发布，原网址跳转到 --redirect 指定的页面（不指定则显示“本页已撤下”）。")
    parser.add_argument("file", metavar="文件", help="要撤回的稿件，例如 content/stories/2025/xxx.md")
    parser.add_argument("--reason", required=True, metavar="原因", help="撤回原因（会公开显示），例如 活动已取消")
    parser.add_argument("--reason-category", choices=TAKEDOWN_CATEGORIES, metavar="类别",
                        help=f"原因类别：{'、'.join(TAKEDOWN_CATEGORIES)}；{PERSONAL_DATA_CATEGORY}必须同时加 --unpublish 撤下")
    parser.add_argument("--date", metavar="日期", help="撤回日期（默认今天），例如 2025-06-01")
    parser.add_argument("--unpublish", action="store_true", help="撤下页面：不再发布，原网址跳转")
    parser.add_argument("--redirect", metavar="目标", help="撤下后跳转到的页面：文件路径或网址路径，例如 content/stories/2025/new.md")
    parser.set_defaults(func=run)


def _fail(message: str, suggestion: str, relpath: str = "", line: int | None = None) -> int:
    print(render([error("withdrawn.command", relpath, line, message, suggestion)], "text"), file=sys.stderr)
    return 1


def _redirect_value(root: Path, given: str) -> str:
    """A Markdown file the user named becomes its path relative to content/; anything else stays as typed."""
    if given.endswith(".md") and Path(given).is_file():
        rel = content_relative(root, given)
        if rel is not None:
            return rel
    return given


def _with_category(new_text: str, old_text: str, category: str) -> str:
    """``new_text`` (with its new ``withdrawn:`` block) with ``reason_category`` added under the reason."""
    newline = "\r\n" if old_text.split("\n", 1)[0].endswith("\r") else "\n"
    start = new_text.index(f"{newline}withdrawn:{newline}")  # the front matter comes first
    reason = new_text.index("  reason: ", start)
    end = new_text.index(newline, reason) + len(newline)
    return new_text[:end] + f"  reason_category: {category}{newline}" + new_text[end:]


def run(args) -> int:
    root = find_root(args.root)
    if args.redirect and not args.unpublish:
        print("用法错误：--redirect 要和 --unpublish 一起使用（只有撤下的页面才跳转）。", file=sys.stderr)
        return 2
    if args.reason_category == PERSONAL_DATA_CATEGORY and not args.unpublish:
        return _fail(f"原因类别是“{PERSONAL_DATA_CATEGORY}”的稿件必须撤下（加 --unpublish），不能只撤回："
                     "只撤回的页面仍留在网上，个人信息也就仍然公开。没有做任何修改。",
                     "改用 --unpublish 撤下；紧急情况由应急撤稿人运行 scripts/mzpress takedown 文件 "
                     f"--reason-category {PERSONAL_DATA_CATEGORY} --note 说明。")
    if find_identifiers(args.reason):
        return _fail("撤回原因里有身份证号、手机号或银行卡号：撤回原因会在网站上公开显示。没有做任何修改。",
                     "删去这些号码，只写原因，例如 --reason \"稿件含有个人信息\"。")
    try:
        named = page_argument(root, args.file)
    except Refused as exc:
        print(exc, file=sys.stderr)
        return exc.code
    path, src, relpath = named.path, named.src, named.relpath
    if named.kind is None or not any(spec.name == "withdrawn" for spec in SCHEMAS[named.kind]):
        return _fail(f"{named.kind_label}不能撤回：只有民政故事、通知公告和专题活动页面可以撤回。",
                     "机构概况等页面请直接修改内容；专题介绍页请在专题名单中调整。", relpath)
    when = build_time().date()
    if args.date:
        parsed = parse_datetime(args.date)
        if parsed is None:
            print(f"用法错误：撤回日期“{args.date}”无效，请写成 2025-06-01。", file=sys.stderr)
            return 2
        when = parsed.date()

    raw = path.read_bytes()
    text, problems = decode(raw, relpath)
    if text is None or problems:
        print(render(problems, "text"), file=sys.stderr)
        return 1
    redirect = _redirect_value(root, args.redirect) if args.redirect else None
    try:
        new_text = withdraw_text(text, relpath, when, args.reason, args.unpublish, redirect)
        if args.reason_category:
            new_text = _with_category(new_text, text, args.reason_category)
    except FindingsError as exc:
        print(render(exc.findings, "text"), file=sys.stderr)
        return 1
    if redirect:
        config, config_findings = load_config(root)
        if has_errors(config_findings):
            raise FindingsError(config_findings)
        site, _ = load_site(root, build_time(), config, config_findings)
        target = resolve_redirect(site, src, redirect)
        page = site.by_src.get(src)
        if target is None or (page is not None and target == page.url):
            return _fail(f"要跳转到的页面“{redirect}”不存在（或未发布、已撤下），没有做任何修改。",
                         "改成网站内一个已发布页面。" + REDIRECT_HELP, relpath)

    backup = rewrite(path, new_text.encode("utf-8"), git_is_backup=True)
    print(f"已在 {relpath} 的开头信息区记录撤回（日期 {when.isoformat()}）。")
    if args.unpublish:
        if redirect:
            print(f"下次发布后，这个页面不再显示，原网址自动跳转到：{redirect}")
        else:
            print("下次发布后，这个页面不再显示，原网址显示“本页已撤下”和撤回原因。")
        config, config_findings = load_config(root)
        site, _ = load_site(root, build_time(), config, config_findings)
        only_here = only_used_by(site, src)
        if only_here:
            print(f"只有这个页面使用的{len(only_here)}个文件（图片、附件）也不再发布：")
            for target in only_here:
                print(f"  content/{target}")
            print("这些文件仍保留在 content/ 和 git 中；确实不再需要时可以删除。")
    else:
        print("下次发布后，页面保留并在顶部显示撤回原因，不再出现在列表、订阅和搜索结果中。")
    if backup is not None:
        print(f"原文件{backup_phrase(backup)}。{backup_note([backup])}")
    else:
        print("原文件已保存在 git 中，可随时恢复。")
    print("请提交这次修改并按流程审核发布。")
    return 0
