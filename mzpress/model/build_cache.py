"""The build cache in ``.mzpress-cache/``: expensive results kept across builds.

What goes in (Chinese word segmentation for the search index, Markdown rendered to
HTML, ...) is decided by the adapters; this module only stores values under keys
and knows what a key must include so that a stale value can never be returned:

* every key is a hash of *all* inputs of the computation (the text itself, the
  configuration that shapes the result) plus a *salt* naming the code that computes
  it: :func:`code_fingerprint` (every file of the installed mzpress package, so an
  edited or upgraded mzpress invalidates everything) and the versions of the
  libraries involved (:func:`package_versions`);
* a value is looked up by exact key only, so a changed input simply misses.

Values are pickled and compressed. The store is one SQLite file (safe when a build and the writer's preview run at
the same time). Values written during a run are kept in memory and written in one
transaction by :meth:`BuildCache.flush` (earlier when they pass :data:`PENDING_BYTES`, and a forked worker writes
its own before it hands its results over: an 8,000-story build otherwise held every page's output twice, in
the worker and again in its parent); a full build also drops the entries it no
longer used (``prune``), so the cache does not grow without bound. A damaged cache
file is replaced, never trusted: the cache can only make a build faster, never
change or break it. ``MZPRESS_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import sqlite3
import zlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_DIR = ".mzpress-cache"
CACHE_FILE = "build.sqlite"
NO_CACHE_ENV = "MZPRESS_NO_CACHE"
_SCHEMA = "CREATE TABLE IF NOT EXISTS entries (ns TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, " \
          "PRIMARY KEY (ns, key))"


def code_fingerprint(package: Path | None = None) -> str:
    """A hash of every source and data file of the mzpress package that is running (or of ``package``)."""
    return _package_fingerprint(Path(package or Path(__file__).parents[1]).resolve())


@lru_cache(maxsize=4)
def _package_fingerprint(package: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def package_versions(*names: str) -> str:
    """``name=version`` of each installed distribution (``name=-`` when missing), for salts."""
    parts = []
    for name in names:
        try:
            parts.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{name}=-")
    return ";".join(parts)


def files_fingerprint(paths: Iterable[Path], relative_to: Path | None = None) -> str:
    """A hash of the names and contents of files (missing files count as missing); names relative to
    ``relative_to`` when given (the same project elsewhere gets the same hash)."""
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        name = path.relative_to(relative_to).as_posix() if relative_to is not None else str(path)
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"-")
    return digest.hexdigest()


def cache_enabled() -> bool:
    """False when the environment turns the cache off (``MZPRESS_NO_CACHE=1``)."""
    return os.environ.get(NO_CACHE_ENV, "").strip().lower() not in ("1", "true", "yes", "on")


PENDING_BYTES = 8 << 20  # compressed values kept in memory before they are written


class BuildCache:
    """Pickled values under (namespace, key) in ``<root>/.mzpress-cache/build.sqlite``."""

    def __init__(self, root: Path, enabled: bool):
        self.path = Path(root) / CACHE_DIR / CACHE_FILE
        self.enabled = enabled
        self._connection: sqlite3.Connection | None = None
        self._pid = -1
        self._pending: dict[tuple[str, str], bytes] = {}
        self._pending_bytes = 0
        self._used: dict[str, set[str]] = {}
        self.hits = 0
        self.misses = 0

    # -- storage -------------------------------------------------------------------------------

    def _db(self, create: bool = False) -> sqlite3.Connection | None:
        """The connection; the file is only created when there is something to write."""
        if not self.enabled:
            return None
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        # A forked worker must not share its parent's connection: open its own.
        self._connection, self._pid = None, os.getpid()
        if not create and not self.path.is_file():
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = self._open()
        except (OSError, sqlite3.Error):
            self._reset_file()
        return self._connection

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=30)
        connection.execute(_SCHEMA)
        connection.execute("SELECT count(*) FROM entries WHERE ns = '' AND key = ''").fetchone()
        return connection

    def _reset_file(self) -> None:
        """The cache file is unreadable (damaged, or not a database): start a new one, or go without."""
        try:
            self.path.unlink(missing_ok=True)
            self._connection = self._open()
        except (OSError, sqlite3.Error):
            self._connection, self.enabled = None, False

    def get(self, ns: str, key: str) -> Any | None:
        """The value stored under ``key`` (None when absent, unreadable or the cache is off)."""
        if not self.enabled:
            return None
        self._used.setdefault(ns, set()).add(key)
        blob = self._pending.get((ns, key))
        if blob is None:
            db = self._db()
            row = None
            if db is not None:
                try:
                    row = db.execute("SELECT value FROM entries WHERE ns = ? AND key = ?", (ns, key)).fetchone()
                except sqlite3.DatabaseError:
                    self._reset_file()
            blob = row[0] if row else None
        if blob is None:
            self.misses += 1
            return None
        try:
            value = pickle.loads(zlib.decompress(blob))
        except Exception:  # written by another version or damaged: a miss
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, ns: str, key: str, value: Any) -> None:
        if not self.enabled:
            return
        self._used.setdefault(ns, set()).add(key)
        blob = zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)
        self._pending[(ns, key)] = blob
        self._pending_bytes += len(blob)
        if self._pending_bytes > PENDING_BYTES:
            self.flush()

    def touch(self, ns: str, keys: Iterable[str]) -> None:
        """Count entries as used without reading them (so that pruning keeps them)."""
        if self.enabled:
            self._used.setdefault(ns, set()).update(keys)

    # -- handing over between processes ----------------------------------------------------------

    def start_worker(self) -> None:
        """In a forked worker: the values its parent computed before the fork are the parent's to write."""
        self._pending, self._pending_bytes = {}, 0

    def hand_over(self) -> dict[str, Any]:
        """In a forked worker: write what it computed, then :meth:`take_pending` (what it used and counted)."""
        self.flush()
        return self.take_pending()

    def take_pending(self) -> dict[str, Any]:
        """What this process wrote, used and counted (a forked worker sends it to its parent)."""
        state = {"pending": self._pending, "used": self._used, "hits": self.hits, "misses": self.misses}
        self._pending, self._used, self.hits, self.misses = {}, {}, 0, 0
        self._pending_bytes = 0
        return state

    def merge(self, state: dict[str, Any]) -> None:
        self._pending.update(state["pending"])
        self._pending_bytes += sum(len(blob) for blob in state["pending"].values())
        for ns, keys in state["used"].items():
            self._used.setdefault(ns, set()).update(keys)
        self.hits += state["hits"]
        self.misses += state["misses"]

    # -- writing -------------------------------------------------------------------------------

    def flush(self, prune: Iterable[str] = ()) -> None:
        """Write new values; in each namespace of ``prune`` delete the entries this run did not use."""
        if not self.enabled or (not self._pending and not prune):
            return
        db = self._db(create=True)
        if db is None:
            return
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO entries (ns, key, value) VALUES (?, ?, ?)",
                               [(ns, key, blob) for (ns, key), blob in self._pending.items()])
                for ns in prune:
                    db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
                    db.execute("DELETE FROM used")
                    db.executemany("INSERT OR IGNORE INTO used (key) VALUES (?)",
                                   [(key,) for key in self._used.get(ns, ())])
                    db.execute("DELETE FROM entries WHERE ns = ? AND key NOT IN (SELECT key FROM used)", (ns,))
        except sqlite3.DatabaseError:
            self._reset_file()
        self._pending.clear()
        self._pending_bytes = 0

    def close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None
