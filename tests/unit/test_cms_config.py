"""The editor's configuration offers every front-matter field of the schema, as the schema requires it."""

from __future__ import annotations

import re

import pytest
import yaml

from mzpress.editing.cms_config import (
    COLLECTIONS,
    COVER_ALT_WIDGET,
    DATETIME_WIDGET,
    MORE_FIELD,
    MORE_HINT,
    RARE_FIELDS,
    CmsConfigError,
    backend_settings,
    campaign_folders,
    cms_config,
    in_media_folder,
    member_collection,
    nest_rare_fields,
    offered_fields,
    offered_specs,
    tidy_front_matter,
)
from mzpress.model.config import load_config
from mzpress.model.schema import RECORDED_FIELDS, SCHEMAS
from tests.support.project import REPO_ROOT


@pytest.fixture(scope="module")
def config():
    loaded, findings = load_config(REPO_ROOT)
    return loaded


def test_every_schema_field_is_offered_with_the_schemas_label_and_requirement(config):
    campaigns = campaign_folders(REPO_ROOT / "content")
    cms = cms_config(config, backend_settings("gitea", "minzheng/website", "https://git.example/api/v1"),
                     campaigns=campaigns)
    offered = offered_fields(cms)
    every = (*COLLECTIONS, *map(member_collection, campaigns))
    # Not in the editor: bulletins (written by `mzpress bulletin`) and the home page (content/index.md).
    assert {c.kind for c in every} == set(SCHEMAS) - {"bulletin", "home"}
    for collection in every:  # the schema's fields and those commands record (submitted_to)
        assert offered[collection.kind] == {s.name for s in SCHEMAS[collection.kind]} | {
            s.name for s in RECORDED_FIELDS.get(collection.kind, ())}, collection.kind
    by_name = {c["name"]: c for c in cms["collections"]}
    for collection in every:
        fields = {f["name"]: f for f in by_name[collection.name]["fields"]}
        for spec in offered_specs(collection.kind):
            assert fields[spec.name]["label"].startswith(spec.label)  # 封面图片说明（选了封面图片时必填）
            assert fields[spec.name]["required"] is spec.required


def test_units_and_topics_are_selects_with_chinese_names(config):
    cms = cms_config(config, backend_settings("proxy", proxy_url="/api/v1"))
    story = next(c for c in cms["collections"] if c["name"] == "stories")
    fields = {f["name"]: f for f in story["fields"]}
    assert [o["value"] for o in fields["unit"]["options"]] == [u.id for u in config.units]
    assert fields["unit"]["options"][0]["label"].startswith(config.units[0].name)
    assert fields["topics"]["multiple"] is True
    assert {o["value"] for o in fields["topics"]["options"]} == {t.id for t in config.topics}
    assert story["path"] == "{{year}}/{{slug}}" and story["media_folder"] == "images"
    assert cms["locale"] == "zh_Hans" and "publish_mode" not in cms


def test_a_git_server_saves_through_pull_requests():
    backend = backend_settings("gitea", "minzheng/website", "https://git.example.gov.cn/api/v1/",
                               "https://git.example.gov.cn")
    # Decap's "gitea" backend refuses the editorial workflow; its "forgejo" backend (Gitea's API) has it.
    assert backend == {**backend, "name": "forgejo", "repo": "minzheng/website",
                       "api_root": "https://git.example.gov.cn/api/v1", "base_url": "https://git.example.gov.cn"}
    cms = cms_config(load_config(REPO_ROOT)[0], backend)
    assert cms["publish_mode"] == "editorial_workflow"
    # No backend of ours renames a new page there: its file name is the day of its date (Decap's slug of a Chinese
    # title is Chinese, which content.slug refuses); the preview keeps the title's slug, which its backend replaces.
    assert {c["slug"] for c in cms["collections"]} == {"{{year}}{{month}}{{day}}"}
    local = cms_config(load_config(REPO_ROOT)[0], backend_settings("proxy", proxy_url="/api/v1"))
    assert {c["slug"] for c in local["collections"]} == {"{{slug}}"}
    with pytest.raises(CmsConfigError, match="所有者/仓库名"):
        backend_settings("gitea", "website")
    with pytest.raises(CmsConfigError, match="api-root"):
        backend_settings("gitea", "minzheng/website")
    with pytest.raises(CmsConfigError, match="不认识"):
        backend_settings("svn", "a/b")


