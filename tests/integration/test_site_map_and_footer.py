"""网站地图, the footer (我为政府网站找错 with the site code, the 党政机关 mark and the 公安备案 linked, 网站声明,
隐私声明 and 订阅说明), 当前位置 on every page kind, the language tag and the emblem, and the 404 page, on the
built sample site."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from mzpress.model.config import load_config
from tests.support.project import REPO_ROOT, build, new_project

REPORT = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html"


def _text(path) -> str:
    return path.read_text(encoding="utf-8")


def _footer(page: str) -> str:
    return page.split('class="md-footer mz-footer"', 1)[1]


def _hrefs(fragment: str, css: str) -> list[str]:
    return [html_lib.unescape(h) for h in re.findall(rf'<a class="{css}" href="([^"]+)"', fragment)]


def test_the_site_map_lists_every_column_campaign_and_about_page(sample_site):
    page = _text(sample_site / "sitemap/index.html")
    config, _ = load_config(REPO_ROOT)
    for column in config.columns:
        assert f">{column.name}</a>" in page, column.name
    for heading in ("首页和栏目", "专题活动", "本站信息", "订阅"):
        assert f">{heading}</h2>" in page
    # 订阅: the page that explains it, then each feed; never “Atom 订阅” (a format's name means nothing to readers).
    feeds = page.split(">订阅</h2>", 1)[1].split("</section>", 1)[0]
    assert re.findall(r">([^<>]+)</a>", feeds)[0] == "订阅说明" and "Atom" not in page
    assert '<a href="../feeds/all.xml">示例县民政局·民政故事（订阅地址）</a>' in feeds
    for heading in ("网站声明", "隐私声明", "订阅说明"):
        assert f">{heading}</a>" in page.split(">本站信息</h2>", 1)[1].split("</section>", 1)[0]
    assert ">机构概况</a>" in page and ">联系我们</a>" in page
    assert '<title>网站地图 - ' in page
    for href in re.findall(r'<a href="([^"#]+)"', page.split('<article', 1)[1].split('</article>', 1)[0]):
        if "://" not in href:
            target = (sample_site / "sitemap" / href).resolve()
            assert target.exists() or (target / "index.html").exists(), href


def test_every_page_footer_links_the_site_map_and_the_error_report(sample_site):
    for name, address in (("index.html", "https://mz.example.gov.cn/"),
                          ("stories/index.html", "https://mz.example.gov.cn/stories/"),
                          ("sitemap/index.html", "https://mz.example.gov.cn/sitemap/"), ("404.html", None)):
        footer = _footer(_text(sample_site / name))
        assert "网站地图</a>" in footer and "Atom" not in footer, name
        # 我为政府网站找错: the national platform's form with the site's 网站标识码 and the page's address.
        [report] = _hrefs(footer, "mz-error-report")
        parts = urlsplit(report)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == REPORT, report
        query = parse_qs(parts.query)
        assert query["site_code"] == ["0000000000"], report
        assert query.get("url") == ([address] if address else None), report


def test_the_footer_links_the_marks_the_records_and_the_sites_own_pages(sample_site):
    config, _ = load_config(REPO_ROOT)
    footer_settings = config.site.footer
    for name in ("index.html", "stories/2024/chengguan-xiaolao-zhiyuan/index.html", "about/statement/index.html",
                 "404.html"):
        page = _text(sample_site / name)
        footer = _footer(page)
        here = (sample_site / name).parent
        # The 党政机关 mark opens its verification page.
        mark = re.search(r'<a class="mz-party-mark-link" href="([^"]+)" rel="noopener">\s*<img class="mz-party-mark" '
                         r'src="([^"]+)" alt="党政机关网站标识"', footer)
        assert mark and html_lib.unescape(mark.group(1)) == footer_settings.conac_url, name
        # The 公安备案: its number linked to its record, with the badge.
        police = re.search(r'<a class="mz-police" href="([^"]+)" rel="noopener"><img class="mz-police-badge" '
                           r'src="([^"]+)" alt="" width="20" height="20">([^<]+)</a>', footer)
        assert police, name
        assert html_lib.unescape(police.group(1)) == "https://beian.mps.gov.cn/#/query/webSearch?code=00000000000000"
        assert police.group(3) == "赣公网安备00000000000000号"
        badge = police.group(2)
        assert (sample_site / badge.lstrip("/") if badge.startswith("/") else here / badge).resolve().is_file(), badge
        # 网站声明, 隐私声明 and 订阅 (the 订阅说明 page, not a raw feed) lead to built pages.
        links = dict((text, href) for href, text in re.findall(r'<a (?:class="mz-subscribe" )?href="([^"]+)">(网站声明|隐私声明|订阅)</a>',
                                                               footer))
        assert set(links) == {"网站声明", "隐私声明", "订阅"}, (name, links)
        targets = {text: (sample_site / href.lstrip("/") if href.startswith("/") else here / href).resolve()
                   for text, href in links.items()}
        assert targets == {"网站声明": (sample_site / "about/statement").resolve(),
                           "隐私声明": (sample_site / "about/privacy").resolve(),
                           "订阅": (sample_site / "about/subscribe").resolve()}, name
        assert all((target / "index.html").is_file() for target in targets.values())
        # The language of the page, and the bureau's emblem (site.yml logo:) in the header.
        assert '<html lang="zh-CN"' in page, name
        logo = re.search(r'<a href="[^"]*" title="[^"]*" class="md-header__button md-logo"[^>]*>\s*<img src="([^"]+)" alt="">',
                         page)
        assert logo and logo.group(1).endswith("assets/images/mz-emblem.svg"), name
    assert (sample_site / "assets/images/mz-emblem.svg").is_file()


def test_the_subscription_page_lists_every_feed_with_its_full_address(sample_site):
    page = _text(sample_site / "about/subscribe/index.html")
    assert "<h1>订阅说明</h1>" in page and "怎样订阅" in page  # the bureau's text (content/about/subscribe.md)
    listed = re.findall(r'<a href="([^"]+)" type="application/atom\+xml">([^<]+)</a><br><span class="mz-feeds__address">'
                        r'订阅地址：<span class="mz-feeds__url">([^<]+)</span>', page)
    feeds = sorted(path.name for path in (sample_site / "feeds").glob("*.xml"))
    # all stories, 回应关切 and the six culture topics
    assert sorted(href.rsplit("/", 1)[1] for href, _, _ in listed) == feeds and len(feeds) == 8
    for href, title, address in listed:
        assert address == "https://mz.example.gov.cn/feeds/" + href.rsplit("/", 1)[1]
        assert (sample_site / "about/subscribe" / href).resolve().is_file() and title.startswith("示例县民政局·")
    # The list is not part of the page's searchable text (the bureau's text is).
    searchable = page.split("<!--mz-search-text-->", 1)[1].split("<!--/mz-search-text-->", 1)[0]
    assert "怎样订阅" in searchable and "mz-feeds" not in searchable


# Every page kind's 当前位置 (the places above it, then its own entry) and the menu tab of its section.
TRAILS = {
    "stories/2024/chengguan-xiaolao-zhiyuan/": (["首页", "民政故事"], "正文", "民政故事"),
    "notices/2026/shehui-zuzhi-pinggu-2026/": (["首页", "通知公告"], "正文", "通知公告"),
    "campaigns/meiyue-yixun/2026-03-shehui-jiuzhu/": (["首页", "专题活动", "每月一训"], "正文", "专题活动"),
    "campaigns/zuimei-chuangkou/": (["首页", "专题活动"], "2025年度“最美民政窗口”评选", "专题活动"),
    "stories/": (["首页"], "民政故事", "民政故事"),
    "stories/2025/": (["首页", "民政故事"], "2025年民政故事", "民政故事"),
    "notices/": (["首页"], "通知公告", "通知公告"),
    "responses/": (["首页"], "回应关切", "回应关切"),
    "bulletins/": (["首页"], "示例县民政简报", "民政简报"),
    "topics/": (["首页"], "文化专题", "文化专题"),
    "topics/xiaoxian/": (["首页", "文化专题"], "孝贤文化", "文化专题"),
    "campaigns/": (["首页"], "专题活动", "专题活动"),
    "about/": (["首页"], "机构概况", "机构概况"),
    "about/contact/": (["首页", "机构概况"], "联系我们", "机构概况"),
    "about/statement/": (["首页", "机构概况"], "网站声明", "机构概况"),
    "sitemap/": (["首页"], "网站地图", None),
    "search/": (["首页"], "站内搜索", None),
    "404.html": (["首页"], "页面不存在", None),
}


@pytest.mark.parametrize("path", sorted(TRAILS))
def test_every_page_kind_says_where_it_is(sample_site, path):
    file = sample_site / path if path.endswith(".html") else sample_site / path / "index.html"
    page = _text(file)
    links, current, tab = TRAILS[path]
    trail = re.search(r'<nav class="mz-trail" aria-label="当前位置">(.*?)</nav>', page, re.S)
    assert trail and page.count('aria-label="当前位置"') == 1, path
    items = re.findall(r'<li class="mz-trail__item">(.*?)</li>', trail.group(1), re.S)
    found = [re.sub(r"<[^>]+>", "", item).strip() for item in items]
    assert found == [*links, current], (path, found)
    assert items[-1] == f'<span aria-current="page">{current}</span>'
    for item in items[:-1]:  # every place above the page is a link to a built page
        href = html_lib.unescape(re.search(r'href="([^"]+)"', item).group(1))
        target = sample_site / href.lstrip("/") if href.startswith("/") else file.parent / href
        assert (target.resolve() / "index.html").is_file(), (path, href)
    # The trail comes before the skip link's target and the title: 跳到正文 skips it like the menus.
    assert page.index('aria-label="当前位置"') < page.index("<h1")
    if path != "404.html":
        assert page.index('aria-label="当前位置"') < page.index('id="mz-content"')
    # The menu: the tab of the page's section is the active one, with aria-current.
    active = re.findall(r'<li class="md-tabs__item md-tabs__item--active">\s*<a href="[^"]*" class="md-tabs__link"'
                        r'(?: aria-current="(page|true)")?>\s*([^<]+?)\s*</a>', page)
    if tab is None:
        assert active == [], (path, active)
    else:
        is_index = current == tab or (tab == "民政简报" and path == "bulletins/")
        assert active == [("page" if is_index else "true", tab)], (path, active)


def test_the_error_report_address_comes_from_site_yml(tmp_path):
    project = new_project(tmp_path / "project")
    site_yml = project / "site_config/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace(
        "  party_mark:", "  error_report: https://mz.example.gov.cn/zhaocuo/\n  party_mark:"), encoding="utf-8")
    # A page the bureau does not want (here 隐私声明) is deleted: the footer no longer links it.
    (project / "content/about/privacy.md").unlink()
    out = tmp_path / "site"
    result = build(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    home = _footer(_text(out / "index.html"))
    assert _hrefs(home, "mz-error-report") == [
        "https://mz.example.gov.cn/zhaocuo/?site_code=0000000000&url=https%3A//mz.example.gov.cn/"]
    assert ">网站声明</a>" in home and "隐私声明" not in home and not (out / "about/privacy").exists()
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("https://mz.example.gov.cn/zhaocuo/", "javascript:alert(1)"),
                        encoding="utf-8")
    _, findings = load_config(project)
    assert any("footer.error_report" in f.message and f.line for f in findings)


def test_the_404_page_has_a_title_a_search_and_the_columns(sample_site):
    page = _text(sample_site / "404.html")
    assert "<title>页面不存在 - 示例县民政局</title>" in page
    assert re.search(r'<form class="mz-404-search" role="search" action="/search/" method="get">', page)
    assert 'for="mz-404-search-input">搜索本站</label>' in page and 'name="q"' in page
    assert ">民政故事</a>" in page and ">通知公告</a>" in page and ">网站地图</a>" in page


def test_year_archives_read_in_house_style(sample_site):
    archive = _text(sample_site / "stories/index.html")
    assert re.search(r">20\d\d年</a><span class=\"mz-count\">\d+篇</span>", archive)
    assert not re.search(r"\d 年<|\d 篇<", archive)


def test_phone_numbers_and_dates_are_kept_on_one_line(sample_site):
    contact = _text(sample_site / "about/contact/index.html")
    article = contact.split("<article", 1)[1].split("</article>", 1)[0]
    assert re.search(r'<span class="mz-nowrap">0\d{2,3}-\d{7,8}</span>', article)
    assert not re.search(r"(?<![\d>-])0\d{2,3}-\d{7,8}(?!</span>)", article)  # every phone number wrapped
    listing = _text(sample_site / "notices/index.html")
    assert re.search(r'<span class="mz-nowrap">公示期：\d{4}-\d\d-\d\d</span>至<span class="mz-nowrap">', listing)
    css = _text(sample_site / "assets/stylesheets/mzpress.css")
    assert ".mz-nowrap, .md-typeset time { white-space: nowrap; }" in css


def test_a_campaign_heading_is_its_title_as_in_lists_and_the_tab(sample_site):
    page = _text(sample_site / "campaigns/zuimei-chuangkou/index.html")
    title = "2025年度“最美民政窗口”评选"
    assert f"<h1>{title}</h1>" in page and f"<title>{title} - 示例县民政局</title>" in page
    assert f">{title}</a>" in _text(sample_site / "campaigns/index.html")
    assert re.search(r'活动时间：<span class="mz-nowrap">\d{4}-\d\d-\d\d</span>', page)
