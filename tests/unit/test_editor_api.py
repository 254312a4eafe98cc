"""The editor's local backend: decap-server's protocol, confined to content/, checked before writing."""

from __future__ import annotations

import base64
import io
import json
import re

import pytest
import yaml
from PIL import Image

from mzpress.adapters.mkdocs.editor_api import EditorApi
from tests.support.docx_fixtures import gps_of, photo_bytes
from tests.support.project import BUILD_DATE, add_story, new_project


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("MZPRESS_BUILD_DATE", BUILD_DATE)
    root = new_project(tmp_path / "p", with_sample_pages=False)
    (root / "site_config" / "outlets.yml").unlink(missing_ok=True)
    add_story(root, 2026, "ok", title="正常稿件", date="2026-05-01 09:00")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    return root


def _post(api: EditorApi, action: str, **params):
    response = api.post("/api/v1", json.dumps({"action": action, "params": params}).encode("utf-8"))
    return response.status, json.loads(response.body)


@pytest.mark.parametrize("path", ["content/../site_config/site.yml", "../secret.txt", "/etc/passwd",
                                  "site_config/site.yml", "content/stories/../../mkdocs.yml", "content/link/x.md",
                                  "content\\..\\..\\secret.txt", "content/\x00.md", ""])
def test_every_path_outside_content_is_refused(project, path):
    (project / "content" / "link").symlink_to(project.parent)
    api = EditorApi(project)
    for action, params in (("getEntry", {"path": path}), ("getMediaFile", {"path": path}),
                           ("deleteFile", {"path": path}),
                           ("persistMedia", {"asset": {"path": path, "content": "eA==", "encoding": "base64"}}),
                           ("persistEntry", {"dataFiles": [{"path": path, "raw": "x"}], "assets": []}),
                           ("entriesByFolder", {"folder": path, "extension": "md", "depth": 1})):
        status, answer = _post(api, action, **params)
        assert status in (400, 403), (action, path, answer)
        assert "content/" in answer["error"] or "请求" in answer["error"]
    assert (project.parent / "secret.txt").read_text(encoding="utf-8") == "secret"
    assert (project / "mkdocs.yml").is_file()


def test_entries_are_listed_and_read_as_decap_server_does(project):
    api = EditorApi(project)
    status, entries = _post(api, "entriesByFolder", folder="content/stories", extension="md", depth=2)
    assert status == 200 and [e["file"]["path"] for e in entries] == ["content/stories/2026/ok.md"]
    assert entries[0]["data"].startswith("---\ntitle: 正常稿件")
    assert _post(api, "info")[1]["type"] == "local_fs"
    assert _post(api, "unknownThing")[0] == 422


def test_a_campaigns_folder_lists_its_pages_without_the_campaign_itself(project):
    folder = project / "content" / "campaigns" / "pingxuan"
    folder.mkdir(parents=True)
    for name in ("index.md", "a.md", "b.md"):
        (folder / name).write_text("---\ntitle: x\n---\n", encoding="utf-8")
    api = EditorApi(project)
    _, pages = _post(api, "entriesByFolder", folder="content/campaigns/pingxuan", extension="md", depth=1)
    assert [e["file"]["path"] for e in pages] == ["content/campaigns/pingxuan/a.md", "content/campaigns/pingxuan/b.md"]
    _, everything = _post(api, "entriesByFolder", folder="content/campaigns", extension="md", depth=2)
    assert "content/campaigns/pingxuan/index.md" in [e["file"]["path"] for e in everything]  # the campaigns' list
    config = api.config_yaml()
    assert "name: members-pingxuan" in config and "folder: content/campaigns/pingxuan" in config