def test_a_new_schema_kind_of_field_fails_until_mapped(config, monkeypatch):
    from mzpress.model import schema

    monkeypatch.setitem(schema.SCHEMAS, "story", (*schema.SCHEMAS["story"], schema.FieldSpec("x", "新字段", "colour")))
    with pytest.raises(KeyError, match="colour"):
        cms_config(config, backend_settings("proxy", proxy_url="/api/v1"))


def test_untouched_optional_fields_are_dropped():
    raw = "---\ntitle: 标题\ntopics: [a, b]\ntags: []\ndraft: false\nwithdrawn:\n  date: ''\n  reason: ''\ncover: ''\n---\n正文\n"
    assert tidy_front_matter(raw) == "---\ntitle: 标题\ntopics: [a, b]\n---\n正文\n"
    kept = "---\ntitle: 标题\ndraft: true\n---\n正文\n"
    assert tidy_front_matter(kept) == kept
    assert tidy_front_matter("no front matter") == "no front matter"


def test_the_command_writes_the_configuration(tmp_path, capsys):
    from mzpress.cli import main

    out = tmp_path / "config.yml"
    assert main(["--root", str(REPO_ROOT), "cms-config", "--repo", "minzheng/website",
                 "--api-root", "https://git.example/api/v1", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 由 mzpress cms-config 生成") and "publish_mode: editorial_workflow" in text
    assert main(["--root", str(REPO_ROOT), "cms-config", "--repo", "website"]) == 2
    assert "所有者/仓库名" in capsys.readouterr().err


def test_the_intranet_build_writes_the_editor_with_its_setup_script_and_chinese_widgets(tmp_path, capsys):
    """What `scripts/build --with-editor` runs: site/admin/ loads Decap and then the editor's setup script (Chinese
    strings, date picker, conditional 封面图片说明), and its configuration asks for those widgets."""
    from mzpress.cli import main

    if not (REPO_ROOT / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file():
        pytest.fail("node_modules/decap-cms is missing: run scripts/install-tools")
    admin = tmp_path / "site" / "admin"
    assert main(["--root", str(REPO_ROOT), "cms-config", "--backend", "gitea", "--repo", "minzheng/website",
                 "--api-root", "https://git.example.gov.cn/api/v1", "--app-id", "abc", "--admin-dir",
                 str(admin)]) == 0
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<script src="([^"]+)"', page) == ["decap-cms.js", "mzpress-editor-setup.js"]
    assert 'href="mzpress-editor.css"' in page and "合并请求" in page
    setup = (admin / "mzpress-editor-setup.js").read_text(encoding="utf-8")
    assert setup.startswith("var MZPRESS_SITE = ") and "registerWidget(\"datetime\", DateControl" in setup
    assert (admin / "site-preview.css").is_file() and (admin / "decap-cms.js").is_file()
    cms = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert cms["backend"]["name"] == "forgejo" and cms["backend"]["app_id"] == "abc"
    assert cms["publish_mode"] == "editorial_workflow" and cms["locale"] == "zh_Hans"
    widgets = {f["widget"] for c in cms["collections"] for f in _all_fields(c["fields"])}
    assert {DATETIME_WIDGET, COVER_ALT_WIDGET} <= widgets
    assert main(["--root", str(REPO_ROOT), "cms-config", "--backend", "proxy", "--admin-dir", str(admin)]) == 2
    assert "不需要 --admin-dir" in capsys.readouterr().err


def test_each_kind_of_campaign_is_its_own_collection_filtered_by_one_value(config):
    """Decap's collection filter compares a field with one value (a list matches nothing), so 评选 and 培训 are two
    collections of content/campaigns; a new campaign gets its collection's kind without the writer choosing it."""
    cms = cms_config(config, backend_settings("proxy", proxy_url="/api/v1"))
    campaigns = {c["name"]: c for c in cms["collections"] if c.get("filter")}
    assert set(campaigns) == {"campaigns-selection", "campaigns-training"}
    for name, kind, label in (("campaigns-selection", "selection", "专题活动（评选）"),
                              ("campaigns-training", "training", "专题活动（培训）")):
        collection = campaigns[name]
        assert collection["filter"] == {"field": "kind", "value": kind} and collection["label"] == label
        assert collection["folder"] == "content/campaigns" and collection["path"] == "{{slug}}/index"
        field = next(f for f in collection["fields"] if f["name"] == "kind")
        assert field["widget"] == "hidden" and field["default"] == kind and "options" not in field


def test_each_campaign_has_a_collection_of_its_own_pages(config, tmp_path):
    """Its folder, its title in the label; no campaign, no such collection; an unreadable index.md still gives one."""
    campaigns = campaign_folders(REPO_ROOT / "content")
    assert [c.slug for c in campaigns] == ["meiyue-yixun", "zuimei-chuangkou", "zuimei-minzhengren"]
    cms = cms_config(config, backend_settings("proxy", proxy_url="/api/v1"), campaigns=campaigns)
    members = {c["name"]: c for c in cms["collections"] if c["name"].startswith("members-")}
    people = members["members-zuimei-minzhengren"]
    assert people["folder"] == "content/campaigns/zuimei-minzhengren" and "path" not in people
    assert people["label"] == "活动页面：2026年度“最美基层民政人”评选" and people["create"] is True
    assert people["media_folder"] == "images" and "nested" not in people
    assert not [c for c in cms_config(config, backend_settings("proxy", proxy_url="/api/v1"))["collections"]
                if c["name"].startswith("members-")]
    broken = tmp_path / "content" / "campaigns" / "huodong"
    broken.mkdir(parents=True)
    (broken / "index.md").write_bytes(b"---\ntitle: [\n---\n")
    (tmp_path / "content" / "campaigns" / "no-index").mkdir()
    odd = tmp_path / "content" / "campaigns" / "最美 窗口"
    odd.mkdir()
    (odd / "index.md").write_text("---\ntitle: 文件夹名不合规\n---\n", encoding="utf-8")
    assert [(c.slug, c.title) for c in campaign_folders(tmp_path / "content")] == [("huodong", "huodong")]


def test_the_body_preview_is_sanitised_in_every_collection(config):
    """Decap's preview pane shows a page's body without its scripts and event handlers, on every backend."""
    campaigns = campaign_folders(REPO_ROOT / "content")
    for backend in (backend_settings("proxy", proxy_url="/api/v1"),
                    backend_settings("gitea", "minzheng/website", "https://git.example/api/v1")):
        for collection in cms_config(config, backend, campaigns=campaigns)["collections"]:
            body = next(f for f in collection["fields"] if f["name"] == "body")
            assert body["sanitize_preview"] is True, collection["name"]


@pytest.mark.parametrize("relpath,allowed", [
    ("content/stories/2026/images/photo.jpg", True),
    ("content/campaigns/zuimei-chuangkou/images/a.png", True),
    ("content/notices/2025/files/list.csv", True),
    ("content/assets/images/banner.jpg", True),
    ("content/assets/images/icons/a.png", True),
    ("content/stories/2026/photo.jpg", False),
    ("content/about/contact.md", False),
    ("content/assets/a.jpg", False),
    ("content/images", False),
    ("site_config/images/a.jpg", False),
    ("content/stories/2026/images/../x.jpg", False),
    ("content/stories/.hidden/images/x.jpg", False),
    ("content/stories/2026/images/", False),
])
def test_uploads_go_to_media_folders_only(relpath, allowed):
    assert in_media_folder(relpath) is allowed


def _all_fields(fields):
    for field in fields:
        yield field
        yield from _all_fields(field.get("fields", ()))


@pytest.mark.parametrize("backend", [backend_settings("proxy", proxy_url="/api/v1"),
                                     backend_settings("gitea", "minzheng/website", "https://git.example/api/v1")])
def test_hints_are_plain_chinese_without_front_matter_syntax(config, backend):
    cms = cms_config(config, backend, campaigns=campaign_folders(REPO_ROOT / "content"))
    hints = [f["hint"] for c in cms["collections"] for f in _all_fields(c["fields"]) if "hint" in f]
    assert hints
    for hint in hints:
        assert not re.search(r"[A-Za-z_]+\s*:", hint), hint  # never "unit: office"
        assert re.search(r"[\u4e00-\u9fff]", hint), hint
    story = next(c for c in cms["collections"] if c["name"] == "stories")
    assert all("hint" in f for f in story["fields"] if f["name"] != "body"), story["fields"]


def test_rarely_used_fields_are_folded_under_more_settings_in_the_preview_editor(config):
    cms = cms_config(config, backend_settings("proxy", proxy_url="/api/v1"),
                     campaigns=campaign_folders(REPO_ROOT / "content"))
    for collection in cms["collections"]:
        top = [f["name"] for f in collection["fields"]]
        assert not set(top) & set(RARE_FIELDS), collection["name"]
        more = [f for f in collection["fields"] if f["name"] == MORE_FIELD]
        if more:
            assert more[0]["label"] == "更多设置" and more[0]["widget"] == "object" and more[0]["collapsed"] is True
            assert top[-2:] == [MORE_FIELD, "body"]  # at the end of the form, before the body
            assert {f["name"] for f in more[0]["fields"]} <= set(RARE_FIELDS)
    story = next(c for c in cms["collections"] if c["name"] == "stories")
    more = next(f for f in story["fields"] if f["name"] == MORE_FIELD)
    assert [f["name"] for f in more["fields"]] == ["withdrawn", "unpublish_at", "adopted_by", "submitted_to"]
    # A git server's editor has no backend that translates: the fields stay flat, as the file has them, last in
    # the form (before the body), the first of them saying that 更多设置 begins there.
    gitea = cms_config(config, backend_settings("gitea", "minzheng/website", "https://git.example/api/v1"))
    assert all(f["name"] != MORE_FIELD for c in gitea["collections"] for f in c["fields"])
    story = next(c for c in gitea["collections"] if c["name"] == "stories")
    names = [f["name"] for f in story["fields"]]
    assert names[-5:] == ["withdrawn", "unpublish_at", "adopted_by", "submitted_to", "body"]
    assert story["fields"][-5]["hint"].startswith(MORE_HINT) and MORE_HINT not in story["fields"][-4]["hint"]


@pytest.mark.parametrize("backend", [backend_settings("proxy", proxy_url="/api/v1"),
                                     backend_settings("gitea", "minzheng/website", "https://git.example/api/v1")])
def test_both_editors_use_the_chinese_date_picker_and_the_conditional_cover_alt(config, backend):
    """The writers' preview and the intranet build load the same setup script, which registers these widgets."""
    cms = cms_config(config, backend, campaigns=campaign_folders(REPO_ROOT / "content"))
    story = {f["name"]: f for f in next(c for c in cms["collections"] if c["name"] == "stories")["fields"]}
    assert story["date"]["widget"] == DATETIME_WIDGET and story["date"]["format"] == "YYYY-MM-DD HH:mm"
    assert story["cover_alt"]["widget"] == COVER_ALT_WIDGET and story["cover_alt"]["required"] is False
    assert "选了封面图片时必填" in story["cover_alt"]["label"]
    dates = [f for c in cms["collections"] for f in _all_fields(c["fields"]) if f.get("format", "").startswith("YYYY")]
    assert dates and all(f["widget"] == DATETIME_WIDGET for f in dates)
    # No default inside 撤回说明 on a git server: Decap would write withdrawn: {unpublish: false} into a new page.
    top = story[MORE_FIELD]["fields"] if MORE_FIELD in story else story.values()
    withdrawn = next(f for f in top if f["name"] == "withdrawn")
    unpublish = next(f for f in withdrawn["fields"] if f["name"] == "unpublish")
    assert ("default" in unpublish) is (backend["name"] == "proxy")


def test_submitted_to_is_offered_per_outlet_under_more_settings(config):
    """报送记录 (submitted_to, the shape of schema._SubmissionReader): a list of outlet (a select of outlets.yml),
    date (Chinese picker) and kind (文字 or 图片, optional), with Chinese labels and hints."""
    cms = cms_config(config, backend_settings("proxy", proxy_url="/api/v1"))
    story = next(c for c in cms["collections"] if c["name"] == "stories")
    more = next(f for f in story["fields"] if f["name"] == MORE_FIELD)
    field = next(f for f in more["fields"] if f["name"] == "submitted_to")
    assert field["label"] == "报送记录" and field["widget"] == "list" and field["required"] is False
    assert "报送" in field["hint"] and "渠道" in field["hint"]
    parts = {f["name"]: f for f in field["fields"]}
    assert list(parts) == ["outlet", "date", "kind"]  # exactly the keys the schema reads
    assert parts["outlet"]["label"] == "报送渠道" and parts["outlet"]["widget"] == "select"
    assert [o["value"] for o in parts["outlet"]["options"]] == list(config.outlets.choices)
    assert parts["outlet"]["options"][0]["label"].startswith(next(iter(config.outlets.choices.values())))
    assert parts["date"]["widget"] == DATETIME_WIDGET and parts["date"]["format"] == "YYYY-MM-DD"
    assert parts["date"]["label"] == "报送日期" and "hint" in parts["date"]
    assert parts["kind"]["required"] is False and {o["label"] for o in parts["kind"]["options"]} == {"文字", "图片"}
    assert "submitted_to" not in {f["name"] for c in cms["collections"] if c["name"] != "stories"
                                  for f in _all_fields(c["fields"])}


def test_responses_are_a_collection_named_and_filed_as_mzpress_new_names_them(config):
    """回应关切 in content/responses/<year>/<slug>.md (where `mzpress new response` puts it), with 发布机关 and
    首页置顶天数 in Chinese with hints."""
    cms = cms_config(config, backend_settings("proxy", proxy_url="/api/v1"))
    responses = next(c for c in cms["collections"] if c["name"] == "responses")
    assert responses["label"] == "回应关切" and responses["folder"] == "content/responses"
    assert responses["path"] == "{{year}}/{{slug}}" and responses["create"] is True
    fields = {f["name"]: f for f in _all_fields(responses["fields"])}
    assert fields["issuer"]["label"] == "发布机关" and fields["issuer"]["required"] is False
    assert "网站名称" in fields["issuer"]["hint"]
    assert fields["pin_days"]["label"] == "首页置顶天数" and fields["pin_days"]["widget"] == "number"
    assert fields["pin_days"]["min"] == 1 and "7天" in fields["pin_days"]["hint"]
    assert fields["date"]["widget"] == DATETIME_WIDGET and fields["summary"]["required"] is True


FLAT = ("---\ntitle: 标题\nunit: office\nwithdrawn:\n  date: 2026-06-01\n  reason: 活动取消  # 备注\n"
        "adopted_by:\n- {outlet: city-mz-site, date: 2026-04-03}\nunpublish_at: 2026-12-31 18:00\n"
        "summary: 摘要\n---\n正文\n")


def test_the_file_keeps_its_flat_front_matter_through_the_more_settings_section():
    nested = nest_rare_fields(FLAT)
    meta = yaml.safe_load(nested.split("---\n")[1])
    assert list(meta) == ["title", "unit", "summary", MORE_FIELD]
    assert set(meta[MORE_FIELD]) == {"withdrawn", "adopted_by", "unpublish_at"}
    assert nested.endswith("---\n正文\n")
    saved = tidy_front_matter(nested)  # what the backend writes when the editor saves it unchanged
    assert yaml.safe_load(saved.split("---\n")[1]) == yaml.safe_load(FLAT.split("---\n")[1])
    assert MORE_FIELD not in saved and saved.endswith("---\n正文\n")
    # Untouched, the section is written as empty values, which are dropped; a page without them is not changed.
    empty = "---\ntitle: 标题\nmore:\n  withdrawn: {date: '', reason: '', unpublish: false}\n  adopted_by: []\n" \
            "  unpublish_at: ''\n---\n正文\n"
    assert tidy_front_matter(empty) == "---\ntitle: 标题\n---\n正文\n"
    plain = "---\ntitle: 标题\nunit: office\n---\n正文\n"
    assert nest_rare_fields(plain) == plain and nest_rare_fields("no front matter") == "no front matter"


def test_a_page_checked_after_an_editor_round_trip_has_the_shape_the_schema_reads(config, tmp_path):
    from mzpress.model.frontmatter import split

    saved = tidy_front_matter(nest_rare_fields(FLAT))
    meta = split(saved, "content/stories/2026/x.md").meta
    assert meta.get("withdrawn") == {"date": meta["withdrawn"]["date"], "reason": "活动取消"}
    assert meta.get("unpublish_at") is not None and "more" not in meta
