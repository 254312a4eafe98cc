"""The publish gate, tried as an attacker and as a careless writer would (issue 10).

Every case changes a copy of one small project, then asserts:

* ``mzpress check`` exits with the expected code and reports the expected rule;
* the plain and the strict ``mkdocs build`` give the same verdict as the check (a failing check
  fails both builds, whatever ``strict`` says);
* no file of the project was modified by the check or the builds;
* nothing of the payload (each carries the marker ``MARK``) appears in any output file.

Builds run in-process (``mkdocs.commands.build``): a refused build stops in ``on_files``, before
anything is rendered, so the hundred-odd cases take seconds. Cases that must publish (escaped payloads,
a take-down, a redirect) build for real and inspect the HTML.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as mkdocs_load_config
from mkdocs.exceptions import Abort, PluginError

from mzpress.cli import main
from tests.support.personal_data import card, id18, wrong_check
from tests.support.project import BUILD_DATE, add_story, new_project, story_text, tree_digest, write

MARK = "MARK7F3A"
MOBILE = "13912345678"
ID_NUMBER = id18()
CARD = card("622202100112345678")


# --- running check and the builds ---------------------------------------------------------------


def run_check(root: Path, capsys, *args: str) -> tuple[int, list[dict]]:
    capsys.readouterr()
    code = main(["--root", str(root), "check", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip().startswith("[") else []


def run_build(root: Path, out: Path, strict: bool) -> bool:
    """An in-process ``mkdocs build`` (``--strict`` or not); True when it finished."""
    config = mkdocs_load_config(str(root / "mkdocs.yml"), site_dir=str(out), strict=strict)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
        return True
    except (Abort, PluginError):
        return False
    finally:
        config.plugins.on_shutdown()


def output_files(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.is_file()] if out.exists() else []


def payload_in_output(out: Path, payload: str) -> list[str]:
    found = []
    for path in output_files(out):
        if payload.encode("utf-8") in path.read_bytes():
            found.append(path.relative_to(out).as_posix())
    return found


@pytest.fixture(scope="module")
def base_project(tmp_path_factory) -> Path:
    root = new_project(tmp_path_factory.mktemp("gate") / "base")
    add_story(root, 2026, "fine", title="示例县开展敬老活动", date="2026-03-01 09:00", topics=("xiaoxian",))
    return root


@pytest.fixture
def project(base_project, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("MZPRESS_BUILD_DATE", BUILD_DATE)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("MZPRESS_NO_CACHE", "1")
    root = tmp_path / "p"
    shutil.copytree(base_project, root, symlinks=True)
    return root


# --- the cases ----------------------------------------------------------------------------------

STORY = "content/stories/2026/gate.md"


def _with_people(text: str, author: str | None = None, editor: str | None = None) -> str:
    if author is not None:
        text = text.replace("author: 测试作者", f"author: {author}", 1)
    if editor is not None:
        text = text.replace("editor: 测试编辑", f"editor: {editor}", 1)
    return text


def _story(author: str | None = None, editor: str | None = None, **fields) -> Callable[[Path], None]:
    defaults = dict(title="示例稿件", date="2026-03-02 09:00", topics=("xiaoxian",))
    return lambda root: write(root / STORY, _with_people(story_text(**{**defaults, **fields}), author, editor))


def _body(text: str) -> Callable[[Path], None]:
    return lambda root: write(root / STORY, story_text(title="示例稿件", date="2026-03-02 09:00") + "\n" + text + "\n")


def _file(relpath: str, data: str | bytes) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return make


def _link(relpath: str, target: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        resolved = target.replace("{root}", str(root))
        os.symlink(resolved, path)
    return make


def _config(name: str, old: str, new: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        path = root / "site_config" / name
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return make


def _both(*makers: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        for maker in makers:
            maker(root)
    return make


def _jpeg(relpath: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        from PIL import Image
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (40, 30), "white").save(path, "JPEG")
    return make


RESPONSE = "content/responses/2026/gate.md"


def _response(extra: str = "", title: str = f"情况通报{MARK}") -> Callable[[Path], None]:
    """A 回应关切 dated the day before the build date: published and pinned on the home page when valid."""
    text = (f"---\ntitle: {title}\ndate: 2026-11-29 09:00\nunit: office\nauthor: 测试作者\neditor: 测试编辑\n"
            f"summary: 测试摘要。\n{extra}---\n\n经核查，现通报如下。\n")
    return lambda root: write(root / RESPONSE, text)


STORY_MD = story_text(title=f"另一篇{MARK}", date="2026-03-03 09:00")
SCRIPT_SVG = f'<svg xmlns="http://www.w3.org/2000/svg"><script>alert("{MARK}")</script></svg>'


@dataclass(frozen=True)
class Case:
    make: Callable[[Path], None]
    rule: str  # a rule id, or a family prefix ending in “.” (any rule of it will do)
    code: int = 1  # mzpress check's exit code: 1 content errors, 2 configuration errors
    also: tuple[str, ...] = ()  # further rules (or families) that must be reported too
    within: float | None = None  # seconds the check may take (generous: shared CI machines)


CASES: dict[str, Case] = {
    # Files the checks never read: other Markdown endings, web pages, scripts, styles, unknown types.
    "ext-mdown": Case(_file("content/stories/2026/a.mdown", STORY_MD), "content.markdown-extension"),
    "ext-mkd": Case(_file("content/stories/2026/a.mkd", STORY_MD), "content.markdown-extension"),
    "ext-markdown": Case(_file("content/about/a.markdown", STORY_MD), "content.markdown-extension"),
    "ext-mkdn": Case(_file("content/a.mkdn", STORY_MD), "content.markdown-extension"),
    "ext-mdwn": Case(_file("content/a.mdwn", STORY_MD), "content.markdown-extension"),
    "ext-upper-md": Case(_file("content/about/a.MD", STORY_MD), "content.markdown-extension"),
    "raw-html": Case(_file("content/about/x.html", f"<script>alert('{MARK}')</script>"), "content.active-file"),
    "raw-htm": Case(_file("content/x.htm", f"<p>{MARK}</p>"), "content.active-file"),
    "raw-js": Case(_file("content/assets/x.js", f"alert('{MARK}')"), "content.active-file"),
    "raw-mjs": Case(_file("content/assets/x.mjs", f"alert('{MARK}')"), "content.active-file"),
    "raw-css": Case(_file("content/assets/x.css", f"body{{background:url(https://{MARK}.example/)}}"),
                    "content.active-file"),
    "raw-json": Case(_file("content/data.json", f'{{"a": "{MARK}"}}'), "content.active-file"),
    "raw-xml": Case(_file("content/a.xml", f"<a>{MARK}</a>"), "content.active-file"),
    "raw-php": Case(_file("content/a.php", f"<?php echo '{MARK}';"), "content.active-file"),
    "raw-wasm": Case(_file("content/a.wasm", MARK), "content.active-file"),
    "no-extension": Case(_file("content/about/README", MARK), "content.file-type"),
    "unknown-type": Case(_file("content/about/x.exe", MARK), "content.file-type"),
    "mp4-not-allowed": Case(_file("content/media/a.mp4", b"\x00\x00\x00\x18ftypmp42" + MARK.encode()),
                            "content.file-type"),
    "mp4-allowed-but-fake": Case(_both(
        _config("site.yml", "  extra_files: []", '  extra_files: ["media/*.mp4"]'),
        _file("content/media/a.mp4", f"<html>{MARK}</html>")), "content.extra-file"),
    "extra-files-js-refused": Case(_config("site.yml", "  extra_files: []", '  extra_files: ["*.js"]'),
                                   "config.invalid", 2),
    "svg-script": Case(_file("content/assets/images/x.svg", SCRIPT_SVG), "svg.unsafe"),
    "svg-onload": Case(_file("content/assets/images/x.svg", f'<svg onload="alert(1)"><!--{MARK}--></svg>'),
                       "svg.unsafe"),
    "svg-foreign-object": Case(_file("content/assets/images/x.svg",
                                     f"<svg><foreignObject><p>{MARK}</p></foreignObject></svg>"), "svg.unsafe"),
    "svg-external-href": Case(_file("content/assets/images/x.svg",
                                    f'<svg><image href="https://{MARK}.example/a.png"/></svg>'), "svg.unsafe"),
    "svg-entity": Case(_file("content/assets/images/x.svg", f'<!DOCTYPE svg [<!ENTITY a "{MARK}">]><svg/>'),
                       "svg.unsafe"),
    # Symlinks: never followed, never published.
    "symlink-file": Case(_link("content/about/passwd.txt", "/etc/passwd"), "content.symlink"),
    "symlink-markdown": Case(_both(_file("outside/x.md", STORY_MD),
                                   _link("content/about/x.md", "{root}/outside/x.md")), "content.symlink"),
    "symlink-folder": Case(_both(_file("outside/a/x.md", STORY_MD), _link("content/about/linked", "{root}/outside/a")),
                           "content.symlink"),
    "symlink-in-overrides": Case(_both(_file("outside/t.html", MARK),
                                       _link("overrides/partials/mzpress/extra.html", "{root}/outside/t.html")),
                                 "theme.symlink"),
    # Backups and editor temporary files.
    "backup-bak": Case(_file("content/stories/2026/fine.md.bak", STORY_MD + MOBILE), "content.backup-file"),
    "backup-bak-2": Case(_file("content/stories/2026/fine.md.bak.2", STORY_MD), "content.backup-file"),
    "backup-tilde": Case(_file("content/stories/2026/fine.md~", STORY_MD), "content.backup-file"),
    "backup-orig": Case(_file("content/stories/2026/fine.md.orig", STORY_MD), "content.backup-file"),
    "backup-swp": Case(_file("content/stories/2026/.fine.md.swp", STORY_MD), "content.backup-file"),
    "backup-emacs-lock": Case(_file("content/stories/2026/.#fine.md", STORY_MD), "content.backup-file"),
    "backup-office-lock": Case(_file("content/notices/2025/files/~$名单.xlsx", MARK), "content.backup-file"),
    "backup-timestamped": Case(_file("content/stories/2026/fine.md.20261201-093000", STORY_MD),
                               "content.backup-file"),
    # Front matter reaches HTML: markup in plain-text fields is an error.
    "title-script": Case(_story(title=f"<script>alert('{MARK}')</script>"), "schema.markup"),
    "title-entity": Case(_story(title=json.dumps(f"&lt;b&gt;{MARK}")), "schema.markup"),
    "title-numeric-entity": Case(_story(title=json.dumps(f"&#60;b&#62;{MARK}")), "schema.markup"),
    "summary-meta-refresh": Case(_story(
        summary=json.dumps(f'{MARK}"><meta http-equiv="refresh" content="0;url=https://evil.example/">')),
        "schema.markup"),
    "summary-img": Case(_story(summary=json.dumps(f"<img src=x onerror=alert(1)>{MARK}")), "schema.markup"),
    "author-tag": Case(_story(author=f"<b>{MARK}</b>"), "schema.markup"),
    "editor-comment": Case(_story(editor=f"<!--{MARK}-->王"), "schema.markup"),
    "tags-tag": Case(_story(extra=f'tags: ["<i>{MARK}</i>"]\n'), "schema.markup"),
    "cover-alt-tag": Case(_story(extra=f'cover_alt: "<b>{MARK}</b>"\n'), "schema.markup"),
    "change-note-tag": Case(_story(extra=f'changes:\n  - date: 2026-03-05\n    note: "<b>{MARK}</b>"\n'),
                            "schema.markup"),
    "withdrawn-reason-tag": Case(_story(extra=f'withdrawn:\n  date: 2026-04-01\n  reason: "<b>{MARK}</b>"\n'),
                                 "schema.markup"),
    # 回应关切: 发布机关 reaches the home page's pin, the column, the feed and the page's 来源 line.
    "response-issuer-tag": Case(_response(extra=f'issuer: "<b>{MARK}</b>"\n'), "schema.markup"),
    "response-issuer-entity": Case(_response(extra=f'issuer: "&lt;script&gt;{MARK}"\n'), "schema.markup"),
    "response-pin-days-over": Case(_response(extra="pin_days: 365\n"), "schema.pin-days"),
    "adoption-url-script": Case(_story(
        extra=f"adopted_by:\n  - {{outlet: county-paper, date: 2026-03-03, url: 'javascript:alert(\"{MARK}\")'}}\n"),
        "schema.adoption"),
    "adoption-instruction-tag": Case(_story(
        extra=f'adopted_by:\n  - {{outlet: county-paper, date: 2026-03-03, instruction: "<b>{MARK}</b>"}}\n'),
        "schema.markup"),
    "adoption-unknown-outlet": Case(_story(
        extra=f"adopted_by:\n  - {{outlet: {MARK.lower()}, date: 2026-03-03}}\n"), "schema.unknown-outlet"),
    "adoption-future": Case(_story(extra="adopted_by:\n  - {outlet: county-paper, date: 2026-12-25}\n"),
                            "adoptions.future"),
    "site-name-tag": Case(_config("site.yml", "name: 示例县民政局", f'name: "<b>{MARK}</b>"'), "config.invalid", 2),
    "unit-name-tag": Case(_config("units.yml", "name: 办公室", f'name: "<script>{MARK}</script>"'), "config.invalid", 2),
    "topic-name-entity": Case(_config("topics.yml", "name: 孝贤文化", f'name: "&#x3c;{MARK}"'), "config.invalid", 2),
    # Text split by markup: the checks read what the reader reads.
    "mobile-entity-digit": Case(_body(f"联系电话139&#49;2345678。{MARK}"), "privacy.mobile"),
    "mobile-hex-entity": Case(_body(f"联系电话13&#x39;12345678。{MARK}"), "privacy.mobile"),
    "mobile-span": Case(_body(f"联系电话139<span>1234</span>5678。{MARK}"), "privacy.mobile"),
    "mobile-bold": Case(_body(f"联系电话139**1234**5678。{MARK}"), "privacy.mobile"),
    "mobile-in-table": Case(_body(f"| 姓名 | 电话 |\n| --- | --- |\n| 张某 | 139*1234*5678 |\n\n{MARK}"),
                            "privacy.mobile"),
    "id-number-tag": Case(_body(f"身份证号{ID_NUMBER[:6]}<b>{ID_NUMBER[6:14]}</b>{ID_NUMBER[14:]}。{MARK}"),
                          "privacy.id-number"),
    "bank-card-entity": Case(_body(f"卡号{CARD[:4]}&#{ord(CARD[4])};{CARD[5:]}。{MARK}"), "privacy.bank-card"),
    "wording-split-bold": Case(_body(f"我们再接**再励**，{MARK}"), "wording.typo"),
    "wording-split-tag": Case(_body(f"我们再接<b>再</b>励，{MARK}"), "wording.typo"),
    # The plain build used to publish pages that failed content checks.
    "body-script": Case(_body(f"<script>alert('{MARK}')</script>"), "html."),
    "body-iframe": Case(_body(f'<iframe src="https://{MARK}.example/"></iframe>'), "html."),
    "body-event-handler": Case(_body(f'<p onclick="alert(1)">{MARK}</p>'), "html.event-handler"),
    "body-javascript-link": Case(_body(f"[点击](javascript:alert('{MARK}'))"), "html.unsafe-url"),
    "body-mobile": Case(_body(f"联系电话{MOBILE}。{MARK}"), "privacy.mobile"),
    "body-zero-width": Case(_body(f"示例\u200b文字{MARK}"), "encoding.zero-width"),
    "body-broken-link": Case(_body(f"[见]({MARK}.md)"), "links.broken"),
    # Check and build must not disagree: duplicates and size.
    "too-large": Case(_body(f"{MARK}\n\n" + ("示例县民政局开展敬老活动。" * 40 + "\n\n") * 1000), "content.too-large"),
    "duplicate-slug-new-year": Case(_file("content/stories/2025/fine.md",
                                          story_text(title=f"重复{MARK}", date="2025-05-01 09:00")),
                                    "content.duplicate-slug"),
    # Parser differentials: what a regular expression over the source reads and what a browser builds
    # from the rendered page disagree. A “<” inside an attribute value is still one tag to a browser;
    # “<!-->” and “--!>” end a comment for a browser, so what follows is live markup.
    "lt-in-attribute-script": Case(_body(f'<script title="<">alert("{MARK}")</script>'), "html.forbidden-tag"),
    "lt-in-attribute-iframe": Case(_body(f'<iframe title="<" src="https://{MARK}.example/"></iframe>'),
                                   "html.forbidden-tag"),
    "lt-in-attribute-form": Case(_body(f'<form title="<" action="https://{MARK}.example/">提交</form>'),
                                 "html.forbidden-tag"),
    "lt-in-attribute-handler": Case(_body(f'<p onclick="alert(1)" title="<">{MARK}</p>'), "html.event-handler"),
    "comment-abrupt-end-img": Case(_body(f"<!--> <img src=x onerror={MARK}> -->"), "html.event-handler"),
    "comment-abrupt-end-meta": Case(_body(
        f'<!--> <meta http-equiv="refresh" content="0;url=https://evil.example/{MARK}"> -->'), "html.forbidden-tag"),
    "comment-bang-end-img": Case(_body(f"<!-- 说明 --!> <img src=x onerror={MARK}> -->"), "html.event-handler"),
    "comment-bang-end-meta": Case(_body(
        f'<!-- 说明 --!> <meta http-equiv="refresh" content="0;url=https://evil.example/{MARK}"> -->'),
        "html.forbidden-tag"),
    # Markdown differentials: Python-Markdown reads attribute lists, reference definitions, link text
    # and code where a source scanner does not.
    "attr-list-brace-in-value": Case(_body(f'一段文字。\n{{: title="}}" onclick="{MARK}()" }}'),
                                     "html.event-handler"),
    "reference-url-next-line": Case(_body(f"见[说明][a]。\n\n[a]:\n    javascript:{MARK}()"), "html.unsafe-url"),
    "reference-in-blockquote": Case(_body(f"> 见[说明][a]。\n>\n> [a]: javascript:{MARK}()"), "html.unsafe-url"),
    "reference-in-list-item": Case(_body(f"- 见[说明][a]。\n\n    [a]: javascript:{MARK}()"), "html.unsafe-url"),
    "reference-empty-id": Case(_body(f"见[说明][]。\n\n[]: javascript:{MARK}()"), "html.unsafe-url"),
    "reference-lone-cr": Case(_body(f"见[说明][a]。\r\r[a]: javascript:{MARK}()"), "html.unsafe-url"),
    "link-text-line-break": Case(_body(f"见[说\n明](javascript:{MARK}())"), "html.unsafe-url"),
    "link-text-nested-brackets": Case(_body(f"见[外[中[内]]](javascript:{MARK}())"), "html.unsafe-url"),
    # After these lines a scanner that guesses code regions skipped the rest of the file, while
    # Python-Markdown (no fenced_code extension) renders it as ordinary text and HTML.
    "escaped-backtick-then-payload": Case(_body(
        f"价格\\`元 <img src=x onerror={MARK}> 我们再接再励，电话139**1234**5678。`"),
        "html.event-handler", also=("wording.typo", "privacy.mobile")),
    "lone-backtick-line-then-payload": Case(_body(
        f"`\n\n<img src=x onerror={MARK}>\n\n我们再接再励。\n\n电话139**1234**5678。"),
        "html.event-handler", also=("wording.typo", "privacy.mobile")),
    "unclosed-fence-then-payload": Case(_body(
        f"```\n\n<img src=x onerror={MARK}>\n\n我们再接再励。\n\n电话139**1234**5678。"),
        "html.event-handler", also=("wording.typo", "privacy.mobile")),
    "tilde-separator-then-payload": Case(_body(f"~~~~~~~~\n\n我们再接再励。{MARK}\n\n电话{MOBILE}。"),
                                         "wording.typo", also=("privacy.mobile",)),
    # Personal data the page shows, however the source spells it.
    "summary-yaml-escape": Case(_story(summary='"测试139\\x312345678摘要"', body=f"正文。{MARK}"), "privacy.mobile"),
    "mobile-split-by-link": Case(_body(f"电话139[1234](https://www.gov.cn/)5678。{MARK}"), "privacy.mobile"),
    "mobile-split-by-reference-link": Case(_body(
        f"电话139[1234][gov]5678。{MARK}\n\n[gov]: https://www.gov.cn/"), "privacy.mobile"),
    "mobile-code-span-line-break": Case(_body(f"电话139`\n12345678`。{MARK}"), "privacy.mobile"),
    "mobile-zero-width-entity": Case(_body(f"电话139&#8203;1234&#8203;5678。{MARK}"), "privacy.mobile"),
    "mobile-soft-hyphen-entity": Case(_body(f"电话139&shy;1234&shy;5678。{MARK}"), "privacy.mobile"),
    "mobile-non-breaking-hyphens": Case(_body(f"电话139\u20111234\u20115678。{MARK}"), "privacy.mobile"),
    "mobile-abrupt-comments": Case(_body(f"<p>电话139<!-->1234<!-->5678。{MARK}</p>"), "privacy.mobile"),
    "mobile-in-image-file-name": Case(_both(
        _jpeg("content/stories/2026/images/x13912345678.jpg"),
        _body(f"![活动现场{MARK}](images/x13912345678.jpg)")), "privacy."),
    "id-number-wrong-check-digit": Case(_body(f"身份证号{wrong_check(ID_NUMBER)}。{MARK}"), "privacy.id-number"),
    # A page cannot exempt itself from the gate: no comment lets a script, an ID or a card through.
    "exempt-html-script": Case(_body(f"<!-- mzpress: allow html 需要嵌入视频 -->\n<script>{MARK}</script>"),
                               "html.forbidden-tag"),
    "exempt-privacy-id-number": Case(_body(
        f"<!-- mzpress: allow privacy 公示名单需要 -->\n身份证号{ID_NUMBER}。{MARK}"), "privacy.id-number"),
    "exempt-privacy-id-number-rule": Case(_body(
        f"<!-- mzpress: allow privacy.id-number 公示名单需要 -->\n身份证号{ID_NUMBER}。{MARK}"), "privacy.id-number"),
    "exempt-privacy-bank-card": Case(_body(
        f"<!-- mzpress: allow privacy 补贴发放需要 -->\n卡号{CARD}。{MARK}"), "privacy.bank-card"),
    # Denial of service: the check refuses what the build could not render in time (or at all).
    "nested-emphasis-5000": Case(_body("*" * 5000 + MARK + "*" * 5000), "render.", within=30),
    "nested-list-300": Case(_body("\n".join("    " * n + f"- 第{n}层" for n in range(300)) + MARK), "render.",
                            within=30),
    "nested-brackets-10000": Case(_body("[" * 10000 + MARK + "]" * 10000 + "(https://www.gov.cn/)"), "render.",
                                  within=30),
}


def _rules(findings: list[dict]) -> set[str]:
    return {f["rule"] for f in findings if f["severity"] == "error"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_refused_everywhere_and_nothing_published(project, tmp_path, capsys, name):
    case = CASES[name]
    case.make(project)
    before = tree_digest(project)
    started = time.perf_counter()
    code, findings = run_check(project, capsys)
    seconds = time.perf_counter() - started
    assert code == case.code, findings
    assert case.within is None or seconds < case.within, f"the check took {seconds:.1f} s"
    for rule in (case.rule, *case.also):
        assert rule in _rules(findings) or any(r.startswith(rule) for r in _rules(findings)), (rule, findings)
    for strict in (False, True):
        out = tmp_path / f"out-{strict}"
        assert run_build(project, out, strict) is False, f"build (strict={strict}) published despite {case.rule}"
        assert payload_in_output(out, MARK) == []
    assert tree_digest(project) == before


def test_there_are_at_least_sixty_cases():
    assert len(CASES) >= 60


# --- what must be published, and how ------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


QUOTE_PAYLOAD = f'{MARK}" http-equiv="refresh" content="0;url=https://evil.example/" x="'
APOS_PAYLOAD = f"{MARK}' onmouseover='alert(1)' x='"


def test_quotes_in_plain_text_never_break_an_attribute(project, tmp_path, capsys):
    write(project / STORY, _with_people(story_text(
        title=json.dumps(APOS_PAYLOAD + " > & 标题", ensure_ascii=False), date="2026-03-02 09:00",
        summary=json.dumps(QUOTE_PAYLOAD, ensure_ascii=False),
        topics=("xiaoxian",), extra=f"tags: [{json.dumps(APOS_PAYLOAD, ensure_ascii=False)}]\n"),
        author=json.dumps(QUOTE_PAYLOAD, ensure_ascii=False)))
    code, findings = run_check(project, capsys)
    assert code == 0, findings  # quotes, > and a bare & are text: allowed
    before = tree_digest(project)
    for strict in (False, True):
        out = tmp_path / f"out-{strict}"
        assert run_build(project, out, strict)
        pages = [p for p in output_files(out) if p.suffix == ".html"]
        story = out / "stories/2026/gate/index.html"
        assert story in pages
        for page in pages:
            parser = _Tags()
            parser.feed(page.read_text(encoding="utf-8"))
            for tag, attrs in parser.tags:
                names = [n for n, _ in attrs]
                assert "onmouseover" not in names and "x" not in names, (page, tag, attrs)
                assert not (tag == "meta" and ("http-equiv", "refresh") in attrs), (page, attrs)
        parser = _Tags()
        parser.feed(story.read_text(encoding="utf-8"))
        described = [dict(a).get("content") for t, a in parser.tags if t == "meta" and ("name", "description") in a]
        assert described == [QUOTE_PAYLOAD]  # the summary, intact, as text
        authors = [dict(a).get("content") for t, a in parser.tags if t == "meta" and ("name", "author") in a]
        assert authors in ([], [QUOTE_PAYLOAD])
    assert tree_digest(project) == before


def test_quotes_in_a_responses_issuer_never_break_an_attribute(project, tmp_path, capsys):
    _response(extra=f"issuer: {json.dumps(APOS_PAYLOAD + ' > & 机关', ensure_ascii=False)}\n",
              title=json.dumps(QUOTE_PAYLOAD, ensure_ascii=False))(project)
    code, findings = run_check(project, capsys)
    assert code == 0, findings  # quotes, > and a bare & are text: allowed
    out = tmp_path / "out"
    assert run_build(project, out, True)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "mz-pinned" in home and "发布机关：" + APOS_PAYLOAD + " > & 机关" in html_lib.unescape(home)
    assert APOS_PAYLOAD not in home  # as text: its quotes escaped
    for page in ("index.html", "responses/index.html", "responses/2026/gate/index.html"):
        parser = _Tags()
        parser.feed((out / page).read_text(encoding="utf-8"))
        for tag, attrs in parser.tags:
            names = [n for n, _ in attrs]
            assert "onmouseover" not in names and "x" not in names, (page, tag, attrs)
            assert not (tag == "meta" and ("http-equiv", "refresh") in attrs), (page, attrs)


def test_a_take_down_takes_its_photos_offline_and_says_so(project, tmp_path, capsys):
    from PIL import Image
    images = project / "content/stories/2026/images"
    images.mkdir(parents=True)
    Image.new("RGB", (40, 30), "white").save(images / "gate-1.jpg")
    Image.new("RGB", (40, 30), "white").save(images / "shared.jpg")
    write(project / STORY, story_text(title="将撤下的稿件", date="2026-03-02 09:00") +
          "\n![活动现场](images/gate-1.jpg)\n\n![共用图片](images/shared.jpg)\n")
    other = project / "content/stories/2026/fine.md"
    other.write_text(other.read_text(encoding="utf-8") + "\n![共用图片](images/shared.jpg)\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(project), "withdraw", str(project / STORY), "--reason", "活动取消", "--unpublish"]) == 0
    said = capsys.readouterr().out
    assert "content/stories/2026/images/gate-1.jpg" in said and "shared.jpg" not in said
    code, findings = run_check(project, capsys)
    assert code == 0, findings
    out = tmp_path / "out"
    assert run_build(project, out, strict=True)
    assert not (out / "stories/2026/images/gate-1.jpg").exists()  # only the taken-down page used it
    assert (out / "stories/2026/images/shared.jpg").is_file()  # a published page still shows it
    assert "本页已撤下" in (out / "stories/2026/gate/index.html").read_text(encoding="utf-8")


def test_a_redirect_to_an_existing_page_passes_in_every_mode(project, tmp_path, capsys):
    import git
    repo = git.Repo.init(project)
    # Committed before the ledger's start (site.yml): migrated content, no backdating judgement.
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.cn", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.cn", "GIT_AUTHOR_DATE": "2026-11-30T12:00:00+08:00",
           "GIT_COMMITTER_DATE": "2026-11-30T12:00:00+08:00"}
    repo.git.add(A=True)
    repo.git.commit("-q", "-m", "base", env=env)
    write(project / STORY, story_text(title="将撤下的稿件", date="2026-03-02 09:00"))
    repo.git.add(A=True)
    repo.git.commit("-q", "-m", "story", env=env)
    assert main(["--root", str(project), "withdraw", str(project / STORY), "--reason", "重复发布", "--unpublish",
                 "--redirect", "stories/2026/fine.md"]) == 0
    for args in ((), (STORY,), ("--changed-since", "HEAD")):
        code, findings = run_check(project, capsys, *args)
        assert code == 0 and "withdrawn.redirect-missing" not in _rules(findings), (args, findings)
    out = tmp_path / "out"
    assert run_build(project, out, strict=False)
    assert 'http-equiv="refresh"' in (out / "stories/2026/gate/index.html").read_text(encoding="utf-8")


def test_the_preview_shows_a_pages_errors_instead_of_the_page(project, tmp_path):
    write(project / STORY, story_text(title="有问题的稿件", date="2026-03-02 09:00") + f"\n联系电话{MOBILE}。{MARK}\n")
    config = mkdocs_load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "out"), strict=False)
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    page = (tmp_path / "out/stories/2026/gate/index.html").read_text(encoding="utf-8")
    assert "本页有错误，暂不发布" in page and "privacy.mobile" in page
    assert MARK not in page and MOBILE not in page
    assert (tmp_path / "out/stories/2026/fine/index.html").is_file()


# --- one verdict, every mode: random small trees ------------------------------------------------

GOOD = {
    "story": lambda n: (f"content/stories/2026/good-{n}.md", story_text(title=f"好稿件{n}", date="2026-03-04 09:00")),
    "page": lambda n: (f"content/about/good-{n}.md", f"---\ntitle: 页面{n}\nunit: office\nauthor: 测试作者\neditor: 测试编辑\n---\n\n正文。\n"),
    "csv": lambda n: (f"content/notices/2025/files/good-{n}.csv", "序号,姓名\n1,张某\n"),
    "link": lambda n: (f"content/stories/2026/link-{n}.md",
                       story_text(title=f"链接{n}", date="2026-03-04 10:00", body="见[另一篇](fine.md)。")),
}
BAD = {
    "mkd": lambda n: (f"content/stories/2026/bad-{n}.mkd", STORY_MD),
    "js": lambda n: (f"content/assets/bad-{n}.js", "alert(1)"),
    "bak": lambda n: (f"content/stories/2026/bad-{n}.md.bak", STORY_MD),
    "mobile": lambda n: (f"content/stories/2026/bad-{n}.md",
                         story_text(title=f"坏稿件{n}", date="2026-03-04 09:00", body="电话139**1234**5678。")),
    "script": lambda n: (f"content/stories/2026/bad-{n}.md",
                         story_text(title=f"坏稿件{n}", date="2026-03-04 09:00", body="<script>x()</script>")),
    "title": lambda n: (f"content/stories/2026/bad-{n}.md", story_text(title=f'"<b>{n}</b>"', date="2026-03-04")),
    "draft-link": lambda n: (f"content/stories/2026/bad-{n}.md",
                             story_text(title=f"坏稿件{n}", date="2026-03-04", body="见[草稿](draft.md)。")),
    "csv-id": lambda n: (f"content/notices/2025/files/bad-{n}.csv", f"序号,身份证号\n1,{ID_NUMBER}\n"),
    "dup": lambda n: ("content/stories/2025/fine.md", story_text(title="重复", date="2025-05-01 09:00")),
}


@pytest.mark.parametrize("seed", range(10))
def test_check_file_check_all_and_both_builds_agree_on_random_trees(project, tmp_path, capsys, seed):
    import random

    import git
    rng = random.Random(seed)
    write(project / "content/stories/2026/draft.md", story_text(title="草稿", date="2026-03-01", extra="draft: true\n"))
    repo = git.Repo.init(project)  # the base is committed; the random files are the change under review
    repo.git.add(A=True)
    repo.git.commit("-q", "-m", "base", env={
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.cn", "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.cn", "GIT_AUTHOR_DATE": "2026-11-30T12:00:00+08:00",
        "GIT_COMMITTER_DATE": "2026-11-30T12:00:00+08:00"})
    library = {**GOOD, **BAD}
    names = rng.sample(sorted(library), rng.randint(1, 4))
    if seed == 0:
        names = sorted(GOOD)  # one tree that must publish
    written = []
    for number, name in enumerate(names):
        relpath, text = library[name](number)
        write(project / relpath, text)
        written.append(relpath)
    code, findings = run_check(project, capsys)
    assert code in (0, 1), findings
    built = [run_build(project, tmp_path / f"out-{strict}", strict) for strict in (False, True)]
    assert built == [code == 0, code == 0], (names, findings)
    if seed == 0:
        assert code == 0, findings
    errors_by_file = {f["file"] for f in findings if f["severity"] == "error"}
    changed_code, changed = run_check(project, capsys, "--changed-since", "HEAD")
    changed_errors = {f["file"] for f in changed if f["severity"] == "error"}
    assert changed_errors == errors_by_file & set(written), (names, changed)
    assert changed_code == (1 if changed_errors else 0)
    for relpath in written:
        single, partial = run_check(project, capsys, str(project / relpath))
        has_error = any(f["file"] == relpath and f["severity"] == "error" for f in partial)
        assert has_error == (relpath in errors_by_file), (names, relpath, partial)
        assert single == (1 if has_error else 0), (names, relpath, partial)


# --- defence in depth: with the markup check switched off, the output still escapes ---------------

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def test_every_plain_text_field_is_escaped_even_past_the_check(project, tmp_path, monkeypatch):
    import mzpress.model.config_values as config_values
    import mzpress.model.schema as schema
    monkeypatch.setattr(schema, "markup_problem", lambda *args: None)
    monkeypatch.setattr(config_values, "markup_problem", lambda *args: None)
    hostile = json.dumps(HOSTILE + MARK)
    write(project / STORY, _with_people(story_text(
        title=hostile, date="2026-03-02 09:00", summary=hostile, topics=("xiaoxian",),
        extra=f"tags: [{hostile}]\nchanges:\n  - date: 2026-03-05\n    note: {hostile}\n"),
        author=hostile, editor=hostile))
    write(project / "content/stories/2026/gone.md", story_text(
        title="撤回稿", date="2026-03-03 09:00", extra=f"withdrawn:\n  date: 2026-04-01\n  reason: {hostile}\n"))
    for name, old, new in (("units.yml", "name: 办公室", f"name: {hostile}"),
                           ("topics.yml", "name: 孝贤文化", f"name: {hostile}"),
                           ("site.yml", "sponsor: 示例县民政局", f"sponsor: {hostile}")):
        _config(name, old, new)(project)
    out = tmp_path / "out"
    assert run_build(project, out, strict=False)
    assert payload_in_output(out, MARK), "the payload should be on the pages, as text"
    for path in output_files(out):
        if path.suffix not in (".html", ".xml", ".json"):
            continue
        text = path.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text and "<img src=x" not in text, path
        if path.suffix == ".html":
            parser = _Tags()
            parser.feed(text)
            assert all("onerror" not in dict(attrs) for _, attrs in parser.tags), path
