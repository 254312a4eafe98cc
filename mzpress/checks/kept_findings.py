"""What the text checks found in a file, kept in the build cache: the next check judges only what changed.

A text check (:data:`mzpress.checks.registry.TEXT_CHECKS`) is a function of the file (its path, bytes and
decoded text), the project's configuration (every file of ``site_config/`` and ``mkdocs.yml``), mzpress'
code (its data files, such as the built-in wording list, included) and today's date (an ID number's birth
date, a wording rule's start date; both the local and the Beijing date). The findings of a file are kept
under a hash of exactly that, so a stored result is used only when nothing it depends on has changed;
exemptions and the site checks (links, ledger, ...) run every time on top of them.

:func:`keep_in` attaches the store for one run (``mzpress check`` and the build do; ``mzpress scan`` does
not); forked check workers hand what they found to the parent (:func:`take_new`, :func:`add_new`), which
stores it. Deleting the store changes nothing but the time taken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mzpress.model.build_cache import BuildCache, code_fingerprint, files_fingerprint
from mzpress.model.findings import Finding
from mzpress.model.fingerprints import fingerprint
from mzpress.model.schema import TIMEZONE
from mzpress.model.source_text import SourceFile

STORE_NAMESPACE = "text-findings"


@dataclass(slots=True)
class _Store:
    cache: BuildCache
    salt: str


_store: _Store | None = None
_new: dict[str, tuple[list[Finding], bool]] = {}  # key -> (findings, judged in this process rather than loaded)


def keep_in(cache: BuildCache | None, root: Path | None = None) -> None:
    """Keep the text checks' findings of the project at ``root`` in ``cache``; None: judge every file anew."""
    global _store
    take_new()  # what this process used so far is nobody's to hand on (a long-running preview must not pile it up)
    if cache is None or not cache.enabled or root is None:
        _store = None
        return
    root = Path(root)
    configuration = files_fingerprint([root / "mkdocs.yml", *_config_files(root / "site_config")], relative_to=root)
    today = (dt.date.today().isoformat(), dt.datetime.now(TIMEZONE).date().isoformat())
    _store = _Store(cache, fingerprint("text-findings-1", code_fingerprint(), configuration, today))


def _config_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else []


def findings_of(source: SourceFile, decode_findings: bool, judge: Callable[[], list[Finding]]) -> list[Finding]:
    """The text checks' findings of ``source``: kept ones when nothing they depend on changed, else ``judge()``."""
    store = _store  # one store for the whole call (the preview's threads attach and detach theirs)
    if store is None:
        return judge()
    key = fingerprint(store.salt, source.relpath, source.raw, source.text, source.too_large, decode_findings)
    kept = store.cache.get(STORE_NAMESPACE, key)
    if isinstance(kept, list):
        _new[key] = (kept, False)
        return list(kept)
    found = judge()
    store.cache.put(STORE_NAMESPACE, key, found)
    _new[key] = (found, True)
    return found


def take_new() -> dict[str, tuple[list[Finding], bool]]:
    """The findings this process used since the last call, by key, each with whether it judged them
    itself (a worker hands them to its parent)."""
    global _new
    taken, _new = _new, {}
    return taken


def add_new(taken: dict[str, tuple[list[Finding], bool]]) -> None:
    """What a worker used (:func:`take_new`): counted as used (so that pruning keeps it), stored when new."""
    store = _store
    if store is None:
        return
    store.cache.touch(STORE_NAMESPACE, taken)
    for key, (found, judged) in taken.items():
        if judged:
            store.cache.put(STORE_NAMESPACE, key, found)
