"""Printing findings as plain text (people), JSON (tools) or GitHub/Gitea annotations (CI)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from mzpress.model.findings import Finding, Severity

FORMATS = ("text", "json", "github")


def format_text(finding: Finding) -> str:
    head = f"{finding.location}: {finding.severity.label} [{finding.rule}] {finding.message}"
    if finding.suggestion:
        return f"{head}\n    修改方法：{finding.suggestion}"
    return head


def _escape_property(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def format_github(finding: Finding) -> str:
    """A workflow command; Gitea Actions understands the same syntax."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}[finding.severity]
    props = []
    if finding.file:
        props.append(f"file={_escape_property(finding.file)}")
    if finding.line is not None:
        props.append(f"line={finding.line}")
    if finding.column is not None:
        props.append(f"col={finding.column}")
    props.append(f"title={_escape_property(finding.rule)}")
    text = finding.message + (f"\n修改方法：{finding.suggestion}" if finding.suggestion else "")
    return f"::{level} {','.join(props)}::{_escape_data(text)}"


def summary_line(findings: list[Finding]) -> str:
    counts = {s: 0 for s in Severity}
    for f in findings:
        counts[f.severity] += 1
    if not findings:
        return "检查通过：没有发现问题。"
    return (f"共发现{len(findings)}个问题：错误{counts[Severity.ERROR]}个，"
            f"警告{counts[Severity.WARNING]}个，提示{counts[Severity.INFO]}个。")


def render(findings: Iterable[Finding], fmt: str) -> str:
    items = sorted(findings, key=Finding.sort_key)
    if fmt == "json":
        return json.dumps([f.to_dict() for f in items], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join([format_github(f) for f in items] + [summary_line(items)])
    return "\n".join([format_text(f) for f in items] + [summary_line(items)])
