"""``mzpress review-check COMMIT``: does the merge carry the 三审 the policy in units.yml requires?"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

import git

from mzpress.history.ledger import LedgerUnavailable, first_line
from mzpress.history.review_check import ReviewCheckError, commits_between, render_text, review_commit
from mzpress.model.finding_formats import render
from mzpress.model.findings import FindingsError
from mzpress.model.project import find_root


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "review-check", help="检查合并提交的三审签名（Reviewed-by/Approved-by）是否齐全",
        description="检查合并提交说明末尾的审核签名：改动 content/ 的合并需要每个改动页面所属单位的初审人、"
                    "复审人和终审人各签一行，三人不能重复；签名人须是合并前 site_config/units.yml 中相应环节的"
                    "审核人。要求哪些环节、各环节用哪种签名，写在 units.yml 的 review: 中。"
                    "退出码：0 通过，1 签名不全或有误，2 无法检查。")
    parser.add_argument("commit", metavar="提交", help="要检查的合并提交，例如 HEAD 或 1a2b3c4")
    parser.add_argument("--since", metavar="REF", default=None,
                        help="检查 REF 之后直到“提交”的每一个主线提交（如上次发布的提交），而不只是“提交”本身")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="输出格式：text 或 json")
    parser.set_defaults(func=run)


def _data(verdict) -> dict:
    def signed(signature):
        return None if signature is None else {"trailer": signature.trailer, "value": signature.value,
                                                "name": signature.reviewer.name if signature.reviewer else None}
    return {
        "commit": verdict.commit, "subject": verdict.subject, "passed": verdict.passed,
        "files": [asdict(f) for f in verdict.files],
        "requirements": [{"stage": r.stage, "label": r.label, "unit": r.unit_id, "trailer": r.trailer,
                          "signed_by": signed(verdict.met.get(i)), "hint": verdict.hints.get(i, "")}
                         for i, r in enumerate(verdict.requirements)],
        "problems": verdict.problems,
        "unused": [signed(s) for s, _ in verdict.unused],
    }


def run(args) -> int:
    root = find_root(args.root)
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