def test_a_save_with_errors_writes_nothing_and_answers_the_findings(project):
    api = EditorApi(project)
    raw = ("---\ntitle: 招募志愿者\nunit: office\nauthor: 李晓梅\neditor: 王建国\ndate: 2026-05-02 09:00\n"
           "summary: 招募，电话13912345678。\n---\n# 招募\n\n报名地点在社区。\n\n电话13812345678。\n")
    status, answer = _post(api, "persistEntry", dataFiles=[{"path": "content/stories/2026/招募志愿者.md", "raw": raw}],
                           assets=[])
    assert status == 422 and "没有保存" in answer["error"]
    # Each finding names the place the writer sees in the editor: the field, or the body's paragraph.
    places = {(f["line"], f.get("field"), f.get("place")) for f in answer["findings"] if f["rule"] == "privacy.mobile"}
    assert places == {(7, "summary", "「摘要」"), (13, "body", "正文第3段")}, answer["findings"]
    assert "「摘要」：" in answer["error"] and "正文第3段：" in answer["error"] and "第13行" not in answer["error"]
    assert sorted(p.name for p in (project / "content" / "stories" / "2026").iterdir()) == ["ok.md"]
    check = api.post("/__mzpress/check", json.dumps({"params": {"path": "content/stories/2026/x.md",
                                                                "raw": raw}}).encode("utf-8"))
    assert any(f["rule"] == "privacy.mobile" for f in json.loads(check.body)["findings"])
    assert not (project / "content" / "stories" / "2026" / "x.md").exists()
    status, _ = _post(api, "persistEntry", dataFiles=[{"path": "content/stories/2031/new/x.md", "raw": raw}], assets=[])
    assert status == 422 and not (project / "content" / "stories" / "2031").exists()  # no folder left behind


def test_a_clean_save_gets_the_mzpress_slug_and_its_photo_loses_gps(project):
    api = EditorApi(project)
    raw = ("---\ntitle: 城关镇开展敬老志愿服务活动\nunit: office\nauthor: 李晓梅\neditor: 王建国\n"
           "date: 2026-05-02 09:00\nsummary: 志愿者为老人理发。\ncover: images/photo.jpg\ncover_alt: 志愿者为老人理发\n"
           "tags: []\n---\n志愿者为老人理发。\n")
    photo = base64.b64encode(photo_bytes()).decode("ascii")
    status, answer = _post(api, "persistEntry",
                           dataFiles=[{"path": "content/stories/2026/城关镇开展敬老志愿服务活动.md", "raw": raw}],
                           assets=[{"path": "content/stories/2026/images/photo.jpg", "content": photo,
                                    "encoding": "base64"}])
    assert status == 200, answer
    story = project / "content" / "stories" / "2026" / "chengguanzhen-kaizhan-jinglao.md"
    assert "tags" not in story.read_text(encoding="utf-8")
    data = (story.parent / "images" / "photo.jpg").read_bytes()
    assert gps_of(data) == {}
    # the editor reads the page back under the name it proposed
    status, entry = _post(api, "getEntry", path="content/stories/2026/城关镇开展敬老志愿服务活动.md")
    assert entry["data"].startswith("---\ntitle: 城关镇开展敬老志愿服务活动")
    status, media = _post(api, "persistMedia", asset={"path": "content/stories/2026/images/b.jpg", "content": photo,
                                                      "encoding": "base64"})
    assert status == 200 and gps_of(base64.b64decode(media["content"])) == {}


def test_the_admin_page_loads_only_its_own_files(project, tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "decap-cms.js").write_text("/* bundle */", encoding="utf-8")
    api = EditorApi(project, dist=dist)
    page = api.get("/admin/").body.decode("utf-8")
    assert '<script src="decap-cms.js"></script>' in page and "http" not in page
    assert api.get("/admin/decap-cms.js").status == 200
    assert api.get("/admin/../mkdocs.yml").status == 404
    assert "proxy_url: /api/v1" in api.get("/admin/config.yml").body.decode("utf-8")
    assert EditorApi(project, dist=tmp_path / "none").get("/admin/").status == 503


