"""Forked workers: values come back, failures are reported with the child's traceback, logs are replayed here."""

from __future__ import annotations

import logging
import os

import pytest

from mzpress.checks.forked_worker import ForkedWorker, WorkerFailed, fork_available

pytestmark = pytest.mark.skipif(not fork_available(), reason="needs os.fork")


def test_the_value_comes_back_from_another_process():
    parent = os.getpid()
    worker = ForkedWorker(lambda: {"pid": os.getpid(), "squares": [n * n for n in range(5)]})
    result = worker.result()
    assert result["squares"] == [0, 1, 4, 9, 16]
    assert result["pid"] != parent


def test_an_exception_in_the_child_becomes_worker_failed_with_its_traceback():
    def boom():
        raise ValueError("页面模板出错")

    with pytest.raises(WorkerFailed) as caught:
        ForkedWorker(boom).result()
    assert "ValueError" in caught.value.details and "页面模板出错" in caught.value.details


def test_log_records_of_the_child_are_emitted_by_the_parent_once(caplog):
    logger = logging.getLogger("mzpress.test.worker")

    def work():
        logger.warning("子进程警告 %s", 42)
        logger.debug("不显示")
        return "ok"

    with caplog.at_level(logging.INFO, logger="mzpress.test.worker"):
        worker = ForkedWorker(work)
        assert worker.result() == "ok"
    messages = [r.getMessage() for r in caplog.records if r.name == "mzpress.test.worker"]
    assert messages == ["子进程警告 42"]


def test_abandon_stops_a_child_that_is_no_longer_needed():
    worker = ForkedWorker(lambda: __import__("time").sleep(30))
    worker.abandon()
    with pytest.raises(RuntimeError):
        worker.result()
