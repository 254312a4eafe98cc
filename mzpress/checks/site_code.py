"""Site check: the build configuration and the theme load nothing from other hosts and keep the gate on.

``mkdocs.yml`` and the templates in ``overrides/`` are site code: a pull request that removes the
``mzpress`` plugin (no checks at build time, no removal of files that failed them) or makes every
page load a script from another host changes what the public gets without touching ``content/``.
``mzpress review-check`` asks a technical reviewer for such a merge; this check says what is wrong
before anyone merges. It reports, as errors:

* ``site.plugin-missing``: ``mkdocs.yml`` does not enable the ``mzpress`` plugin (no ``plugins:``,
  the plugin left out of the list or mapping, or ``enabled: false``), or cannot be read at all;
* ``site.foreign-asset``: ``extra_javascript`` / ``extra_css`` (strings or ``{path: ...}``),
  ``theme.logo`` / ``theme.favicon``, ``repo_url`` or ``extra.analytics`` load a file from (or make
  the reader's browser contact) another host (a URL with a scheme, or one starting with ``//``), or
  a value comes from an environment variable (``!ENV``) the check cannot see; Material's
  ``theme.font`` is not ``false`` (Google Fonts); a template under
  ``overrides/`` (or ``theme.custom_dir``) loads a script, style sheet, image, frame or object from
  another host (``<script src>``, ``<link href>``, ``<img src>``, ``<base href>``, ...), or a style
  sheet there imports one (``@import``, ``url()``);
* ``site.inline-script``: a template holds an inline ``<script>`` with code, an event-handler
  attribute (``onclick=``) or a ``javascript:`` address, which the Content-Security-Policy of
  ``deploy/nginx.conf`` (``script-src 'self'``) refuses in the reader's browser.

``mkdocs.yml`` is read as YAML nodes (``yaml.compose``), so MkDocs' tags (``!ENV``,
``!!python/name:``) need no constructor, and every finding has its line. ``INHERIT:`` is followed:
a key missing from ``mkdocs.yml`` is looked up in the file it inherits from. Templates are read
as HTML after removing Jinja comments; a Jinja expression is not evaluated, so only what the
template spells out (``src="https://..."``) is judged, not a value a variable supplies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import yaml

from mzpress.checks.context import CheckContext
from mzpress.model.findings import Finding, error
from mzpress.model.source_text import read_source

MKDOCS_FILE = "mkdocs.yml"
THEME_DIR = "overrides"
PLUGIN = "mzpress"
MAX_INHERIT = 5

# A URL that names its own host or scheme: "https://…", "//cdn…", "data:…", "C:…" (anything but a path).
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DATA = re.compile(r"^data:", re.IGNORECASE)
_JAVASCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript):", re.IGNORECASE)
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_JAVASCRIPT_TYPE = re.compile(r"^(?:module|importmap|speculationrules|"
                              r"(?:text|application)/(?:x-)?(?:java|ecma|j|live)script(?:1\.\d)?)$")
_CSS_URL = re.compile(r"@import\s+(?:url\(\s*)?['\"]?([^'\")\s;]+)|url\(\s*['\"]?([^'\")\s]+)", re.IGNORECASE)

# Elements and attributes by which a page loads something.
_LOADS = {
    "script": ("src",), "img": ("src", "srcset"), "iframe": ("src",), "frame": ("src",), "embed": ("src",),
    "object": ("data",), "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",), "input": ("src",), "base": ("href",), "link": ("href", "imagesrcset"),
}
# <link rel=...> that only names another address (the page's canonical address, a feed) and loads nothing.
_LINK_NAMES_ONLY = frozenset({"canonical", "alternate", "author", "license", "help", "next", "prev", "me",
                              "bookmark", "search", "feed", "external", "nofollow", "noopener", "noreferrer"})
_WHAT = {"script": "脚本", "link": "样式表或其他资源", "img": "图片", "iframe": "网页框架", "frame": "网页框架",
         "embed": "插件内容", "object": "插件内容", "source": "音视频或图片", "video": "视频", "audio": "音频",
         "track": "字幕", "input": "图片", "base": "所有相对地址的基准"}

_CSP = "网站的内容安全策略（deploy/nginx.conf 的 Content-Security-Policy）只允许本站文件"


def foreign(url: str, allow_data: bool = False) -> bool:
    """Whether ``url`` is not a path of this site: it has a scheme (``data:`` only if not ``allow_data``)
    or starts with ``//`` (or a backslash, which browsers read as ``/``)."""
    url = url.strip()
    if url.startswith(("//", "\\\\", "/\\", "\\/")):
        return True
    if _SCHEME.match(url):
        return not (allow_data and _DATA.match(url))
    return False