def test_nothing_the_public_build_reads_mentions_the_editor():
    from tests.support.project import REPO_ROOT

    sources = [REPO_ROOT / "mkdocs.yml", REPO_ROOT / "deploy" / "nginx.conf",
               *(p for p in (REPO_ROOT / "overrides").rglob("*") if p.is_file() and p.suffix in (".html", ".js", ".css"))]
    for path in sources:
        text = path.read_text(encoding="utf-8", errors="replace").lower()
        for needle in ("decap", "/admin/", "/api/v1", "cms.js"):
            assert needle not in text, f"{path}: {needle}"


# -- uploads, deletes and the editor's page: the editor cannot be turned into a way around the checks ----------------

PUBLISHED_BODY = "城关镇志愿者为老人理发。\n\n![志愿者为老人理发](images/used.jpg)\n\n附件：[名单](files/list.csv)\n"


@pytest.fixture
def site(tmp_path, monkeypatch):
    """The sample's pages plus a published story using a photo and an attachment, a draft, a scheduled story and
    a photo nothing uses."""
    monkeypatch.setenv("MZPRESS_BUILD_DATE", BUILD_DATE)
    root = new_project(tmp_path / "site")
    (root / "site_config" / "outlets.yml").unlink(missing_ok=True)
    add_story(root, 2026, "published", title="已发布的稿件", date="2026-05-01 09:00", body=PUBLISHED_BODY)
    add_story(root, 2026, "draft", title="草稿", date="2026-05-02 09:00", extra="draft: true\n")
    add_story(root, 2026, "later", title="定时发布的稿件", date="2026-12-30 09:00")
    images = root / "content" / "stories" / "2026" / "images"
    images.mkdir()
    (images / "used.jpg").write_bytes(photo_bytes((800, 600), gps=False))
    (images / "unused.jpg").write_bytes(photo_bytes((800, 600), gps=False))
    files = root / "content" / "stories" / "2026" / "files"
    files.mkdir()
    (files / "list.csv").write_text("序号,姓名\n1,张三\n", encoding="utf-8")
    return root


def _upload(api: EditorApi, path: str, data: bytes):
    return _post(api, "persistMedia", asset={"path": path, "content": base64.b64encode(data).decode("ascii"),
                                             "encoding": "base64"})


def _contents(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "content").rglob("*"))
            if p.is_file() and not p.is_symlink()}


def test_the_sample_project_of_these_tests_is_clean(site):
    from mzpress.checks.runner import check_project
    from mzpress.model.clock import build_time

    _, findings = check_project(site, build_time())
    assert [f for f in findings if f.severity.value == "error"] == []


@pytest.mark.parametrize("path", [
    "content/about/contact.md",  # over a published page
    "content/stories/2026/images/x.md",
    "content/stories/2026/images/x.MD",
    "content/stories/2026/images/x.html",
    "content/stories/2026/images/x.js",
    "content/stories/2026/images/x.css",
    "content/stories/2026/images/x.svg",  # can hold script; not the editor's to upload
    "content/stories/2026/images/x.json",
    "content/stories/2026/images/x.mp4",  # extra_files are a developer's decision
    "content/stories/2026/images/x.jpg.bak",
    "content/stories/2026/images/.x.jpg",
    "content/stories/2026/photo.jpg",  # not in a media folder
    "content/about/x.pdf",
    "content/stories/2026/images",  # a folder
    "content/stories/2026/images/../../../about/contact.md",
    "content/stories/2026/images/../photo.jpg",
    "content/stories/2026/images/evil.jpg",  # a link to content/about/contact.md
    "content/linked/images/x.jpg",  # a folder linked to content/about
    "../site_config/site.yml",
])
def test_an_upload_goes_only_to_a_media_folder_and_only_as_an_image_or_attachment(site, path):
    (site / "content" / "stories" / "2026" / "images" / "evil.jpg").symlink_to("../../../about/contact.md")
    (site / "content" / "linked").symlink_to("about")
    before = _contents(site)
    payload = "---\ntitle: 被改掉的页面\n---\n<img src=x onerror=alert(1)>\n".encode()
    status, answer = _upload(EditorApi(site), path, payload)
    assert status == 403, answer
    assert "content/" in answer["error"] or "只能上传" in answer["error"], answer
    assert _contents(site) == before
    # Nor as an asset saved with a page.
    page = {"path": "content/stories/2026/published.md",
            "raw": (site / "content/stories/2026/published.md").read_text(encoding="utf-8")}
    status, answer = _post(EditorApi(site), "persistEntry", dataFiles=[page], assets=[
        {"path": path, "content": base64.b64encode(payload).decode("ascii"), "encoding": "base64"}])
    assert status == 403, answer
    assert _contents(site) == before


