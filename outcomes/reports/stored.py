"""Reach reports built once per change of the data they count, and kept in the cache.

A report reads every completed presentation of its range (five queries and a pass in Python);
the page, its map and its CSV files (all rendered from these figures) are read far more often
than the data changes. So the figures are stored under the data versions of the schedule
(bookings, requests, presenters), the outcomes (evaluations, survey answers) and the catalog
(the presentations' titles), with the range and the language: any write to those makes the
stored figures unreachable at once (common.versions; no expiry stands in for that).

What is stored is the report without its per-presentation lines (``ReachReport.lines``), which
hold the requesters' details: the per-presentation CSV is always built from the database, so
personal data never enters the cache.
"""

from dataclasses import replace
from datetime import date

from common.pagecache import stored_key, value_stored_or_build
from common.versions import CATALOG, OUTCOMES, SCHEDULE
from outcomes.reports.reach import ReachReport, reach_report

REPORT_SCOPES = (CATALOG, SCHEDULE, OUTCOMES)


def reach_figures(*, start: date, end: date) -> ReachReport:
    """``reach_report`` for the range without its ``lines``: from the cache while the data has not changed."""
    key = stored_key("reach", scopes=REPORT_SCOPES, parts=[start.isoformat(), end.isoformat()])
    return value_stored_or_build(key, lambda: replace(reach_report(start=start, end=end), lines=[]))
