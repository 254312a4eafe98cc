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
``stage: 技术``, usually among the bureau-level ``reviewers``); a person with ``emergency: true`` may
also sign the 应急 stage (an emergency take-down).

How a stage is signed (``trust``):

* ``signatures`` (the default): only a signed approval counts. A reviewer runs ``mzpress approve``,
  which makes an empty commit on the branch signed with their SSH key (git's SSH signing), naming the
  stage and the tree it approves (see :mod:`mzpress.history.approvals`). The key must be listed with
  the person in units.yml (``ssh_key:``); :func:`parse_public_key` reads such a line.
* ``trailers``: for a transition period, ``Reviewed-by:``/``Approved-by:`` lines typed into the merge
  message count too (``trailers`` says which line signs which stage); ``review-check`` warns on every
  run that such lines prove nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from dataclasses import dataclass, field
from typing import Any

from mzpress.model.config_values import ConfigReader, shown
from mzpress.model.yaml_source import LineDict, LineList

THREE_STAGES = ("初审", "复审", "终审")  # 三审: what review.content and review.other may ask for
TECHNICAL_STAGE = "技术"  # the technical reviewer: every merge that changes site code
REVIEW_STAGES = (*THREE_STAGES, TECHNICAL_STAGE)  # every stage a person in units.yml may sign
EMERGENCY_STAGE = "应急"  # an emergency take-down, signed by a person with emergency: true
# What an emergency take-down writes where a copy of the page stood (a passage of a 民政简报): a change
# that only removes text and writes this is a take-down (mzpress.history.review_check.takedown_problems).
TAKEDOWN_MARKER = "（此条已撤下）"
APPROVAL_STAGES = (*REVIEW_STAGES, EMERGENCY_STAGE)  # what ``mzpress approve --stage`` may sign
STAGE_LABELS = {TECHNICAL_STAGE: "技术审核", EMERGENCY_STAGE: "应急撤稿"}
TRUST_SIGNATURES = "signatures"  # only signed approvals count (the default)
TRUST_TRAILERS = "trailers"  # typed trailers count too: a transition period, warned about on every run
TRUST_MODES = (TRUST_SIGNATURES, TRUST_TRAILERS)
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
POLICY_KEYS = ("content", "other", "trailers", "trust", "after_the_fact_days")
# How many days an emergency take-down may await its 事后补审 before `mzpress inspect` flags it.
DEFAULT_AFTER_THE_FACT_DAYS = 3
_TRAILER_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$")
# Trailers that are not signatures: the pull request's address, the author's certificate, co-authors.
NOT_SIGNATURES = ("reviewed-on", "signed-off-by", "co-authored-by")


@dataclass(frozen=True)
class ReviewPolicy:
    content: tuple[str, ...] = THREE_STAGES
    other: tuple[str, ...] = ("复审", "终审")
    trailers: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TRAILERS))
    trust: str = TRUST_SIGNATURES
    trust_line: int | None = None  # the line of review.trust in units.yml, for the warning
    after_the_fact_days: int = DEFAULT_AFTER_THE_FACT_DAYS  # 事后补审 of an emergency take-down: days allowed

    def trailer(self, stage: str) -> str:
        return self.trailers.get(stage, DEFAULT_TRAILERS.get(stage, "Reviewed-by"))

    @property
    def trusts_trailers(self) -> bool:
        """Whether typed ``Reviewed-by:`` lines count (``review: {trust: trailers}``, a transition period)."""
        return self.trust == TRUST_TRAILERS

    @property
    def signature_keys(self) -> frozenset[str]:
        """Trailer keys (lower case) that sign a stage."""
        return frozenset(self.trailer(stage).lower() for stage in REVIEW_STAGES)

    def describe(self) -> str:
        def stages(names: tuple[str, ...]) -> str:
            if not self.trusts_trailers:  # a signed approval names its stage, not a trailer
                return "、".join(names) or "无需审核"
            return "、".join(f"{s}（{self.trailer(s)}）" for s in names) or "无需审核"
        rule = (f"改动 content/ 的合并：{stages(self.content)}；其他合并：{stages(self.other)}；"
                f"改动网站代码的合并另需{stage_label(TECHNICAL_STAGE)}")
        if self.trusts_trailers:
            return f"{rule}（{self.trailer(TECHNICAL_STAGE)}）；过渡期：手写的签名行也算数"
        return f"{rule}；每个环节都由审核人用 SSH 密钥签名（scripts/mzpress approve）"


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


def _trust(reader: ConfigReader, section: LineDict) -> str:
    if "trust" not in section:
        return TRUST_SIGNATURES
    value = str(section.get("trust") or "").strip()
    if value not in TRUST_MODES:
        reader.fail(section.line_of("trust"), f"review.trust（什么样的审核签名算数）不能写“{shown(section.get('trust'))}”。",
                    f"写 {TRUST_SIGNATURES}（只认审核人用 SSH 密钥的签名，scripts/mzpress approve）；过渡期可写 {TRUST_TRAILERS}"
                    "（合并说明中手写的签名行也算数，每次检查都会警告）。")
        return TRUST_SIGNATURES
    return value


def _after_the_fact_days(reader: ConfigReader, section: LineDict) -> int:
    if "after_the_fact_days" not in section:
        return DEFAULT_AFTER_THE_FACT_DAYS
    value = section.get("after_the_fact_days")
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 30:
        reader.fail(section.line_of("after_the_fact_days"),
                    f"review.after_the_fact_days（应急撤稿后完成事后补审的天数）应当是1到30之间的整数，现在是“{shown(value)}”。",
                    f"例如 after_the_fact_days: {DEFAULT_AFTER_THE_FACT_DAYS}；不写就是{DEFAULT_AFTER_THE_FACT_DAYS}天。")
        return DEFAULT_AFTER_THE_FACT_DAYS
    return value