def test_an_uploaded_photo_is_normalised_like_an_imported_one(site):
    api = EditorApi(site)
    for path in ("content/stories/2026/images/new.jpg", "content/assets/images/banner.jpg",
                 "content/notices/2025/images/new.jpg"):
        status, media = _upload(api, path, photo_bytes((3200, 2400)))
        assert status == 200, media
        data = (site / path).read_bytes()
        assert base64.b64decode(media["content"]) == data and media["path"] == path
        assert gps_of(data) == {}
        with Image.open(io.BytesIO(data)) as image:
            assert max(image.size) == 1600 and image.format == "JPEG"


def test_an_upload_the_checks_refuse_is_not_written(site):
    api = EditorApi(site)
    listing = "序号,姓名,身份证号码\n1,张三,11010519491231002X\n".encode()
    status, answer = _upload(api, "content/notices/2025/files/list.csv", listing)
    assert status == 422 and "没有上传" in answer["error"], answer
    assert any(f["rule"].startswith("privacy.") for f in answer["findings"]), answer
    assert "11010519491231002X" not in json.dumps(answer, ensure_ascii=False)
    assert not (site / "content" / "notices" / "2025" / "files" / "list.csv").exists()
    status, answer = _upload(api, "content/stories/2026/images/page.jpg", b"<html><script>alert(1)</script>")
    assert status == 422 and "page.jpg" in answer["error"], answer
    assert not (site / "content" / "stories" / "2026" / "images" / "page.jpg").exists()
    # Over a photo a published page shows: the page is checked with the new file.
    used = site / "content" / "stories" / "2026" / "images" / "used.jpg"
    before = used.read_bytes()
    status, answer = _upload(api, "content/stories/2026/images/used.jpg", photo_bytes((1200, 900)))
    assert status == 200 and used.read_bytes() != before


def test_a_published_page_is_withdrawn_not_deleted(site):
    api = EditorApi(site)
    before = _contents(site)
    for path in ("content/stories/2026/published.md", "content/about/contact.md"):
        status, answer = _post(api, "deleteFile", path=path)
        assert status == 409, answer
        assert "已经发布，不能在编辑器里删除" in answer["error"] and f"mzpress withdraw {path}" in answer["error"]
    status, answer = _post(api, "deleteFiles", paths=["content/stories/2026/draft.md", "content/about/contact.md"])
    assert status == 409
    assert _contents(site) == before  # all or nothing


def test_a_delete_that_would_break_a_page_is_refused_with_the_findings(site):
    api = EditorApi(site)
    before = _contents(site)
    status, answer = _post(api, "deleteFile", path="content/stories/2026/images/used.jpg")
    assert status == 422 and "没有删除" in answer["error"], answer
    assert [(f["rule"], f["file"]) for f in answer["findings"]] == [
        ("images.missing", "content/stories/2026/published.md")]
    assert answer["findings"][0]["place"].startswith("content/stories/2026/published.md第")
    status, answer = _post(api, "deleteFiles", paths=["content/stories/2026/draft.md",
                                                      "content/stories/2026/files/list.csv"])
    assert status == 422 and [f["rule"] for f in answer["findings"]] == ["links.broken"], answer
    assert _contents(site) == before


