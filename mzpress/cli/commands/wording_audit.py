"""``mzpress wording-audit [--list]``: the wording dictionary in effect, and every entry without a source.

Exit 0 when every entry (built-in and ``site_config/wording.yml``) names its source, 1 when some do
not (they are listed with file:line), 2 when the project cannot be found.
"""

from __future__ import annotations

import sys
from collections import Counter

from mzpress.model.project import find_root
from mzpress.model.wording_dictionary import CATEGORY_NAMES, load_wording


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "wording-audit", help="审查错敏词词库：列出缺少依据的规则，或列出全部规则及其依据",
        description="错敏词规则必须写明依据（法律、法规、文件或标准及其文号），过时表述还要写明改称日期。"
                    "本命令列出内置词库和 site_config/wording.yml 中缺少依据的规则；加 --list 列出全部规则，供逐条核对。")
    parser.add_argument("--list", action="store_true", help="列出全部生效的规则：类别、错误写法、正确写法、改称日期和依据")
    parser.set_defaults(func=run)


def run(args) -> int:
    settings = load_wording(find_root(args.root))
    for finding in settings.findings:
        if finding.rule != "wording.unsourced":
            print(f"{finding.location}: {finding.message}", file=sys.stderr)
    if args.list:
        for rule in sorted(settings.rules, key=lambda r: (r.category, r.origin)):
            since = f"，自{rule.since:%Y-%m-%d}起" if rule.since else ""
            source = settings.sources.get(rule.source, rule.source) or "（缺少依据）"
            print(f"{rule.origin}  [{rule.category_name}] {rule.wrong} -> {rule.right or '（删除或改写）'}{since}；依据：{source}")
    counts = Counter(rule.category for rule in settings.rules)
    summary = "、".join(f"{CATEGORY_NAMES[category]}{count}条" for category, count in sorted(counts.items()))
    print(f"生效的规则共{len(settings.rules)}条（{summary}），固定名称{len(settings.fixed_terms)}个，"
          f"专有名称{len(settings.proper_names)}个，领导职务排序{len(settings.leaders)}人。")
    if not settings.unsourced:
        print("每条规则都写明了依据。")
        return 0
    print(f"以下{len(settings.unsourced)}条规则没有写依据（source），不应发布使用：", file=sys.stderr)
    for item in settings.unsourced:
        print(f"  {item.origin}：“{item.what}”", file=sys.stderr)
    print("请写明依据的法律、法规、文件或标准及其文号；找不到依据的规则请删除。", file=sys.stderr)
    return 1
