"""``scripts/bench --search``: the site's search (its own n-gram index) against Material's, on the same archive.

For each size: one corpus (tools/synthetic_corpus.py), built twice — as the site is (the build writes
``search-index/``, mzpress/publishing/full_text_index.py) and with Material's search plugin added (the engine
mzpress used before, with its index bounded by ``search.full_text_latest``). Both are served by nginx with
deploy/nginx.conf and queried in headless Chromium.

- **Query set:** 300 (``--search-words``) distinct words of 2–4 Chinese characters, segmented by jieba from
  randomly chosen stories (fixed seed). The ground truth of a word: the published stories whose title or text
  contains it, read from their Markdown sources (``story_texts``), not from anything the build or the index made.
- **recall / precision:** summed over all words (found ∩ truth / truth; found ∩ truth / found), stories only.
  The site's results for every word come from the index's reference search (``full_text_index.search``, the
  files the build wrote); for the timed words the search page in the browser must report the same number of
  results, or the run fails. Material's come from its own search worker.
- **first_query_kb:** every byte a reader's browser receives (gzip as nginx sends it, headers included) for a
  first search: the search page's script and the index pieces of the query (index.json, postings shards, the
  documents of the ten results shown); the largest of the first 10 words, each searched with an empty cache. For
  Material: its index, worker and lunr files (which it loads with every page).
- **first_result_ms:** the 95th percentile, over 20 words, of the time from the last keystroke to results
  shown, once the search page is loaded (the site: the search page itself, its 120 ms pause after typing
  included; Material: a query to its search worker, without its interface).
- **index_build_s:** the site: the indexing step alone, run again (from nothing) on the built site. Material: its
  build minus the site's own build (the same build with Material's search added), so it is
  noisier (null when that difference is below the noise of two whole builds).
"""

from __future__ import annotations

import html
import json
import random
import re
import shutil
from pathlib import Path

import yaml

from mzpress.adapters.mkdocs.site_search import write_search_index
from mzpress.model.frontmatter import split
from mzpress.publishing.full_text_index import FOLDER, search
from tools.bench_runs import BUILD_DATE, bench_env, make_project, measure, mkdocs_command
from tools.chromium import CHROMIUM, CHROMIUM_ARGS
from tools.nginx_server import Nginx
from tools.search_index_files import indexed_pages

STORY_URL = re.compile(r"^/stories/\d{4}/[^/]+/$")
WORD = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
SEED = 20261203
TIMED_WORDS = 20
FIRST_QUERIES = 10
BROWSER_CONTEXT = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}  # a desktop reader in China

# The search page as a reader types: from the input event to the status line naming the word; returns the
# milliseconds and the number of results the page reports.
SEARCH_TIMED = """async (word) => {
    const input = document.querySelector('#mz-search-input');
    const status = document.querySelector('[data-mz-search-status]');
    const answered = new Promise(resolve => new MutationObserver((_, observer) => {
        if (/找到|没有找到/.test(status.textContent) && status.textContent.includes(word)) {
            observer.disconnect(); resolve(performance.now());
        }
    }).observe(status, {childList: true, characterData: true, subtree: true}));
    input.value = word;
    const typed = performance.now();
    input.dispatchEvent(new InputEvent('input', {bubbles: true, data: word, inputType: 'insertText'}));
    return (await answered) - typed;
}"""
REPORTED = """() => {
    const found = /找到约?(\\d+)条/.exec(document.querySelector('[data-mz-search-status]').textContent);
    return found ? Number(found[1]) : 0;
}"""

# Material's search worker, driven by its own message protocol (0 setup, 1 ready, 2 query, 3 result).
MATERIAL_QUERIES = """async (words) => {
    const config = JSON.parse(document.getElementById('__config').textContent);
    const base = new URL(config.base + '/', location.href);
    const index = await (await fetch(new URL('search/search_index.json', base))).json();
    const worker = new Worker(new URL(config.search, base));
    const ask = (message) => new Promise(resolve => {
        worker.onmessage = (event) => resolve(event.data);
        worker.postMessage(message);
    });
    await ask({type: 0, data: {...index, options: {suggest: false}}});  // as Material's interface sets it up
    const locations = (value, out) => {
        if (Array.isArray(value)) value.forEach(v => locations(v, out));
        else if (value && typeof value === 'object') {
            if (typeof value.location === 'string') out.add(value.location.split('#')[0]);
            Object.values(value).forEach(v => { if (typeof v === 'object') locations(v, out); });
        }
        return out;
    };
    const found = {}, times = [];
    for (const word of words) {
        const started = performance.now();
        const answer = await ask({type: 2, data: word});
        times.push(performance.now() - started);
        found[word] = [...locations(answer.data.items || [], new Set())];
    }
    return {found, times};
}"""


