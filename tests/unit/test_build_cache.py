"""The cache store: exact keys, flush and prune, hand-over between processes, and never trusting a bad file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import mzpress
from mzpress.model.build_cache import (
    CACHE_DIR,
    BuildCache,
    cache_enabled,
    code_fingerprint,
)
from mzpress.model.fingerprints import fingerprint


def test_values_round_trip_only_after_flush_for_a_new_process(tmp_path):
    cache = BuildCache(tmp_path, enabled=True)
    assert cache.get("ns", "k") is None
    cache.put("ns", "k", {"html": "<p>甲</p>", "n": [1, 2]})
    assert cache.get("ns", "k") == {"html": "<p>甲</p>", "n": [1, 2]}  # pending values are visible
    assert BuildCache(tmp_path, enabled=True).get("ns", "k") is None  # not written yet
    cache.flush()
    assert BuildCache(tmp_path, enabled=True).get("ns", "k") == {"html": "<p>甲</p>", "n": [1, 2]}
    assert BuildCache(tmp_path, enabled=True).get("other", "k") is None


def test_reading_never_creates_the_cache_folder(tmp_path):
    cache = BuildCache(tmp_path, enabled=True)
    assert cache.get("ns", "k") is None
    cache.flush()
    assert not (tmp_path / CACHE_DIR).exists()


def test_prune_drops_what_the_run_did_not_use(tmp_path):
    first = BuildCache(tmp_path, enabled=True)
    first.put("ns", "old", 1)
    first.put("ns", "kept", 2)
    first.put("other", "x", 3)
    first.flush()
    second = BuildCache(tmp_path, enabled=True)
    assert second.get("ns", "kept") == 2
    second.touch("ns", ["also-kept-but-absent"])
    second.flush(prune=["ns"])
    third = BuildCache(tmp_path, enabled=True)
    assert third.get("ns", "old") is None
    assert third.get("ns", "kept") == 2
    assert third.get("other", "x") == 3  # namespaces not pruned are left alone


def test_pending_values_hand_over_to_another_cache(tmp_path):
    worker = BuildCache(tmp_path, enabled=True)
    worker.put("ns", "k", "v")
    assert worker.get("ns", "missing") is None
    parent = BuildCache(tmp_path, enabled=True)
    parent.merge(worker.take_pending())
    assert parent.misses == 1
    parent.flush(prune=["ns"])
    assert BuildCache(tmp_path, enabled=True).get("ns", "k") == "v"


def test_a_damaged_cache_file_is_replaced_not_trusted(tmp_path):
    path = tmp_path / CACHE_DIR / "build.sqlite"
    path.parent.mkdir()
    path.write_bytes(b"this is not a database" * 100)
    cache = BuildCache(tmp_path, enabled=True)
    assert cache.get("ns", "k") is None
    cache.put("ns", "k", 1)
    cache.flush()
    assert BuildCache(tmp_path, enabled=True).get("ns", "k") == 1


def test_the_environment_switch_turns_the_cache_off(monkeypatch):
    monkeypatch.setenv("MZPRESS_NO_CACHE", "1")
    assert not cache_enabled()
    monkeypatch.setenv("MZPRESS_NO_CACHE", "0")
    assert cache_enabled()


def test_a_cache_turned_off_stores_nothing(tmp_path):
    cache = BuildCache(tmp_path, enabled=False)
    cache.put("ns", "k", 1)
    cache.flush()
    assert cache.get("ns", "k") is None and not (tmp_path / CACHE_DIR).exists()


def test_fingerprints_are_stable_and_tell_inputs_apart():
    assert fingerprint("a", 1, {"x": [1, 2]}) == fingerprint("a", 1, {"x": [1, 2]})
    assert fingerprint("ab", "c") != fingerprint("a", "bc")
    assert fingerprint(1) != fingerprint("1") != fingerprint(True)
    assert fingerprint({"a": 1, "b": [1, 2]}) != fingerprint({"a": 1, "b": [1, 3]})
    assert fingerprint(1.0) != fingerprint(1) and fingerprint(b"a") != fingerprint("a")


def test_fingerprints_are_the_same_in_another_process_with_another_hash_seed():
    """Cache keys must be found again by the next build (a new process, a new string hash seed)."""
    import subprocess
    import sys

    code = ("from mzpress.model.fingerprints import fingerprint; import threading; "
            "print(fingerprint('页面', 3, {'title': '标题', 'mz': {'items': [{'url': '../a/'}]}}, (1.5, None, b'x')), "
            "fingerprint(threading.Lock))")
    keys = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(keys) == 1 and len(next(iter(keys)).split()) == 2


def test_a_value_pickle_refuses_is_walked_by_its_public_state():
    class Thing:
        def __init__(self, value):
            self.value, self.callback = value, lambda: None

    assert fingerprint(Thing(1)) == fingerprint(Thing(1)) != fingerprint(Thing(2))


def test_editing_any_file_of_the_package_changes_the_code_fingerprint(tmp_path):
    package = tmp_path / "mzpress"
    shutil.copytree(Path(mzpress.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    before = code_fingerprint(package)
    assert before == code_fingerprint(package)
    data = tmp_path / "copy2"
    shutil.copytree(package, data)
    (data / "publishing" / "listings.py").write_text((data / "publishing" / "listings.py").read_text(encoding="utf-8") + "\n# edit\n",
                                      encoding="utf-8")
    assert code_fingerprint(data) != before


def test_values_past_the_memory_bound_are_written_early_and_still_found(tmp_path, monkeypatch):
    from mzpress.model import build_cache

    monkeypatch.setattr(build_cache, "PENDING_BYTES", 1000)
    cache = BuildCache(tmp_path, enabled=True)
    for index in range(50):
        cache.put("ns", f"k{index}", os.urandom(200))  # incompressible: each blob is about 200 bytes
    assert cache._pending_bytes <= 1000 + 300 and (tmp_path / ".mzpress-cache" / "build.sqlite").is_file()
    assert all(cache.get("ns", f"k{index}") is not None for index in range(50))
    cache.flush(prune=("ns",))
    again = BuildCache(tmp_path, enabled=True)
    assert all(again.get("ns", f"k{index}") is not None for index in range(50))


def test_a_worker_writes_what_it_computed_and_hands_over_only_what_it_used(tmp_path):
    cache = BuildCache(tmp_path, enabled=True)
    cache.put("ns", "parent", "computed before the fork")
    cache.start_worker()  # as in a forked worker: the parent writes its own values
    cache.put("ns", "worker", "computed by the worker")
    state = cache.hand_over()
    assert state["pending"] == {} and state["used"]["ns"] >= {"worker"}
    fresh = BuildCache(tmp_path, enabled=True)
    assert fresh.get("ns", "worker") == "computed by the worker" and fresh.get("ns", "parent") is None
