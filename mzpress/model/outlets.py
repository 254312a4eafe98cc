"""The outlets (录用渠道) of ``site_config/outlets.yml`` and the adoptions stories record against them.

``outlets.yml`` names the outlets that adopt (录用) the units' stories — the county paper, county
TV, the mobile newspaper, the city and provincial civil-affairs websites, the ministry's site, the
bureau's own bulletin — each with its ``level`` (county, city, province, national) and the points
one adoption earns by kind (``text`` 文字稿件, ``photo`` 图片稿件). ``instruction_points`` are the
extra points, by level, of an adoption that drew a leader's written instruction (批示).

A story records its adoptions in front matter (validated by :mod:`mzpress.model.schema`)::

    adopted_by:
      - {outlet: city-mz-site, date: 2026-04-03, kind: text, url: https://…, instruction: 市长批示}

and the submissions (报送) the bureau made to them, written by ``mzpress export --record``::

    submitted_to:
      - {outlet: city-mz-site, date: 2026-04-02, kind: text}

An outlet may also say how its copy is made: ``char_limit`` is the most characters one item may
have (the mobile newspaper's digest, ``mzpress export --for text``).

Read once by :func:`mzpress.model.config.load_config`; every bad value is a finding at its
line. The file is optional: without it there are no outlets, and every ``adopted_by`` entry is
an error asking for the file. Points are numbers ≥ 0 (decimals allowed), kept as
:class:`~decimal.Decimal` so that sums are exact.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from mzpress.model.config_values import ConfigReader, shown
from mzpress.model.suggestions import closest
from mzpress.model.yaml_source import LineDict, LineList

OUTLETS_FILE = "site_config/outlets.yml"
LEVELS = {"county": "县级", "city": "市级", "province": "省级", "national": "国家级"}
KINDS = {"text": "文字稿件", "photo": "图片稿件"}
DEFAULT_KIND = "text"
OUTLET_KEYS = ("id", "name", "level", "points", "char_limit")
# The range of ``char_limit``: a mobile-newspaper item is a few hundred characters.
CHAR_LIMIT_RANGE = (50, 5000)
TOP_KEYS = ("instruction_points", "outlets")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EXAMPLE = "- {id: county-paper, name: 示例县报, level: county, points: {text: 1, photo: 0.5}}"


@dataclass(frozen=True)
class Outlet:
    """One outlet: ``points`` by kind (text, photo)."""

    id: str
    name: str
    level: str
    points: dict[str, Decimal]
    line: int
    char_limit: int | None = None  # the most characters of one item (手机报), None: no limit set

    @property
    def level_label(self) -> str:
        return LEVELS.get(self.level, self.level)


@dataclass(frozen=True)
class Adoption:
    """One ``adopted_by`` entry of a story, validated: the outlet exists, the date is a day."""

    outlet: str  # an id of outlets.yml
    date: dt.date
    kind: str = DEFAULT_KIND  # text | photo
    url: str = ""
    instruction: str = ""  # who gave the written instruction (批示), "" when none
    line: int | None = None


@dataclass(frozen=True)
class Submission:
    """One ``submitted_to`` entry of a story, validated: the story was sent (报送) to an outlet on a day."""

    outlet: str  # an id of outlets.yml
    date: dt.date
    kind: str = DEFAULT_KIND  # text | photo
    line: int | None = None


@dataclass(frozen=True)
class Outlets:
    """All of outlets.yml. ``present``: the file exists (without it no adoption can be recorded)."""

    outlets: tuple[Outlet, ...] = ()
    instruction_points: dict[str, Decimal] = field(default_factory=dict)
    present: bool = False
    by_id: dict[str, Outlet] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_id", {o.id: o for o in self.outlets})

    @property
    def choices(self) -> dict[str, str]:
        """id -> name, for did-you-mean suggestions."""
        return {o.id: o.name for o in self.outlets}

    @property
    def limited(self) -> tuple[Outlet, ...]:
        """The outlets with a ``char_limit`` (a mobile newspaper): where a text digest can go."""
        return tuple(o for o in self.outlets if o.char_limit is not None)

    def points(self, adoption: Adoption) -> Decimal:
        """Points of one adoption: the outlet's points for its kind, plus the level's instruction points."""
        outlet = self.by_id.get(adoption.outlet)
        if outlet is None:
            return Decimal(0)
        total = outlet.points.get(adoption.kind, Decimal(0))
        if adoption.instruction:
            total += self.instruction_points.get(outlet.level, Decimal(0))
        return total


def _hint(value: str, choices) -> str:
    guess = closest(value, choices)
    return f"你是不是想写 {guess}？" if guess else ""


def _points_value(reader: ConfigReader, mapping: LineDict, key: str, label: str) -> Decimal | None:
    value = mapping.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0:
        return Decimal(str(value))
    reader.fail(mapping.line_of(key), f"{label}应当是不小于0的数字（可以有小数），现在是“{shown(value)}”。",
                f"用阿拉伯数字写，例如 {key}: 1 或 {key}: 0.5")
    return None


def _by_name(reader: ConfigReader, data: Any, line: int, names: dict[str, str], what: str,
             example: str) -> dict[str, Decimal]:
    """A mapping of level or kind names to points: unknown names with did-you-mean, each value checked."""
    if not isinstance(data, LineDict):
        reader.fail(line, f"{what}应当写成 {example}，现在是“{shown(data)}”。", f"参照示例写成 {example}")
        return {}
    result: dict[str, Decimal] = {}
    for key in data:
        if key not in names:
            allowed = "、".join(f"{k}（{v}）" for k, v in names.items())
            reader.fail(data.line_of(key), f"{what}里的“{key}”不存在。", f"{_hint(str(key), names)}只能是 {allowed}。")
            continue
        value = _points_value(reader, data, key, f"{what}的 {key}（{names[key]}）")
        if value is not None:
            result[key] = value
    return result


def _char_limit(reader: ConfigReader, item: LineDict) -> int | None:
    """``char_limit``: optional, a whole number of characters in :data:`CHAR_LIMIT_RANGE`."""
    value = item.get("char_limit")
    if value is None:
        return None
    low, high = CHAR_LIMIT_RANGE
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    reader.fail(item.line_of("char_limit"),
                f"字数上限（char_limit）应当是{low}到{high}之间的整数，现在是“{shown(value)}”。",
                "写这个渠道每条稿件最多多少字，例如手机报 char_limit: 300；不限字数就删掉这一项。")
    return None


def _outlet(reader: ConfigReader, item: LineDict) -> Outlet | None:
    reader.known_keys(item, OUTLET_KEYS, f"录用渠道“{item.get('id')}”" if item.get("id") else "录用渠道")
    ident = reader.text(item, "id", "录用渠道代号")
    if ident and not _ID.match(ident):
        reader.fail(item.line_of("id"), f"录用渠道代号“{ident}”格式不对。",
                    "代号只能用小写英文字母、数字和连字符，例如 county-paper。")
        ident = ""
    name = reader.text(item, "name", "录用渠道名称")
    level = reader.text(item, "level", "录用渠道级别")
    if level and level not in LEVELS:
        allowed = "、".join(f"{k}（{v}）" for k, v in LEVELS.items())
        reader.fail(item.line_of("level"), f"录用渠道级别“{level}”不存在。", f"{_hint(level, LEVELS)}只能是 {allowed}。")
        level = ""
    points: dict[str, Decimal] = {}
    if "points" not in item or item.get("points") is None:
        reader.fail(item.line, f"录用渠道“{ident or name}”缺少每篇录用的分值（points）。",
                    "在这一项里加上 points: {text: 1, photo: 0.5}（文字稿件和图片稿件各得几分）。")
    else:
        points = _by_name(reader, item.get("points"), item.line_of("points"), KINDS, "分值（points）",
                          "{text: 1, photo: 0.5}")
        raw = item.get("points")
        for kind, label in KINDS.items():
            if isinstance(raw, LineDict) and kind not in raw:
                reader.fail(item.line_of("points"), f"分值（points）缺少{label}（{kind}）的分值。",
                            f"补上 {kind}: 分值，例如 points: {{text: 1, photo: 0.5}}；不计分就写 {kind}: 0。")
    char_limit = _char_limit(reader, item)
    if not ident or not name or not level or set(points) != set(KINDS):
        return None
    return Outlet(ident, name, level, points, item.line, char_limit)


def read_outlets(reader: ConfigReader, data: Any) -> Outlets:
    """The outlets of a loaded outlets.yml (``data`` None: the file is absent or unreadable, reported elsewhere)."""
    if data is None:
        return Outlets()
    if not isinstance(data, LineDict):
        reader.fail(1, "outlets.yml 应当包含 instruction_points: 和 outlets: 两部分。",
                    f"参照示例文件填写，outlets: 下每个渠道一行，例如 {_EXAMPLE}")
        return Outlets(present=True)
    reader.known_keys(data, TOP_KEYS, "outlets.yml ")
    instruction: dict[str, Decimal] = {}
    if data.get("instruction_points") is not None:
        instruction = _by_name(reader, data.get("instruction_points"), data.line_of("instruction_points"),
                               LEVELS, "批示加分（instruction_points）",
                               "{county: 2, city: 4, province: 8, national: 16}")
    items = data.get("outlets")
    if not isinstance(items, LineList):
        reader.fail(data.line_of("outlets"), "没有找到录用渠道列表（outlets:）。",
                    f"写 outlets: 然后每个渠道一行，以“- ”开头，例如 {_EXAMPLE}")
        return Outlets((), instruction, present=True)
    outlets: list[Outlet] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, LineDict):
            reader.fail(items.line_of(index), f"录用渠道列表的第{index + 1}项格式不对。", f"每一项写成 {_EXAMPLE}")
            continue
        outlet = _outlet(reader, item)
        if outlet is None:
            continue
        if outlet.id in seen:
            reader.fail(outlet.line, f"录用渠道代号“{outlet.id}”重复（第{seen[outlet.id]}行已经用过）。",
                        "每个代号只能用一次，请改名或删掉重复的一项。")
            continue
        seen[outlet.id] = outlet.line
        outlets.append(outlet)
    return Outlets(tuple(outlets), instruction, present=True)
