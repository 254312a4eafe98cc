"""The browser editor's configuration (Decap CMS ``config.yml``), generated from the front-matter schema.

Pure: ``cms_config(config, backend)`` turns :data:`mzpress.model.schema.SCHEMAS` and the units and
topics of ``site_config/`` into the dictionary Decap reads. Every field a kind's schema has is offered
(:func:`offered_fields` is what the test compares with the schema), required as the schema requires,
with the schema's Chinese label. Units and topics are select widgets with their Chinese names.

Files are named as ``mzpress new`` names them: the editor proposes a temporary name, and the
writers' preview backend (``adapters/mkdocs/editor_api.py``) renames a new page to the slug
``mzpress.model.slugs.slugify`` makes from its title before writing it; on a git server (no backend of ours) a new
page is named by the day of its 发布时间 (:data:`GIT_SLUG`). Images go to the
``images/`` folder next to the page, as ``mzpress import-docx`` puts them; :func:`in_media_folder` says where
the editor may upload a file at all (a page's ``images/`` or ``files/`` folder, or the shared
``content/assets/images/``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from mzpress.model.config import SiteConfig
from mzpress.model.content import SLUG_PATTERN
from mzpress.model.frontmatter import title_of
from mzpress.model.schema import CAMPAIGN_KINDS, KIND_LABELS, RECORDED_FIELDS, SCHEMAS, FieldSpec

CONTENT = "content"
MEDIA_FOLDER = "images"  # next to the page: content/stories/2026/images/
ATTACHMENT_FOLDER = "files"  # attachments next to the page: content/notices/2025/files/
SHARED_MEDIA_FOLDER = f"{CONTENT}/assets/images"  # the editor's media library for every page
SHARED_PUBLIC_FOLDER = "/assets/images"
DATETIME_FORMAT = "YYYY-MM-DD HH:mm"
DATE_FORMAT = "YYYY-MM-DD"
# The editor's own language (Decap's locale for Simplified Chinese).
LOCALE = "zh_Hans"

# What a writer reads under each field: plain Chinese, never the YAML of the front matter.
HINTS = {
    "title": "写清楚谁做了什么事，例如“城关镇开展敬老志愿服务活动”。",
    "unit": "稿件来自哪个股室或乡镇，从名单里选（可以输入名称查找）。",
    "author": "写稿人的姓名。",
    "editor": "本单位负责审核这篇稿件的责任编辑的姓名。",
    "date": "稿件在网站上出现的时间。选以后的时间就是定时发布，到时自动出现。",
    "summary": "用一两句话说明这篇稿件讲了什么，显示在栏目列表和首页上。",
    "topics": "稿件属于哪个文化专题，可以选多个；不属于任何专题就不选。",
    "cover": "栏目列表和页面顶部显示的照片。选了照片，请在下面的“封面图片说明”里说明照片内容。",
    "cover_alt": "用一句话说明照片里的内容，例如“志愿者为老人理发”，供视障读者的读屏软件朗读。",
    "tags": "几个关键词，每项一个词。",
    "draft": "打开后，这篇稿件只在本机预览里能看到，不会发布到网站上。",
    "changes": "稿件发布后又改了内容时，写明修改的日期和改了什么，网页上会显示。",
    "withdrawn": "稿件需要撤回时才用。请运行 scripts/mzpress withdraw 撤回，由命令填写这一项。",
    "unpublish_at": "到这个时间页面自动下线，适合报名、申领等有期限的通知；不需要时不填。",
    "adopted_by": "稿件被上级网站、报刊等录用时记一笔，信息报送统计会用到。",
    "submitted_to": "稿件报送给上级网站、报刊等渠道时记一笔（每个渠道记一次），信息报送统计会用到。"
                    "用导出命令报送时可以自动记录。",
    "bulletin": "打开后，这篇稿件收入《民政简报》。",
    "start": "从这一天开始（公示期、活动的第一天）。",
    "end": "到这一天结束（公示期、活动的最后一天）。",
    "kind": "评选还是培训。",
    "order": "在活动页面里的排列顺序，数字小的排在前面。",
    "issuer": "发布这份情况通报的机关；不填就用网站名称。",
    "pin_days": "在首页最上方置顶几天；不填是7天，最多30天。",
    "issue": "今年的第几期。",
    "issue_total": "总第几期。",
}
# Rarely used fields: in the writers' preview they sit in one folded 更多设置 section (:data:`MORE_FIELD`, an object
# Decap writes as a nested map); the backend keeps the page's front matter flat (:func:`nest_rare_fields` on
# reading, :func:`tidy_front_matter` on saving), exactly the shape ``mzpress check`` reads. A git server's editor
# (the intranet build) has no backend of ours to translate: there they stay flat, last in the form (before the body),
# the first of them with :data:`MORE_HINT`.
RARE_FIELDS = ("withdrawn", "unpublish_at", "adopted_by", "submitted_to")
MORE_FIELD = "more"
MORE_LABEL = "更多设置"
MORE_HINT = "【更多设置】从这一项起到正文之前，是撤回、到期下线、录用和报送记录，一般稿件不用填写。"
# The widgets of the editor's own setup script (adapters/mkdocs/editor_page.py, loaded in the writers' preview and in
# the intranet build): a date picker in Chinese and the 封面图片说明 that is required exactly when a cover is chosen.
# The date picker takes the name of Decap's own "datetime" widget, which Decap needs to see to read a page's date
# (the year of the path {{year}}/{{slug}}, the day of GIT_SLUG): without the script Decap's own picker would show.
DATETIME_WIDGET = "datetime"
COVER_ALT_WIDGET = "mzpress-cover-alt"
# Decap's backend for a Gitea server: its own "gitea" backend refuses the editorial workflow (Decap 3.16: "The Gitea
# backend does not support editorial workflow"), which is what sends a save to a branch and a pull request; its
# "forgejo" backend (Forgejo is Gitea's fork and keeps its API: contents, branches, pulls, labels, OAuth with PKCE)
# supports it.
DECAP_BACKENDS = {"gitea": "forgejo", "github": "github", "proxy": "proxy"}
# A new page's file name on a git server, where no backend of ours renames it to the slug of its title (Decap's own
# slug of a Chinese title is Chinese, which content.slug refuses): the day of its 发布时间 (Decap's date placeholders
# are UTC: a page dated before 8 o'clock gets the day before), made unique by Decap with -1, -2 (20261120.md,
# 20261120-1.md).
GIT_SLUG = "{{year}}{{month}}{{day}}"


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
    Collection("responses", "response", f"{CONTENT}/responses", path="{{year}}/{{slug}}"),
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


def _date(name: str, label: str, with_time: bool = False, **extra: Any) -> dict[str, Any]:
    """A date (or date and time) field, stored as ``2026-12-08`` (``2026-12-08 09:30``), in the Chinese picker."""
    field: dict[str, Any] = {"name": name, "label": label, **extra, "widget": DATETIME_WIDGET,
                             "format": DATETIME_FORMAT if with_time else DATE_FORMAT, "date_format": DATE_FORMAT,
                             "time_format": "HH:mm" if with_time else False}
    if with_time:
        field["picker_utc"] = False
    return field


def _outlet_options(config: SiteConfig) -> list[dict[str, str]]:
    return _options(config.outlets.choices) if config.outlets.present else []


_KIND_OPTIONS = [{"label": "文字", "value": "text"}, {"label": "图片", "value": "photo"}]


def _field(spec: FieldSpec, config: SiteConfig, local: bool = False) -> dict[str, Any]:
    """The Decap field for one schema field (its widget by the schema's kind, the widgets :data:`DATETIME_WIDGET`
    and :data:`COVER_ALT_WIDGET` of the editor's setup script); ``local``: the writers' preview, whose backend
    removes the empty values Decap writes for untouched fields (:func:`tidy_front_matter`)."""
    field: dict[str, Any] = {"name": spec.name, "label": spec.label, "required": spec.required}
    kind = spec.kind
    if kind == "text":
        field["widget"] = "text" if spec.name == "summary" else "string"
        if spec.name == "cover_alt":  # required exactly when a cover is chosen (the widget checks)
            field.update(widget=COVER_ALT_WIDGET, label=spec.label + "（选了封面图片时必填）")
    elif kind == "path":
        field.update(widget="image", choose_url=False)
    elif kind in ("datetime", "date"):
        field = _date(spec.name, spec.label, with_time=kind == "datetime", required=spec.required)
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
            _date("date", "更新日期"), {"name": "note", "label": "更新说明", "widget": "string"}])
    elif kind == "withdrawn":  # optional as a whole: its parts are checked by the schema when given
        field.update(widget="object", collapsed=True, fields=[
            _date("date", "撤回日期", required=False),
            {"name": "reason", "label": "撤回原因", "widget": "string", "required": False},
            # No default on a git server: Decap would write withdrawn: {unpublish: false} into every new page.
            {"name": "unpublish", "label": "同时撤下页面", "widget": "boolean", "required": False,
             **({"default": False} if local else {})},
            {"name": "redirect", "label": "转到的页面", "widget": "string", "required": False}])
    elif kind == "adoptions":
        field.update(widget="list", summary="{{fields.outlet}} {{fields.date}}", fields=[
            {"name": "outlet", "label": "录用渠道", "widget": "select", "options": _outlet_options(config)},
            _date("date", "录用日期"),
            {"name": "kind", "label": "稿件类别", "widget": "select", "required": False, "options": _KIND_OPTIONS,
             "hint": "不选就是文字稿件。"},
            {"name": "url", "label": "录用网址", "widget": "string", "required": False},
            {"name": "instruction", "label": "批示", "widget": "string", "required": False}])
    elif kind == "submissions":  # one entry per outlet and kind (the schema refuses a second one)
        field.update(widget="list", summary="{{fields.outlet}} {{fields.date}}", fields=[
            {"name": "outlet", "label": "报送渠道", "widget": "select", "options": _outlet_options(config),
             "hint": "报送到哪个网站、报刊或部门（录用渠道名单里的一个）。"},
            _date("date", "报送日期", hint="稿件送出的日期；可以早于稿件在本网站的发布时间。"),
            {"name": "kind", "label": "稿件类别", "widget": "select", "required": False, "options": _KIND_OPTIONS,
             "hint": "不选就是文字稿件。"}])
    else:  # a new kind in the schema: the test of this module fails until it is mapped here
        raise KeyError(f"no editor widget for schema field kind {kind!r} ({spec.name})")
    if spec.name in HINTS:
        field["hint"] = HINTS[spec.name]
    return field


def _collection(collection: Collection, config: SiteConfig, local: bool = False) -> dict[str, Any]:
    fields = [_field(spec, config, local) for spec in offered_specs(collection.kind)]
    rare = [f for f in fields if f["name"] in RARE_FIELDS]
    if rare:  # at the end of the form: folded in the preview (flat in the file: nest_rare_fields), flat on a git server
        fields = [f for f in fields if f["name"] not in RARE_FIELDS]
        if local:
            fields.append({"name": MORE_FIELD, "label": MORE_LABEL, "widget": "object", "collapsed": True,
                           "required": False, "hint": "撤回、到期下线、录用和报送记录。一般稿件不用填写。",
                           "summary": "撤回、下线时间、录用和报送记录（一般不用填）", "fields": rare})
        else:
            rare[0] = {**rare[0], "hint": MORE_HINT + rare[0].get("hint", "")}
            fields += rare
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
        "slug": "{{slug}}" if local else GIT_SLUG, "media_folder": MEDIA_FOLDER, "public_folder": MEDIA_FOLDER,
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


def offered_specs(kind: str) -> tuple[FieldSpec, ...]:
    """The fields the editor offers for a page kind: the schema's, and those commands record (``submitted_to``:
    ``mzpress export --record`` writes it, a writer may too)."""
    return (*SCHEMAS[kind], *RECORDED_FIELDS.get(kind, ()))


def _names(collection: Collection) -> set[str]:
    return {spec.name for spec in offered_specs(collection.kind)}


def offered_fields(cms: Mapping[str, Any]) -> dict[str, set[str]]:
    """Schema kind -> the front-matter fields the generated configuration offers for it (those of 更多设置
    too: they are flat in the file)."""
    by_name = {c.name: c.kind for c in COLLECTIONS}

    def kind(name: str) -> str:
        return "member" if name.startswith(MEMBERS_PREFIX) else by_name[name]

    def names(fields: Sequence[Mapping[str, Any]]) -> set[str]:
        return {n for f in fields for n in (names(f["fields"]) if f["name"] == MORE_FIELD else {f["name"]})}

    return {kind(c["name"]): names(c["fields"]) - {"body"} for c in cms["collections"]}


def _empty(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    return value is None or value == "" or value == [] or value is False


def _front_matter(raw: str) -> tuple[dict[str, Any], int] | None:
    """The front matter the editor wrote (a mapping) and where it ends, or None."""
    if not raw.startswith("---\n"):
        return None
    end = raw.find("\n---", 3)
    if end < 0:
        return None
    try:
        meta = yaml.safe_load(raw[4:end + 1])
    except yaml.YAMLError:
        return None
    return (meta, end) if isinstance(meta, dict) else None


def tidy_front_matter(raw: str) -> str:
    """The page the editor saves: flat front matter (the fields of 更多设置, :data:`MORE_FIELD`, back at the top
    level), without the empty optional values it writes for untouched fields.

    ``withdrawn: {date: '', reason: ''}``, ``tags: []``, ``draft: false``, ``cover: ''``: a writer who left a field
    alone did not mean to set it, and the schema would read an empty ``withdrawn`` as an incomplete one.
    Anything that is not front matter the editor wrote is returned unchanged.
    """
    read = _front_matter(raw)
    if read is None:
        return raw
    meta, end = read
    flat: dict[str, Any] = {}
    for key, value in meta.items():
        if key == MORE_FIELD and (isinstance(value, dict) or value is None):
            flat.update(value or {})
        else:
            flat[key] = value
    kept = {k: v for k, v in flat.items() if not _empty(v)}
    if kept == meta and list(kept) == list(meta):
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


_TOP_LEVEL_KEY = re.compile(r"^(?P<key>[^\s#\-'\"][^:]*?|'[^']*'|\"[^\"]*\")\s*:(?:\s|$)")


def nest_rare_fields(raw: str) -> str:
    """The page as the writers' preview editor reads it: the :data:`RARE_FIELDS` of the front matter moved, as
    written, into the folded 更多设置 object (:data:`MORE_FIELD`) at its end; :func:`tidy_front_matter` puts them
    back on saving. A page without them, or whose front matter cannot be read, is returned unchanged."""
    read = _front_matter(raw)
    if read is None or not any(name in read[0] for name in RARE_FIELDS) or MORE_FIELD in read[0]:
        return raw
    end = read[1]
    blocks: list[tuple[str, list[str]]] = []  # (top-level key or "", its lines)
    for line in raw[4:end + 1].splitlines(keepends=True):
        match = _TOP_LEVEL_KEY.match(line)
        if match or not blocks:
            blocks.append((match.group("key").strip("'\"") if match else "", [line]))
        else:
            blocks[-1][1].append(line)
    kept = "".join("".join(lines) for key, lines in blocks if key not in RARE_FIELDS)
    moved = "".join("  " + line if line.strip() else line
                    for key, lines in blocks if key in RARE_FIELDS for line in lines)
    head = kept + ("" if kept.endswith("\n") or not kept else "\n") + MORE_FIELD + ":\n" + moved
    if not head.endswith("\n"):
        head += "\n"
    nested = "---\n" + head + raw[end + 1:]
    again = _front_matter(nested)
    if again is None or {k: v for k, v in again[0].items() if k != MORE_FIELD} | again[0].get(MORE_FIELD, {}) \
            != read[0]:
        return raw  # not the same values: leave the page as it is
    return nested


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
    if name == "gitea" and not api_root:
        raise CmsConfigError("Gitea 需要 API 地址（--api-root），例如 https://git.example.gov.cn/api/v1。")
    settings: dict[str, Any] = {"name": DECAP_BACKENDS[name], "repo": repo.strip("/"), "branch": branch,
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
        "collections": [_collection(c, config, local=backend.get("name") == "proxy")
                        for c in (*COLLECTIONS, *map(member_collection, campaigns))],
    }
    if backend.get("name") != "proxy":
        result["publish_mode"] = "editorial_workflow"
    if site_url:
        result["site_url"] = site_url
    return result
