"""``mzpress export FILE --for wechat|docx|text``: a page made ready for another outlet.

* ``wechat``: ``导出/<slug>-公众号/`` with one HTML file that pastes into the 公众号 editor
  (:mod:`mzpress.publishing.wechat_export`) and the photos to upload, 图1-……jpg in order (and 封面-……);
* ``docx``: ``导出/<slug>-报送.zip`` with the Word file in 公文 house style, its 稿签 on the first page,
  and the photos as files (:mod:`mzpress.publishing.gongwen_docx`, :mod:`mzpress.publishing.submission_package`);
* ``text``: the 手机报 digest within the outlet's ``char_limit`` (:mod:`mzpress.publishing.mobile_digest`),
  shown and written to ``导出/<slug>-手机报.txt``.

Every format is made from the body the website publishes, and only from a page that ``mzpress check``
passes: the page and the photos it shows are checked first, and any error stops the export with the
findings. A draft or a page scheduled for later is exported only with ``--unpublished`` (a story may be
sent up before the site publishes it); a withdrawn or taken-down page never is.

``--to OUTLET`` names the outlet (site_config/outlets.yml) the copy is for; ``--record`` writes the
submission into the story's front matter (``submitted_to``; the original is kept by git or as a backup),
and ``mzpress report`` counts it per outlet once committed.

Exit 0 exported, 1 refused (check errors, unpublished, a missing photo), 2 usage or configuration error.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mzpress.checks.runner import check_project
from mzpress.cli.page_argument import page_argument
from mzpress.cli.refused import Refused
from mzpress.editing.export_files import export_folder, write_export
from mzpress.editing.in_place import rewrite
from mzpress.editing.output_files import OutputError, WrittenOutput
from mzpress.editing.submission_record import record_submission
from mzpress.model.backup_names import backup_note, backup_phrase
from mzpress.model.clock import build_time
from mzpress.model.config import SiteConfig, load_config
from mzpress.model.content import DATED_KINDS, Page, load_site
from mzpress.model.finding_formats import render
from mzpress.model.findings import FindingsError, Severity, has_errors
from mzpress.model.outlets import KINDS, Outlet
from mzpress.model.project import find_root
from mzpress.model.report_period import day_label
from mzpress.model.source_text import decode
from mzpress.model.suggestions import did_you_mean
from mzpress.publishing.export_body import ExportBody, ExportError, export_body
from mzpress.publishing.gongwen_docx import Slip, gongwen_docx, slip_rows
from mzpress.publishing.mobile_digest import DigestError, mobile_digest
from mzpress.publishing.submission_package import docx_name, package_name, submission_zip
from mzpress.publishing.wechat_export import photo_files, wechat_export

FORMATS = {"wechat": "公众号排版稿", "docx": "上级报送稿（Word 和稿签）", "text": "手机报稿"}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export", help="把稿件导出给其他渠道：公众号排版稿、上级报送的 Word 文件和稿签、手机报短稿",
        description="把网站上的稿件导出给其他渠道，内容与网站发布的完全一致。"
                    "导出前先按 scripts/mzpress check 检查这篇稿件和它用到的图片，有错误就不导出。"
                    "默认只导出已经在网站发布的稿件；草稿和定时发布的稿件要加 --unpublished，已撤回的稿件不能导出。"
                    "导出的文件默认放在项目的“导出”文件夹里（不会提交到 git）。")
    parser.add_argument("file", metavar="稿件", help="要导出的稿件，例如 content/stories/2026/xxx.md")
    parser.add_argument("--for", dest="target", required=True, choices=tuple(FORMATS), metavar="格式",
                        help="wechat：公众号排版稿（一个网页文件，复制粘贴到公众号编辑器，外部链接改为文末参考链接，"
                             "图片按顺序列出）；docx：上级报送压缩包（公文格式的 Word 文件，首页是稿签，图片另附）；"
                             "text：手机报短稿（不超过渠道的字数上限，在句子结束处截断）")
    parser.add_argument("--to", metavar="渠道代号",
                        help="发给哪个渠道（site_config/outlets.yml 中的代号，例如 city-mz-site）：写进稿签的“报送至”，"
                             "手机报稿按它的字数上限截断（只有一个渠道设了 char_limit 时可以不写）")
    parser.add_argument("--record", action="store_true",
                        help="在稿件信息区记下这次报送（submitted_to：渠道、日期、稿件类别），"
                             "提交后 scripts/mzpress report 按渠道统计对外报送；要同时写 --to（手机报稿可以不写，记在设了字数上限的渠道）")
    parser.add_argument("--kind", choices=tuple(KINDS), default="text", metavar="类别",
                        help="--record 记为文字稿件（text，默认）还是图片稿件（photo）")
    parser.add_argument("--summary", action="store_true", help="手机报稿用摘要（summary），不用正文开头")
    parser.add_argument("--unpublished", action="store_true",
                        help="也导出还没有在网站发布的稿件（草稿或定时发布），例如先报送上级、后在网站发布")
    parser.add_argument("--out", metavar="文件夹", help="导出到这个文件夹（默认：项目根目录下的“导出”文件夹）")
    parser.set_defaults(func=run)


def _outlet(config: SiteConfig, args) -> Outlet | None:
    """The outlet of ``--to`` (for ``text`` without it: the one outlet with a ``char_limit``)."""
    outlets = config.outlets
    if args.to:
        outlet = outlets.by_id.get(args.to)
        if outlet is None:
            if not outlets.outlets:
                raise Refused("还没有录用渠道名单（site_config/outlets.yml），无法使用 --to。"
                              "请网站管理员参照示例项目新建这个文件。", 2)
            raise Refused(f"渠道“{args.to}”不在 site_config/outlets.yml 中。"
                          f"{did_you_mean(args.to, outlets.choices, '渠道')}", 2)
        return outlet
    if args.target == "text":
        limited = outlets.limited
        if len(limited) == 1:
            return limited[0]
        if not limited:
            raise Refused("没有哪个渠道设置了字数上限（char_limit），无法生成手机报稿。请网站管理员在 "
                          "site_config/outlets.yml 的手机报一项加上 char_limit: 300（每条最多多少字）。", 2)
        names = "、".join(f"{o.id}（{o.name}，{o.char_limit}字）" for o in limited)
        raise Refused(f"有几个渠道设置了字数上限，请用 --to 说明发给哪一个：{names}。", 2)
    if args.record:
        raise Refused("--record 要和 --to 一起使用，说明报送给哪个渠道，例如 --to city-mz-site --record。", 2)
    return None


def _page(root: Path, args) -> tuple[str, str]:
    """(path relative to content/, path relative to the project) of the page named on the command line."""
    page = page_argument(root, args.file)
    if page.kind not in DATED_KINDS:
        raise Refused(f"{page.kind_label}不能导出：只有民政故事、通知公告、专题活动和民政简报可以导出给其他渠道。", 2)
    if args.record and page.kind != "story":
        raise Refused(f"{page.kind_label}不记录报送：报送统计只统计民政故事。去掉 --record 再导出。", 2)
    return page.src, page.relpath


def _checked(root: Path, src: str, now, config: SiteConfig, config_findings) -> tuple[Page, ExportBody, list]:
    """The page and its body, after ``mzpress check`` passed on it and on the photos it shows."""
    site, _ = load_site(root, now, config, config_findings, only={src})
    page = site.by_src.get(src)
    wanted = {src}
    body = None
    if page is not None:
        try:
            body = export_body(page, config)
        except ExportError:
            body = None
        if body is not None:
            wanted |= {photo.src for photo in body.photos}
        if page.values.get("cover"):
            wanted.add(page.asset_src(page.values["cover"]))
    _, findings = check_project(root, now, only=wanted)
    if has_errors(findings) or page is None or body is None:
        shown = render([f for f in findings if f.severity is Severity.ERROR], "text") if findings else ""
        raise Refused((shown + "\n" if shown else "") +
                      f"这篇稿件{'或它用到的图片' if len(wanted) > 1 else ''}有错误，不能导出。"
                      f"请按上面的提示修改，运行 scripts/mzpress check content/{src} 确认没有错误后再导出。")
    return page, body, [f for f in findings if f.severity is not Severity.ERROR]


def _published_or_refused(page: Page, now, args) -> None:
    if page.withdrawn:
        raise Refused(f"这篇稿件已经撤回（{page.withdrawn['reason']}），不能再导出给其他渠道。")
    if page.taken_down(now):
        raise Refused("这篇稿件已经从网站撤下，不能再导出给其他渠道。")
    if page.is_published(now) or args.unpublished:
        return
    if page.draft:
        why = "还是草稿（draft: true）"
    else:
        why = f"定于{day_label(page.date.date())}{page.date:%H:%M}发布，现在还没有发布"
    raise Refused(f"这篇稿件{why}。确需在网站发布之前导出（例如先报送上级），请加 --unpublished。")


def _photo_bytes(root: Path, sources: list[str]) -> dict[str, bytes]:
    data = {}
    for src in sources:
        path = root / "content" / src
        try:
            data[src] = path.read_bytes()
        except OSError:
            raise Refused(f"找不到稿件用到的图片 content/{src}，不能导出。请补上这张图片或改正图片路径。") from None
    return data


def _written(outputs: list[WrittenOutput], what: str) -> list[str]:
    return [output.message(what) for output in outputs]


def _wechat(root: Path, folder: Path, page: Page, body: ExportBody, config: SiteConfig) -> list[str]:
    export = wechat_export(page, body, config)
    files = photo_files(export)
    photos = _photo_bytes(root, [src for src, _ in files])
    target = folder / f"{page.slug}-公众号"
    outputs = write_export(root, target, {f"{page.slug}-公众号.html": export.html.encode("utf-8"),
                                          **{name: photos[src] for src, name in files}})
    lines = _written(outputs[:1], "公众号排版稿")
    lines.append("用浏览器打开它，按 Ctrl+A、Ctrl+C 复制，到公众号后台新建图文，在正文处按 Ctrl+V 粘贴。")
    if export.photos:
        lines.append(f"正文有{len(export.photos)}张图片，请按顺序上传（文件在同一文件夹）：")
        lines += [f"  {photo.file_name}" for photo in export.photos]
    if export.cover is not None:
        lines.append(f"封面图片：{export.cover.file_name}")
    if export.references:
        lines.append(f"原文的{len(export.references)}个链接已改为文末的“参考链接”（公众号正文不能放外部链接）。")
    return lines


def _published_text(page: Page, now, config: SiteConfig) -> str:
    if not page.is_published(now):
        return "尚未在网站发布"
    address = config.site.url.rstrip("/") + "/" + page.url if config.site.url else ""
    where = f"{config.site.name}网站" if config.site.name else "网站"
    return f"{day_label(page.date.date())}在{where}发布" + (f"：{address}" if address else "")


def _docx(root: Path, folder: Path, page: Page, body: ExportBody, config: SiteConfig, outlet: Outlet | None,
          now) -> list[str]:
    photos = _photo_bytes(root, [photo.src for photo in body.photos])
    unit = f"{config.site.name}{page.unit.name}" if page.unit is not None else config.site.name
    slip = Slip(page.title, unit, page.author, page.editor, body.han_count, body.photos, now.date(),
                outlet.name if outlet else "", _published_text(page, now, config))
    document = gongwen_docx(page, body, photos, slip, now)
    files = [(docx_name(page), document), *((photo.file_name, photos[photo.src]) for photo in body.photos)]
    outputs = write_export(root, folder, {package_name(page): submission_zip(files, now)})
    lines = _written(outputs, "上级报送压缩包")
    lines.append(f"里面有 Word 文件 {docx_name(page)}（首页是稿签）" +
                 (f"和{len(body.photos)}张图片：{'、'.join(p.file_name for p in body.photos)}。" if body.photos else "。"))
    lines.append("稿签：" + "；".join(f"{label}：{value}" for label, value in slip_rows(slip)))
    return lines


def _text(root: Path, folder: Path, page: Page, body: ExportBody, outlet: Outlet, args) -> list[str]:
    try:
        digest = mobile_digest(page.title, body.lead(), page.summary, outlet.char_limit, args.summary)
    except DigestError as exc:
        raise Refused(str(exc)) from None
    outputs = write_export(root, folder, {f"{page.slug}-手机报.txt": (digest.text + "\n").encode("utf-8")})
    source = "摘要" if digest.source == "summary" else "正文"
    how = "截取到最后一个完整的句子" if digest.shortened else "全文"
    return [digest.text, "",
            f"共{digest.length}字，{outlet.name}每条最多{outlet.char_limit}字（取自{source}，{how}）。",
            *_written(outputs, "手机报稿")]


def _record(path: Path, relpath: str, outlet: Outlet, kind: str, now) -> list[str]:
    text, problems = decode(path.read_bytes(), relpath)
    if text is None or problems:
        raise Refused(render(problems, "text") + "\n无法记录报送。")
    try:
        new_text = record_submission(text, relpath, outlet.id, now.date(), kind)
    except FindingsError as exc:
        raise Refused(render(exc.findings, "text") + "\n导出已完成，但没有记录报送。") from None
    if new_text is None:
        return [f"{relpath} 已经记录过报送给{outlet.name}（{KINDS[kind]}），没有重复记录。"]
    backup = rewrite(path, new_text.encode("utf-8"), git_is_backup=True)
    lines = [f"已在 {relpath} 的信息区记录报送：{outlet.name}，{day_label(now.date())}，{KINDS[kind]}。",
             "请提交这次修改并按流程审核；合并后 scripts/mzpress report 按渠道统计对外报送。"]
    if backup is not None:
        lines.append(f"原文件{backup_phrase(backup)}。{backup_note([backup]) or ''}")
    return lines


def run(args) -> int:
    try:
        return _run(args)
    except Refused as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    except OutputError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


def _run(args) -> int:
    root = find_root(args.root)
    src, relpath = _page(root, args)
    now = build_time()
    config, config_findings = load_config(root)
    outlet = _outlet(config, args)
    if args.target == "text" and outlet is not None and outlet.char_limit is None:
        raise Refused(f"渠道“{outlet.id}”（{outlet.name}）没有设置字数上限（char_limit），无法生成手机报稿。"
                      f"请网站管理员在 site_config/outlets.yml 的这一项加上 char_limit: 300。", 2)
    folder = export_folder(root, args.out)
    page, body, warnings = _checked(root, src, now, config, config_findings)
    _published_or_refused(page, now, args)
    if warnings:
        print(render(warnings, "text").rsplit("\n", 1)[0], file=sys.stderr)
        print("以上警告和提示不影响导出，报送前最好看一看。", file=sys.stderr)
    if args.target == "wechat":
        lines = _wechat(root, folder, page, body, config)
    elif args.target == "docx":
        lines = _docx(root, folder, page, body, config, outlet, now)
    else:
        lines = _text(root, folder, page, body, outlet, args)
    if body.foreign_images:
        lines.append(f"以下图片来自其他网站，没有导出：{'、'.join(body.foreign_images)}")
    if args.record:
        lines += _record(Path(args.file), relpath, outlet, args.kind, now)
    print("\n".join(lines))
    return 0
