"""Inline exemptions: ``<!-- mzpress: allow RULE REASON -->`` in a Markdown file.

An exemption silences findings of RULE on the line of the comment and on the next
line (for a comment spanning several lines: from its first line to the line after
its last). RULE is a rule id (``wording.typo``), a family (``wording`` or
``wording.*``) or several of them separated by commas. The reason is required and is
shown in the check output: every exemption that silenced something is listed as an
``exemption.used`` info finding, so reviewers see what was waived and why. An
exemption without a reason silences nothing and is itself an error
(``exemption.missing-reason``). Comments inside fenced code blocks are examples, not
exemptions. Findings without a line and ``exemption.*`` findings cannot be exempted.

Some rules no comment can switch off (:data:`NOT_EXEMPTABLE`): everything ``html.*`` (scripts, event
handlers, URL schemes and the rest of the allowlist: the build's sanitiser removes them whatever a
comment says, so an exemption would only hide that the page changes), ``render.*`` (the page cannot be
rendered), ID numbers and bank cards (``privacy.id-number``, ``privacy.bank-card``: never public). An
exemption naming one of them silences nothing of it and is reported (``exemption.not-exemptable``).
Mobile numbers stay exemptable (a service hotline may be a mobile number), as do wording, typography,
links and images.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mzpress.model.findings import Finding, Severity, error, warning
from mzpress.text.markdown_regions import LineIndex, fenced_code_lines, front_matter_line_count

# The body keeps its trailing spaces (it is split on whitespace anyway): “.*?\s*-->” would
# rescan a long run of spaces once per character.
_COMMENT = re.compile(r"<!--\s*mzpress\s*[:：]\s*(?P<body>.*?)-->", re.S)
_RULE = re.compile(r"^[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*(?:\.\*)?$")
SYNTAX = "<!-- mzpress: allow 规则编号 理由 -->"
NOT_EXEMPTABLE = ("html", "render", "privacy.id-number", "privacy.bank-card")


@dataclass(frozen=True, slots=True)
class Exemption:
    line: int  # line of the comment
    column: int
    first_line: int  # lines it covers
    last_line: int
    rules: tuple[str, ...]
    reason: str

    def covers(self, finding: Finding) -> bool:
        if finding.line is None or finding.rule.startswith("exemption.") or not exemptable(finding.rule):
            return False
        if not self.first_line <= finding.line <= self.last_line:
            return False
        return any(rule_matches(pattern, finding.rule) for pattern in self.rules)


def rule_matches(pattern: str, rule: str) -> bool:
    """``wording.typo`` matches itself; ``wording`` and ``wording.*`` match every ``wording.…`` rule."""
    family = pattern[:-2] if pattern.endswith(".*") else pattern
    return rule == family or rule.startswith(family + ".")


def exemptable(rule: str) -> bool:
    """Whether an exemption comment may silence ``rule``."""
    return not any(rule_matches(pattern, rule) for pattern in NOT_EXEMPTABLE)


def parse_exemptions(text: str, relpath: str) -> tuple[list[Exemption], list[Finding]]:
    """The valid exemptions in ``text`` and findings for malformed ones."""
    if "mzpress" not in text:
        return [], []
    lines = text.split("\n")
    code = fenced_code_lines(lines, front_matter_line_count(lines))
    index = LineIndex(text)
    exemptions: list[Exemption] = []
    problems: list[Finding] = []
    # Only up to the last “-->”: from each opening after it, the pattern would scan to the end.
    for match in _COMMENT.finditer(text, 0, text.rfind("-->") + 3):
        line, column = index.position(match.start())
        if line - 1 in code:
            continue
        last_line, _ = index.position(match.end())
        words = match["body"].split(None, 2)
        if not words or words[0].lower() != "allow" or len(words) < 2:
            problems.append(error(
                "exemption.malformed", relpath, line,
                "豁免注释的格式不对，网站检查无法识别。",
                f"按这个格式写：{SYNTAX}，例如 <!-- mzpress: allow wording.typo 引用文件原文 -->。",
                column=column))
            continue
        rules = tuple(r for r in words[1].replace("，", ",").split(",") if r)
        bad = [r for r in rules if not _RULE.match(r)]
        if bad or not rules:
            problems.append(error(
                "exemption.malformed", relpath, line,
                f"豁免注释里的规则编号“{words[1]}”写法不对。",
                "规则编号是检查结果方括号里的英文，例如 wording.typo；多个编号用英文逗号隔开，中间不要有空格。",
                column=column))
            continue
        reason = words[2].strip() if len(words) > 2 else ""
        if not reason:
            problems.append(error(
                "exemption.missing-reason", relpath, line,
                f"豁免注释没有写理由，因此不生效（规则 {', '.join(rules)} 仍会报告）。",
                f"在规则编号后面空一格写明理由，例如 <!-- mzpress: allow {rules[0]} 引用文件原文，不作改动 -->。",
                column=column))
            continue
        refused = [r for r in rules if any(rule_matches(r, locked) or rule_matches(locked, r.removesuffix(".*"))
                                           for locked in NOT_EXEMPTABLE)]
        if refused:
            problems.append(warning(
                "exemption.not-exemptable", relpath, line,
                f"豁免注释里的{'、'.join(refused)}不能（全部）豁免：脚本、事件属性、危险地址等 HTML 问题，身份证号码、"
                "银行卡号，以及无法生成网页的内容，无论理由如何都不能发布。",
                "删除这条豁免注释，按检查提示修改正文（脱敏可运行 mzpress mask）。", column=column))
        exemptions.append(Exemption(line, column, line, last_line + 1, rules, reason))
    return exemptions, problems


def apply_exemptions(source_text: str, relpath: str, findings: Iterable[Finding]) -> list[Finding]:
    """Drop the findings of ``relpath`` that an exemption in ``source_text`` covers.

    Returns the remaining findings, plus one ``exemption.used`` info finding for each
    exemption that silenced something and an error for each malformed exemption.
    Call it once per file with all of that file's findings (also when there are none,
    so that exemptions without a reason are reported).
    """
    findings = list(findings)
    exemptions, problems = parse_exemptions(source_text, relpath)
    if not exemptions:
        return findings + problems
    kept: list[Finding] = []
    used: dict[Exemption, list[Finding]] = {}
    by_line: dict[int, list[Exemption]] = {}  # each line's exemptions, in order
    for exemption in exemptions:
        for line in range(exemption.first_line, exemption.last_line + 1):
            by_line.setdefault(line, []).append(exemption)
    for finding in findings:
        if finding.file == relpath:
            candidates = by_line.get(finding.line, []) if finding.line is not None else []
            exemption = next((e for e in candidates if e.covers(finding)), None)
            if exemption is not None:
                used.setdefault(exemption, []).append(finding)
                continue
        kept.append(finding)
    for exemption, silenced in used.items():
        rules = "、".join(sorted({f.rule for f in silenced}))
        kept.append(Finding(
            "exemption.used", Severity.INFO, relpath, exemption.line, exemption.column,
            f"此处的豁免注释免除了{len(silenced)}个问题（{rules}），理由：{exemption.reason}",
            "审核时请确认理由成立；问题消除后请删除这条注释。"))
    return kept + problems


def exempted_lines(source_text: str, relpath: str, family: str) -> set[int]:
    """1-based lines where some rule of ``family`` (e.g. ``typography``) is exempted (for autofixers)."""
    exemptions, _ = parse_exemptions(source_text, relpath)
    lines: set[int] = set()
    for exemption in exemptions:
        if any(rule_matches(pattern, family) or rule_matches(family, pattern.removesuffix(".*"))
               for pattern in exemption.rules):
            lines.update(range(exemption.first_line, exemption.last_line + 1))
    return lines