def _shown(url: str, limit: int = 80) -> str:
    url = " ".join(url.split())
    return url if len(url) <= limit else url[:limit] + "……"


# ------------------------------------------------------------------------------- mkdocs.yml


@dataclass(frozen=True)
class _Config:
    """One file of the INHERIT chain: its project-relative name and its top-level mapping node."""

    relpath: str
    node: yaml.MappingNode


_UNKNOWN = object()  # a value the check cannot know: a tag (!ENV, !!python/name:...) or a broken scalar


def _value(node: yaml.Node):
    """The plain value of a node of standard tags; ``_UNKNOWN`` for MkDocs' own tags."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError:
        return _UNKNOWN
    finally:
        loader.dispose()


def _entry(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """``(key node, value node)`` of ``key`` in a mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    entry = _entry(node, key)
    return entry[1] if entry else None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _compose(root: Path, relpath: str) -> tuple[yaml.Node | None, Finding | None]:
    path = root / relpath
    source, problems = read_source(path, relpath)
    if source.text is None:
        return None, error("site.plugin-missing", relpath, problems[0].line if problems else None,
                           f"{relpath} 不是 UTF-8 编码的文本，无法读取，也就无法确认构建时启用了 mzpress 插件。",
                           "用文本编辑器把它另存为 UTF-8 编码（不带 BOM）后运行 scripts/mzpress check。")
    try:
        return yaml.compose(source.text, Loader=yaml.SafeLoader), None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, error("site.plugin-missing", relpath, mark.line + 1 if mark else None,
                           f"{relpath} 的 YAML 格式有误，无法读取，也就无法确认构建时启用了 mzpress 插件。",
                           "按 YAML 写法改正这一行附近（缩进只用空格，冒号后空一格），再运行 scripts/mzpress check。")


def _chain(root: Path) -> tuple[list[_Config], list[Finding]]:
    """mkdocs.yml and the files it INHERITs from, child first."""
    chain: list[_Config] = []
    relpath = MKDOCS_FILE
    while relpath is not None and len(chain) < MAX_INHERIT:
        if relpath in (c.relpath for c in chain) or not (root / relpath).is_file():
            break
        node, problem = _compose(root, relpath)
        if problem is not None:
            return chain, [problem]
        if not isinstance(node, yaml.MappingNode):
            return chain, [error("site.plugin-missing", relpath, 1,
                                 f"{relpath} 里没有“键: 值”形式的设置，无法确认构建时启用了 mzpress 插件。",
                                 "参照示例项目的 mkdocs.yml 改写。")]
        chain.append(_Config(relpath, node))
        parent = _get(node, "INHERIT")
        target = _value(parent) if parent is not None else None
        relpath = ((Path(relpath).parent / target).as_posix() if isinstance(target, str) and target.strip()
                   and not Path(target).is_absolute() and ".." not in Path(target).parts else None)
    return chain, []


@dataclass(frozen=True)
class _Found:
    node: yaml.Node | None  # None: no file of the chain has the setting
    relpath: str = MKDOCS_FILE
    line: int = 1  # of the setting's key

    @property
    def value(self):
        return _value(self.node) if self.node is not None else None


