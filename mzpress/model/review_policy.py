"""The 三审 policy of ``site_config/units.yml`` (``review:``): which stages a merge into main needs.

``mzpress review-check`` (run by ``publish.yml`` before deploying) enforces it on the merge commit's
trailers. The policy says

* ``content``: the stages a merge that changes anything under ``content/`` needs (default 三审:
  初审, 复审, 终审; the 初审 is signed by a 初审 reviewer of each changed page's unit);
* ``other``: the stages a merge that changes nothing under ``content/`` needs (default 复审 and 终审,
  the bureau-level reviewers CODEOWNERS asks for outside ``content/``);
* ``trailers``: the trailer key each stage signs with (default ``Reviewed-by`` for 初审, 复审 and
  技术, ``Approved-by`` for 终审).

Besides the 三审, a merge that changes site code (:func:`is_site_code`: every file outside
``content/``, ``site_config/`` and the documentation) always needs the 技术 stage, a technical
reviewer's signature: not a policy choice, so no ``review:`` setting can turn it off.

Who may sign which stage is the ``stage`` of each person in ``units.yml`` (a technical reviewer:
``stage: 技术``, usually among the bureau-level ``reviewers``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mzpress.model.config_values import ConfigReader, shown
from mzpress.model.yaml_source import LineDict, LineList

THREE_STAGES = ("初审", "复审", "终审")  # 三审: what review.content and review.other may ask for
TECHNICAL_STAGE = "技术"  # the technical reviewer: every merge that changes site code
REVIEW_STAGES = (*THREE_STAGES, TECHNICAL_STAGE)  # every stage a person in units.yml may sign
STAGE_LABELS = {TECHNICAL_STAGE: "技术审核"}
DEFAULT_TRAILERS = {"初审": "Reviewed-by", "复审": "Reviewed-by", "终审": "Approved-by", TECHNICAL_STAGE: "Reviewed-by"}

# What a merge may change without the technical reviewer: what writers and editors change, and the
# documentation. Every other file is site code: it decides what the site runs, loads and shows, or what
# CI runs with the deploy secrets (mkdocs.yml, overrides/, mzpress/, scripts/, requirements/, .github/,
# .gitea/, pyproject.toml, package.json, package-lock.json, deploy/, tools/, tests/...), including
# files nobody has thought of yet: site code is everything not listed here, not a list of known places.
NOT_SITE_CODE_FOLDERS = ("content/", "site_config/", "docs/")
_ROOT_DOCUMENT = re.compile(r"^[^/]+\.md$")  # README.md and other notes at the top of the project


def stage_label(stage: str) -> str:
    """How a stage is named in messages: 初审, 复审, 终审, 技术审核."""
    return STAGE_LABELS.get(stage, stage)


def is_site_code(relpath: str) -> bool:
    """Whether changing the project file ``relpath`` (posix, relative to the project) needs the 技术 stage."""
    relpath = relpath.lstrip("/")
    return not (relpath.startswith(NOT_SITE_CODE_FOLDERS) or _ROOT_DOCUMENT.match(relpath))
POLICY_KEYS = ("content", "other", "trailers")
_TRAILER_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$")
# Trailers that are not signatures: the pull request's address, the author's certificate, co-authors.
NOT_SIGNATURES = ("reviewed-on", "signed-off-by", "co-authored-by")


@dataclass(frozen=True)
class ReviewPolicy:
    content: tuple[str, ...] = THREE_STAGES
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
        return (f"改动 content/ 的合并：{stages(self.content)}；其他合并：{stages(self.other)}；"
                f"改动网站代码的合并另需{stage_label(TECHNICAL_STAGE)}（{self.trailer(TECHNICAL_STAGE)}）")


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
        if stage == TECHNICAL_STAGE:
            reader.fail(value.line_of(index), f"review.{key} 里不用写“{stage}”：改动网站代码（content/、site_config/ "
                        "和说明文档以外的文件）的合并总是需要技术审核人签名，其他合并不需要。",
                        f"删掉这一项；review.{key} 只能写{'、'.join(THREE_STAGES)}。")
        elif stage not in THREE_STAGES:
            reader.fail(value.line_of(index), f"review.{key} 里的审核环节“{shown(item)}”不存在。",
                        f"只能写{'、'.join(THREE_STAGES)}。")
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
                    "例如 trailers: {初审: Reviewed-by, 复审: Reviewed-by, 终审: Approved-by, 技术: Reviewed-by}")
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
