"""Reach reports for funders: presentations delivered, people reached, where, in which sectors.

``reach_report(start=, end=)`` reads everything in five queries, whatever the range holds, and
builds every table in Python. The page, the CSV files and the map all render that one
ReachReport, so their numbers are equal by construction. Date ranges are in report_periods,
the evaluation and survey tables in report_tables, the per-presentation CSV in report_exports.

Rules:
- A presentation counts when it was completed and it started within the range (local dates,
  both ends included).
- People reached: the attendance recorded at completion; where none was recorded, the expected
  audience size, counted as estimated (and shown as such).
- Organizations served: distinct organization names (case and spacing ignored); a request whose
  personal data was erased counts by the key kept in place of its name (``organization_key``).
- Presenters: the lead and every co-presenter are each credited with the whole presentation,
  so that table does not add up to the total.
- Requests: received = submitted within the range; declined, cancelled, expired, withdrawn = now
  in that status, having reached it within the range. A decision is the first approve, decline
  or accepted-proposal audit entry, or else the status change of a request now scheduled or
  declined; the median counts decisions made within the range.
"""

import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Case, Count, F, Min, Prefetch, Q, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from outcomes.models import KnowsWhereToGetHelp, SurveyResponse
from outcomes.reports.periods import month_from_ordinal, month_ordinal, period_bounds
from outcomes.reports.tables import COL_MEASURE, COL_ORGANIZATIONS, COL_VALUE, ROW_TOTAL, Table, evaluation_tables
from outreach.enums import COUNTY_CHOICES, OUTSIDE_MINNESOTA, OrganizationType, RequestStatus
from outreach.models import PresentationRequest
from scheduling.models import Booking, Presenter

METRO_COUNTIES = frozenset({"anoka", "carver", "dakota", "hennepin", "ramsey", "scott", "washington"})
DECISION_ACTIONS = ("approve", "decline", "accept_proposal")
COUNTY_NAMES = dict(COUNTY_CHOICES)

REGIONS = {
    "metro": _("Twin Cities seven-county metro"),
    "greater_mn": _("Greater Minnesota"),
    "outside_mn": _("Outside Minnesota"),
}
AUDIENCE_GROUPS = {"youth": _("Youth (under 18)"), "adult": _("Adults")}

COL_PRESENTATIONS = _("Presentations")
COL_PEOPLE = _("People reached")
COL_ESTIMATED = _("of which estimated")


def region_of(county: str) -> str:
    if county == OUTSIDE_MINNESOTA:
        return "outside_mn"
    return "metro" if county in METRO_COUNTIES else "greater_mn"


# --- Rows -----------------------------------------------------------------------------------------


def organization_key(name: str) -> str:
    """What organizations are counted by: the name with case and spacing ignored, as a keyed hash
    (SECRET_KEY), so that a request whose name was erased still counts as the same organization and
    a copy of the database alone cannot tell which organization an erased request came from."""
    normal = " ".join(name.casefold().split())
    return salted_hmac("outcomes.reach.organization", normal, algorithm="sha256").hexdigest()[:32]


def _organization_of(request: PresentationRequest) -> str:
    return request.organization_key or organization_key(request.organization_name)


@dataclass
class Reach:
    presentations: int = 0
    people: int = 0
    estimated: int = 0
    organizations: set = field(default_factory=set)

    def add(self, line: "BookingLine") -> None:
        self.presentations += 1
        self.people += line.people
        self.estimated += line.people if line.estimated else 0
        self.organizations.add(line.organization_key)

    def cells(self, label: str) -> list:
        return [label, self.presentations, len(self.organizations), self.people, self.estimated]


@dataclass
class BookingLine:
    """A completed presentation with what the report needs to know about it."""

    booking: Booking
    people: int
    estimated: bool
    organization_key: str
    survey_responses: int = 0
    survey_before_sum: int = 0
    survey_after_sum: int = 0
    survey_knows_help: int = 0
    survey_not_sure: int = 0

    @property
    def request(self) -> PresentationRequest:
        return self.booking.request


def _breakdown(
    lines: list[BookingLine],
    key: Callable[[BookingLine], str],
    labels: dict[str, str],
    *,
    keep_empty: bool,
    order: Callable[[tuple[str, Reach]], object] | None = None,
) -> tuple[list[list], list]:
    """Rows [label, presentations, organizations, people, estimated] per key, and the total row."""
    groups: dict[str, Reach] = {k: Reach() for k in labels} if keep_empty else {}
    total = Reach()
    for line in lines:
        groups.setdefault(key(line), Reach()).add(line)
        total.add(line)
    items = list(groups.items())
    if order is not None:
        items.sort(key=order)
    rows = [reach.cells(str(labels.get(k, k))) for k, reach in items]
    return rows, total.cells(str(ROW_TOTAL))


def _by_people_then_label(labels: dict) -> Callable[[tuple[str, Reach]], object]:
    return lambda item: (-item[1].people, -item[1].presentations, str(labels.get(item[0], item[0])))


# --- The report ---------------------------------------------------------------------------------


