"""The browser editor of the writers' preview: ``/admin/`` (Decap CMS) and its local backend ``/api/v1``.

Only ``mzpress preview`` mounts this, on 127.0.0.1 and on a port of its own (``preview_server.py``: another
origin than the previewed pages, which cannot script it or call its backend; the backend answers only JSON
POSTs from the editor's own page); the public build never contains it. ``/api/v1`` speaks the protocol of
Decap's ``decap-server`` (a POST of ``{action, params}``: ``info``, ``entriesByFolder``, ``getEntry``,
``persistEntry``, ``persistMedia`` ...), in Python, so no Node process runs for writers, with these differences:

- every path must lie inside ``content/`` (no ``..``, no absolute path, no symbolic link on the way);
- every write and delete runs the checks of ``mzpress check`` on the project as it would be afterwards (the
  files written, and the pages that may use a changed or deleted file) and does nothing when there is an
  error: the answer is a 422 with the findings in Chinese (where, what is wrong, how to fix it), which the
  editor shows;
- ``persistMedia`` (and the assets of ``persistEntry``) take only the image and attachment types of
  ``model/content_files.py``, into a media folder (``cms_config.in_media_folder``); images go through
  ``mzpress.text.images.normalize``, as in ``mzpress import-docx``: upright, long edge within
  ``images.max_edge``, no EXIF/GPS;
- a page that is or was online is never deleted (409: withdraw it with ``mzpress withdraw``); a draft or a
  scheduled page may be;
- a new page is named as ``mzpress new`` names it: the slug of its title (``model/slugs.py``).

- a save whose checks find warnings (and no error) writes nothing until the writer has confirmed them: the answer
  is a 422 with ``confirm: true`` and the warnings; the editor page shows them with 仍然保存 / 返回修改 and sends the
  save again with ``confirmWarnings: true``;
- the editor reads a page with its rarely used fields in the folded 更多设置 object and writes them back flat
  (``cms_config.nest_rare_fields`` / ``tidy_front_matter``).

``POST /__mzpress/check`` answers the findings of an entry without writing it; ``POST /__mzpress/mask`` answers
``mzpress mask``'s fix (``editing/masking.py``, by page kind, the public numbers of ``site.yml`` kept) of the lines of
one finding (the editor's 一键脱敏 puts it into the body) or, given a ``field`` instead of a ``line``, of the value of one
plain-text front-matter field (:data:`editor_page.MASKABLE_FIELDS`: 标题, 摘要 ...), which 一键脱敏 puts into that field. ``GET /admin/site-preview.css`` is the site's stylesheet
(Material's and ``overrides/assets/stylesheets/``) for the preview pane, from the editor's own origin.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import mimetypes
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import yaml

from mzpress.adapters.mkdocs.editor_page import (
    EDITOR_SCRIPT,
    EDITOR_SCRIPT_NAME,
    EDITOR_STYLE,
    EDITOR_STYLE_NAME,
    GIT_INDEX_HTML,
    INDEX_HTML,
    MASKABLE_FIELDS,
    MISSING_BUNDLE,
    PREVIEW_CSS_NAME,
    SETUP_SCRIPT_NAME,
    setup_script,
)
from mzpress.adapters.mkdocs.preview_server import Response
from mzpress.checks.runner import check_project
from mzpress.editing.cms_config import (
    ATTACHMENT_FOLDER,
    MEDIA_FOLDER,
    SHARED_MEDIA_FOLDER,
    backend_settings,
    campaign_folders,
    cms_config,
    in_media_folder,
    nest_rare_fields,
    tidy_front_matter,
)
from mzpress.editing.finding_places import FIELD_LABELS, FindingPlace, finding_place
from mzpress.editing.masking import kind_of as mask_kind
from mzpress.editing.masking import mask_markdown
from mzpress.model.clock import build_time
from mzpress.model.config import load_config
from mzpress.model.content_files import ATTACHMENT_SUFFIXES, IMAGE_SUFFIXES, Kind, kind_of
from mzpress.model.findings import Finding, FindingsError, Severity
from mzpress.model.frontmatter import split, title_of
from mzpress.model.schema import parse_datetime
from mzpress.model.slugs import SlugError, slugify, unique_slug
from mzpress.model.source_text import decode_text
from mzpress.text.identifiers import public_number_keys
from mzpress.text.images import ImageError, is_image_name, normalize

ADMIN_PREFIX = "/admin/"
API_PATH = "/api/v1"
CHECK_PATH = "/__mzpress/check"
MASK_PATH = "/__mzpress/mask"
PREVIEW_CSS = PREVIEW_CSS_NAME
DECAP_DIST = Path("node_modules") / "decap-cms" / "dist"
_BUNDLE_FILE = re.compile(r"^[A-Za-z0-9_.-]+\.(?:js|css|map|svg|woff2?)$")
_MAX_BODY = 64 * 1024 * 1024
# What the editor uploads: the images and attachments the site publishes (not SVG, which can hold script, nor the
# types content.extra_files may allow; those are added by a developer in git).
_UPLOAD_KINDS = frozenset({Kind.IMAGE, Kind.ATTACHMENT})
_IMAGE_TYPES = "、".join(sorted(IMAGE_SUFFIXES))
_ATTACHMENT_TYPES = "、".join(sorted(ATTACHMENT_SUFFIXES))

class EditorRequestError(ValueError):
    """A request the backend refuses; ``message`` is for the writer, ``status`` the HTTP status."""

    def __init__(self, message: str, status: int = 422, findings: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.status, self.findings = status, findings or []  # findings as _finding_json gives them
        self.confirm = False  # warnings only: written once the writer confirms them


@dataclass
class _Written:
    path: Path
    previous: bytes | None


def _place(finding: Finding, pages: Mapping[str, str]) -> FindingPlace | str | None:
    """Where the writer sees what ``finding`` is about: a field or paragraph of a saved page, or another file."""
    if finding.file in pages:
        return finding_place(pages[finding.file], finding.line)
    if finding.file and pages:  # an image saved with the page
        return f"文件“{PurePosixPath(finding.file).name}”"
    return None


# Advice written for the file ("加一行 cover_alt: …"), said as the editor's writer does it: fill in the field.
_ADD_A_LINE = re.compile(r"加一行\s*([a-z_]+)\s*[:：]\s*")


def _editor_advice(suggestion: str) -> str:
    def field(match: re.Match) -> str:
        name = match.group(1)
        return f"在“{FIELD_LABELS[name]}”一栏填写：" if name in FIELD_LABELS else match.group(0)

    return _ADD_A_LINE.sub(field, suggestion or "")


def _finding_json(finding: Finding, pages: Mapping[str, str] | None = None, with_file: bool = False) -> dict[str, Any]:
    """A finding for the editor; with the saved ``pages`` (path -> text), also the field or paragraph it is about
    (``field``, ``label``, ``place``), which the editor page shows next to that field. ``with_file``: the place is
    the file and line (a finding in a page the writer did not change: an upload or a delete)."""
    answer: dict[str, Any] = {
        "rule": finding.rule, "severity": finding.severity.value if hasattr(finding.severity, "value")
        else str(finding.severity), "file": finding.file, "line": finding.line,
        "message": finding.message, "suggestion": _editor_advice(finding.suggestion) if pages else finding.suggestion}
    place = _place(finding, pages or {})
    if isinstance(place, FindingPlace):
        answer.update(field=place.field, label=place.label, place=place.phrase, paragraph=place.paragraph)
    elif place:
        answer["place"] = place
    elif with_file and finding.file:
        answer["place"] = f"{finding.file}" + (f"第{finding.line}行" if finding.line else "")
    return answer


def _findings_message(findings: list[dict[str, Any]], what: str = "保存") -> str:
    """The refusal for the writer: how many problems, each with its place, message and fix; ``what`` was refused
    (保存, 上传, 删除)."""
    count = len(findings)
    lines = [{"保存": f"稿件有{count}个问题，没有保存。请改正后再保存：",
              "上传": f"上传后网站会有{count}个问题，没有上传。请改正后再上传：",
              "删除": f"删除后网站会有{count}个问题，没有删除。请先改掉下列页面里用到它的地方，再删除：",
              "提醒": f"稿件有{count}个提醒，还没有保存。请看一看，改好后再保存，或者确认后仍然保存："}[what]]
    for finding in findings:
        where = finding.get("place") or (f"第{finding['line']}行" if finding.get("line") else "")
        line = f"{where}：{finding['message']}" if where else finding["message"]
        if finding.get("suggestion"):
            line += f"修改方法：{finding['suggestion']}"
        lines.append(line)
    return "\n".join(lines)


class EditorApi:
    """The editor's routes for one project; ``lock`` is held while files are written and checked.

    ``site_url``: the preview's address, which Decap links to (its own origin is another port)."""

    def __init__(self, root: Path, lock: threading.RLock | None = None,
                 now: Callable[[], dt.datetime] = build_time, dist: Path | None = None, site_url: str = ""):
        self.root = Path(root).resolve()
        self.content = (self.root / "content").resolve()
        self.dist = Path(dist) if dist is not None else self.root / DECAP_DIST
        self.lock = lock or threading.RLock()
        self.now = now
        self.site_url = site_url
        self.renamed: dict[str, str] = {}  # the editor's name of a new page -> the slug file written

    # -- routes ---------------------------------------------------------------------------------

    def handles(self, path: str) -> bool:
        return path in (API_PATH, CHECK_PATH, MASK_PATH, ADMIN_PREFIX.rstrip("/")) or path.startswith(ADMIN_PREFIX)

    def get(self, path: str) -> Response:
        if path in (API_PATH, CHECK_PATH, MASK_PATH):
            return Response(405, "text/plain; charset=utf-8", "编辑器后端只接受编辑器页面发出的 POST 请求。".encode())
        if path == ADMIN_PREFIX.rstrip("/"):
            return Response(301, "text/plain", b"", location=ADMIN_PREFIX)
        name = path[len(ADMIN_PREFIX):]
        if not (self.dist / "decap-cms.js").is_file():
            return Response(503, "text/html; charset=utf-8", MISSING_BUNDLE.encode("utf-8"))
        if name in ("", "index.html"):
            return Response(200, "text/html; charset=utf-8", INDEX_HTML.encode("utf-8"))
        if name == EDITOR_SCRIPT_NAME:
            return Response(200, "application/javascript; charset=utf-8", EDITOR_SCRIPT.encode("utf-8"))
        if name == SETUP_SCRIPT_NAME:
            return Response(200, "application/javascript; charset=utf-8", self.setup_script().encode("utf-8"))
        if name == EDITOR_STYLE_NAME:
            return Response(200, "text/css; charset=utf-8", EDITOR_STYLE.encode("utf-8"))
        if name == PREVIEW_CSS:
            return Response(200, "text/css; charset=utf-8", self.preview_css())
        if name == "config.yml":
            return Response(200, "text/yaml; charset=utf-8", self.config_yaml().encode("utf-8"))
        if _BUNDLE_FILE.match(name) and (self.dist / name).is_file():
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind.endswith("javascript"):
                kind += "; charset=utf-8"
            return Response(200, kind, (self.dist / name).read_bytes())
        return Response(404, "text/plain; charset=utf-8", "编辑器里没有这个文件。".encode())

    def post(self, path: str, body: bytes) -> Response:
        try:
            if len(body) > _MAX_BODY:
                raise EditorRequestError("上传的内容太大（超过64MB）。请把图片缩小后再上传。", 413)
            try:
                request = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise EditorRequestError("请求不是有效的 JSON。", 400) from None
            if not isinstance(request, dict):
                raise EditorRequestError("请求不是有效的 JSON 对象。", 400)
            params = request.get("params") or {}
            if not isinstance(params, dict):
                raise EditorRequestError("请求参数（params）应当是对象。", 400)
            if path == CHECK_PATH:
                result: Any = self.check_entry(self._text(params, "path"), self._text(params, "raw"))
            elif path == MASK_PATH and "field" in params:
                result = self.mask_field(self._text(params, "path"), self._text(params, "raw"),
                                         self._text(params, "field"))
            elif path == MASK_PATH:
                line = params.get("line")
                if not isinstance(line, int) or isinstance(line, bool):
                    raise EditorRequestError("请求缺少行号（line）。", 400)
                result = self.mask_lines(self._text(params, "path"), self._text(params, "raw"), line)
            else:
                result = self.action(str(request.get("action") or ""), params)
            return Response(200, "application/json; charset=utf-8", json.dumps(result).encode("utf-8"))
        except EditorRequestError as exc:
            answer = {"error": str(exc), "findings": exc.findings}
            if exc.confirm:
                answer["confirm"] = True
            return Response(exc.status, "application/json; charset=utf-8",
                            json.dumps(answer, ensure_ascii=False).encode("utf-8"))

    def setup_script(self) -> str:
        """The editor page's second script (after Decap's bundle), with the site's unit and topic names for the
        preview pane."""
        config, _ = load_config(self.root)
        settings = cms_config(config, backend_settings("proxy", proxy_url=API_PATH),
                              campaigns=campaign_folders(self.content))
        return setup_script(config, settings)

    def preview_css(self) -> bytes:
        return site_preview_css(self.root)

    def config_yaml(self) -> str:
        config, _ = load_config(self.root)
        settings = cms_config(config, backend_settings("proxy", proxy_url=API_PATH), site_url=self.site_url,
                              campaigns=campaign_folders(self.content))
        return yaml.safe_dump(settings, allow_unicode=True, sort_keys=False)

    # -- paths ----------------------------------------------------------------------------------

    @staticmethod
    def _text(params: dict, key: str) -> str:
        value = params.get(key)
        if not isinstance(value, str):
            raise EditorRequestError(f"请求缺少“{key}”。", 400)
        return value

    def resolve(self, relpath: str) -> Path:
        """The file ``relpath`` (relative to the project) names, which must lie inside content/, reached without
        a symbolic link (the check refuses links in content/; a link could lead a write to another file)."""
        text = str(relpath).replace("\\", "/")
        pure = PurePosixPath(text)
        if not text or "\x00" in text or pure.is_absolute() or ".." in pure.parts or not pure.parts \
                or pure.parts[0] != "content":
            raise EditorRequestError(f"路径“{relpath}”不在稿件文件夹 content/ 里，编辑器不能读写它。", 403)
        path = (self.root / pure).resolve()
        if path != self.content and self.content not in path.parents:
            raise EditorRequestError(f"路径“{relpath}”指向 content/ 以外的地方，编辑器不能读写它。", 403)
        if path != self.root / pure:
            raise EditorRequestError(f"路径“{relpath}”经过 content/ 里的符号链接（快捷方式），编辑器不能读写它。", 403)
        return path

    def _relpath(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _upload_target(self, relpath: str) -> Path:
        """Where an uploaded file goes: an image or attachment type (``model/content_files.py``), in a media
        folder (``cms_config.in_media_folder``), never a page, a web page, a script or a folder."""
        path = self.resolve(relpath)
        name = path.name
        if name.startswith(".") or kind_of(self._relpath(path)[len("content/"):]) not in _UPLOAD_KINDS:
            raise EditorRequestError(
                f"编辑器只能上传图片（{_IMAGE_TYPES}）和附件（{_ATTACHMENT_TYPES}），不能上传“{name}”。"
                "稿件请在编辑器里新建和保存。", 403)
        if not in_media_folder(self._relpath(path)):
            raise EditorRequestError(
                f"图片和附件只能上传到稿件旁边的 {MEDIA_FOLDER}/ 或 {ATTACHMENT_FOLDER}/ 文件夹，"
                f"或 {SHARED_MEDIA_FOLDER}/，不能放在“{self._relpath(path.parent)}/”。", 403)
        if path.is_dir():
            raise EditorRequestError(f"“{self._relpath(path)}”是一个文件夹，不能用上传的文件覆盖。", 403)
        return path

    # -- the decap-server protocol --------------------------------------------------------------

    def action(self, action: str, params: dict) -> Any:
        handler = getattr(self, "_" + re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower(), None) \
            if re.fullmatch(r"[a-zA-Z]+", action or "") else None
        if handler is None:
            raise EditorRequestError(f"编辑器后端不支持操作“{action}”。", 422)
        return handler(params)

    def _info(self, params: dict) -> Any:
        return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}

    def _list(self, folder: Path, extension: str, depth: int) -> list[Path]:
        if depth <= 0 or not folder.is_dir():
            return []
        found: list[Path] = []
        for child in sorted(folder.iterdir()):
            if child.is_symlink():
                continue
            if child.is_dir():
                found += self._list(child, extension, depth - 1)
            elif child.name.endswith(extension):
                found.append(child)
        return found

    def _entry(self, relpath: str, label: Any = None) -> dict[str, Any]:
        relpath = self.renamed.get(relpath, relpath)
        path = self.resolve(relpath)
        try:
            data = path.read_bytes()
        except OSError:
            return {"data": None, "file": {"path": relpath, "label": label, "id": None}}
        text = data.decode("utf-8", errors="replace")
        if path.suffix == ".md":  # the rarely used fields in the editor's folded 更多设置 section
            text = nest_rare_fields(text)
        return {"data": text, "file": {"path": relpath, "label": label, "id": hashlib.sha256(data).hexdigest()}}

    def _entries_by_folder(self, params: dict) -> Any:
        folder = self.resolve(self._text(params, "folder"))
        extension = str(params.get("extension") or "")
        depth = params.get("depth") if isinstance(params.get("depth"), int) else 1
        paths = self._list(folder, extension, min(depth, 20))
        if folder.parent == self.content / "campaigns" and (folder / "index.md").is_file():
            # A campaign's folder, listed as its pages (cms_config.member_collection): the campaign itself is not
            # one of them (Decap's collection filter cannot leave it out).
            paths = [p for p in paths if p != folder / "index.md"]
        return [self._entry(self._relpath(p)) for p in paths]

    def _entries_by_files(self, params: dict) -> Any:
        files = params.get("files")
        if not isinstance(files, list):
            raise EditorRequestError("请求缺少文件列表（files）。", 400)
        return [self._entry(str(f.get("path")), f.get("label")) for f in files if isinstance(f, dict)]

    def _get_entry(self, params: dict) -> Any:
        return self._entry(self._text(params, "path"))

    def _media_file(self, path: Path) -> dict[str, Any]:
        data = path.read_bytes()
        return {"id": hashlib.sha256(data).hexdigest(), "content": base64.b64encode(data).decode("ascii"),
                "encoding": "base64", "path": self._relpath(path), "name": path.name}

    def _get_media(self, params: dict) -> Any:
        folder = self.resolve(self._text(params, "mediaFolder"))
        return [self._media_file(p) for p in self._list(folder, "", 1)]

    def _get_media_file(self, params: dict) -> Any:
        path = self.resolve(self._text(params, "path"))
        if not path.is_file():
            raise EditorRequestError(f"找不到文件“{params.get('path')}”。", 404)
        return self._media_file(path)

    def _delete_file(self, params: dict) -> Any:
        return self._delete([self._text(params, "path")])

    def _delete_files(self, params: dict) -> Any:
        paths = params.get("paths")
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise EditorRequestError("请求缺少文件列表（paths）。", 400)
        return self._delete(paths)

    def _delete(self, relpaths: list[str]) -> Any:
        """Delete files, if the project without them still passes the checks: a published page is withdrawn
        (``mzpress withdraw``), never deleted; a photo or page that other pages use stays."""
        targets = []
        for relpath in relpaths:
            path = self.resolve(relpath)
            if path.is_dir():
                raise EditorRequestError(f"“{self._relpath(path)}”是一个文件夹，编辑器只删除单个文件。", 403)
            if path == self.content:
                raise EditorRequestError("不能删除稿件文件夹 content/。", 403)
            if path.is_file():
                targets.append(path)
        with self.lock:
            for path in targets:
                if path.suffix == ".md":
                    self._refuse_published(path)
            findings = self._checked_change({}, targets, keep=True)
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if errors:
            found = [_finding_json(f, {}, with_file=True) for f in errors]
            raise EditorRequestError(_findings_message(found, "删除"), 422, found)
        return {"message": "已删除"}

    def _refuse_published(self, path: Path) -> None:
        """Refuse to delete a page that is or was online (not a draft, its date reached): readers may have its
        address, and the public record keeps it; ``mzpress withdraw`` withdraws it or takes it down instead."""
        relpath = self._relpath(path)
        text = decode_text(path.read_bytes(), relpath).text
        if text is None:
            return  # not UTF-8: the check reports it, and such a page was never published
        try:
            meta = split(text, relpath).meta
        except FindingsError:
            return  # no readable front matter: never published either
        date = parse_datetime(meta.get("date"))
        if meta.get("draft") is True or (date is not None and date > self.now()):
            return
        title = f"《{meta.get('title')}》" if isinstance(meta.get("title"), str) and meta.get("title") else "这个页面"
        raise EditorRequestError(
            f"{title}已经发布，不能在编辑器里删除：删除后读者收藏的网址会打不开，网站上也不留任何说明。"
            f"要撤回（页面保留，顶部说明撤回原因），请在项目文件夹里运行 scripts/mzpress withdraw {relpath} "
            f"--reason \"原因\"；要撤下（误发，页面不再显示），再加上 --unpublish；含个人信息等紧急情况，"
            f"请办公室的应急人员运行 scripts/mzpress takedown {relpath}（应急撤稿）。"
            "然后照常提交，由三审审核。还没有发布的草稿和定时发布的稿件可以直接删除。", 409)

    def _get_deploy_preview(self, params: dict) -> Any:
        return None

    # -- writing --------------------------------------------------------------------------------

    def _asset(self, asset: Any) -> tuple[Path, bytes]:
        """An uploaded image or attachment, to a media folder; images prepared as import-docx prepares them (no
        EXIF/GPS, resized)."""
        if not isinstance(asset, dict):
            raise EditorRequestError("上传的文件格式不对。", 400)
        path = self._upload_target(self._text(asset, "path"))
        try:
            data = base64.b64decode(self._text(asset, "content"), validate=False)
        except ValueError:
            raise EditorRequestError(f"上传的文件“{path.name}”内容无法读取。", 400) from None
        if is_image_name(path.name):
            config, _ = load_config(self.root)
            try:
                data = normalize(data, path.name, config.site.images, keep_format=True).data
            except ImageError as exc:
                raise EditorRequestError(f"图片“{path.name}”：{exc}") from None
        return path, data

    def _new_page_path(self, path: Path, raw: str) -> Path:
        """A new page gets the slug of its title, as ``mzpress new`` names it; an existing one keeps its name."""
        if path.exists():
            return path
        title = title_of(raw)
        try:
            slug = slugify(title)
        except SlugError as exc:
            raise EditorRequestError(str(exc).replace("或用 --slug 指定文件名", "")) from None
        folder = path.parent
        existing = {p.stem for p in folder.glob("*.md")} if folder.is_dir() else set()
        if path.name == "index.md":  # a campaign: its folder is the slug
            siblings = {p.name for p in folder.parent.iterdir()} if folder.parent.is_dir() else set()
            return folder.parent / unique_slug(slug, siblings) / "index.md"
        return folder / f"{unique_slug(slug, existing)}{path.suffix}"

    def _users(self, changed: list[Path], skip: set[Path]) -> set[str]:
        """The pages (relative to content/) that may use one of the ``changed`` files, which already exist: each
        Markdown file whose bytes name one (an image's or attachment's file name, a page's file or folder name,
        also percent-encoded), and the other pages of a campaign whose ``index.md`` changes. A superset of the
        pages whose findings the change can alter; ``skip``: files written by the change itself."""
        needles: set[bytes] = set()
        for path in changed:
            name = path.parent.name if path.name == "index.md" else (path.stem if path.suffix == ".md" else path.name)
            needles |= {name.encode("utf-8"), quote(name).encode("ascii")}
        users = set()
        if not needles:
            return users
        for page in self._list(self.content, ".md", 40):
            if page in skip or page in changed or page.name.startswith("."):
                continue
            try:
                data = page.read_bytes()
            except OSError:
                continue
            if any(needle in data for needle in needles) or any(
                    c.name == "index.md" and page.parent == c.parent for c in changed):
                users.add(page.relative_to(self.content).as_posix())
        return users

    def _checked_change(self, files: dict[Path, bytes], deleted: list[Path],
                        keep: bool | Callable[[list[Finding]], bool]) -> list[Finding]:
        """Write ``files`` and delete ``deleted``, run the checks of ``mzpress check`` on the result: the written
        files and every page that may use a changed or deleted file. Undone unless ``keep`` (or ``keep(findings)``
        of the written files) and no error.

        Returns the errors when there are: each error of a written file, and each *new* error of another page or
        of the configuration (a link to a deleted page, a photo gone); otherwise the written files' findings."""
        written: list[_Written] = []
        created: list[Path] = []  # folders made for these files, removed again with them
        wanted = {self._relpath(p) for p in files}
        with self.lock:
            users = self._users([p for p in (*files, *deleted) if p.exists()], set(files))
            _, before = check_project(self.root, self.now(), only=users)
            known = {_key(f) for f in before if f.severity is Severity.ERROR}
            try:
                for path, data in files.items():
                    written.append(_Written(path, path.read_bytes() if path.exists() else None))
                    missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
                    path.parent.mkdir(parents=True, exist_ok=True)
                    created += reversed(missing)
                    path.write_bytes(data)
                for path in deleted:
                    written.append(_Written(path, path.read_bytes()))
                    path.unlink()
                only = {rel[len("content/"):] for rel in wanted} | users
                _, findings = check_project(self.root, self.now(), only=only)
                own = [f for f in findings if f.file in wanted or f.rule.startswith("config.")]
                others = [f for f in findings if f.severity is Severity.ERROR and f not in own
                          and _key(f) not in known]
                errors = [f for f in own if f.severity is Severity.ERROR] + others
                if not errors and (keep(own) if callable(keep) else keep):
                    written = []
                return errors if errors else own
            finally:
                for item in reversed(written):
                    if item.previous is None:
                        item.path.unlink(missing_ok=True)
                    else:
                        item.path.parent.mkdir(parents=True, exist_ok=True)
                        item.path.write_bytes(item.previous)
                if written:
                    for folder in reversed(created):  # deepest first; only if nothing else went in
                        try:
                            folder.rmdir()
                        except OSError:
                            pass

    def _persist_entry(self, params: dict) -> Any:
        entry = params.get("entry")
        data_files = params.get("dataFiles") or ([entry] if isinstance(entry, dict) else [])
        if not data_files or not all(isinstance(f, dict) for f in data_files):
            raise EditorRequestError("保存请求里没有稿件。", 400)
        files: dict[Path, bytes] = {}
        for data_file in data_files:
            original = self._text(data_file, "path")
            raw = tidy_front_matter(self._text(data_file, "raw"))
            path = self.resolve(original)
            if path.suffix != ".md":
                raise EditorRequestError(f"编辑器只能保存 Markdown 稿件（.md），不能保存“{original}”。", 403)
            target = self._new_page_path(path, raw)
            if data_file.get("newPath"):  # a rename requested by the editor: keep the mzpress name rule
                target = self.resolve(str(data_file["newPath"]))
                if target.suffix != ".md":
                    raise EditorRequestError(f"编辑器只能保存 Markdown 稿件（.md），不能保存“{data_file['newPath']}”。",
                                             403)
            files[target] = raw.encode("utf-8")
            if target != path:
                self.renamed[original] = self._relpath(target)
        for asset in params.get("assets") or []:
            path, data = self._asset(asset)
            files[path] = data
        confirmed = params.get("confirmWarnings") is True
        pages = self._pages(files)

        def to_confirm(findings: list[Finding]) -> list[Finding]:  # the saved pages' warnings
            return [f for f in findings if f.severity is Severity.WARNING and f.file in pages]

        findings = self._checked_change(files, [], keep=lambda own: confirmed or not to_confirm(own))
        errors = [_finding_json(f, pages) for f in findings if f.severity is Severity.ERROR]
        if errors:
            raise EditorRequestError(_findings_message(errors), 422, errors)
        warnings = [_finding_json(f, pages) for f in to_confirm(findings)]
        if warnings and not confirmed:
            error = EditorRequestError(_findings_message(warnings, "提醒"), 422, warnings)
            error.confirm = True
            raise error
        return {"message": "已保存", "paths": [self._relpath(p) for p in files],
                "warnings": [_finding_json(f, pages) for f in findings]}

    def _pages(self, files: dict[Path, bytes]) -> dict[str, str]:
        """The Markdown pages of a save, by the path findings name them with (``content/...``)."""
        return {self._relpath(p): data.decode("utf-8", errors="replace") for p, data in files.items()
                if p.suffix == ".md"}

    def _persist_media(self, params: dict) -> Any:
        """An upload of the media library: checked as ``mzpress check`` would check the project with it."""
        path, data = self._asset(params.get("asset"))
        findings = self._checked_change({path: data}, [], keep=True)
        errors = [_finding_json(f, {}, with_file=True) for f in findings if f.severity is Severity.ERROR]
        if errors:
            raise EditorRequestError(_findings_message(errors, "上传"), 422, errors)
        return self._media_file(path)

    def mask_lines(self, relpath: str, raw: str, line: int) -> dict[str, Any]:
        """``mzpress mask``'s fix of the paragraph (or table rows) starting at ``line`` of ``raw`` saved as
        ``relpath``: the page masked as ``mask`` masks it (names kept on a 公示 notice, the public numbers kept), and
        of it the changed lines from ``line`` to the next blank line, as ``{"changes": [{before, after}]}``."""
        path = self.resolve(relpath)
        raw = tidy_front_matter(raw)  # the page as saved: the finding's line is a line of it
        config, _ = load_config(self.root)
        masked, _ = mask_markdown(raw, mask_kind(path), public_number_keys(config.site.public_numbers))
        lines, fixed = raw.splitlines(), masked.splitlines()
        changes = []
        index = line - 1
        while 0 <= index < min(len(lines), len(fixed)) and (index == line - 1 or lines[index].strip()):
            if lines[index] != fixed[index]:
                changes.append({"before": lines[index], "after": fixed[index]})
            index += 1
        if not changes:
            raise EditorRequestError("这一处没有可以自动脱敏的内容，请按提示手动修改。", 422)
        return {"changes": changes}

    def mask_field(self, relpath: str, raw: str, field: str) -> dict[str, Any]:
        """``mzpress mask``'s fix of the value of one plain-text front-matter field (:data:`MASKABLE_FIELDS`) of
        ``raw`` saved as ``relpath``, masked as ``mask`` masks the page (by page kind, the public numbers kept):
        ``{"field", "before", "after"}``, the values as the editor's form holds them."""
        path = self.resolve(relpath)
        if field not in MASKABLE_FIELDS:
            raise EditorRequestError("这一项不能自动脱敏，请按提示手动修改。", 422)
        raw = tidy_front_matter(raw)
        try:
            value = split(raw, self._relpath(path)).meta.get(field)
        except FindingsError:
            value = None
        if not isinstance(value, str):
            raise EditorRequestError("这一项不能自动脱敏，请按提示手动修改。", 422)
        config, _ = load_config(self.root)
        masked, _ = mask_markdown(value, mask_kind(path), public_number_keys(config.site.public_numbers))
        if masked == value:
            raise EditorRequestError("这一项没有可以自动脱敏的内容，请按提示手动修改。", 422)
        return {"field": field, "before": value, "after": masked}

    def check_entry(self, relpath: str, raw: str) -> dict[str, Any]:
        """The findings ``mzpress check`` would report for ``raw`` saved as ``relpath``; nothing is written."""
        path = self.resolve(relpath)
        files = {path: tidy_front_matter(raw).encode("utf-8")}
        findings = self._checked_change(files, [], keep=False)
        pages = self._pages(files)
        return {"findings": [_finding_json(f, pages) for f in findings]}


