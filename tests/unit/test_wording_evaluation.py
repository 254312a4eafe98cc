"""The shipped evaluation set of the wording rules (tests/data/wording-eval): precision and recall asserted."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys

import pytest

from mzpress.checks.wording import WordingMatcher
from mzpress.checks.wording_evaluation import LabelsError, evaluate, read_labels
from mzpress.model.wording_dictionary import load_wording
from tests.support.project import REPO_ROOT

EVAL_SET = REPO_ROOT / "tests/data/wording-eval"
TODAY = dt.date(2026, 12, 3)


def _evaluate(folder):
    return evaluate(folder, WordingMatcher.from_settings(load_wording(folder)), TODAY)


def test_the_shipped_set_meets_the_precision_and_recall_targets():
    result = _evaluate(EVAL_SET)
    assert result.pages >= 18 and result.labels >= 50
    assert result.precision >= 0.95, [(h.file, h.line, h.term) for h in result.false_alarms]
    assert result.recall >= 0.9, [(m.file, m.term) for m in result.misses]
    # every context rule is represented by a label the rules must stay silent on
    notes = {label.term for label in read_labels(EVAL_SET) if not label.expected}
    assert {"五保户", "五保对象", "五保供养", "香港政府", "五保之家", "民办非企业单位", "孤寡老人", "乞丐"} <= notes


def test_the_measurement_counts_unlabelled_findings_and_misses(tmp_path):
    folder = tmp_path / "set"
    shutil.copytree(EVAL_SET, folder)
    (folder / "pages/99-extra.txt").write_text("志愿者再接再励。\n", encoding="utf-8")  # found, never labelled
    with (folder / "labels.csv").open("a", encoding="utf-8") as labels:
        labels.write("pages/13-clean.txt,慈善总会,是,a label the rules cannot satisfy\n")
    result = _evaluate(folder)
    assert ("pages/99-extra.txt", "再接再励") in {(h.file, h.term) for h in result.false_alarms}
    assert [(m.file, m.term) for m in result.misses] == [("pages/13-clean.txt", "慈善总会")]
    baseline = _evaluate(EVAL_SET)
    assert result.precision < baseline.precision and result.recall < baseline.recall


def test_without_the_built_in_dictionary_recall_collapses(tmp_path):
    folder = tmp_path / "set"
    shutil.copytree(EVAL_SET, folder)
    config = folder / "site_config/wording.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("starter: true", "starter: false"), encoding="utf-8")
    assert _evaluate(folder).recall < 0.3


@pytest.mark.parametrize(("labels", "words"), [
    ("file,term\npages/13-clean.txt,慈善\n", "缺少列 expected"),
    ("file,term,expected\npages/13-clean.txt,慈善,也许\n", "labels.csv:2"),
    ("file,term,expected\npages/none.txt,慈善,是\n", "文件 pages/none.txt 不存在"),
])
def test_a_bad_labels_file_is_explained_with_its_line(tmp_path, labels, words):
    folder = tmp_path / "set"
    shutil.copytree(EVAL_SET, folder)
    (folder / "labels.csv").write_text(labels, encoding="utf-8")
    with pytest.raises(LabelsError, match=words):
        read_labels(folder)


def test_the_script_prints_the_figures_and_json():
    script = REPO_ROOT / "scripts/wording-eval"
    text = subprocess.run([sys.executable, str(script), str(EVAL_SET), "--today", "2026-12-03"],
                          capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
    assert text.returncode == 0 and "准确率（precision）" in text.stdout and "召回率（recall）" in text.stdout, text.stderr
    line = subprocess.run([sys.executable, str(script), str(EVAL_SET), "--today", "2026-12-03", "--json"],
                          capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
    figures = json.loads(line.stdout)
    assert figures["precision"] >= 0.95 and figures["recall"] >= 0.9 and figures["pages"] >= 18
    missing = subprocess.run([sys.executable, str(script), "/nonexistent-folder"], capture_output=True, text=True,
                             timeout=60, cwd=REPO_ROOT)
    assert missing.returncode == 2 and "不是目录" in missing.stderr
