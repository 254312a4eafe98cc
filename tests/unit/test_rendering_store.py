"""Renderings kept on disk (page_rendering.keep_in, the build cache): the next check renders only what changed.

A stored result is used only under the key it was stored with: the text, the Markdown settings, mzpress'
code and the versions of every package whose code renders. A refusal that depends on the machine (too slow,
the interpreter's recursion or memory) is never stored, and a configuration that uses a project module is
never stored at all.
"""

from __future__ import annotations

import datetime as dt

import pytest

from mzpress.checks.forked_worker import ForkedWorker, fork_available
from mzpress.checks.runner import check_project
from mzpress.model.build_cache import BuildCache
from mzpress.model.markdown_settings import MarkdownSettings, PythonName
from mzpress.model.schema import TIMEZONE
from mzpress.text import page_rendering
from mzpress.text.page_rendering import Rendering, RenderProblem, render
from tests.support.project import new_project, write

NOW = dt.datetime(2026, 11, 30, tzinfo=TIMEZONE)
TEXT = "城关镇开展**敬老**活动，[详情](a.md)。\n\n## 活动内容\n\n- 理发\n- 打扫卫生\n"


@pytest.fixture(autouse=True)
def _fresh():
    page_rendering.forget()
    page_rendering.keep_in(None)
    yield
    page_rendering.forget()
    page_rendering.keep_in(None)


def _stored_count(root) -> int:
    cache = BuildCache(root, enabled=True)
    db = cache._db()
    count = db.execute("SELECT count(*) FROM entries WHERE ns = ?", (page_rendering.STORE_NAMESPACE,)).fetchone()[0]
    cache.close()
    return count


def _refuse_rendering(monkeypatch) -> None:
    def rendered(text, settings):
        raise AssertionError("rendered although the store holds the result")
    monkeypatch.setattr(page_rendering, "_render", rendered)


def _keep(root) -> BuildCache:
    cache = BuildCache(root, enabled=True)
    page_rendering.keep_in(cache)
    return cache


def test_a_stored_rendering_is_loaded_by_the_next_process_instead_of_rendered(tmp_path, monkeypatch):
    settings = MarkdownSettings()
    cache = _keep(tmp_path)
    first = render(TEXT, settings)
    assert "<h2" in first.html and first.toc_tokens
    cache.flush()
    page_rendering.forget()  # as a new process: nothing in memory
    _keep(tmp_path)
    _refuse_rendering(monkeypatch)
    assert render(TEXT, settings) == first


def test_another_text_settings_or_code_is_rendered_again(tmp_path, monkeypatch):
    settings = MarkdownSettings()
    _keep(tmp_path)
    render(TEXT, settings)
    page_rendering._store.cache.flush()
    calls = []
    real = page_rendering._render
    monkeypatch.setattr(page_rendering, "_render", lambda text, s: calls.append(text) or real(text, s))

    page_rendering.forget()
    _keep(tmp_path)
    render(TEXT + "\n补充一句。\n", settings)
    other = MarkdownSettings(extensions=settings.extensions + ("footnotes",))
    render(TEXT, other)
    page_rendering.forget()
    monkeypatch.setattr(page_rendering, "code_fingerprint", lambda package=None: f"another mzpress {package}")
    _keep(tmp_path)
    render(TEXT, settings)
    assert len(calls) == 3


def test_refusals_that_depend_on_the_machine_are_not_stored(tmp_path, monkeypatch):
    settings = MarkdownSettings()
    for kind in ("time", "failed"):
        slow = Rendering("", (), None, (RenderProblem(kind, None, None, "x"),))
        monkeypatch.setattr(page_rendering, "_render", lambda text, s, slow=slow: slow)
        cache = _keep(tmp_path)
        assert render(f"{kind}：{TEXT}", settings) == slow
        cache.flush()
    assert not (tmp_path / ".mzpress-cache").exists() or _stored_count(tmp_path) == 0


def test_a_refusal_by_the_bounds_is_stored(tmp_path, monkeypatch):
    settings = MarkdownSettings()
    nested = "> " * 40 + "引用\n"
    cache = _keep(tmp_path)
    refused = render(nested, settings)
    assert refused.problems and refused.problems[0].kind == "bound"
    cache.flush()
    page_rendering.forget()
    _keep(tmp_path)
    _refuse_rendering(monkeypatch)
    assert render(nested, settings) == refused


def test_the_code_of_a_project_extension_is_part_of_the_key_and_a_missing_one_is_never_stored(tmp_path, monkeypatch):
    module = tmp_path / "lib" / "project_ext.py"
    module.parent.mkdir()
    module.write_text("from markdown.extensions import Extension\n\n\ndef makeExtension(**kwargs):\n"
                      "    return Extension(**kwargs)\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(module.parent))
    local = MarkdownSettings(extensions=MarkdownSettings().extensions + ("project_ext",))
    missing = MarkdownSettings(options={"toc": {"slugify": PythonName("no_such_module.slugify")}})
    _keep(tmp_path)
    assert page_rendering._salt(page_rendering._store, missing) is None
    before = page_rendering._salt(page_rendering._store, local)
    assert before is not None
    module.write_text(module.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    _keep(tmp_path)  # a new process
    assert page_rendering._salt(page_rendering._store, local) not in (None, before)


@pytest.mark.skipif(not fork_available(), reason="needs fork")
def test_renderings_of_a_forked_worker_reach_the_parents_store(tmp_path, monkeypatch):
    settings = MarkdownSettings()
    cache = _keep(tmp_path)
    worker = ForkedWorker(lambda: (render(TEXT, settings), page_rendering.take_new())[1])
    page_rendering.add_results(worker.result())
    cache.flush()
    assert _stored_count(tmp_path) == 1
    page_rendering.forget()
    _keep(tmp_path)
    _refuse_rendering(monkeypatch)
    assert "敬老" in render(TEXT, settings).html


def test_a_second_check_of_an_unchanged_project_renders_nothing(tmp_path, monkeypatch):
    root = new_project(tmp_path / "p")
    write(root / "content/stories/2025/jinglao.md",
          "---\ntitle: 城关镇开展敬老活动\ndate: 2025-01-01\nunit: office\nauthor: 甲\neditor: 乙\n"
          "summary: 摘要\n---\n\n" + TEXT.replace("[详情](a.md)", "详情"))
    _, first = check_project(root, NOW)
    assert _stored_count(root) > 0
    page_rendering.forget()
    _refuse_rendering(monkeypatch)
    _, second = check_project(root, NOW)
    assert second == first


def test_a_result_counted_as_used_survives_pruning_and_others_do_not(tmp_path):
    settings = MarkdownSettings()
    cache = _keep(tmp_path)
    render(TEXT, settings)
    render("另一篇。\n", settings)
    cache.flush()
    page_rendering.forget()
    cache = _keep(tmp_path)  # a build that took TEXT's page from its own cache and rendered nothing
    page_rendering.keep_stored(TEXT, settings)
    cache.flush(prune=(page_rendering.STORE_NAMESPACE,))
    assert _stored_count(tmp_path) == 1
