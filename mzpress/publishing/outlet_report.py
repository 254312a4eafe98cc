"""The report's outlet table (对外报送与录用): per outlet of outlets.yml, the stories sent to it and adopted by it.

* **sent (对外报送)**: ``submitted_to`` entries (written by ``mzpress export --record``) of stories on
  the main line whose date falls in the period and is not after the report's day, one per entry
  (篇次). A story is counted whether or not the site has published it: a story may be sent up first.
  An entry that ``mzpress check`` rejects is skipped, with a note naming the file and line.
* **adopted (录用)**: the ``adopted_by`` entries the report counts (published stories, see
  :mod:`mzpress.publishing.information_report`), per outlet instead of per level.

Pure: it reads the facts the report gathered for every story.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mzpress.model.config import SiteConfig
from mzpress.model.report_period import ReportPeriod, month_of
from mzpress.model.schema import TIMEZONE

if TYPE_CHECKING:
    from mzpress.publishing.information_report import StoryFacts


@dataclass(frozen=True)
class OutletRow:
    outlet_id: str
    name: str
    level: str  # county | city | province | national
    submitted: int  # 对外报送, entries in the period
    adopted: int  # 录用, entries in the period


def outlet_rows(facts: Iterable[StoryFacts], config: SiteConfig, period: ReportPeriod,
                at: dt.datetime) -> tuple[OutletRow, ...]:
    """One row per outlet of outlets.yml, in its order (an outlet with nothing in the period has zeros)."""
    months = set(period.months)
    today = at.astimezone(TIMEZONE).date()
    sent: dict[str, int] = {}
    adopted: dict[str, int] = {}
    for story in facts:
        for entry in story.submissions:
            if entry.date <= today and month_of(entry.date) in months:
                sent[entry.outlet] = sent.get(entry.outlet, 0) + 1
        for entry in story.adoptions:
            if entry.date <= today and month_of(entry.date) in months:
                adopted[entry.outlet] = adopted.get(entry.outlet, 0) + 1
    return tuple(OutletRow(outlet.id, outlet.name, outlet.level, sent.get(outlet.id, 0), adopted.get(outlet.id, 0))
                 for outlet in config.outlets.outlets)