def site_preview_css(root: Path) -> bytes:
    """The site's stylesheets (Material's main and palette, then the project's own), for the preview pane."""
    import material  # adapters/mkdocs only: the theme the site is built with

    theme = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    files = [*sorted(theme.glob("main.*.min.css")), *sorted(theme.glob("palette.*.min.css")),
             *sorted((Path(root) / "overrides" / "assets" / "stylesheets").glob("*.css"))]
    parts = []
    for file in files:
        text = file.read_text(encoding="utf-8")
        parts.append(re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", text))
    return "\n".join(parts).encode("utf-8")


def write_git_admin(root: Path, folder: Path, settings: Mapping[str, Any], config_text: str,
                    dist: Path | None = None) -> list[str]:
    """The intranet build's editor (``mzpress cms-config --admin-dir``, ``scripts/build --with-editor``) as static
    files in ``folder``: :data:`GIT_INDEX_HTML`, ``config.yml`` (``config_text``, generated as ``settings``), Decap's
    bundle, and the setup script and stylesheets the writers' preview uses (with the site's names); nothing from a
    CDN. Returns the names written; raises ``FileNotFoundError`` when Decap's bundle is not installed."""
    root = Path(root)
    dist = Path(dist) if dist is not None else root / DECAP_DIST
    scripts = sorted(dist.glob("*.js")) if dist.is_dir() else []
    if not scripts:
        raise FileNotFoundError(dist)
    config, _ = load_config(root)
    folder.mkdir(parents=True, exist_ok=True)
    for script in scripts:
        (folder / script.name).write_bytes(script.read_bytes())
    files = {"config.yml": config_text.encode("utf-8"), "index.html": GIT_INDEX_HTML.encode("utf-8"),
             SETUP_SCRIPT_NAME: setup_script(config, settings).encode("utf-8"),
             EDITOR_STYLE_NAME: EDITOR_STYLE.encode("utf-8"), PREVIEW_CSS_NAME: site_preview_css(root)}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [s.name for s in scripts] + list(files)


def _key(finding: Finding) -> tuple:
    return finding.rule, finding.file, finding.line, finding.message