def test_drafts_scheduled_pages_and_unused_files_can_be_deleted(site):
    api = EditorApi(site)
    paths = ["content/stories/2026/draft.md", "content/stories/2026/later.md", "content/stories/2026/images/unused.jpg"]
    status, answer = _post(api, "deleteFiles", paths=paths)
    assert status == 200, answer
    assert not any((site / p).exists() for p in paths)
    assert _post(api, "deleteFile", path="content/stories/2026/gone.md")[0] == 200  # already gone: nothing to do
    status, answer = _post(api, "deleteFile", path="content/stories/2026/images")
    assert status == 403 and (site / "content" / "stories" / "2026" / "images").is_dir()


def test_the_editors_page_runs_no_inline_script(project, tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "decap-cms.js").write_text("/* bundle */", encoding="utf-8")
    api = EditorApi(project, dist=dist, site_url="http://127.0.0.1:8000")
    page = api.get("/admin/").body.decode("utf-8")
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts == ['<script src="mzpress-editor.js">', '<script src="decap-cms.js">',
                       '<script src="mzpress-editor-setup.js">']
    assert " on" not in page.replace("\n", " ").split("<body>")[1].lower().split("<script")[0]  # no on… handlers
    script = api.get("/admin/mzpress-editor.js")
    assert script.status == 200 and script.content_type.startswith("application/javascript")
    assert b"mzpress-findings" in script.body
    config = yaml.safe_load(api.get("/admin/config.yml").body)
    assert config["site_url"] == "http://127.0.0.1:8000" and config["backend"]["proxy_url"] == "/api/v1"
    assert all(next(f for f in c["fields"] if f["name"] == "body")["sanitize_preview"] is True
               for c in config["collections"])
    assert api.get("/api/v1").status == 405 and api.get("/__mzpress/check").status == 405


WARNED = ("---\ntitle: 走访五保户\nunit: office\nauthor: 李晓梅\neditor: 王建国\ndate: 2026-05-02 09:00\n"
          "summary: 民政干部走访辖区五保户。\n---\n民政干部走访辖区五保户，送去米面油。\n")


def test_a_save_with_warnings_is_written_only_once_the_writer_confirms_them(project):
    api = EditorApi(project)
    folder = project / "content" / "stories" / "2026"
    status, answer = _post(api, "persistEntry", dataFiles=[{"path": "content/stories/2026/走访五保户.md", "raw": WARNED}],
                           assets=[])
    assert status == 422 and answer["confirm"] is True, answer
    assert answer["findings"] and {f["severity"] for f in answer["findings"]} == {"warning"}
    assert any("五保户" in f["message"] for f in answer["findings"]), answer["findings"]
    assert "提醒" in answer["error"] and "还没有保存" in answer["error"]
    assert sorted(p.name for p in folder.iterdir()) == ["ok.md"]  # nothing written yet
    status, answer = _post(api, "persistEntry", dataFiles=[{"path": "content/stories/2026/走访五保户.md", "raw": WARNED}],
                           assets=[], confirmWarnings=True)
    assert status == 200 and answer["warnings"], answer
    assert (folder / "zoufang-wubaohu.md").is_file() or len(list(folder.glob("*.md"))) == 2


def test_the_rarely_used_fields_are_read_folded_and_written_flat(project):
    api = EditorApi(project)
    page = project / "content" / "stories" / "2026" / "ok.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("\n---\n", "\nunpublish_at: 2026-12-31 18:00\n---\n", 1), encoding="utf-8")
    status, entry = _post(api, "getEntry", path="content/stories/2026/ok.md")
    meta = yaml.safe_load(entry["data"].split("---\n")[1])
    assert meta["more"] == {"unpublish_at": "2026-12-31 18:00"} and "unpublish_at" not in meta
    status, answer = _post(api, "persistEntry", dataFiles=[{"path": "content/stories/2026/ok.md",
                                                             "raw": entry["data"]}], assets=[], confirmWarnings=True)
    assert status == 200, answer
    saved = page.read_text(encoding="utf-8")
    assert "\nunpublish_at: 2026-12-31 18:00\n" in saved and "more" not in saved