def story_texts(content: Path, build_date: str) -> dict[str, str]:
    """Each published story's title and text (``/stories/2024/x/`` → text), from its Markdown source under
    ``content`` alone: not a draft, not withdrawn, dated on or before ``build_date`` (YYYY-MM-DD). The body is
    rendered by Python-Markdown and its tags dropped (block ends as line breaks); image descriptions are not text."""
    import markdown

    texts = {}
    for path in sorted((content / "stories").glob("*/*.md")):
        document = split(path.read_text(encoding="utf-8"), path.name)
        meta, body = document.meta, document.body
        if meta.get("draft") or meta.get("withdrawn") or str(meta.get("date", ""))[:10] > build_date:
            continue
        rendered = markdown.markdown(body, extensions=["attr_list", "md_in_html", "tables", "admonition"])
        text = html.unescape(re.sub(r"<[^>]*>", "\n", rendered))
        texts[f"/stories/{path.parent.name}/{path.stem}/"] = f"{meta.get('title', '')}\n{text}"
    return texts


def query_words(texts: dict[str, str], count: int, seed: int = SEED) -> list[str]:
    """``count`` distinct jieba words of 2–4 Chinese characters from randomly chosen stories' ``texts``."""
    import warnings

    with warnings.catch_warnings():  # jieba imports pkg_resources, which warns in English on every run
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated as an API", category=UserWarning)
        import jieba

    jieba.setLogLevel(60)
    rng = random.Random(seed)
    urls = sorted(texts)
    words: list[str] = []
    seen: set[str] = set()
    for _ in range(count * 50):
        if len(words) >= count:
            break
        candidates = [w for w in jieba.lcut(texts[rng.choice(urls)]) if WORD.match(w) and w not in seen]
        if candidates:
            word = rng.choice(candidates)
            seen.add(word)
            words.append(word)
    return words


def ground_truth(texts: dict[str, str], words: list[str]) -> dict[str, set[str]]:
    return {word: {url for url, text in texts.items() if word in text} for word in words}


def recall_precision(found: dict[str, set[str]], truth: dict[str, set[str]]) -> tuple[float, float]:
    hits = sum(len(found[w] & truth[w]) for w in truth)
    relevant = sum(len(truth[w]) for w in truth)
    returned = sum(len(found[w]) for w in truth)
    return (hits / relevant if relevant else 1.0), (hits / returned if returned else 1.0)


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95 + 0.5) - 1)]


def _record_sizes(page) -> dict[str, int]:
    sizes: dict[str, int] = {}

    def record(request):
        size = request.sizes()
        sizes[request.url] = size["responseBodySize"] + size["responseHeadersSize"]

    page.on("requestfinished", record)
    return sizes


def _settle(page, sizes: dict[str, int]) -> None:
    """Wait until every resource the page has fetched is recorded (Playwright reports a finished request a little
    after the page has used it; a second "networkidle" wait returns at once)."""
    for _ in range(100):
        fetched = page.evaluate("performance.getEntriesByType('resource').map(entry => entry.name)")
        if all(url in sizes for url in fetched):
            return
        page.wait_for_timeout(50)
    raise RuntimeError("the page's requests did not finish")


def _material_config(project: Path) -> Path:
    """mkdocs.yml plus Material's search plugin (before mzpress, as the site had it)."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [{"search": {"lang": "zh"}}, *config["plugins"]]
    path = project / "mkdocs-material-search.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _browse(site: Path, run):
    from playwright.sync_api import sync_playwright

    for folder in (site.parent.parent, site.parent, site, *site.rglob("*")):  # nginx's workers may run as "nobody"
        if folder.is_dir():
            folder.chmod(0o755)
    with Nginx(site) as nginx, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(**BROWSER_CONTEXT).new_page()
            return run(page, nginx.url)
        finally:
            browser.close()


def _first_query_kb(browser, base: str, word: str) -> float:
    """What a reader's browser receives for a first search for ``word`` (fresh profile: nothing cached): the search
    page's script and every index file the query fetches."""
    context = browser.new_context(**BROWSER_CONTEXT)
    try:
        page = context.new_page()
        sizes = _record_sizes(page)
        page.goto(base + "search/")
        page.wait_for_load_state("networkidle")
        before = set(sizes)
        page.evaluate(SEARCH_TIMED, word)
        _settle(page, sizes)
        return sum(size for url, size in sizes.items() if url not in before or "mzpress-search" in url) / 1024
    finally:
        context.close()