@dataclass
class MonthRow:
    label: str
    presentations: int
    counted: int
    estimated: int

    @property
    def people(self) -> int:
        return self.counted + self.estimated


@dataclass
class ReachReport:
    start: date
    end: date
    lines: list[BookingLine]
    presentations: int
    people: int
    people_estimated: int
    organizations: int
    counties_reached: int
    county_people: dict[str, int]
    county_presentations: dict[str, int]
    months: list[MonthRow]
    tables: dict[str, Table]


def _completed_in(start_at: datetime, end_at: datetime) -> Q:
    return Q(request__status=RequestStatus.COMPLETED, start__gte=start_at, start__lt=end_at)


def _booking_lines(start_at: datetime, end_at: datetime) -> list[BookingLine]:
    """Queries 1 to 3: the completed bookings (with request, presentation, lead and evaluation),
    their co-presenters, and the survey answers summed per booking."""
    bookings = (
        Booking.objects.filter(_completed_in(start_at, end_at))
        .select_related("request__presentation", "request__audience", "lead_presenter", "evaluation")
        .prefetch_related(Prefetch("co_presenters", queryset=Presenter.objects.order_by("name", "pk")))
        .order_by("start", "pk")
    )
    lines = []
    for booking in bookings:
        request = booking.request
        estimated = booking.actual_attendance is None
        lines.append(
            BookingLine(
                booking=booking,
                people=request.audience_size if estimated else booking.actual_attendance,
                estimated=estimated,
                organization_key=_organization_of(request),
            )
        )
    survey = (
        SurveyResponse.objects.filter(
            booking__request__status=RequestStatus.COMPLETED,
            booking__start__gte=start_at,
            booking__start__lt=end_at,
        )
        .values("booking_id")
        .annotate(
            n=Count("pk"),
            before=Sum("understanding_before"),
            after=Sum("understanding_after"),
            knows=Count("pk", filter=Q(knows_where_to_get_help=KnowsWhereToGetHelp.YES)),
            not_sure=Count("pk", filter=Q(knows_where_to_get_help=KnowsWhereToGetHelp.NOT_SURE)),
        )
        .order_by()
    )
    by_booking = {row["booking_id"]: row for row in survey}
    for line in lines:
        row = by_booking.get(line.booking.pk)
        if row:
            line.survey_responses, line.survey_before_sum, line.survey_after_sum = row["n"], row["before"], row["after"]
            line.survey_knows_help, line.survey_not_sure = row["knows"], row["not_sure"]
    return lines


def _request_counts(start_at: datetime, end_at: datetime) -> dict[str, int]:
    """Query 4: requests received, and those that reached an end status within the range."""
    changed = Q(status_changed_at__gte=start_at, status_changed_at__lt=end_at)
    return PresentationRequest.objects.aggregate(
        received=Count("pk", filter=Q(submitted_at__gte=start_at, submitted_at__lt=end_at)),
        declined=Count("pk", filter=changed & Q(status=RequestStatus.DECLINED)),
        cancelled=Count("pk", filter=changed & Q(status=RequestStatus.CANCELLED)),
        expired=Count("pk", filter=changed & Q(status=RequestStatus.EXPIRED)),
        withdrawn=Count("pk", filter=changed & Q(status=RequestStatus.WITHDRAWN)),
    )


def _decision_days(start_at: datetime, end_at: datetime) -> list[float]:
    """Query 5: days from submission to decision, for decisions made within the range."""
    decided = (
        PresentationRequest.objects.annotate(
            first_decision=Min("audit_entries__at", filter=Q(audit_entries__action__in=DECISION_ACTIONS))
        )
        .annotate(
            decided_at=Coalesce(
                "first_decision",
                Case(
                    When(status__in=[RequestStatus.SCHEDULED, RequestStatus.DECLINED], then=F("status_changed_at")),
                    default=None,
                ),
            )
        )
        .filter(decided_at__gte=start_at, decided_at__lt=end_at)
        .values_list("submitted_at", "decided_at")
    )
    return [(decided_at - submitted_at).total_seconds() / 86400 for submitted_at, decided_at in decided]


def _months(start: date, end: date, lines: list[BookingLine]) -> list[MonthRow]:
    rows = {}
    for ordinal in range(month_ordinal(start), month_ordinal(end) + 1):
        month = month_from_ordinal(ordinal)
        rows[ordinal] = MonthRow(f"{month:%b %Y}", 0, 0, 0)
    for line in lines:
        row = rows[month_ordinal(timezone.localtime(line.booking.start).date())]
        row.presentations += 1
        if line.estimated:
            row.estimated += line.people
        else:
            row.counted += line.people
    return list(rows.values())


def _presenter_rows(lines: list[BookingLine]) -> list[list]:
    credit: dict[int, dict] = {}
    for line in lines:
        booking = line.booking
        for presenter, role in [(booking.lead_presenter, "lead")] + [(p, "co") for p in booking.co_presenters.all()]:
            entry = credit.setdefault(presenter.pk, {"name": presenter.name, "lead": 0, "co": 0, "reach": Reach()})
            entry[role] += 1
            entry["reach"].add(line)
    return [
        [e["name"], e["lead"], e["co"], e["reach"].presentations, e["reach"].people, e["reach"].estimated]
        for e in sorted(credit.values(), key=lambda e: (e["name"].casefold(), e["name"]))
    ]