def test_mask_gives_the_fix_of_mzpress_mask_for_the_lines_of_one_finding(project):
    api = EditorApi(project)
    raw = ("---\ntitle: 招募\nunit: office\n---\n第一段。\n\n报名请联系王主任，电话13812345678，\n"
           "或者13912345678。\n\n值班电话13900000000。\n")

    def mask(path, line):
        response = api.post("/__mzpress/mask", json.dumps({"params": {"path": path, "raw": raw, "line": line}})
                            .encode("utf-8"))
        return response.status, json.loads(response.body)

    status, answer = mask("content/stories/2026/x.md", 7)
    assert status == 200 and answer["changes"] == [
        {"before": "报名请联系王主任，电话13812345678，", "after": "报名请联系王主任，电话138****5678，"},
        {"before": "或者13912345678。", "after": "或者139****5678。"}], answer
    status, answer = mask("content/stories/2026/x.md", 10)  # the site's public duty phone is never masked
    assert status == 422 and "手动" in answer["error"]
    assert not (project / "content" / "stories" / "2026" / "x.md").exists()
    status, answer = mask("../x.md", 7)
    assert status == 403


def test_a_notice_keeps_its_names_when_masked_in_the_editor(project):
    api = EditorApi(project)
    raw = ("---\ntitle: 公示\n---\n| 姓名 | 身份证号 |\n| --- | --- |\n| 王小明 | 360723199001011234 |\n")
    for path, name in (("content/notices/2026/x.md", "王小明"), ("content/stories/2026/x.md", "王**")):
        response = api.post("/__mzpress/mask", json.dumps({"params": {"path": path, "raw": raw, "line": 6}})
                            .encode("utf-8"))
        change = json.loads(response.body)["changes"][0]
        assert change["after"].startswith(f"| {name} |") and "360723" in change["after"], change
        assert "199001011234" not in change["after"]


def test_the_setup_script_and_the_preview_stylesheet_come_from_the_editors_origin(project, tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "decap-cms.js").write_text("/* bundle */", encoding="utf-8")
    api = EditorApi(project, dist=dist)
    script = api.get("/admin/mzpress-editor-setup.js")
    assert script.status == 200 and script.content_type.startswith("application/javascript")
    site = json.loads(script.body.decode("utf-8").split("\n", 1)[0].removeprefix("var MZPRESS_SITE = ").rstrip(";"))
    assert site["units"]["office"] and site["topics"]["xiaoxian"] == "孝贤文化", site
    assert "stories" in site["collections"] and "registerPreviewTemplate" in script.body.decode("utf-8")
    css = api.get("/admin/site-preview.css")
    assert css.status == 200 and css.content_type.startswith("text/css")
    assert b".md-typeset" in css.body and b".mz-article-meta" in css.body and b"sourceMappingURL" not in css.body
    assert api.get("/admin/mzpress-editor.css").status == 200


def test_the_refusal_to_delete_names_withdraw_and_takedown(site):
    status, answer = _post(EditorApi(site), "deleteFile", path="content/stories/2026/published.md")
    assert status == 409
    assert "撤回" in answer["error"] and "撤下" in answer["error"]
    assert "scripts/mzpress withdraw content/stories/2026/published.md" in answer["error"]
    assert "scripts/mzpress takedown content/stories/2026/published.md" in answer["error"]


def test_advice_to_add_a_front_matter_line_names_the_editors_field(project):
    api = EditorApi(project)
    raw = ("---\ntitle: 有封面的稿件\nunit: office\nauthor: 李晓梅\neditor: 王建国\ndate: 2026-05-02 09:00\n"
           "summary: 摘要。\ncover: images/a.jpg\n---\n正文。\n")
    status, answer = _post(api, "persistEntry", dataFiles=[{"path": "content/stories/2026/x.md", "raw": raw}], assets=[])
    assert status == 422
    advice = [f["suggestion"] for f in answer["findings"] if "cover_alt" in f["message"]]
    assert advice and all("加一行" not in a and "在“封面图片说明”一栏填写" in a for a in advice), advice


