"""Findings: what every check reports, in one shape.

A finding names the rule that fired, how serious it is, where (file, line,
column, all 1-based), a plain-Chinese message and a suggested fix. The CLI,
the MkDocs plugin and the CI annotations all print these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    file: str
    line: int | None
    column: int | None
    message: str
    suggestion: str = ""

    @property
    def location(self) -> str:
        parts = [self.file or "(项目)"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.column or 0, self.rule)


def error(rule: str, file: str, line: int | None, message: str, suggestion: str = "",
          column: int | None = None) -> Finding:
    return Finding(rule, Severity.ERROR, file, line, column, message, suggestion)


def warning(rule: str, file: str, line: int | None, message: str, suggestion: str = "",
            column: int | None = None) -> Finding:
    return Finding(rule, Severity.WARNING, file, line, column, message, suggestion)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


class FindingsError(Exception):
    """Raised where work cannot go on; carries the findings that explain why."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("\n".join(f"{f.location}: {f.message}" for f in findings))
