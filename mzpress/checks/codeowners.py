"""Site check ``codeowners.outdated``: the committed CODEOWNERS files match ``site_config/units.yml``."""

from __future__ import annotations

from pathlib import Path

from mzpress.model.codeowners import GITHUB_FILE, plan_from_config, stale_files
from mzpress.model.findings import Finding, error


def codeowners_check(site, ctx) -> list[Finding]:
    """Site check ``codeowners.outdated``: the committed CODEOWNERS must match units.yml.

    Runs when a CODEOWNERS file exists, or when units.yml names accounts and the project
    has a ``.github/`` folder, i.e. is reviewed through pull requests.
    """
    plan = plan_from_config(site.config)
    root = Path(ctx.root)
    # A missing file matters only in a project reviewed through pull requests (it has .github/);
    # an existing file (GitHub's or Gitea's) must always match.
    wanted = [GITHUB_FILE] if plan.has_handles and (root / ".github").is_dir() else []
    findings = []
    for stale in stale_files(root, plan, wanted):
        what = "与 site_config/units.yml 中的审核人不一致" if stale.exists else "不存在，但 site_config/units.yml 中登记了审核人账号"
        findings.append(error(
            "codeowners.outdated", stale.relpath, None,
            f"{stale.relpath} {what}，平台不会按现在的名单自动请审核人。",
            f"运行 scripts/mzpress codeowners 重新生成，并把 {stale.relpath} 与 units.yml 一起提交。"))
    return findings