def _mask_field(api: EditorApi, path: str, raw: str, field: str):
    response = api.post("/__mzpress/mask", json.dumps({"params": {"path": path, "raw": raw, "field": field}})
                        .encode("utf-8"))
    return response.status, json.loads(response.body)


def test_mask_gives_the_fix_of_mzpress_mask_for_one_front_matter_field(project):
    """一键脱敏 of 摘要, 标题 ...: the field's value as the form holds it (decoded, unquoted), masked by page kind,
    the public numbers kept; a field that is not one line of plain text is not fixed automatically."""
    api = EditorApi(project)
    raw = ("---\ntitle: 招募厨师\nunit: office\nsummary: \"报名请联系王主任，电话13812345678。\"\n"
           "tags: [13912345678]\nissuer: 值班电话13900000000\n---\n正文。\n")
    status, answer = _mask_field(api, "content/stories/2026/x.md", raw, "summary")
    assert status == 200 and answer == {"field": "summary", "before": "报名请联系王主任，电话13812345678。",
                                         "after": "报名请联系王主任，电话138****5678。"}, answer
    status, answer = _mask_field(api, "content/stories/2026/x.md", raw, "tags")  # a list: by hand
    assert status == 422 and "手动" in answer["error"]
    status, answer = _mask_field(api, "content/stories/2026/x.md", raw, "issuer")  # the public duty phone
    assert status == 422 and "手动" in answer["error"]
    status, answer = _mask_field(api, "content/stories/2026/x.md", raw, "title")  # nothing to mask
    assert status == 422
    address = "---\ntitle: 城关镇幸福村3组15号王小明的低保公示\n---\n正文。\n"
    status, answer = _mask_field(api, "content/notices/2026/x.md", address, "title")  # a notice: beyond the village
    assert status == 200 and answer["after"] == "城关镇幸福村*****王小明的低保公示", answer
    assert _mask_field(api, "../x.md", raw, "summary")[0] == 403
    assert not (project / "content" / "stories" / "2026" / "x.md").exists()


def test_the_intranet_editor_is_written_with_the_setup_script_and_the_git_words(project, tmp_path):
    from mzpress.adapters.mkdocs.editor_api import write_git_admin
    from mzpress.adapters.mkdocs.editor_page import GIT_LOGIN_NOTE
    from mzpress.editing.cms_config import backend_settings, cms_config
    from mzpress.model.config import load_config

    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "decap-cms.js").write_text("/* bundle */", encoding="utf-8")
    settings = cms_config(load_config(project)[0],
                          backend_settings("gitea", "minzheng/website", "https://git.example/api/v1"))
    folder = tmp_path / "site" / "admin"
    written = write_git_admin(project, folder, settings, "backend: {}\n", dist=dist)
    assert set(written) == {"decap-cms.js", "config.yml", "index.html", "mzpress-editor-setup.js",
                            "mzpress-editor.css", "site-preview.css"}
    page = (folder / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == ["decap-cms.js", "mzpress-editor-setup.js"]  # no findings panel: it needs the local backend
    assert GIT_LOGIN_NOTE in page and "合并请求" in page and "<script>" not in page
    setup = (folder / "mzpress-editor-setup.js").read_text(encoding="utf-8")
    site = json.loads(setup.split("\n", 1)[0].removeprefix("var MZPRESS_SITE = ").rstrip(";"))
    assert site["backend"] == "forgejo" and "responses" in site["collections"] and site["units"]["office"]
    assert b".md-typeset" in (folder / "site-preview.css").read_bytes()
    with pytest.raises(FileNotFoundError):
        write_git_admin(project, tmp_path / "other", settings, "", dist=tmp_path / "none")
