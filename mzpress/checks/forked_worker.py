"""Run part of a build in a forked copy of the current process, on another CPU core.

The build forks once everything the pages need is in memory (configuration,
content model, navigation); the child renders its share of the pages and sends
back what the parent must merge (search index entries, anchors, new cache
entries). Nothing the child logs is printed by the child: log records are
captured, sent back and re-emitted by the parent through its own loggers, so
they are shown, counted (``--strict``) and filtered exactly like the parent's.

Only on systems with ``os.fork`` (Linux, macOS); :func:`fork_available` says.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
import traceback
from collections.abc import Callable
from typing import Any


class WorkerFailed(Exception):
    """The worker raised (``details`` is its traceback) or died."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details


def fork_available() -> bool:
    return hasattr(os, "fork") and sys.platform != "win32"


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []
        self._seen: set[int] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if id(record) in self._seen:  # the same record reaching a second capturing logger
            return
        self._seen.add(id(record))
        record.msg = record.getMessage()
        record.args = None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)


def _capture_all_logging() -> _Capture:
    """In the child: every handler (root and e.g. MkDocs' non-propagating one) becomes the capture."""
    capture = _Capture()
    root = logging.getLogger()
    loggers = [root] + [
        logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)]
    for logger in loggers:
        if logger.handlers:
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
            logger.addHandler(capture)
    if capture not in root.handlers:
        root.addHandler(capture)
    return capture


class ForkedWorker:
    """``work()`` runs in a child process; :meth:`result` returns its (picklable) return value."""

    def __init__(self, work: Callable[[], Any]):
        read_fd, write_fd = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child never returns from here
            os.close(read_fd)
            self._run_child(work, write_fd)
        os.close(write_fd)
        self.pid, self._read_fd = pid, read_fd
        self._done = False

    @staticmethod
    def _run_child(work: Callable[[], Any], write_fd: int) -> None:
        code = 0
        try:
            capture = _capture_all_logging()
            try:
                payload = ("ok", work(), capture.records)
            except BaseException:  # everything goes back to the parent, which decides
                payload = ("error", traceback.format_exc(), capture.records)
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_fd, "wb") as out:
                out.write(data)
        except BaseException:
            code = 1
        finally:
            os._exit(code)

    def result(self) -> Any:
        """Wait for the child; re-emit its log records here; return its value or raise WorkerFailed."""
        if self._done:
            raise RuntimeError("result() already called")
        self._done = True
        with os.fdopen(self._read_fd, "rb") as stream:
            data = stream.read()
        _, status = os.waitpid(self.pid, 0)
        if not data:
            raise WorkerFailed(f"并行构建的子进程意外退出（状态 {status}）。")
        kind, value, records = pickle.loads(data)
        for record in records:
            logger = logging.getLogger(record.name)
            if logger.isEnabledFor(record.levelno):
                logger.handle(record)
        if kind == "error":
            raise WorkerFailed("并行构建的子进程出错。", value)
        return value

    def abandon(self) -> None:
        """Stop waiting for the child (the build failed elsewhere): kill and reap it."""
        if self._done:
            return
        self._done = True
        try:
            os.kill(self.pid, 9)
        except ProcessLookupError:
            pass
        os.close(self._read_fd)
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
