"""How well the wording rules do on a labelled folder of texts: precision and recall (``scripts/wording-eval``).

A folder of plain-text (``.txt``) or Markdown (``.md``) pages and a labels file ``labels.csv``:

    file,term,expected,note
    pages/notice.txt,五保户,是,2026年的通知仍用旧称
    pages/history.txt,五保户,否,2012年的稿件，当时的名称

``expected`` is 是/否 (or yes/no, 1/0): whether the wording rules should report ``term`` in
``file``; ``term`` is the text a rule finds (the wrong form as written, a misspelt fixed name, a
congress name, or the leader's name for a wrong order of titles); README.md is not a page. A page may start with a front matter ``date:`` (the date rule uses it). Every finding
the rules make is compared with the labels: a labelled 是 found is a true positive, a 是 not
found a miss, a 否 found — or any finding no label mentions — a false alarm. So precision
counts every finding, not only the labelled ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from mzpress.checks.wording import WordingMatcher, wording_hits
from mzpress.model.source_text import decode

LABELS_FILE = "labels.csv"
PAGE_SUFFIXES = (".txt", ".md")
_YES = {"是", "yes", "y", "1", "true", "报告"}
_NO = {"否", "no", "n", "0", "false", "不报告"}


class LabelsError(Exception):
    """The labels file cannot be used: a Chinese message with file:line."""


@dataclass(frozen=True, slots=True)
class Label:
    file: str  # relative to the folder, with /
    term: str
    expected: bool
    line: int  # in the labels file


@dataclass(frozen=True, slots=True)
class Hit:
    file: str
    term: str
    rule: str
    line: int


@dataclass
class Evaluation:
    true_positives: list[Label] = field(default_factory=list)
    misses: list[Label] = field(default_factory=list)  # expected, not reported
    false_alarms: list[Hit] = field(default_factory=list)  # reported, labelled 否 or not labelled
    correct_silences: list[Label] = field(default_factory=list)  # labelled 否, not reported
    pages: int = 0
    labels: int = 0

    @property
    def precision(self) -> float:
        reported = len(self.true_positives) + len(self.false_alarms)
        return len(self.true_positives) / reported if reported else 1.0

    @property
    def recall(self) -> float:
        expected = len(self.true_positives) + len(self.misses)
        return len(self.true_positives) / expected if expected else 1.0


def read_labels(folder: Path) -> list[Label]:
    path = folder / LABELS_FILE
    if not path.is_file():
        raise LabelsError(f"{path} 不存在：需要一个标注文件（列：file,term,expected[,note]）。")
    text, problems = decode(path.read_bytes(), LABELS_FILE)
    if text is None:
        raise LabelsError(f"{path} 无法读取：{problems[0].message if problems else '编码错误'}")
    labels = []
    reader = csv.DictReader(io.StringIO(text))
    missing = {"file", "term", "expected"} - set(reader.fieldnames or ())
    if missing:
        raise LabelsError(f"{path}:1：缺少列 {'、'.join(sorted(missing))}（第一行应为 file,term,expected,note）。")
    for row in reader:
        line = reader.line_num
        file, term = (row.get("file") or "").strip(), (row.get("term") or "").strip()
        flag = (row.get("expected") or "").strip().lower()
        if not file or not term:
            raise LabelsError(f"{path}:{line}：file 和 term 都要填写。")
        if flag not in _YES | _NO:
            raise LabelsError(f"{path}:{line}：expected 应当写“是”或“否”，现在是“{row.get('expected')}”。")
        if not (folder / file).is_file():
            raise LabelsError(f"{path}:{line}：文件 {file} 不存在。")
        labels.append(Label(file, term, flag in _YES, line))
    return labels


def page_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES and p.name != "README.md"
                  and "site_config" not in p.parts)


def hits_of(folder: Path, matcher: WordingMatcher, today: dt.date) -> list[Hit]:
    hits = []
    for relpath in page_files(folder):
        text, _ = decode((folder / relpath).read_bytes(), relpath)
        if text is None:
            continue
        for finding, term in wording_hits(text, relpath, matcher, today=today):
            if finding.rule.startswith("wording."):
                hits.append(Hit(relpath, term, finding.rule, finding.line or 0))
    return hits


def evaluate(folder: Path, matcher: WordingMatcher, today: dt.date) -> Evaluation:
    labels = read_labels(folder)
    hits = hits_of(folder, matcher, today)
    found = {(hit.file, hit.term) for hit in hits}
    labelled = {(label.file, label.term): label for label in labels}
    result = Evaluation(pages=len(page_files(folder)), labels=len(labels))
    for label in labels:
        reported = (label.file, label.term) in found
        if label.expected:
            (result.true_positives if reported else result.misses).append(label)
        elif not reported:
            result.correct_silences.append(label)
    for hit in hits:
        label = labelled.get((hit.file, hit.term))
        if label is None or not label.expected:
            result.false_alarms.append(hit)
    return result