def _find(chain: list[_Config], *keys: str) -> _Found:
    """The setting at ``keys`` in the first file of the chain that has it (MkDocs merges mappings
    and replaces everything else)."""
    for config in chain:
        node, entry = config.node, None
        for key in keys:
            entry = _entry(node, key)
            if entry is None:
                break
            node = entry[1]
        if entry is not None:
            return _Found(entry[1], config.relpath, _line(entry[0]))
    return _Found(None)


def _plugin_entries(node: yaml.Node) -> Iterator[tuple[str, yaml.Node | None]]:
    """``(name, options)`` of each plugin of a ``plugins:`` list or mapping."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            yield str(_value(key_node)), value_node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.MappingNode) and len(item.value) == 1:
                key_node, value_node = item.value[0]
                yield str(_value(key_node)), value_node
            elif isinstance(item, yaml.ScalarNode):
                yield str(_value(item)), None


def _plugin_findings(chain: list[_Config]) -> Iterator[Finding]:
    found = _find(chain, "plugins")
    relpath = found.relpath
    fix = "在 mkdocs.yml 的 plugins: 下写一行“- mzpress”（参照示例项目的 mkdocs.yml）。"
    consequence = "构建时不会检查稿件，也不会删去未通过检查的文件，未经三审的内容和有问题的文件会直接发布。"
    if found.node is None:
        yield error("site.plugin-missing", MKDOCS_FILE, 1,
                    f"mkdocs.yml 没有 plugins: 设置，MkDocs 不会启用 mzpress 插件：{consequence}", fix)
        return
    entries = [options for name, options in _plugin_entries(found.node) if name == PLUGIN]
    if not entries:
        yield error("site.plugin-missing", relpath, found.line,
                    f"{relpath} 的 plugins 中没有 mzpress 插件：{consequence}", fix)
        return
    for options in entries:
        enabled = _get(options, "enabled")
        if enabled is not None and _value(enabled) is not True:
            shown = "来自环境变量（!ENV）的值" if _value(enabled) is _UNKNOWN else f"“{enabled.value}”"
            yield error("site.plugin-missing", relpath, _line(enabled),
                        f"{relpath} 中 mzpress 插件的 enabled 是{shown}，插件可能被关闭：{consequence}",
                        "删掉 mzpress 下的 enabled 这一行。")


def _asset_findings(chain: list[_Config], key: str, what: str, folder: str) -> Iterator[Finding]:
    found = _find(chain, key)
    relpath = found.relpath
    if not isinstance(found.node, yaml.SequenceNode):
        return
    for item in found.node.value:
        target = _get(item, "path") if isinstance(item, yaml.MappingNode) else item
        value = _value(target) if target is not None else None
        fix = (f"删掉这一项；确实需要的{what}，经技术审核人审核后把文件放进 overrides/{folder}/，"
               f"写成 {folder}/文件名。")
        if value is _UNKNOWN:
            yield error("site.foreign-asset", relpath, _line(target),
                        f"{relpath} 的 {key} 中有一项{what}的地址取自环境变量或特殊写法（{target.tag}），"
                        "检查无法确认它是本站的文件。", f"直接写本站文件的路径，例如 {folder}/文件名。")
        elif isinstance(value, str) and foreign(value):
            yield error("site.foreign-asset", relpath, _line(target),
                        f"{relpath} 的 {key} 从其他网站加载{what}“{_shown(value)}”：{_CSP}，读者的浏览器会拒绝加载；"
                        f"外来的{what}还能改动网页上的任何内容，并把读者的访问告诉第三方。", fix)


def _theme_findings(chain: list[_Config]) -> Iterator[Finding]:
    theme = _find(chain, "theme")
    name = _find(chain, "theme", "name").value if isinstance(theme.node, yaml.MappingNode) else theme.value
    if name == "material":
        font = _find(chain, "theme", "font")
        fix = "在 theme: 下写 font: false（网站使用读者电脑上的中文字体）。"
        google = "Material 主题会从 Google Fonts（fonts.googleapis.com）加载字体，境内和内网访问缓慢或失败"
        if font.node is None:
            yield error("site.foreign-asset", theme.relpath, theme.line,
                        f"{theme.relpath} 的 theme 中没有写 font: false：{google.replace('会从', '默认从')}，{_CSP}。", fix)
        elif font.value is not False:
            yield error("site.foreign-asset", font.relpath, font.line,
                        f"{font.relpath} 的 theme.font 不是 false：{google}，{_CSP}。", fix)
    for key, what in (("logo", "网站标志图片"), ("favicon", "网站图标")):
        found = _find(chain, "theme", key)
        if isinstance(found.value, str) and foreign(found.value, allow_data=True):
            yield error("site.foreign-asset", found.relpath, found.line,
                        f"{found.relpath} 的 theme.{key} 从其他网站加载{what}“{_shown(found.value)}”：{_CSP}，"
                        "读者的浏览器会拒绝加载。",
                        f"把图片放进 overrides/assets/images/，写成 theme.{key}: assets/images/文件名。")
    repo_url = _find(chain, "repo_url")
    if repo_url.value not in (None, ""):
        yield error("site.foreign-asset", repo_url.relpath, repo_url.line,
                    f"{repo_url.relpath} 设置了 repo_url：Material 主题会让读者的浏览器访问代码托管网站，读取仓库信息，"
                    f"{_CSP}。", "删掉 repo_url 这一行（mzpress 插件构建时也会拒绝它）。")
    analytics = _find(chain, "extra", "analytics")
    if analytics.node is not None and analytics.value not in (None, False, {}):
        yield error("site.foreign-asset", analytics.relpath, analytics.line,
                    f"{analytics.relpath} 的 extra.analytics（网站统计）会让每个页面从其他网站加载统计脚本，"
                    f"并把读者的访问告诉第三方：{_CSP}。", "删掉 extra.analytics；访问量请用 Web 服务器的访问日志统计。")


def _custom_dir(chain: list[_Config]) -> str | None:
    found = _find(chain, "theme", "custom_dir")
    value = found.value
    if not isinstance(value, str) or not value.strip() or Path(value).is_absolute() or ".." in Path(value).parts:
        return None
    return (Path(found.relpath).parent / value).as_posix()


# -------------------------------------------------------------------------------- templates


class _TemplateReader(HTMLParser):
    """Foreign loads and inline scripts of one template, as findings."""

    def __init__(self, relpath: str):
        super().__init__(convert_charrefs=True)
        self.relpath = relpath
        self.findings: list[Finding] = []
        self._script: tuple[int, list[str]] | None = None  # an inline executable script: (line, its text)

    def _foreign(self, line: int, tag: str, attr: str, url: str) -> None:
        what = _WHAT.get(tag, "资源")
        self.findings.append(error(
            "site.foreign-asset", self.relpath, line,
            f"模板中的 <{tag} {attr}=\"{_shown(url)}\"> 从其他网站加载{what}：{_CSP}，读者的浏览器会拒绝加载；"
            "外来的文件还能改动网页、把读者的访问告诉第三方。",
            "删掉它；确实需要的文件，经技术审核人审核后放进 overrides/assets/，"
            f"用 {attr}=\"{{{{ 'assets/文件名' | url }}}}\" 引用本站的文件。"))

    def _inline(self, line: int, message: str, fix: str) -> None:
        self.findings.append(error("site.inline-script", self.relpath, line, f"{message}{_CSP}，禁止内联脚本，"
                                   "读者的浏览器不会执行它；内联脚本也躲过了对 .js 文件的审核。", fix))

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        values = {name.lower(): (value or "") for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on") and len(name) > 2:
                self._inline(line, f"模板中 <{tag}> 的 {name} 属性是内联脚本：",
                             "删掉这个属性，在 overrides/assets/javascripts/ 的 .js 文件中用 addEventListener 绑定。")
            elif name in ("href", "src", "action", "formaction", "data") and _JAVASCRIPT_URL.match(value):
                self._inline(line, f"模板中 <{tag}> 的 {name} 是 javascript: 地址（内联脚本）：",
                             "换成真正的网址；要执行的动作写进 overrides/assets/javascripts/ 的 .js 文件。")
        if tag == "link":
            rels = set(values.get("rel", "").lower().split())
            if rels and rels <= _LINK_NAMES_ONLY:
                return
        if tag == "input" and values.get("type", "").lower() != "image":
            return
        for attr in _LOADS.get(tag, ()):
            value = values.get(attr, "")
            urls = [part.strip().split(" ")[0] for part in value.split(",")] if attr.endswith("srcset") else [value]
            for url in urls:
                if url and foreign(url, allow_data=tag != "script"):
                    self._foreign(line, tag, attr, url)
                    break
        if tag == "script" and "src" not in values and _JAVASCRIPT_TYPE.match(values.get("type", "").strip().lower()
                                                                              or "text/javascript"):
            self._script = (line, [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            line, parts = self._script
            self._script = None
            if "".join(parts).strip():
                self._inline(line, "模板中有直接写在 <script> 里的脚本代码：",
                             "把代码移到 overrides/assets/javascripts/ 下的 .js 文件，"
                             "用 <script src=\"{{ 'assets/javascripts/文件名.js' | url }}\"></script> 引用。")


def _without_jinja_comments(text: str) -> str:
    """Jinja comments blanked out (their line breaks kept, so lines still count)."""
    return _JINJA_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def _template_findings(root: Path, relpath: str) -> list[Finding]:
    source, _ = read_source(root / relpath, relpath)
    if source.text is None:
        return []  # not UTF-8: MkDocs cannot read it either, the build stops
    reader = _TemplateReader(relpath)
    reader.feed(_without_jinja_comments(source.text))
    reader.close()
    return reader.findings


def _stylesheet_findings(root: Path, relpath: str) -> list[Finding]:
    source, _ = read_source(root / relpath, relpath)
    if source.text is None:
        return []
    findings = []
    for number, line in enumerate(source.text.splitlines(), 1):
        for match in _CSS_URL.finditer(line):
            url = match.group(1) or match.group(2)
            if foreign(url, allow_data=match.group(1) is None):
                findings.append(error(
                    "site.foreign-asset", relpath, number,
                    f"样式表从其他网站加载“{_shown(url)}”：{_CSP}，读者的浏览器会拒绝加载，也会把读者的访问告诉第三方。",
                    "把字体、图片或样式文件放进 overrides/assets/，用相对地址引用（例如 url(\"../images/文件名\")）。"))
    return findings


def _theme_files(root: Path, folders: Iterable[str]) -> list[str]:
    """Templates and style sheets under the theme folders, project-relative, sorted, each once."""
    found: set[str] = set()
    for folder in folders:
        base = root / folder
        if not base.is_dir() or base.is_symlink():
            continue  # a symbolic link in the theme is theme.symlink's finding
        for path in base.rglob("*"):
            if path.suffix.lower() in (".html", ".htm", ".css") and path.is_file() and not path.is_symlink():
                found.add(path.relative_to(root).as_posix())
    return sorted(found)


# ---------------------------------------------------------------------------------- the check


def check_site_code(site, ctx: CheckContext) -> list[Finding]:
    """Errors for a build configuration or theme that disables the gate or loads from other hosts."""
    root = Path(ctx.root)
    findings: list[Finding] = []
    chain: list[_Config] = []
    if (root / MKDOCS_FILE).is_file():
        chain, findings = _chain(root)
        if chain:
            findings += _plugin_findings(chain)
            findings += _asset_findings(chain, "extra_javascript", "脚本", "assets/javascripts")
            findings += _asset_findings(chain, "extra_css", "样式表", "assets/stylesheets")
            findings += _theme_findings(chain)
    folders = [THEME_DIR] + ([custom] if chain and (custom := _custom_dir(chain)) else [])
    for relpath in _theme_files(root, folders):
        if relpath.endswith(".css"):
            findings += _stylesheet_findings(root, relpath)
        else:
            findings += _template_findings(root, relpath)
    return findings
