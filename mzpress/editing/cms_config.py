"""The browser editor's configuration (Decap CMS ``config.yml``), generated from the front-matter schema.

Pure: ``cms_config(config, backend)`` turns :data:`mzpress.model.schema.SCHEMAS` and the units and
topics of ``site_config/`` into the dictionary Decap reads. Every field a kind's schema has is offered
(:func:`offered_fields` is what the test compares with the schema), required as the schema requires,
with the schema's Chinese label. Units and topics are select widgets with their Chinese names.

Files are named as ``mzpress new`` names them: the editor proposes a temporary name, and the
writers' preview backend (``adapters/mkdocs/editor_api.py``) renames a new page to the slug
``mzpress.model.slugs.slugify`` makes from its title before writing it. Images go to the
``images/`` folder next to the page, as ``mzpress import-docx`` puts them; :func:`in_media_folder` says where
the editor may upload a file at all (a page's ``images/`` or ``files/`` folder, or the shared
``content/assets/images/``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from mzpress.model.config import SiteConfig
from mzpress.model.content import SLUG_PATTERN
from mzpress.model.frontmatter import title_of
from mzpress.model.schema import CAMPAIGN_KINDS, KIND_LABELS, SCHEMAS, FieldSpec

CONTENT = "content"
MEDIA_FOLDER = "images"  # next to the page: content/stories/2026/images/
ATTACHMENT_FOLDER = "files"  # attachments next to the page: content/notices/2025/files/
SHARED_MEDIA_FOLDER = f"{CONTENT}/assets/images"  # the editor's media library for every page
SHARED_PUBLIC_FOLDER = "/assets/images"
DATETIME_FORMAT = "YYYY-MM-DD HH:mm"
DATE_FORMAT = "YYYY-MM-DD"
# The editor's own language (Decap's locale for Simplified Chinese).
LOCALE = "zh_Hans"


@dataclass(frozen=True)
class Collection:
    """One editor collection: which schema kind, where its files live, how they are named."""

    name: str
    kind: str
    folder: str
    path: str | None = None  # sub-path template inside ``folder`` (year folders)
    create: bool = True
    # A campaign collection holds one kind of campaign: Decap's collection filter compares one field with one
    # value (a list of values matches nothing), so 评选 and 培训 are two collections of the same folder.
    campaign_kind: str | None = None
    label: str | None = None  # instead of the kind's label


@dataclass(frozen=True)
class CampaignFolder:
    """A campaign of ``content/campaigns/``: its folder name and its title (from its ``index.md``)."""

    slug: str
    title: str


MEMBERS_PREFIX = "members-"  # the collection of one campaign's pages: members-<folder>


COLLECTIONS = (
    Collection("stories", "story", f"{CONTENT}/stories", path="{{year}}/{{slug}}"),
    Collection("notices", "notice", f"{CONTENT}/notices", path="{{year}}/{{slug}}"),
    *(Collection(f"campaigns-{kind}", "campaign", f"{CONTENT}/campaigns", path="{{slug}}/index", campaign_kind=kind)
      for kind in CAMPAIGN_KINDS),
    Collection("topics", "topic", f"{CONTENT}/topics"),
    Collection("about", "page", f"{CONTENT}/about"),
)

_BACKENDS = ("gitea", "github", "proxy")


class CmsConfigError(ValueError):
    """A backend setting that cannot be used; the message says what to give instead."""


def _options(choices: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"label": f"{name}（{ident}）", "value": ident} for ident, name in choices.items()]


def _field(spec: FieldSpec, config: SiteConfig) -> dict[str, Any]:
    """The Decap field for one schema field (its widget by the schema's kind)."""
    field: dict[str, Any] = {"name": spec.name, "label": spec.label, "required": spec.required}
    kind = spec.kind
    if kind == "text":
        field["widget"] = "text" if spec.name == "summary" else "string"
    elif kind == "path":
        field.update(widget="image", choose_url=False)
    elif kind == "datetime":
        field.update(widget="datetime", format=DATETIME_FORMAT, date_format=DATE_FORMAT, time_format="HH:mm",
                     picker_utc=False)
    elif kind == "date":
        field.update(widget="datetime", format=DATE_FORMAT, date_format=DATE_FORMAT, time_format=False)
    elif kind == "bool":
        field.update(widget="boolean", default=False)
    elif kind in ("int", "positive-int"):
        field.update(widget="number", value_type="int")
        if kind == "positive-int":
            field["min"] = 1
    elif kind == "strlist":
        field.update(widget="list", hint="每项一个词，用逗号分隔。")
    elif kind == "unit":
        field.update(widget="select", options=_options(config.unit_choices))
    elif kind == "topics":
        field.update(widget="select", multiple=True, options=_options(config.topic_choices))
    elif kind == "campaign-kind":
        field.update(widget="select", options=_options(CAMPAIGN_KINDS))
    elif kind == "changes":
        field.update(widget="list", summary="{{fields.date}} {{fields.note}}", fields=[
            {"name": "date", "label": "更新日期", "widget": "datetime", "format": DATE_FORMAT,
             "date_format": DATE_FORMAT, "time_format": False},
            {"name": "note", "label": "更新说明", "widget": "string"}])
    elif kind == "withdrawn":  # optional as a whole: its parts are checked by the schema when given
        field.update(widget="object", collapsed=True, fields=[
            {"name": "date", "label": "撤回日期", "widget": "datetime", "format": DATE_FORMAT, "required": False,
             "date_format": DATE_FORMAT, "time_format": False},
            {"name": "reason", "label": "撤回原因", "widget": "string", "required": False},
            {"name": "unpublish", "label": "同时撤下页面", "widget": "boolean", "required": False, "default": False},
            {"name": "redirect", "label": "转到的页面", "widget": "string", "required": False}])
    elif kind == "adoptions":
        field.update(widget="list", summary="{{fields.outlet}} {{fields.date}}", fields=[
            {"name": "outlet", "label": "录用渠道", "widget": "select",
             "options": _options(config.outlets.choices) if config.outlets.present else []},
            {"name": "date", "label": "录用日期", "widget": "datetime", "format": DATE_FORMAT,
             "date_format": DATE_FORMAT, "time_format": False},
            {"name": "kind", "label": "稿件类别", "widget": "select", "required": False,
             "options": [{"label": "文字", "value": "text"}, {"label": "图片", "value": "photo"}]},
            {"name": "url", "label": "录用网址", "widget": "string", "required": False},
            {"name": "instruction", "label": "批示", "widget": "string", "required": False}])
    else:  # a new kind in the schema: the test of this module fails until it is mapped here
        raise KeyError(f"no editor widget for schema field kind {kind!r} ({spec.name})")
    if spec.example:
        field.setdefault("hint", "例如 " + spec.example.split("\n", 1)[0])
    return field


def _collection(collection: Collection, config: SiteConfig) -> dict[str, Any]:
    fields = [_field(spec, config) for spec in SCHEMAS[collection.kind]]
    fields.append({"name": "body", "label": "正文", "widget": "markdown", "required": True,
                   "modes": ["rich_text", "raw"], "buttons": ["bold", "heading-two", "heading-three",
                                                              "bulleted-list", "numbered-list", "link", "quote"],
                   "editor_components": ["image"],
                   # The preview pane shows the body without its scripts and event handlers (Decap's DOMPurify).
                   "sanitize_preview": True})
    result: dict[str, Any] = {
        "name": collection.name, "label": collection.label or KIND_LABELS[collection.kind],
        "label_singular": KIND_LABELS[collection.kind],
        "folder": collection.folder, "extension": "md", "format": "frontmatter", "create": collection.create,
        "slug": "{{slug}}", "media_folder": MEDIA_FOLDER, "public_folder": MEDIA_FOLDER,
        "summary": "{{title}}", "sortable_fields": ["title"] + (["date"] if "date" in _names(collection) else []),
        "fields": fields,
    }
    if collection.path:
        result["path"] = collection.path
    if collection.campaign_kind:  # one kind of campaign; a new one gets that kind, which the writer does not pick
        kind = collection.campaign_kind
        label = f"{KIND_LABELS[collection.kind]}（{CAMPAIGN_KINDS[kind]}）"
        result.update(label=label, label_singular=label, filter={"field": "kind", "value": kind})
        for field in fields:
            if field["name"] == "kind":
                field.update(widget="hidden", default=kind)
                field.pop("options", None)
    return {k: v for k, v in result.items() if v is not None}


def campaign_folders(content: Path) -> list[CampaignFolder]:
    """The campaigns under ``content/campaigns/`` (a folder with an ``index.md``), by folder name; a title that
    cannot be read is the folder name. A folder whose name breaks the file-name rule gets no collection (the
    check reports it; its name would be the collection's, and Decap's addresses, too)."""
    found = []
    for index in sorted((content / "campaigns").glob("*/index.md")):
        if not SLUG_PATTERN.fullmatch(index.parent.name):
            continue
        try:
            title = title_of(index.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            title = ""
        found.append(CampaignFolder(index.parent.name, title or index.parent.name))
    return found


def member_collection(campaign: CampaignFolder) -> Collection:
    """The pages of one campaign (its candidates, its sessions): the files of its folder but its ``index.md``,
    which the writers' preview backend leaves out of the listing (adapters/mkdocs/editor_api.py)."""
    return Collection(MEMBERS_PREFIX + campaign.slug, "member", f"{CONTENT}/campaigns/{campaign.slug}",
                      label=f"{KIND_LABELS['member']}：{campaign.title}")


def in_media_folder(relpath: str) -> bool:
    """Whether ``relpath`` (relative to the project, ``content/...``) lies in a folder the editor uploads to: the
    ``images/`` (or ``files/``) folder of a page's folder, or :data:`SHARED_MEDIA_FOLDER` and its folders."""
    parts = PurePosixPath(relpath).parts
    if len(parts) < 3 or parts[0] != CONTENT or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return False
    folder = "/".join(parts[:-1])
    return parts[-2] in (MEDIA_FOLDER, ATTACHMENT_FOLDER) or folder == SHARED_MEDIA_FOLDER \
        or folder.startswith(SHARED_MEDIA_FOLDER + "/")


def _names(collection: Collection) -> set[str]:
    return {spec.name for spec in SCHEMAS[collection.kind]}


def offered_fields(cms: Mapping[str, Any]) -> dict[str, set[str]]:
    """Schema kind -> the front-matter fields the generated configuration offers for it."""
    by_name = {c.name: c.kind for c in COLLECTIONS}

    def kind(name: str) -> str:
        return "member" if name.startswith(MEMBERS_PREFIX) else by_name[name]

    return {kind(c["name"]): {f["name"] for f in c["fields"]} - {"body"} for c in cms["collections"]}


def _empty(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    return value is None or value == "" or value == [] or value is False


def tidy_front_matter(raw: str) -> str:
    """The page the editor saves, without the empty optional values it writes for untouched fields.

    ``withdrawn: {date: '', reason: ''}``, ``tags: []``, ``draft: false``, ``cover: ''``: a writer who left a field
    alone did not mean to set it, and the schema would read an empty ``withdrawn`` as an incomplete one.
    Anything that is not front matter the editor wrote is returned unchanged.
    """
    if not raw.startswith("---\n"):
        return raw
    end = raw.find("\n---", 3)
    if end < 0:
        return raw
    try:
        meta = yaml.safe_load(raw[4:end + 1])
    except yaml.YAMLError:
        return raw
    if not isinstance(meta, dict):
        return raw
    kept = {k: v for k, v in meta.items() if not _empty(v)}
    if kept == meta:
        return raw
    head = ""
    for key, value in kept.items():  # block style, lists of words on one line as writers write them
        if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
            flow = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000).strip()
            head += yaml.safe_dump({key: None}, allow_unicode=True).replace("null", flow)
        else:
            head += yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, default_flow_style=False,
                                   width=1000)
    return "---\n" + head + raw[end + 1:]


def backend_settings(name: str, repo: str = "", api_root: str = "", base_url: str = "", branch: str = "main",
                     proxy_url: str = "") -> dict[str, Any]:
    """The ``backend:`` block: a Gitea or GitHub server (pull-request review) or the writers' preview (proxy)."""
    if name not in _BACKENDS:
        raise CmsConfigError(f"不认识的后端“{name}”。可用：{'、'.join(_BACKENDS)}。")
    if name == "proxy":
        if not proxy_url:
            raise CmsConfigError("本机预览的后端需要地址（proxy_url），例如 http://127.0.0.1:8000/api/v1。")
        return {"name": "proxy", "proxy_url": proxy_url, "branch": branch}
    if "/" not in repo.strip("/"):
        raise CmsConfigError(f"仓库“{repo}”应写成“所有者/仓库名”，例如 --repo minzheng/website。")
    settings: dict[str, Any] = {"name": name, "repo": repo.strip("/"), "branch": branch,
                                "squash_merges": False, "commit_messages": {
                                    "create": "新增{{collection}}：{{slug}}",
                                    "update": "修改{{collection}}：{{slug}}",
                                    "delete": "删除{{collection}}：{{slug}}",
                                    "uploadMedia": "上传图片：{{path}}",
                                    "deleteMedia": "删除图片：{{path}}",
                                    "openAuthoring": "{{message}}"}}
    if api_root:
        settings["api_root"] = api_root.rstrip("/")
    if base_url:
        settings["base_url"] = base_url.rstrip("/")
    return settings


def cms_config(config: SiteConfig, backend: Mapping[str, Any], site_url: str = "",
               campaigns: Sequence[CampaignFolder] = ()) -> dict[str, Any]:
    """The whole Decap configuration for ``backend`` (see :func:`backend_settings`); ``campaigns``
    (:func:`campaign_folders`) each get a collection of their pages.

    On a git server every save goes through the editorial workflow: a branch and a pull request, so the
    三审 and CI apply exactly as for a git user. The preview's proxy saves into the working tree.
    """
    result: dict[str, Any] = {
        "backend": dict(backend),
        "locale": LOCALE,
        "media_folder": SHARED_MEDIA_FOLDER,
        "public_folder": SHARED_PUBLIC_FOLDER,
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"},
        "collections": [_collection(c, config) for c in (*COLLECTIONS, *map(member_collection, campaigns))],
    }
    if backend.get("name") != "proxy":
        result["publish_mode"] = "editorial_workflow"
    if site_url:
        result["site_url"] = site_url
    return result
