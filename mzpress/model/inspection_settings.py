"""What ``site_config/columns.yml`` tells the website self-inspection (``mzpress inspect``).

The column kinds and what each kind must do (gov-site-rules §1: dynamic and news columns
within 2 weeks, notice and policy columns within 6 months, historical topics and basic
information exempt), the content a column can hold with the filters that narrow it, and the
``inspection:`` thresholds. Every value is read once by :func:`mzpress.model.config.load_config`
and each problem is a finding at its line; the defaults are those of the national indicators.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mzpress.model.config_values import ConfigReader, shown
from mzpress.model.yaml_source import LineDict


@dataclass(frozen=True)
class ColumnKind:
    """A kind of column: its label in reports and the update rule (None: exempt from it)."""

    id: str
    label: str
    update_days: int | None


@dataclass(frozen=True)
class ColumnContent:
    """What a column can hold: the page kinds (see ``mzpress.model.content.classify``), whether
    they carry a publish date, and the filters (``topic``, ``campaign``, ``unit``, ``tag``) that apply."""

    id: str
    label: str
    page_kinds: tuple[str, ...]
    dated: bool
    filters: tuple[str, ...]


COLUMN_KIND_LIST = (
    ColumnKind("dynamic", "动态、要闻", 14),
    ColumnKind("notice", "通知公告", 180),
    ColumnKind("policy", "政策文件", 180),
    ColumnKind("history", "历史性专题", None),
    ColumnKind("static", "基本信息", None),
)
COLUMN_KIND_BY_ID = {kind.id: kind for kind in COLUMN_KIND_LIST}
# Kinds the update rule applies to (the stale and long-stale counts of the inspection).
UPDATED_KINDS = tuple(kind.id for kind in COLUMN_KIND_LIST if kind.update_days is not None)

# A new content type (a bulletin, say) is one more entry here.
COLUMN_CONTENT_LIST = (
    ColumnContent("stories", "民政故事", ("story",), True, ("topic", "unit", "tag")),
    ColumnContent("notices", "通知公告", ("notice",), True, ("unit", "tag")),
    ColumnContent("campaigns", "专题活动", ("campaign", "member"), True, ("campaign", "unit", "tag")),
    ColumnContent("bulletins", "民政简报", ("bulletin",), True, ("unit",)),
    # 回应关切 (the national website guideline's column of responses to public concerns: 情况通报)
    ColumnContent("responses", "回应关切", ("response",), True, ("unit", "tag")),
    ColumnContent("topics", "文化专题介绍页", ("topic",), False, ("topic", "unit")),
    ColumnContent("pages", "普通页面", ("page",), False, ("unit",)),
)
COLUMN_CONTENT_BY_ID = {content.id: content for content in COLUMN_CONTENT_LIST}
COLUMN_FILTERS = ("topic", "campaign", "unit", "tag")

DEFAULT_HOME_UPDATE_DAYS = 14
DEFAULT_LONG_STALE_DAYS = 365
DEFAULT_WARN_DAYS = 3
MAX_DAYS = 3650
MAX_WARN_DAYS = 90
VETO_KEYS = (("stale_columns", "超期未更新栏目数", 5), ("long_stale_columns", "长期未更新栏目数", 10),
             ("empty_columns", "空白栏目数", 5))
INSPECTION_KEYS = ("home_update_days", "long_stale_days", "warn_days", "veto")


@dataclass(frozen=True)
class VetoThresholds:
    """How many columns make each single-veto item of “栏目不更新” fail."""

    stale_columns: int = 5
    long_stale_columns: int = 10
    empty_columns: int = 5


@dataclass(frozen=True)
class InspectionSettings:
    """``inspection:`` of columns.yml: days and thresholds of the self-inspection."""

    home_update_days: int = DEFAULT_HOME_UPDATE_DAYS
    long_stale_days: int = DEFAULT_LONG_STALE_DAYS
    warn_days: int = DEFAULT_WARN_DAYS
    veto: VetoThresholds = field(default_factory=VetoThresholds)


def read_inspection_settings(reader: ConfigReader, data: LineDict) -> InspectionSettings:
    """The ``inspection:`` section of ``data`` (columns.yml); defaults where absent, problems to ``reader``."""
    section = reader.section(data, "inspection", "网站自查的天数和单项否决门槛", "home_update_days: 14")
    if section is None:
        return InspectionSettings()
    reader.known_keys(section, INSPECTION_KEYS, "inspection 一节")
    home = reader.integer(section, "home_update_days", "首页必须有新信息的天数", DEFAULT_HOME_UPDATE_DAYS, 1,
                          MAX_DAYS, path="inspection.home_update_days")
    long_stale = reader.integer(section, "long_stale_days", "栏目算作长期未更新的天数", DEFAULT_LONG_STALE_DAYS, 1,
                                MAX_DAYS, path="inspection.long_stale_days")
    warn = reader.integer(section, "warn_days", "提前预警的天数", DEFAULT_WARN_DAYS, 0, MAX_WARN_DAYS,
                          path="inspection.warn_days")
    veto = VetoThresholds()
    veto_section = reader.section(section, "veto", "单项否决门槛", "stale_columns: 5")
    if veto_section is not None:
        reader.known_keys(veto_section, [key for key, _, _ in VETO_KEYS], "inspection.veto 一节")
        veto = VetoThresholds(**{key: reader.integer(veto_section, key, label, default, 1, 1000,
                                                     path=f"inspection.veto.{key}")
                                 for key, label, default in VETO_KEYS})
    return InspectionSettings(home, long_stale, warn, veto)


def read_update_days(reader: ConfigReader, item: LineDict, kind: ColumnKind | None) -> int | None:
    """A column's ``update_days``: as written, else its kind's default; None for an exempt kind."""
    days = item.get("update_days")
    if days is None:
        return kind.update_days if kind is not None else None
    if not isinstance(days, int) or isinstance(days, bool) or not 0 < days <= MAX_DAYS:
        reader.fail(item.line_of("update_days"),
                    f"update_days 应当是1到{MAX_DAYS}之间的正整数（天数），现在是“{shown(days)}”。",
                    "用阿拉伯数字写，例如 update_days: 14")
        return kind.update_days if kind is not None else None
    if kind is not None and kind.update_days is None:
        reader.fail(item.line_of("update_days"),
                    f"{kind.label}栏目（kind: {kind.id}）不受更新时限约束，update_days 不会起作用。",
                    "删掉 update_days 这一行；如果这个栏目需要定期更新，把 kind 改成 dynamic、notice 或 policy。")
        return None
    return days