def read_review_policy(reader: ConfigReader, data: Any) -> ReviewPolicy:
    """``review:`` of units.yml; absent, the default 三审 with signed approvals. Problems go to ``reader.findings``."""
    if not isinstance(data, LineDict):
        return ReviewPolicy()
    section = reader.section(data, "review", "三审规则", "content: [初审, 复审, 终审]")
    if section is None:
        return ReviewPolicy()
    reader.known_keys(section, POLICY_KEYS, "review（三审规则）")
    defaults = ReviewPolicy()
    return ReviewPolicy(_stages(reader, section, "content", defaults.content),
                        _stages(reader, section, "other", defaults.other),
                        _trailers(reader, section), _trust(reader, section),
                        section.line_of("trust") if "trust" in section else None,
                        _after_the_fact_days(reader, section))


# ----------------------------------------------------------------------------- public keys

# The key types git's SSH signing (ssh-keygen -Y sign) makes; DSA is refused by OpenSSH itself.
SSH_KEY_TYPES = ("ssh-ed25519", "sk-ssh-ed25519@openssh.com", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                 "ecdsa-sha2-nistp521", "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-rsa")
MIN_RSA_BITS = 2048
_KEY_EXAMPLE = "ssh_key: \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA……\""


@dataclass(frozen=True)
class PublicKey:
    """One SSH public key of a reviewer: its type and its base64 body (the comment is not kept)."""

    kind: str
    body: str

    @property
    def line(self) -> str:
        """``ssh-ed25519 AAAA…``: as in an allowed-signers file or ``user.signingkey``."""
        return f"{self.kind} {self.body}"

    @property
    def fingerprint(self) -> str:
        """``SHA256:…`` as ``ssh-keygen -l`` and ``git log %GK`` print it."""
        digest = hashlib.sha256(base64.b64decode(self.body)).digest()
        return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def _ssh_strings(blob: bytes) -> list[bytes]:
    """The length-prefixed fields of an SSH key blob (RFC 4253); ValueError when it is cut short."""
    fields, offset = [], 0
    while offset < len(blob):
        if offset + 4 > len(blob):
            raise ValueError("truncated")
        (length,) = struct.unpack(">I", blob[offset:offset + 4])
        offset += 4
        if offset + length > len(blob):
            raise ValueError("truncated")
        fields.append(blob[offset:offset + length])
        offset += length
    return fields


def parse_public_key(text: str) -> tuple[PublicKey | None, tuple[str, str] | None]:
    """A public key line (``ssh-ed25519 AAAA… comment``), or None and (message, suggestion) in Chinese."""
    text = str(text).strip()
    if "PRIVATE KEY" in text:
        return None, ("这里写的是私钥（PRIVATE KEY）：私钥只能留在审核人自己的电脑上，绝不能写进 units.yml 或发给别人。",
                      "立即删掉这一行；这把密钥已经泄露，请审核人重新运行 scripts/mzpress approve --setup 生成新密钥，"
                      "只把它打印的公钥那一行（以 ssh-ed25519 开头）发给办公室。")
    parts = text.split()
    if not parts:
        return None, ("公钥（ssh_key）是空的。", f"写审核人公钥文件（.pub）里的那一整行，例如 {_KEY_EXAMPLE}")
    kind = parts[0]
    if kind == "ssh-dss":
        return None, ("DSA 公钥（ssh-dss）已不安全，git 的 SSH 签名不接受。",
                      "请审核人运行 scripts/mzpress approve --setup 生成 ed25519 密钥，把新公钥写在这里。")
    if kind not in SSH_KEY_TYPES:
        if text.endswith(".pub") or "/" in kind or "\\" in kind or kind.startswith("~"):
            return None, (f"“{text}”像是文件名：这里要写公钥本身，不是公钥文件的位置。",
                          f"写公钥文件（.pub）里的那一整行，以 ssh-ed25519 开头，例如 {_KEY_EXAMPLE}")
        return None, (f"“{kind[:40]}”不是 SSH 公钥的开头，这一行不是公钥。",
                      f"写审核人公钥文件（.pub）里的那一整行，以 ssh-ed25519 开头，例如 {_KEY_EXAMPLE}")
    if len(parts) < 2:
        return None, (f"公钥只有类型“{kind}”，缺少后面的那一长串字符。", f"把 .pub 文件里的整行照抄过来，例如 {_KEY_EXAMPLE}")
    body = parts[1]
    try:
        blob = base64.b64decode(body, validate=True)
        fields = _ssh_strings(blob)
    except (binascii.Error, ValueError):
        fields = []
    if not fields or fields[0].decode("ascii", "replace") != kind:
        return None, (f"公钥“{body[:16]}……”不完整或抄错了（类型之后的那一长串字符对不上）。",
                      "请审核人重新复制 .pub 文件里的整行（或 scripts/mzpress approve --setup 打印的那一行），不要断行、不要漏字。")
    if kind == "ssh-rsa":
        modulus = fields[2] if len(fields) > 2 else b""
        bits = int.from_bytes(modulus, "big").bit_length()
        if bits < MIN_RSA_BITS:
            return None, (f"RSA 公钥只有{bits}位，太短，不能用于审核签名。",
                          "请审核人运行 scripts/mzpress approve --setup 生成 ed25519 密钥，把新公钥写在这里。")
    return PublicKey(kind, body), None
