"""当前位置 (mzpress/publishing/breadcrumbs.py): every page's trail through the columns of columns.yml and the
sections' index pages, with links relative to the page that exist, and the menu section it belongs to."""

from __future__ import annotations

import datetime as dt
import json
import posixpath

import pytest

from mzpress.model.addresses import generated_srcs
from mzpress.model.content import load_site, page_url
from mzpress.model.schema import TIMEZONE
from mzpress.publishing.breadcrumbs import places, trail
from mzpress.publishing.listings import StoryNeighbours, generated_pages, section_titles
from mzpress.publishing.page_context import page_context
from tests.support.project import REPO_ROOT, new_project

NOW = dt.datetime(2026, 11, 30, 23, 59, tzinfo=TIMEZONE)


@pytest.fixture(scope="module")
def site():
    site, _ = load_site(REPO_ROOT, NOW)
    return site


def _shown(found: dict) -> tuple[list[str], str, str]:
    return [link["title"] for link in found["links"]], found["current"], found["section"]


def _resolves(site, here: str, found: dict) -> None:
    """Every link of the trail leads to a page the build writes."""
    existing = {page.url for page in site.published} | {page_url(src) for src in generated_srcs(site)}
    for link in found["links"]:
        target = posixpath.normpath(posixpath.join(here, link["url"]))
        target = "" if target == "." else target + "/"
        assert target in existing, (here, link)


@pytest.mark.parametrize("kind,expected", [
    ("story", (["首页", "民政故事"], "正文", "stories/")),
    ("notice", (["首页", "通知公告"], "正文", "notices/")),
    ("response", (["首页", "回应关切"], "正文", "responses/")),
    ("member", (["首页", "专题活动", "每月一训"], "正文", "campaigns/")),
    ("topic", (["首页", "文化专题"], "孝贤文化", "topics/")),
    ("campaign", (["首页", "专题活动"], "2025年度“最美民政窗口”评选", "campaigns/")),
    ("page", (["首页", "机构概况"], "联系我们", "about/")),
])
def test_authored_pages_have_their_column_in_the_trail(site, kind, expected):
    sources = {"story": "stories/2024/chengguan-xiaolao-zhiyuan.md", "notice": "notices/2026/shehui-zuzhi-pinggu-2026.md",
               "response": "responses/2026/yanglao-fuwuzhan-tingye-qingkuang-tongbao.md",
               "topic": "topics/xiaoxian.md", "campaign": "campaigns/zuimei-chuangkou/index.md",
               "page": "about/contact.md"}
    page = (site.by_src[sources[kind]] if kind in sources
            else next(p for p in site.published if p.kind == kind and p.campaign_id == "meiyue-yixun"))
    found = page_context(site, page, StoryNeighbours(site))["trail"]
    assert _shown(found) == expected
    assert json.loads(json.dumps(found)) == found  # plain data for any template engine and the page cache
    _resolves(site, page.url, found)


def test_generated_pages_have_a_trail_and_the_home_page_none(site):
    pages = {page.src: page for page in generated_pages(site)}
    assert _shown(pages["stories/index.md"].meta["mz_trail"]) == (["首页"], "民政故事", "stories/")
    assert _shown(pages["stories/2025/index.md"].meta["mz_trail"]) == (["首页", "民政故事"], "2025年民政故事", "stories/")
    assert _shown(pages["bulletins/index.md"].meta["mz_trail"]) == (["首页"], "示例县民政简报", "bulletins/")
    assert _shown(pages["sitemap/index.md"].meta["mz_trail"]) == (["首页"], "网站地图", "sitemap/")
    assert _shown(pages["search/index.md"].meta["mz_trail"]) == (["首页"], "站内搜索", "search/")
    for page in pages.values():
        assert "mz_trail" in page.meta and page.meta["mz_trail"]["links"][0]["title"] == "首页"
        _resolves(site, page.url, page.meta["mz_trail"])


def test_a_further_listing_page_goes_through_its_column(tmp_path):
    root = new_project(tmp_path / "p")
    site_yml = root / "site_config" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("page_size: 20", "page_size: 1"), encoding="utf-8")
    for day in range(1, 4):
        story = root / "content" / "stories" / "2026" / f"s{day}.md"
        story.parent.mkdir(parents=True, exist_ok=True)
        story.write_text(f"---\ntitle: 稿件{day}\ndate: 2026-11-0{day} 09:00\nunit: office\nauthor: 甲\neditor: 乙\n"
                         f"topics: [xiaoxian]\nsummary: 摘要。\n---\n\n正文。\n", encoding="utf-8")
    site, _ = load_site(root, NOW)
    pages = {page.src: page for page in generated_pages(site)}
    further = pages["topics/xiaoxian/page/2/index.md"].meta["mz_trail"]
    assert _shown(further) == (["首页", "文化专题", "孝贤文化"], "孝贤文化相关稿件（第2页）", "topics/")
    assert [link["url"] for link in further["links"]] == ["../../../../", "../../../", "../../"]
    _resolves(site, "topics/xiaoxian/page/2/", further)


def test_columns_name_the_places_and_an_address_without_a_page_is_none(site, tmp_path):
    named = places(site, section_titles(site))
    assert named["bulletins/"] == "民政简报"  # columns.yml's name, not the bulletin's title
    assert named["topics/"] == "文化专题" and named["about/"] == "机构概况"
    assert named["campaigns/zuimei-chuangkou/"] == "最美民政窗口评选"
    assert "" not in named
    # A place is only where a page is: a column at an address nothing is published at is no link.
    root = new_project(tmp_path / "p")
    columns = root / "site_config" / "columns.yml"
    columns.write_text(columns.read_text(encoding="utf-8") + (
        "  - {id: zhengce, name: 政策文件, path: about/zhengce/, contains: pages, kind: static}\n"), encoding="utf-8")
    other, findings = load_site(root, NOW)
    assert [f for f in findings if f.severity == "error"] == []
    assert "about/zhengce/" not in places(other, section_titles(other))
    assert _shown(trail(places(other, section_titles(other)), "about/zhengce/x/", "标题")) == (
        ["首页", "机构概况"], "标题", "about/")
    assert trail({}, "a/b/", "标题")["links"] == [{"title": "首页", "url": "../../"}]
