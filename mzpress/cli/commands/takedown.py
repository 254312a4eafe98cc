"""``mzpress takedown FILE --reason-category 个人信息|舆情|事实错误|其他 --note … [--to TARGET]``: 应急撤稿.

Run by a person holding the 应急 role (``emergency: true`` in units.yml, matched by git's ``user.email``
account or ``user.name``). One commit on the current branch unpublishes the page and removes every copy of
it (:mod:`mzpress.editing.takedown`: the bulletin passages quoting it); the commit is the 应急 approval
itself, signed with ``user.signingkey`` when one is configured (``history.approvals.sign_staged``),
otherwise committed unsigned and said to await signatures. With ``--to`` or ``$MZPRESS_DEPLOY_DIR`` it
then builds (``mkdocs build --strict``, the build of ``scripts/build``) and deploys at once.

The note is for the record (the commit message), never shown on the site; the page's old address shows
the date and the reason category. Exit 0 taken down (and deployed), 1 refused or failed, 2 usage error.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import git

from mzpress.cli.deploy_target import TARGET_ENV, add_target, print_error, session, target_name
from mzpress.cli.page_argument import page_argument
from mzpress.cli.refused import Refused
from mzpress.deploy.deploy_error import DeployError
from mzpress.editing.in_place import rewrite
from mzpress.editing.takedown import BULLETIN_DIR, plan_takedown
from mzpress.history.approvals import SigningFailed, sign_staged
from mzpress.history.ledger import Ledger, LedgerUnavailable
from mzpress.history.reviewers import Reviewer, reviewers_of
from mzpress.model.clock import build_time
from mzpress.model.config import load_config
from mzpress.model.content import load_site
from mzpress.model.finding_formats import render
from mzpress.model.findings import FindingsError, has_errors
from mzpress.model.project import find_root
from mzpress.model.review_policy import EMERGENCY_STAGE
from mzpress.model.schema import SCHEMAS, TAKEDOWN_CATEGORIES
from mzpress.model.source_text import decode
from mzpress.publishing.published_files import only_used_by
from mzpress.text.identifiers import find_identifiers


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "takedown", help="应急撤稿：立即撤下页面及其所有转载（简报段落），可直接构建发布",
        description="有应急撤稿权（units.yml 中 emergency: true）的审核人使用：一次提交撤下页面，"
                    "把民政简报中转载它的段落换成“（此条已撤下）”；配置了签名密钥就签名（应急签名），"
                    f"给了 --to 或环境变量 {TARGET_ENV} 就立即构建并发布。事后仍须补齐三审签名（事后补审）。"
                    "退出码：0已撤下，1不能撤下或发布失败，2用法错误。")
    parser.add_argument("file", metavar="文件", help="要撤下的稿件，例如 content/stories/2025/xxx.md")
    parser.add_argument("--reason-category", required=True, choices=TAKEDOWN_CATEGORIES, metavar="类别",
                        help=f"撤下原因类别（网站上只显示类别）：{'、'.join(TAKEDOWN_CATEGORIES)}")
    parser.add_argument("--note", required=True, metavar="说明",
                        help="撤下说明，只记入提交记录，不在网站上显示；不要写身份证号、手机号等个人信息")
    parser.add_argument("--site", default="site", metavar="文件夹", help="构建到哪个文件夹（默认 site）")
    parser.add_argument("--keep", type=int, default=5, metavar="个数", help="发布时保留的版本个数（默认5）")
    add_target(parser)
    parser.set_defaults(func=run)


def _config_value(ledger: Ledger, name: str) -> str:
    try:
        return ledger.git_text("config", name).strip()
    except git.GitCommandError:
        return ""


def emergency_person(reviewers: list[Reviewer], email: str, name: str) -> Reviewer | None:
    """The units.yml person the git identity names (account = the e-mail's local part, else the name),
    when they hold the 应急 role."""
    handle = email.split("@", 1)[0].lower() if email else ""
    found = [r for r in reviewers if handle and r.github.lower() == handle] or \
            [r for r in reviewers if name and r.name == name]
    return next((r for r in found if EMERGENCY_STAGE in r.stages), None)


def _dirty(ledger: Ledger, relpaths: list[str]) -> list[str]:
    out = ledger.git_text("status", "--porcelain", "--", *[ledger.to_repo_path(p) for p in relpaths])
    return [line[3:] for line in out.splitlines() if line.strip()]


def _read(path: Path, relpath: str) -> str:
    text, problems = decode(path.read_bytes(), relpath)
    if text is None or problems:
        raise FindingsError(problems)
    return text


def run(args) -> int:
    started = time.monotonic()
    try:
        return _run(args, started)
    except Refused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.code
    except FindingsError as exc:
        print(render(exc.findings, "text"), file=sys.stderr)
        return 1
    except LedgerUnavailable as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except DeployError as exc:
        print("页面已在仓库中撤下并提交，但发布没有成功：", file=sys.stderr)
        return print_error(exc)


def _run(args, started: float) -> int:
    root = find_root(args.root)
    named = page_argument(root, args.file)
    path, src, relpath = named.path, named.src, named.relpath
    if named.kind is None or not any(spec.name == "withdrawn" for spec in SCHEMAS[named.kind]):
        raise Refused(f"{relpath} 不能撤下：只有民政故事、通知公告和专题活动页面可以撤下。")
    note = " ".join(args.note.split())
    if not note:
        raise Refused("撤下说明（--note）不能为空：写明为什么撤下，供事后补审。", 2)
    if find_identifiers(note):
        raise Refused("撤下说明（--note）里有身份证号、手机号或银行卡号：说明会记入提交记录，请删去这些号码再运行。", 2)
    when = build_time().date()

    ledger = Ledger(root)
    config, config_findings = load_config(root)
    if has_errors(config_findings):
        raise FindingsError(config_findings)
    email, name = _config_value(ledger, "user.email"), _config_value(ledger, "user.name")
    person = emergency_person(reviewers_of(config), email, name)
    if person is None:
        raise Refused(f"只有应急撤稿人（site_config/units.yml 中写了 emergency: true 的审核人）可以应急撤稿；"
                      f"这台电脑的 git 身份是“{name or '未设置姓名'} <{email or '未设置邮箱'}>”，不在其中。"
                      "请联系复审或终审撤稿，或按普通流程用 scripts/mzpress withdraw --unpublish 提交审核。")
    if ledger.git_text("diff", "--cached", "--name-only").strip():
        raise Refused("git 暂存区里已有别的改动：应急撤稿要单独成一个提交。先提交或撤销暂存（git restore --staged 文件）再运行。")

    site, _ = load_site(root, build_time(), config, config_findings)
    page = site.page_at(src)
    if page is None:
        raise Refused(f"{relpath} 读不出来（信息区有错），无法撤下。先运行 scripts/mzpress check {relpath}。")
    bulletins = {p.src: root / "content" / p.src for p in site.pages if p.src.startswith(BULLETIN_DIR)}
    dirty = _dirty(ledger, [relpath, *[f"content/{b}" for b in bulletins]])
    if dirty:
        raise Refused(f"这些文件有未提交的修改：{'、'.join(dirty)}。应急撤稿只撤下已提交的内容："
                      "先提交或撤销这些修改再运行。")
    plan = plan_takedown(src, _read(path, relpath), {b: _read(p, f"content/{b}") for b, p in bulletins.items()},
                         when, args.reason_category)

    rewrite(path, plan.page_text.encode("utf-8"), git_is_backup=True)
    for bulletin_src, text in plan.bulletins.items():
        rewrite(bulletins[bulletin_src], text.encode("utf-8"), git_is_backup=True)
    changed = [relpath, *[f"content/{b}" for b in plan.bulletins]]
    ledger.git_text("add", "--", *[ledger.to_repo_path(p) for p in changed])
    subject = f"应急撤稿：{relpath}（{args.reason_category}）"
    body = f"撤下说明：{note}\n撤下人：{person.name}"
    signing_key = _config_value(ledger, "user.signingkey")
    if signing_key:
        try:
            sha = sign_staged(ledger, EMERGENCY_STAGE, subject, body, signing_key)
        except SigningFailed as exc:
            raise Refused(f"签名没有成功（{exc}）；改动已暂存但没有提交。可再运行一次提交命令，"
                          "或 git commit 不签名提交（之后须补签）。") from None
        signed = True
    else:
        ledger.git_text("commit", "--no-verify", "-q", "-m", f"{subject}\n\n{body}\n")
        sha = ledger.git_text("rev-parse", "HEAD").strip()
        signed = False

    print(f"已撤下 {relpath}（{args.reason_category}，{when.isoformat()}），提交 {sha[:10]}。")
    if plan.bulletins:
        print(f"民政简报中转载它的{plan.passages}段已换成“（此条已撤下）”：{'、'.join(f'content/{b}' for b in plan.bulletins)}")
    site, _ = load_site(root, build_time(), config, config_findings)
    unused = only_used_by(site, src)
    if unused:
        print(f"只有这篇稿件使用的{len(unused)}个文件（图片、附件）随之不再发布：" + "、".join(f"content/{u}" for u in unused))
    if signed:
        print(f"这个提交已用你的密钥签名（应急签名，{person.name}）；推送到主线后发布流程即可放行。")
    else:
        print("这个提交没有签名（这台电脑没有设置签名密钥）：它在审核检查中列为“待签名”，"
              "请尽快设置密钥（scripts/mzpress approve --setup）并补签。")
    print("事后补审：复审、终审等须在3天内用 scripts/mzpress approve --commit "
          f"{sha[:10]} --stage 环节 签名（事后补审）。")
    if not target_name(args):
        print(f"没有指定发布目录（--to 或环境变量 {TARGET_ENV}）：请推送这个提交，由发布流程发布。")
        return 0
    return _build_and_deploy(root, args, started)


def _build_and_deploy(root: Path, args, started: float) -> int:
    print("正在构建网站……", flush=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    site_dir = Path(args.site) if Path(args.site).is_absolute() else root / args.site
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
                            cwd=root, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(result.stdout[-4000:] + result.stderr[-4000:], file=sys.stderr)
        print("错误：构建没有成功（见上面的提示），网站没有发布；撤下的提交已保存。", file=sys.stderr)
        return 1
    with session(args, exclusive=True, create=True) as store:
        deployed = store.deploy(site_dir, args.keep).deployed
    print(f"已发布版本 {deployed.release_id}：页面已从网站撤下。从运行命令到发布完成用时"
          f"{time.monotonic() - started:.1f}秒。")
    return 0