def reach_report(*, start: date, end: date) -> ReachReport:
    """Everything the reach report shows for presentations from ``start`` to ``end`` (both included)."""
    start_at, end_at = period_bounds(start, end)
    lines = _booking_lines(start_at, end_at)
    requests = _request_counts(start_at, end_at)
    decision_days = _decision_days(start_at, end_at)

    total = Reach()
    for line in lines:
        total.add(line)
    county_labels = {value: str(name) for value, name in COUNTY_CHOICES}
    county_rows, county_total = _breakdown(
        lines,
        lambda line: line.request.county,
        county_labels,
        keep_empty=False,
        order=_by_people_then_label(county_labels),
    )
    region_rows, region_total = _breakdown(lines, lambda line: region_of(line.request.county), REGIONS, keep_empty=True)
    type_rows, type_total = _breakdown(
        lines, lambda line: line.request.organization_type, dict(OrganizationType.choices), keep_empty=True
    )
    audience_rows, audience_total = _breakdown(
        lines, lambda line: "youth" if line.request.is_youth_audience else "adult", AUDIENCE_GROUPS, keep_empty=True
    )
    titles = {str(line.request.presentation_id): line.request.presentation.title for line in lines}
    presentation_rows, presentation_total = _breakdown(
        lines,
        lambda line: str(line.request.presentation_id),
        titles,
        keep_empty=False,
        order=_by_people_then_label(titles),
    )
    months = _months(start, end, lines)
    county_people: dict[str, int] = defaultdict(int)
    county_presentations: dict[str, int] = defaultdict(int)
    for line in lines:
        county_people[line.request.county] += line.people
        county_presentations[line.request.county] += 1

    reach_columns = [str(COL_PRESENTATIONS), str(COL_ORGANIZATIONS), str(COL_PEOPLE), str(COL_ESTIMATED)]
    median = statistics.median(decision_days) if decision_days else None
    tables = [
        Table(
            "summary",
            str(_("Summary")),
            [str(COL_MEASURE), str(COL_VALUE)],
            [
                [str(_("Presentations delivered")), total.presentations],
                [str(_("People reached")), total.people],
                [str(_("People reached, of which estimated")), total.estimated],
                [str(_("Organizations served")), len(total.organizations)],
                [str(_("Minnesota counties reached")), sum(1 for c in county_people if c != OUTSIDE_MINNESOTA)],
            ],
        ),
        Table("regions", str(_("By region")), [str(_("Region")), *reach_columns], region_rows, region_total),
        Table("counties", str(_("By county")), [str(_("County")), *reach_columns], county_rows, county_total),
        Table(
            "organization_types",
            str(_("By type of organization")),
            [str(_("Type of organization")), *reach_columns],
            type_rows,
            type_total,
        ),
        Table("audiences", str(_("By audience")), [str(_("Audience")), *reach_columns], audience_rows, audience_total),
        Table(
            "presentations",
            str(_("By presentation")),
            [str(_("Presentation")), *reach_columns],
            presentation_rows,
            presentation_total,
        ),
        Table(
            "presenters",
            str(_("By presenter")),
            [
                str(_("Presenter")),
                str(_("As lead")),
                str(_("As co-presenter")),
                str(COL_PRESENTATIONS),
                str(COL_PEOPLE),
                str(COL_ESTIMATED),
            ],
            _presenter_rows(lines),
            note=str(
                _("Each presenter is credited with the whole presentation, so the rows do not add up to the total.")
            ),
        ),
        Table(
            "months",
            str(_("By month")),
            [str(_("Month")), str(COL_PRESENTATIONS), str(COL_PEOPLE), str(COL_ESTIMATED)],
            [[m.label, m.presentations, m.people, m.estimated] for m in months],
            [str(ROW_TOTAL), total.presentations, total.people, total.estimated],
        ),
        *evaluation_tables(lines),
        Table(
            "requests",
            str(_("Requests")),
            [str(COL_MEASURE), str(COL_VALUE)],
            [
                [str(_("Requests received")), requests["received"]],
                [str(_("Declined")), requests["declined"]],
                [str(_("Cancelled")), requests["cancelled"]],
                [str(_("Expired without a decision")), requests["expired"]],
                [str(_("Withdrawn by the requester")), requests["withdrawn"]],
                [str(_("Decisions made (scheduled or declined)")), len(decision_days)],
                [str(_("Median days from request to decision")), f"{median:.1f}" if median is not None else None],
            ],
        ),
    ]
    return ReachReport(
        start=start,
        end=end,
        lines=lines,
        presentations=total.presentations,
        people=total.people,
        people_estimated=total.estimated,
        organizations=len(total.organizations),
        counties_reached=sum(1 for c in county_people if c != OUTSIDE_MINNESOTA),
        county_people=dict(county_people),
        county_presentations=dict(county_presentations),
        months=months,
        tables={table.key: table for table in tables},
    )