def _site_in_browser(site: Path, words: list[str], expected: dict[str, int]) -> tuple[float, float]:
    def run(page, base):
        # The largest of FIRST_QUERIES first searches, each with an empty cache.
        first_kb = max(_first_query_kb(page.context.browser, base, word) for word in words[:FIRST_QUERIES])
        page.goto(base + "search/")
        page.wait_for_load_state("networkidle")
        page.evaluate(SEARCH_TIMED, words[0])
        timed = []
        for word in words[1:TIMED_WORDS + 1]:
            timed.append(page.evaluate(SEARCH_TIMED, word))
            page.wait_for_load_state("networkidle")
            reported = page.evaluate(REPORTED)
            if reported != expected[word]:
                raise RuntimeError(f"the search page found {reported} results for {word}, the index {expected[word]}")
        return first_kb, _p95(timed)

    return _browse(site, run)


def _material_in_browser(site: Path, words: list[str]) -> tuple[dict, float, float]:
    def run(page, base):
        sizes = _record_sizes(page)
        page.goto(base)
        page.wait_for_load_state("networkidle")
        first_kb = sum(size for url, size in sizes.items()
                       if re.search(r"/search/search_index\.json$|/workers/search\.|/lunr/", url)) / 1024
        answer = page.evaluate(MATERIAL_QUERIES, words)
        found = {w: {"/" + location for location in locations if STORY_URL.match("/" + location)}
                 for w, locations in answer["found"].items()}
        return found, first_kb, _p95(answer["times"][:TIMED_WORDS])

    return _browse(site, run)


def bench_search(stories: int, work: Path, word_count: int, log) -> list[dict]:
    """The two JSON lines (the site's search, Material's) for one archive size."""
    project = work / f"search-{stories}"
    log(f"[{stories}] generating the archive …")
    make_project(project, stories)
    env = bench_env(MZPRESS_NO_CACHE="1")
    site = project / "site-mzpress"
    log(f"[{stories}] building the site …")
    built = measure(mkdocs_command("build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)), project, env)
    if built.returncode != 0:
        raise RuntimeError(f"the build failed: {built.output[-2000:]}")
    shutil.rmtree(site / FOLDER)
    _, index_s = write_search_index(site)  # the indexing step alone, on the same built site
    texts = story_texts(project / "content", BUILD_DATE)
    words = query_words(texts, word_count)
    truth = ground_truth(texts, words)
    indexed_stories = sum(1 for url in indexed_pages(site) if STORY_URL.match(url))
    files = {p.relative_to(site / FOLDER).as_posix(): p.read_bytes() for p in (site / FOLDER).rglob("*.json")}
    answers = {word: ["/" + url for url in search(files, word)] for word in words}
    found = {word: {url for url in urls if STORY_URL.match(url)} for word, urls in answers.items()}
    log(f"[{stories}] {indexed_stories} of {len(texts)} stories indexed, {len(words)} words; querying the search page …")
    first_kb, first_ms = _site_in_browser(site, words, {word: len(urls) for word, urls in answers.items()})
    recall, precision = recall_precision(found, truth)
    results = [{"stories": stories, "engine": "mzpress", "first_query_kb": round(first_kb, 1),
                "recall": round(recall, 4), "precision": round(precision, 4),
                "first_result_ms": round(first_ms), "index_build_s": round(index_s, 2)}]
    material_site = project / "site-material"
    log(f"[{stories}] building with Material's search …")
    material = measure(mkdocs_command("build", "-q", "-f", str(_material_config(project)), "-d", str(material_site)),
                       project, env)
    if material.returncode != 0:
        raise RuntimeError(f"the Material build failed: {material.output[-2000:]}")
    shutil.rmtree(material_site / FOLDER, ignore_errors=True)  # that build writes the site's index too
    log(f"[{stories}] querying Material's search …")
    found, first_kb, first_ms = _material_in_browser(material_site, words)
    recall, precision = recall_precision(found, truth)
    material_index_s = material.wall_s - built.wall_s  # both builds write the site's index too
    results.append({"stories": stories, "engine": "material", "first_query_kb": round(first_kb, 1),
                    "recall": round(recall, 4), "precision": round(precision, 4),
                    "first_result_ms": round(first_ms),
                    # null when the difference of two whole builds is below their noise
                    "index_build_s": round(material_index_s, 2) if material_index_s > 0 else None})
    return results


def table(results: list[dict]) -> str:
    lines = ["| 稿件数 | 搜索 | 首次搜索下载 | 查全率 | 查准率 | 出结果（P95） | 建索引 |", "|---:|---|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['stories']:,} | {r['engine']} | {r['first_query_kb']} KB | {r['recall'] * 100:.1f}% | "
                     f"{r['precision'] * 100:.1f}% | {r['first_result_ms']} ms | {r['index_build_s'] if r['index_build_s'] is not None else '–'} s |")
    return "\n".join(lines)


def main(sizes: list[int], work: Path, word_count: int, log) -> int:
    results = []
    for size in sizes:
        results += bench_search(size, work, word_count, log)
        print(json.dumps(results[-2], ensure_ascii=False), flush=True)
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit("run scripts/bench --search")
