"""The site's search index: Pagefind run over the built site, after every page is written.

Pagefind (PyPI ``pagefind[extended]``, the build that segments Chinese) reads the built HTML and writes a
chunked index into ``pagefind/``: the search page (``search/``, partials/mzpress/search-page.html) loads the
search code and only the index pieces a query needs, so no other page downloads any of it and the first
query stays small at any archive size (measured by ``scripts/bench --search``).

What is indexed follows the publish gate twice over: the built site holds only published pages, and of
those Pagefind reads only the part inside ``data-pagefind-body`` (partials/content.html), which the
templates give only to pages that are search results (not the home page, listings, withdrawn pages, the
notices left at a taken-down page's address, error pages).

The writer's preview renders pages on request and has no built site: it has no search index, and its
search page says so.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

OUTPUT_SUBDIR = "pagefind"
LANGUAGE = "zh-cn"  # Pagefind's Chinese segmentation at index time (the extended build)
TIMEOUT_S = 1800
# Pagefind's ready-made interfaces: the search page has its own (mzpress-search.js), so these are not published.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class SearchIndexError(Exception):
    """Pagefind could not build the index; the message is Chinese and says what to do."""


def pagefind_command(site_dir: Path) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", OUTPUT_SUBDIR,
            "--force-language", LANGUAGE, "--silent"]


def write_search_index(site_dir: Path) -> float:
    """Index ``site_dir`` into ``site_dir/pagefind/`` (replacing an older index); returns the seconds it took."""
    shutil.rmtree(site_dir / OUTPUT_SUBDIR, ignore_errors=True)
    started = time.perf_counter()
    try:
        result = subprocess.run(pagefind_command(site_dir), capture_output=True, text=True, timeout=TIMEOUT_S,
                                check=False)
    except subprocess.TimeoutExpired:
        raise SearchIndexError(f"生成搜索索引超过{TIMEOUT_S}秒仍未完成。请检查服务器负载后重新构建。") from None
    if result.returncode != 0 or not (site_dir / OUTPUT_SUBDIR / "pagefind.js").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        if "No module named pagefind" in result.stderr:
            hint = "没有安装 Pagefind：请运行 scripts/bootstrap（按 requirements/lock.txt 安装）后重新构建。"
        else:
            hint = "请把以上信息发给技术支持人员。"
        raise SearchIndexError("生成搜索索引失败：" + "；".join(detail) + "。" + hint)
    for name in UNUSED:
        (site_dir / OUTPUT_SUBDIR / name).unlink(missing_ok=True)
    return time.perf_counter() - started
