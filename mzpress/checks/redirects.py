"""Site check: every ``withdrawn.redirect`` names a published page of this site, in every check mode."""

from __future__ import annotations

from collections.abc import Iterable

from mzpress.model.addresses import REDIRECT_HELP, RedirectTargets, redirect_line
from mzpress.model.content import Site
from mzpress.model.findings import Finding, error, warning


def redirect_findings(site: Site, ctx=None) -> Iterable[Finding]:
    """Site check: every ``redirect`` must name a published page of this site."""
    targets = RedirectTargets(site)
    for page in site.pages:
        withdrawn = page.withdrawn
        if not withdrawn or not withdrawn.get("redirect"):
            continue
        value = withdrawn["redirect"]
        if not withdrawn.get("unpublish"):
            yield warning(
                "withdrawn.redirect-ignored", page.relpath, redirect_line(page),
                "写了 redirect 但没有写 unpublish: true：页面仍然在线（带撤回提示），不会跳转。",
                "要撤下并跳转，在 withdrawn 下加一行 unpublish: true；只想保留撤回提示，就删掉 redirect 这一行。")
            continue
        target = targets.resolve(page.src, value)
        if target is None:
            yield error(
                "withdrawn.redirect-missing", page.relpath, redirect_line(page),
                f"撤下后要跳转到的页面“{value}”不存在（或未发布、已撤下）。",
                "改成网站内一个已发布页面。" + REDIRECT_HELP)
        elif target == page.url:
            yield error(
                "withdrawn.redirect-missing", page.relpath, redirect_line(page),
                "撤下后要跳转到的页面就是这个页面本身。", "改成另一个已发布页面。" + REDIRECT_HELP)
