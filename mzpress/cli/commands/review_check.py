"""``scripts/mzpress review-check COMMIT``: is the merge covered by the signed 三审 the policy in units.yml requires?"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

import git

from mzpress.cli.deploy_target import session
from mzpress.deploy.deploy_error import DeployError, MissingTarget
from mzpress.history.ledger import LedgerUnavailable, first_line
from mzpress.history.review_check import ReviewCheckError, commits_between, render_text, review_commit
from mzpress.model.finding_formats import render
from mzpress.model.findings import FindingsError
from mzpress.model.project import find_root


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "review-check", help="核对合并提交的三审签名（审核人的 SSH 签名）和技术审核签名是否齐全、有效",
        description="核对一次合并的审核签名：改动 content/ 的合并需要每个改动页面所属单位的初审人、复审人和终审人"
                    "各自用 scripts/mzpress approve 签名，三人不能重复；改动网站代码（content/、site_config/ 和说明文档以外的"
                    "文件，如 mkdocs.yml、overrides/、mzpress/、scripts/、.github/）的合并另需技术审核人（stage: 技术）"
                    "签名。每个签名都用 git 的 SSH 签名核对，所用公钥须是合并前 site_config/units.yml 中为此人登记的"
                    "（分支开始时和合并前的主线上都登记了的），且签名批准的内容要与合并进来的内容完全一致：签名之后"
                    "再改动过的，要重新签名。要求哪些环节写在 units.yml 的 review: 中；只有写了 trust: trailers"
                    "（过渡期）时，合并说明中手写的 Reviewed-by/Approved-by 行才算数，每次检查都会警告。"
                    "退出码：0通过，1签名不全或有误，2无法检查。")
    parser.add_argument("commit", metavar="提交", help="要检查的合并提交，例如 HEAD 或 1a2b3c4")
    since = parser.add_mutually_exclusive_group()
    since.add_argument("--since", metavar="REF", default=None,
                       help="检查 REF 之后直到“提交”的每一个主线提交（如上次发布的提交），而不只是“提交”本身")
    since.add_argument("--since-live", action="store_true",
                       help="检查线上网站当前版本的源提交之后直到“提交”的每一个主线提交（发布前用：不会有未经三审的合并"
                            "随后来的合并一起发布出去）；发布目录用 --to 或环境变量 MZPRESS_DEPLOY_DIR 指定")
    parser.add_argument("--to", dest="to", metavar="发布目录",
                        help="与 --since-live 一起用：本机目录、ssh://用户@服务器/目录 或 s3://存储桶/前缀")
    parser.add_argument("--wait", type=float, default=600.0, metavar="秒", help=argparse.SUPPRESS)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="输出格式：text 或 json")
    parser.set_defaults(func=run)


def _signed(signature) -> dict | None:
    if signature is None:
        return None
    name = signature.reviewer.name if signature.reviewer else None
    if signature.approval is not None:
        return {"kind": "ssh", "name": name, "stage": signature.approval.stage, "commit": signature.approval.sha,
                "fingerprint": signature.approval.fingerprint}
    return {"kind": "trailer", "trailer": signature.trailer, "value": signature.value, "name": name}


def _data(verdict) -> dict:
    return {
        "commit": verdict.commit, "subject": verdict.subject, "passed": verdict.passed,
        "trust": verdict.policy.trust, "warnings": verdict.warnings,
        "files": [asdict(f) for f in verdict.files],
        "site_code": verdict.site_code,
        "requirements": [{"stage": r.stage, "label": r.label, "unit": r.unit_id, "trailer": r.trailer,
                          "signed_by": _signed(verdict.met.get(i)), "hint": verdict.hints.get(i, "")}
                         for i, r in enumerate(verdict.requirements)],
        "approvals": [{"commit": a.sha, "stage": a.stage, "tree": a.tree, "status": a.status,
                       "name": a.reviewer.name if a.reviewer else None, "fingerprint": a.fingerprint,
                       "covers": a.covers, "changed_since": list(a.differs)} for a in verdict.approvals],
        "emergency": verdict.emergency,
        "after_the_fact": None if not verdict.emergency else {
            "complete": not verdict.awaiting_review,
            "signed": [{"stage": r.stage, "label": r.label, "signed_by": _signed(verdict.after_the_fact_met[i])}
                       for i, r in enumerate(verdict.after_the_fact) if i in verdict.after_the_fact_met],
            "awaiting": [{"stage": r.stage, "label": r.label, "unit": r.unit_id} for r in verdict.awaiting_review]},
        "problems": verdict.problems,
        "unused": [_signed(s) for s, _ in verdict.unused],
        "ignored_trailers": verdict.ignored_trailers,
    }


def _live_commit(args) -> str | None:
    """The source commit of the release the site serves now (None before the first deploy)."""
    def read() -> str | None:
        with session(args, exclusive=False) as store:
            release_id = store.current_id()
            return store.manifest_of(release_id).commit if release_id else None

    try:
        return read()
    except MissingTarget:
        return None  # the first deploy


def run(args) -> int:
    root = find_root(args.root)
    if args.since_live:
        try:
            live = _live_commit(args)
        except DeployError as exc:
            print(f"错误：无法读取线上网站的版本：{exc.message}\n  修改建议：{exc.suggestion}", file=sys.stderr)
            return 2
        if live is None:
            print("线上网站还没有发布过（或版本没有记录源提交），只检查这一次合并。")
        args.since = live
    try:
        shas = commits_between(root, args.since, args.commit) if args.since else [args.commit]
        verdicts = [review_commit(root, sha) for sha in shas]
    except (ReviewCheckError, LedgerUnavailable) as exc:
        print(f"错误：无法检查三审：{exc}", file=sys.stderr)
        return 2
    except FindingsError as exc:
        print("错误：无法检查三审：合并前的 site_config/units.yml 有错误，审核人名单无法读取。\n"
              "  修改建议：先改正下面的问题并合并，再检查这次合并。", file=sys.stderr)
        print(render(exc.findings, "text"), file=sys.stderr)
        return 2
    except git.GitCommandError as exc:
        print(f"错误：无法检查三审：git 命令失败（{first_line(exc.stderr)}）。\n"
              "  修改建议：确认在完整克隆的仓库中运行；CI 中检出代码时需要 fetch-depth: 0。", file=sys.stderr)
        return 2
    failed = [v for v in verdicts if not v.passed]
    if args.format == "json":
        data = [_data(v) for v in verdicts]
        print(json.dumps(data if args.since else data[0], ensure_ascii=False, indent=2))
        return 1 if failed else 0
    for verdict in verdicts:
        print(render_text(verdict), end="", file=sys.stdout if verdict.passed else sys.stderr)
    if args.since:
        summary = (f"{args.since} 之后的主线提交共{len(verdicts)}个，" +
                   (f"{len(failed)}个三审记录不全或有误。" if failed else "三审记录都齐全。"))
        print(summary, file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0
