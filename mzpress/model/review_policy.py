"""The 三审 policy of ``site_config/units.yml`` (``review:``): which stages a merge into main needs.

``mzpress review-check`` (run by ``publish.yml`` before deploying) enforces it on the merge commit's
trailers. The policy says

* ``content``: the stages a merge that changes anything under ``content/`` needs (default 三审:
  初审, 复审, 终审; the 初审 is signed by a 初审 reviewer of each changed page's unit);
* ``other``: the stages a merge that changes nothing under ``content/`` needs (default 复审 and 终审,
  the bureau-level reviewers CODEOWNERS asks for outside ``content/``);
* ``trailers``: the trailer key each stage signs with (default ``Reviewed-by`` for 初审 and 复审,
  ``Approved-by`` for 终审).

Who may sign which stage is the ``stage`` of each person in ``units.yml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mzpress.model.config_values import ConfigReader, shown
from mzpress.model.yaml_source import LineDict, LineList

REVIEW_STAGES = ("初审", "复审", "终审")
DEFAULT_TRAILERS = {"初审": "Reviewed-by", "复审": "Reviewed-by", "终审": "Approved-by"}
POLICY_KEYS = ("content", "other", "trailers")
_TRAILER_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$")
# Trailers that are not signatures: the pull request's address, the author's certificate, co-authors.
NOT_SIGNATURES = ("reviewed-on", "signed-off-by", "co-authored-by")


@dataclass(frozen=True)
class ReviewPolicy:
    content: tuple[str, ...] = REVIEW_STAGES
    other: tuple[str, ...] = ("复审", "终审")
    trailers: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TRAILERS))

    def trailer(self, stage: str) -> str:
        return self.trailers.get(stage, DEFAULT_TRAILERS[stage])

    @property
    def signature_keys(self) -> frozenset[str]:
        """Trailer keys (lower case) that sign a stage."""
        return frozenset(self.trailer(stage).lower() for stage in REVIEW_STAGES)

    def describe(self) -> str:
        def stages(names: tuple[str, ...]) -> str:
            return "、".join(f"{s}（{self.trailer(s)}）" for s in names) or "无需审核"
        return f"改动 content/ 的合并：{stages(self.content)}；其他合并：{stages(self.other)}"


def _stages(reader: ConfigReader, section: LineDict, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    if key not in section:
        return default
    value = section.get(key)
    if value is None:
        return ()
    if not isinstance(value, LineList):
        reader.fail(section.line_of(key), f"review.{key}（需要的审核环节）应当写成列表，现在是“{shown(value)}”。",
                    f"例如 {key}: [{', '.join(default)}]；不需要审核就写 {key}: []")
        return default
    result: list[str] = []
    for index, item in enumerate(value):
        stage = str(item).strip()
        if stage not in REVIEW_STAGES:
            reader.fail(value.line_of(index), f"review.{key} 里的审核环节“{shown(item)}”不存在。",
                        f"只能写{'、'.join(REVIEW_STAGES)}。")
        elif stage in result:
            reader.fail(value.line_of(index), f"review.{key} 里的审核环节“{stage}”写了两次。", "删掉重复的一项。")
        else:
            result.append(stage)
    return tuple(result)


def _trailers(reader: ConfigReader, section: LineDict) -> dict[str, str]:
    result = dict(DEFAULT_TRAILERS)
    value = section.get("trailers")
    if "trailers" not in section or value is None:
        return result
    if not isinstance(value, LineDict):
        reader.fail(section.line_of("trailers"), f"review.trailers（各环节的签名写法）应当写成“环节: 签名”，现在是“{shown(value)}”。",
                    "例如 trailers: {初审: Reviewed-by, 复审: Reviewed-by, 终审: Approved-by}")
        return result
    for stage, key in value.items():
        line = value.line_of(stage)
        if stage not in REVIEW_STAGES:
            reader.fail(line, f"review.trailers 里的审核环节“{stage}”不存在。", f"只能写{'、'.join(REVIEW_STAGES)}。")
            continue
        text = str(key or "").strip()
        if not _TRAILER_KEY.match(text) or text.lower() in NOT_SIGNATURES:
            reader.fail(line, f"{stage}的签名写法“{shown(key)}”不能用作审核签名。",
                        "写合并说明末尾签名行冒号前的英文词，例如 Reviewed-by 或 Approved-by。")
            continue
        result[stage] = text
    return result


def read_review_policy(reader: ConfigReader, data: Any) -> ReviewPolicy:
    """``review:`` of units.yml; absent, the default 三审. Problems go to ``reader.findings``."""
    if not isinstance(data, LineDict):
        return ReviewPolicy()
    section = reader.section(data, "review", "三审规则", "content: [初审, 复审, 终审]")
    if section is None:
        return ReviewPolicy()
    reader.known_keys(section, POLICY_KEYS, "review（三审规则）")
    defaults = ReviewPolicy()
    return ReviewPolicy(_stages(reader, section, "content", defaults.content),
                        _stages(reader, section, "other", defaults.other),
                        _trailers(reader, section))
