"""网站地图, the footer's 我为政府网站找错 link and the 404 page, on the built sample site."""

from __future__ import annotations

import re

from mzpress.model.config import load_config
from tests.support.project import REPO_ROOT, build, new_project


def _text(path) -> str:
    return path.read_text(encoding="utf-8")


def test_the_site_map_lists_every_column_campaign_and_about_page(sample_site):
    page = _text(sample_site / "sitemap/index.html")
    config, _ = load_config(REPO_ROOT)
    for column in config.columns:
        assert f">{column.name}</a>" in page, column.name
    for heading in ("首页和栏目", "专题活动", "本站信息", "订阅"):
        assert f">{heading}</h2>" in page
    assert ">机构概况</a>" in page and ">联系我们</a>" in page
    assert '<title>网站地图 - ' in page
    for href in re.findall(r'<a href="([^"#]+)"', page.split('<article', 1)[1].split('</article>', 1)[0]):
        if "://" not in href:
            target = (sample_site / "sitemap" / href).resolve()
            assert target.exists() or (target / "index.html").exists(), href


def test_every_page_footer_links_the_site_map_and_the_error_report(sample_site):
    for name in ("index.html", "stories/index.html", "sitemap/index.html", "404.html"):
        footer = _text(sample_site / name).split('class="md-footer mz-footer"', 1)[1]
        assert "网站地图</a>" in footer and 'href="https://zfwzzc.www.gov.cn/"' in footer, name
        assert "（Atom）" not in footer


def test_the_error_report_address_comes_from_site_yml(tmp_path):
    project = new_project(tmp_path / "project")
    site_yml = project / "site_config/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace(
        "  party_mark:", "  error_report: https://mz.example.gov.cn/zhaocuo/\n  party_mark:"), encoding="utf-8")
    out = tmp_path / "site"
    assert build(project, out).returncode == 0
    assert 'href="https://mz.example.gov.cn/zhaocuo/"' in _text(out / "index.html")
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
    assert re.search(r'公示期：<span class="mz-nowrap">\d{4}-\d\d-\d\d</span>至<span class="mz-nowrap">', listing)
    css = _text(sample_site / "assets/stylesheets/mzpress.css")
    assert ".mz-nowrap, .md-typeset time { white-space: nowrap; }" in css


def test_a_campaign_heading_is_its_title_as_in_lists_and_the_tab(sample_site):
    page = _text(sample_site / "campaigns/zuimei-chuangkou/index.html")
    title = "2025年度“最美民政窗口”评选"
    assert f"<h1>{title}</h1>" in page and f"<title>{title} - 示例县民政局</title>" in page
    assert f">{title}</a>" in _text(sample_site / "campaigns/index.html")
    assert re.search(r'活动时间：<span class="mz-nowrap">\d{4}-\d\d-\d\d</span>', page)
