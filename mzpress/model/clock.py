"""The build time: what "now" means for scheduled publishing and publicity periods."""

from __future__ import annotations

import datetime as dt
import os

from mzpress.model.findings import FindingsError, error
from mzpress.model.schema import TIMEZONE, parse_datetime

BUILD_DATE_ENV = "MZPRESS_BUILD_DATE"


def build_time(value: str | None = None) -> dt.datetime:
    """``value`` or $MZPRESS_BUILD_DATE (ISO date or datetime, Asia/Shanghai), else the current time."""
    text = value if value is not None else os.environ.get(BUILD_DATE_ENV, "")
    if not text.strip():
        return dt.datetime.now(TIMEZONE)
    parsed = parse_datetime(text)
    if parsed is None:
        raise FindingsError([error(
            "config.build-date", BUILD_DATE_ENV, None, f"构建时间“{text}”不是有效日期。",
            "写成 2026-11-30 或 2026-11-30 08:00，或者不设置，使用当前时间。")])
    if len(text.strip()) <= 10:  # a bare date means the end of that day
        parsed = parsed.replace(hour=23, minute=59, second=59)
    return parsed
