"""Reach reports: numbers for a fixture with hand-computed totals, the CSV files, the map and who may see them.

The fixture covers January to March 2026 (Central time). In range, five completed presentations:

    ref  day      county      region   org type     youth  attendance      presentation  lead / co
    A    Jan 15   hennepin    metro    school       yes    120             Schools       alex / jordan
    B    Feb 3    ramsey      metro    faith        no     40              Schools       jordan
    C    Feb 20   st_louis    greater  health_care  no     none (60 exp.)  Online        alex
    D    Mar 10   hennepin    metro    school       yes    30              Online        alex
    E    Mar 31   outside_mn  outside  business     no     25              Schools       jordan / alex
         (20:00 Central, already April 1 in UTC)

A and D are the same organization ("Roosevelt High School" and " roosevelt  HIGH school").
Left out: one on Dec 31 2025 at 20:00 Central (January 1 in UTC), one on April 1, one in range
still scheduled, one in range cancelled.
"""

import csv
import io
import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from itertools import pairwise

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.times import MSG_DATE_RANGE
from outcomes.forms import MSG_DATE_INVALID, MSG_RANGE_ORDER
from outcomes.management.commands.prepare_county_shapes import arcs_decode, path_data, ring_points
from outcomes.models import HostEvaluation, SurveyResponse
from outcomes.reports.county_map import CLASS_COLOURS, EMPTY_COLOUR, colour_classes, county_shapes
from outcomes.reports.periods import grant_year_of, quarter_of, report_periods
from outcomes.reports.reach import reach_report
from outreach.enums import CLOSED_STATUSES, COUNTY_CHOICES, OUTSIDE_MINNESOTA, Format, OrganizationType, RequestStatus
from outreach.models import PresentationRequest
from scheduling.models import AuditEntry, Booking, Presenter
from scheduling.services import review
from scheduling.services.retention import request_erase
from scheduling.services.review import Plan, booking_cancel, booking_complete
from tests.factories import CENTRAL, LanguageFactory, PresentationFactory, PresentationRequestFactory, days_ahead

pytestmark = pytest.mark.django_db

Q1 = {"start": "2026-01-01", "end": "2026-03-31"}


def at(year, month, day, hour=10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=CENTRAL)


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("sam", "sam@outreach.test", "pw", is_staff=True)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def talks():
    return {
        "schools": PresentationFactory(title="Recognizing and Responding: Schools"),
        "online": PresentationFactory(title="Online Recruitment"),
    }


@pytest.fixture
def presenters(talks):
    people = {}
    for name in ("Alex Rivera", "Jordan Lee"):
        presenter = Presenter.objects.create(name=name, email=f"{name.split()[0].lower()}@presenters.test")
        presenter.presentations.set(talks.values())
        presenter.languages.add(LanguageFactory())
        people[name.split()[0].lower()] = presenter
    return people


class Builder:
    """Makes bookings through the review service, then moves them to the past to complete them."""

    def __init__(self, staff, presenters, talks, *, first_day=20):
        self.staff, self.presenters, self.talks = staff, presenters, talks
        self.day = first_day

    def booking(self, *, start, talk, lead, co=(), attendance=0, complete=True, **request_fields) -> Booking:
        request = PresentationRequestFactory(presentation=self.talks[talk], **request_fields)
        self.day += 1
        future = days_ahead(self.day, 10)
        plan = Plan(
            future,
            future + timedelta(hours=1),
            self.presenters[lead],
            [self.presenters[p] for p in co],
            Format.IN_PERSON,
            "Room 1",
        )
        booking = review.request_approve(request=request, by=self.staff, plan=plan)
        Booking.objects.filter(pk=booking.pk).update(start=start, end=start + timedelta(hours=1))
        if complete:
            booking_complete(request=request, by=self.staff, attendance=attendance or 0)
            if attendance is None:
                Booking.objects.filter(pk=booking.pk).update(actual_attendance=None)
        booking.refresh_from_db()
        return booking


@pytest.fixture
def fixture(staff, presenters, talks):
    make = Builder(staff, presenters, talks).booking
    school, faith, health, business = (
        OrganizationType.SCHOOL,
        OrganizationType.FAITH,
        OrganizationType.HEALTH_CARE,
        OrganizationType.BUSINESS,
    )
    bookings = {
        "A": make(start=at(2026, 1, 15), talk="schools", lead="alex", co=["jordan"], attendance=120,
                  county="hennepin", organization_type=school, is_youth_audience=True,
                  organization_name="Roosevelt High School", reference="A"),
        "B": make(start=at(2026, 2, 3), talk="schools", lead="jordan", attendance=40, county="ramsey",
                  organization_type=faith, organization_name="St. Paul Faith Center", reference="B"),
        "C": make(start=at(2026, 2, 20), talk="online", lead="alex", attendance=None, audience_size=60,
                  county="st_louis", organization_type=health, organization_name="Duluth Clinic", reference="C"),
        "D": make(start=at(2026, 3, 10), talk="online", lead="alex", attendance=30, county="hennepin",
                  organization_type=school, is_youth_audience=True, organization_name=" roosevelt  HIGH school",
                  reference="D"),
        "E": make(start=at(2026, 3, 31, 20), talk="schools", lead="jordan", co=["alex"], attendance=25,
                  county="outside_mn", organization_type=business, organization_name="=HYPERLINK(\"x\")",
                  reference="E"),
        # Outside the range, or not completed:
        "F": make(start=at(2025, 12, 31, 20), talk="schools", lead="alex", attendance=500, county="hennepin",
                  reference="F"),
        "G": make(start=at(2026, 4, 1, 10), talk="schools", lead="alex", attendance=500, county="anoka",
                  reference="G"),
        "H": make(start=at(2026, 2, 10), talk="schools", lead="alex", complete=False, county="dakota",
                  reference="H"),
    }  # fmt: skip
    cancelled = make(start=at(2026, 2, 11), talk="schools", lead="jordan", complete=False, county="dakota")
    booking_cancel(request=cancelled.request, by=staff, reason="Closed")
    Booking.objects.filter(pk=cancelled.pk).update(start=at(2026, 2, 11), end=at(2026, 2, 11, 11))

    HostEvaluation.objects.create(
        booking=bookings["A"], rating=5, usefulness=4, confirmed_attendance=118,
        next_step="train_staff", would_request_again="yes",
    )  # fmt: skip
    HostEvaluation.objects.create(
        booking=bookings["C"], rating=4, usefulness=5, confirmed_attendance=55,
        next_step="update_policy", would_request_again="maybe",
    )  # fmt: skip
    HostEvaluation.objects.create(
        booking=bookings["F"], rating=1, usefulness=1, confirmed_attendance=1, next_step="other",
        would_request_again="no",
    )  # fmt: skip
    for booking, before, after, knows in [
        ("A", 2, 4, "yes"),
        ("A", 1, 5, "yes"),
        ("A", 3, 3, "not_sure"),
        ("B", 2, 4, "no"),
        ("F", 5, 1, "no"),
    ]:
        SurveyResponse.objects.create(
            booking=bookings[booking],
            understanding_before=before,
            understanding_after=after,
            knows_where_to_get_help=knows,
        )
    # Requests' own dates are "now"; move them out of the range so the request counts are the other test's.
    PresentationRequest.objects.update(submitted_at=at(2025, 6, 1), status_changed_at=at(2025, 6, 1))
    AuditEntry.objects.update(at=at(2025, 6, 1))
    return bookings


def table(report, key):
    return report.tables[key].all_rows()


# --- The numbers -----------------------------------------------------------------------------


def test_report_totals_and_estimated_attendance(fixture):
    report = reach_report(start=at(2026, 1, 1).date(), end=at(2026, 3, 31).date())

    assert [line.request.reference for line in report.lines] == ["A", "B", "C", "D", "E"]
    assert (report.presentations, report.people, report.people_estimated) == (5, 275, 60)
    assert (report.organizations, report.counties_reached) == (4, 3)
    assert table(report, "summary") == [
        ["Presentations delivered", 5],
        ["People reached", 275],
        ["People reached, of which estimated", 60],
        ["Organizations served", 4],
        ["Minnesota counties reached", 3],
    ]


def test_report_metro_greater_minnesota_and_outside(fixture):
    report = reach_report(start=at(2026, 1, 1).date(), end=at(2026, 3, 31).date())

    assert table(report, "regions") == [
        ["Twin Cities seven-county metro", 3, 2, 190, 0],
        ["Greater Minnesota", 1, 1, 60, 60],
        ["Outside Minnesota", 1, 1, 25, 0],
        ["Total", 5, 4, 275, 60],
    ]
    assert table(report, "counties") == [
        ["Hennepin", 2, 1, 150, 0],
        ["St. Louis", 1, 1, 60, 60],
        ["Ramsey", 1, 1, 40, 0],
        ["Outside Minnesota", 1, 1, 25, 0],
        ["Total", 5, 4, 275, 60],
    ]


def test_report_by_sector_audience_presentation_and_month(fixture):
    report = reach_report(start=at(2026, 1, 1).date(), end=at(2026, 3, 31).date())

    types = {row[0]: row[1:] for row in table(report, "organization_types")}
    assert types["School"] == [2, 1, 150, 0]
    assert types["Faith community"] == [1, 1, 40, 0]
    assert types["Health care"] == [1, 1, 60, 60]
    assert types["Business"] == [1, 1, 25, 0]
    assert types["Law enforcement"] == [0, 0, 0, 0]
    assert types["Total"] == [5, 4, 275, 60]
    assert len(types) == len(OrganizationType.choices) + 1
    assert table(report, "audiences") == [
        ["Youth (under 18)", 2, 1, 150, 0],
        ["Adults", 3, 3, 125, 60],
        ["Total", 5, 4, 275, 60],
    ]
    assert table(report, "presentations") == [
        ["Recognizing and Responding: Schools", 3, 3, 185, 0],
        ["Online Recruitment", 2, 2, 90, 60],
        ["Total", 5, 4, 275, 60],
    ]
    assert table(report, "months") == [
        ["Jan 2026", 1, 120, 0],
        ["Feb 2026", 2, 100, 60],
        ["Mar 2026", 2, 55, 0],
        ["Total", 5, 275, 60],
    ]


def test_report_credits_lead_and_co_presenters_each(fixture):
    report = reach_report(start=at(2026, 1, 1).date(), end=at(2026, 3, 31).date())

    assert table(report, "presenters") == [
        ["Alex Rivera", 3, 1, 4, 235, 60],
        ["Jordan Lee", 2, 1, 3, 185, 0],
    ]


def test_report_evaluation_and_survey_averages(fixture):
    report = reach_report(start=at(2026, 1, 1).date(), end=at(2026, 3, 31).date())

    assert table(report, "evaluations") == [
        ["Presentations delivered", 5],
        ["Evaluations returned", 2],
        ["Response rate", "40%"],
        ["Average overall rating (1 to 5)", "4.5"],
        ["Average usefulness for the audience (1 to 5)", "4.5"],
        ["Would request again: Yes", 1],
        ["Would request again: Maybe", 1],
        ["Would request again: No", 0],
        ["People attending, as confirmed by the hosts who answered", 173],
    ]
    assert dict(table(report, "next_steps"))["Train more staff or volunteers"] == 1
    assert dict(table(report, "next_steps"))["Write or update a policy or protocol"] == 1
    assert table(report, "next_steps")[-1] == ["Total", 2]
    assert table(report, "survey") == [
        ["Answers", 4],
        ["Presentations with answers", 2],
        ["Average understanding before (1 to 5)", "2.0"],
        ["Average understanding after (1 to 5)", "4.0"],
        ["Average change in understanding", "+2.0"],
        ["Know where to get help: yes", 2],
        ["Know where to get help: not sure", 1],
        ["Know where to get help: no", 1],
        ["Share who know where to get help", "50%"],
    ]


def request_at(status, submitted, changed=None, actions=()):
    request = PresentationRequestFactory(status=status)
    PresentationRequest.objects.filter(pk=request.pk).update(
        submitted_at=submitted, status_changed_at=changed or submitted
    )
    for action, when in actions:
        entry = AuditEntry.objects.create(request=request, actor="staff", action=action, to_status=status)
        AuditEntry.objects.filter(pk=entry.pk).update(at=when)
    return request


def test_report_shows_survey_answers_per_presentation_so_stuffing_stands_out(fixture):
    for _ in range(45):
        SurveyResponse.objects.create(
            booking=fixture["B"], understanding_before=1, understanding_after=5, knows_where_to_get_help="yes"
        )

    report = reach_report(start=at(2026, 1, 1).date(), end=at(2026, 3, 31).date())

    assert table(report, "survey_by_presentation") == [
        ["A", "2026-01-15", fixture["A"].request.presentation.title, 120, 3, "2%", None],
        [
            "B",
            "2026-02-03",
            fixture["B"].request.presentation.title,
            40,
            46,
            "115%",
            "More answers than people reached",
        ],
    ]


def test_report_requests_and_median_days_to_decision():
    S = RequestStatus
    request_at(S.SCHEDULED, at(2026, 1, 5), actions=[("approve", at(2026, 1, 8))])  # 3 days
    request_at(
        S.DECLINED,
        at(2026, 1, 10),
        at(2026, 1, 20),
        actions=[("propose", at(2026, 1, 12)), ("decline", at(2026, 1, 20))],
    )  # 10 days (a proposal is not a decision)
    request_at(S.SCHEDULED, at(2026, 2, 1, 10), at(2026, 2, 2, 22))  # no audit entry: 1.5 days
    request_at(S.EXPIRED, at(2026, 3, 1), at(2026, 3, 20))
    request_at(S.CANCELLED, at(2025, 12, 20), at(2026, 2, 10), actions=[("approve", at(2025, 12, 22))])
    request_at(S.WITHDRAWN, at(2026, 3, 5), at(2026, 3, 6))
    request_at(S.SUBMITTED, at(2026, 3, 10))
    request_at(S.SUBMITTED, at(2026, 4, 2))
    request_at(S.COMPLETED, at(2025, 11, 1), at(2026, 2, 1))  # completed in range, decided before: no decision

    report = reach_report(start=at(2026, 1, 1).date(), end=at(2026, 3, 31).date())

    assert table(report, "requests") == [
        ["Requests received", 6],
        ["Declined", 1],
        ["Cancelled", 1],
        ["Expired without a decision", 1],
        ["Withdrawn by the requester", 1],
        ["Decisions made (scheduled or declined)", 3],
        ["Median days from request to decision", "3.0"],
    ]


def test_report_is_a_constant_number_of_queries(fixture, staff, presenters, talks, django_assert_num_queries):
    with django_assert_num_queries(5):
        reach_report(start=at(2026, 1, 1).date(), end=at(2026, 3, 31).date())
    make = Builder(staff, presenters, talks, first_day=60).booking
    for n in range(4):
        make(start=at(2026, 1, 20 + n), talk="online", lead="jordan", co=["alex"], attendance=10, county="clay")

    with django_assert_num_queries(5):
        report = reach_report(start=at(2026, 1, 1).date(), end=at(2026, 3, 31).date())

    assert report.presentations == 9


def test_report_page_is_a_constant_number_of_queries(staff_client, fixture, django_assert_num_queries):
    with CaptureQueriesContext(connection) as one_presentation:
        staff_client.get("/staff/reports/", {"start": "2025-12-01", "end": "2025-12-31"})  # one presentation

    with django_assert_num_queries(len(one_presentation)):  # the layout's few, then the report's five
        response = staff_client.get("/staff/reports/", Q1)

    assert response.status_code == 200
    assert (
        len([q for q in one_presentation.captured_queries if "scheduling_" in q["sql"] or "outreach_" in q["sql"]]) >= 5
    )


def test_empty_range_renders(staff_client):
    response = staff_client.get("/staff/reports/", Q1)

    assert response.status_code == 200
    assert '<p class="stat" id="stat-presentations">0</p>' in response.text
    assert "No presentations in this range." in response.text


# --- Periods ---------------------------------------------------------------------------------


def test_default_period_is_the_current_quarter(staff_client):
    today = timezone.localdate()
    start, end = quarter_of(today)

    response = staff_client.get("/staff/reports/")

    assert response.status_code == 200
    assert f'name="start" value="{start:%Y-%m-%d}"' in response.text
    assert f'name="end" value="{end:%Y-%m-%d}"' in response.text
    assert 'aria-current="page">This quarter' in response.text


def test_quarters_and_grant_years_follow_the_settings(settings):
    day = at(2026, 2, 14).date()

    assert quarter_of(day) == (at(2026, 1, 1).date(), at(2026, 3, 31).date())
    assert quarter_of(day, -1) == (at(2025, 10, 1).date(), at(2025, 12, 31).date())
    assert grant_year_of(day) == (at(2025, 7, 1).date(), at(2026, 6, 30).date())
    assert grant_year_of(day, -1) == (at(2024, 7, 1).date(), at(2025, 6, 30).date())
    assert [p.label for p in report_periods(today=day)] == [
        "This quarter (Jan – Mar 2026)",
        "Previous quarter (Oct – Dec 2025)",
        "This grant year (Grant year 2025–26)",
        "Previous grant year (Grant year 2024–25)",
    ]
    settings.REPORT_QUARTER_START_MONTH = 2
    settings.REPORT_GRANT_YEAR_START_MONTH = 10
    assert quarter_of(day) == (at(2026, 2, 1).date(), at(2026, 4, 30).date())
    assert quarter_of(at(2026, 1, 31).date()) == (at(2025, 11, 1).date(), at(2026, 1, 31).date())
    assert grant_year_of(day) == (at(2025, 10, 1).date(), at(2026, 9, 30).date())


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-13-01", "end": "2026-03-31"}, "start", MSG_DATE_INVALID),
        ({"start": "2026-01-01", "end": "yesterday"}, "end", MSG_DATE_INVALID),
        ({"start": "2026-03-31", "end": "2026-01-01"}, "end", MSG_RANGE_ORDER),
        ({"end": "2026-01-01"}, "start", MSG_DATE_INVALID),
        ({"start": "9999-12-01", "end": "9999-12-31"}, "start", MSG_DATE_RANGE),
        ({"start": "2026-01-01", "end": "9999-12-31"}, "end", MSG_DATE_RANGE),
        ({"start": "1999-01-01", "end": "2026-01-01"}, "start", MSG_DATE_RANGE),
    ],
)
def test_bad_range_is_400_with_the_message_next_to_the_field(staff_client, query, field, message):
    response = staff_client.get("/staff/reports/", query)
    csv_response = staff_client.get("/staff/reports/counties.csv", query)

    assert response.status_code == 400
    assert f'<small class="error" id="id_{field}_error">{message}</small>' in response.text
    assert f'aria-describedby="id_{field}_error"' in response.text
    assert csv_response.status_code == 400


# --- CSV equals page -------------------------------------------------------------------------


class TableReader(HTMLParser):
    """The text of every cell of every <table id="table-..."> on a page, row by row."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = self._row = self._cell = None
        self._skip_row = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and (attrs.get("id") or "").startswith("table-"):
            self._table = self.tables.setdefault(attrs["id"].removeprefix("table-"), [])
        elif self._table is not None and tag == "tr":
            self._row, self._skip_row = [], attrs.get("class") == "empty"
        elif self._row is not None and tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if not self._skip_row:
                self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    reader = TableReader()
    reader.feed(html)
    return reader.tables


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def as_on_page(cell: str) -> str:
    """The CSV's plain numbers as the page groups them; an empty cell is a dash there."""
    if cell == "":
        return "—"
    return f"{int(cell):,}" if re.fullmatch(r"\d+", cell) else cell


def test_every_csv_equals_its_table_on_the_page(staff_client, fixture):
    page = staff_client.get("/staff/reports/", Q1)
    tables = page_tables(page.text)

    assert sorted(tables) == sorted(
        [
            "summary",
            "regions",
            "counties",
            "organization_types",
            "audiences",
            "presentations",
            "presenters",
            "months",
            "evaluations",
            "next_steps",
            "survey",
            "survey_by_presentation",
            "requests",
        ]
    )
    for key, rows in tables.items():
        response = staff_client.get(f"/staff/reports/{key}.csv", Q1)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="reach-{key}-2026-01-01-to-2026-03-31.csv"'
        assert [[as_on_page(c) for c in row] for row in csv_rows(response)] == rows, key


def test_summary_figures_on_the_page_match_the_tables(staff_client, fixture):
    text = staff_client.get("/staff/reports/", Q1).text

    assert '<p class="stat" id="stat-presentations">5</p>' in text
    assert '<p class="stat" id="stat-people">275</p>' in text
    assert "of which 60 estimated from the expected audience size" in text
    assert '<p class="stat" id="stat-organizations">4</p>' in text


# --- Stored figures ------------------------------------------------------------------------------


def _complete_h(fixture, staff, presenters):
    booking_complete(request=fixture["H"].request, by=staff, attendance=35)


def _survey_b(fixture, staff, presenters):
    SurveyResponse.objects.create(
        booking=fixture["B"], understanding_before=1, understanding_after=5, knows_where_to_get_help="yes"
    )


def _rename_talk(fixture, staff, presenters):
    talk = fixture["C"].request.presentation
    talk.title = "Online Recruitment and Safety"
    talk.save()


def _rename_presenter(fixture, staff, presenters):
    presenters["jordan"].name = "Jordan Lee-Okafor"
    presenters["jordan"].save()


@pytest.mark.parametrize(
    ("change", "key", "before", "after"),
    [
        (_complete_h, "summary", ["Presentations delivered", "5"], ["Presentations delivered", "6"]),
        (_survey_b, "survey", ["Answers", "4"], ["Answers", "5"]),
        (_rename_talk, "presentations", "Online Recruitment", "Online Recruitment and Safety"),
        (_rename_presenter, "presenters", "Jordan Lee", "Jordan Lee-Okafor"),
    ],
)
def test_a_change_in_the_data_changes_the_stored_report_and_its_csv(
    staff_client, fixture, staff, presenters, change, key, before, after
):
    def shown(rows: list[list[str]]) -> list:
        """The row ``before`` names (label and value), or which of the two names the table holds."""
        if isinstance(before, list):
            return [row[:2] for row in rows if row[0] == before[0]]
        return sorted({row[0] for row in rows} & {before, after})

    def page_and_csv() -> tuple[list, list]:
        page = page_tables(staff_client.get("/staff/reports/", Q1).text)[key]
        csv_file = csv_rows(staff_client.get(f"/staff/reports/{key}.csv", Q1))[1:]
        return shown(page), shown(csv_file)

    assert page_and_csv() == ([before], [before])

    change(fixture, staff, presenters)

    assert page_and_csv() == ([after], [after])


def test_report_is_read_from_the_database_once_per_change(staff_client, fixture):
    first = staff_client.get("/staff/reports/", Q1)
    with CaptureQueriesContext(connection) as again:
        second = staff_client.get("/staff/reports/", Q1)
        csv_file = staff_client.get("/staff/reports/counties.csv", Q1)
        map_file = staff_client.get("/staff/reports/map.svg", Q1)

    report_queries = [q["sql"] for q in again.captured_queries if "scheduling_booking" in q["sql"]]
    assert report_queries == []
    assert page_tables(second.text) == page_tables(first.text)
    assert [[as_on_page(c) for c in row] for row in csv_rows(csv_file)] == page_tables(first.text)["counties"]
    assert map_file.status_code == 200


def test_no_requester_detail_enters_the_cache(staff_client, fixture):
    staff_client.get("/staff/reports/", Q1)
    for key in ("summary", "counties", "survey_by_presentation", "bookings"):
        staff_client.get(f"/staff/reports/{key}.csv", {**Q1, "contacts": "on"})

    stored = b"".join(value for value in cache._cache.values() if isinstance(value, bytes))  # pickles
    assert b"Recognizing and Responding: Schools" in stored  # the figures are there
    for detail in ("dana@example.net", "Dana Whitfield", "Roosevelt High School", "Duluth Clinic"):
        assert detail.encode() not in stored, detail
    assert b"St. Paul Faith Center" not in stored


def test_report_is_built_when_the_cache_fails(staff_client, fixture, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)

    response = staff_client.get("/staff/reports/", Q1)

    assert response.status_code == 200
    assert '<p class="stat" id="stat-presentations">5</p>' in response.text
    assert "Page cache unreachable (ConnectionError on get): building the value." in caplog.text


def test_bookings_csv_leaves_out_contacts_unless_asked(staff_client, fixture):
    plain = csv_rows(staff_client.get("/staff/reports/bookings.csv", Q1))
    with_contacts = csv_rows(staff_client.get("/staff/reports/bookings.csv", {**Q1, "contacts": "on"}))

    assert [row[0] for row in plain[1:]] == ["A", "B", "C", "D", "E"]
    assert plain[0][:4] == ["Reference", "Date", "Presentation", "Organization"]
    flat = "\n".join(",".join(row) for row in plain)
    assert "dana@example.net" not in flat and "Dana Whitfield" not in flat and "100 Division St S" not in flat
    assert plain[0][-6:] != [
        "Contact name",
        "Contact role",
        "Contact email",
        "Contact phone",
        "Street address",
        "ZIP code",
    ]
    assert with_contacts[0][-6:] == [
        "Contact name",
        "Contact role",
        "Contact email",
        "Contact phone",
        "Street address",
        "ZIP code",
    ]
    assert with_contacts[1][-6:] == [
        "Dana Whitfield",
        "Youth director",
        "dana@example.net",
        "'+1 507-555-0142",  # a leading + would start a formula in a spreadsheet
        "100 Division St S",
        "55057",
    ]
    header = plain[0]
    row_c = dict(zip(header, plain[3], strict=True))
    assert (row_c["Attendance recorded"], row_c["People reached"], row_c["Estimated"]) == ("", "60", "yes")
    assert (row_c["Region"], row_c["County"]) == ("Greater Minnesota", "St. Louis")
    row_a = dict(zip(header, plain[1], strict=True))
    assert (row_a["Evaluation: overall rating"], row_a["Survey answers"], row_a["Co-presenters"]) == (
        "5",
        "3",
        "Jordan Lee",
    )
    row_e = dict(zip(header, plain[5], strict=True))
    assert row_e["Date"] == "2026-03-31"
    assert row_e["Organization"] == '\'=HYPERLINK("x")'  # no formula runs in a spreadsheet
    assert sum(int(row[header.index("People reached")]) for row in plain[1:]) == 275


def test_unknown_table_is_404(staff_client):
    assert staff_client.get("/staff/reports/nothing.csv", Q1).status_code == 404


# --- The map ---------------------------------------------------------------------------------


def county_fills(svg: str) -> dict[str, str]:
    return dict(re.findall(r'<path id="map-([a-z_]+)" d="[^"]*" fill="(#[0-9a-f]{6})"', svg))


def test_map_colours_the_counties_reached(staff_client, fixture):
    page = staff_client.get("/staff/reports/", Q1).text
    svg = page[page.index("<svg") : page.index("</svg>") + 6]

    fills = county_fills(svg)
    assert len(fills) == 87
    assert [(c.low, c.high) for c in colour_classes(150)] == [(1, 30), (31, 60), (61, 90), (91, 120), (121, 150)]
    assert {county: fill for county, fill in fills.items() if fill != EMPTY_COLOUR} == {
        "hennepin": CLASS_COLOURS[4],
        "st_louis": CLASS_COLOURS[1],
        "ramsey": CLASS_COLOURS[1],
    }
    assert "<title>Hennepin County: 150 people reached, 2 presentations</title>" in svg
    assert "<title>St. Louis County: 60 people reached, 1 presentation</title>" in svg
    assert "<title>Anoka County: No presentations</title>" in svg
    assert 'role="img" aria-labelledby="map-title map-desc"' in svg
    assert '<title id="map-title">People reached by county, Jan 1, 2026 to Mar 31, 2026</title>' in svg
    assert "3 counties reached" in svg


def test_map_download_is_the_same_svg(staff_client, fixture):
    page = staff_client.get("/staff/reports/", Q1).text
    response = staff_client.get("/staff/reports/map.svg", Q1)

    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response.content.decode() == page[page.index("<svg") : page.index("</svg>") + 6]


def test_colour_classes_are_round():
    assert colour_classes(0) == []
    assert [(c.low, c.high, c.colour) for c in colour_classes(3)] == [
        (1, 1, CLASS_COLOURS[0]),
        (2, 2, CLASS_COLOURS[2]),
        (3, 3, CLASS_COLOURS[4]),
    ]
    assert [(c.low, c.high) for c in colour_classes(60)] == [(1, 20), (21, 40), (41, 60)]
    assert [(c.low, c.high) for c in colour_classes(1234)] == [
        (1, 250),
        (251, 500),
        (501, 750),
        (751, 1000),
        (1001, 1250),
    ]


# --- Who may see it --------------------------------------------------------------------------


REPORT_URLS = [
    "/staff/reports/",
    "/staff/reports/map.svg",
    "/staff/reports/counties.csv",
    "/staff/reports/bookings.csv",
]


@pytest.mark.parametrize("url", REPORT_URLS)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url, Q1)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/staff/reports/")


@pytest.mark.parametrize("url", REPORT_URLS)
def test_signed_in_non_staff_get_403(client, django_user_model, url):
    client.force_login(django_user_model.objects.create_user("pat", "pat@example.org", "pw"))

    response = client.get(url, {**Q1, "contacts": "on"})

    assert response.status_code == 403
    assert "dana@example.net" not in response.content.decode()


def test_committed_county_shapes_cover_minnesota():
    shapes = county_shapes()

    minnesota = {value for value, _ in COUNTY_CHOICES if value != OUTSIDE_MINNESOTA}
    assert set(shapes["counties"]) == minnesota
    assert len(minnesota) == 87
    assert shapes["counties"]["st_louis"]["name"] == "St. Louis" and shapes["counties"]["st_louis"]["fips"] == "27137"
    assert all(re.fullmatch(r"(M[0-9., -]+Z)+", c["d"]) for c in shapes["counties"].values())
    assert shapes["viewBox"][:3] == [0, 0, 600.0]


def test_topojson_arcs_decode_to_closed_paths():
    topology = {
        "transform": {"scale": [2, 1], "translate": [10, 20]},
        "arcs": [[[0, 0], [1, 0], [0, 1]], [[1, 1], [-1, 0], [0, -1]]],
    }

    arcs = arcs_decode(topology)

    assert arcs == [[(10, 20), (12, 20), (12, 21)], [(12, 21), (10, 21), (10, 20)]]
    assert ring_points([0, 1], arcs) == [(10, 20), (12, 20), (12, 21), (10, 21), (10, 20)]
    assert ring_points([~1, ~0], arcs) == [(10, 20), (10, 21), (12, 21), (12, 20), (10, 20)]
    assert path_data([ring_points([0, 1], arcs)]) == "M10,20 12,20 12,21 10,21Z"


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(colour[n : n + 2], 16) / 255 for n in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_map_lightest_colour_differs_clearly_from_no_presentations():
    assert _contrast(EMPTY_COLOUR, CLASS_COLOURS[0]) >= 3
    assert all(_contrast(a, b) > 1.1 for a, b in pairwise(CLASS_COLOURS))


def test_map_key_on_the_page_is_html_in_the_pages_type(staff_client, fixture):
    page = staff_client.get("/staff/reports/", Q1).text
    css = (settings.BASE_DIR / "outcomes/static/outcomes/report.css").read_text()

    key = page[page.index('<ul class="map-legend"') : page.index("</ul>", page.index('<ul class="map-legend"'))]
    items = re.findall(r'<li><svg [^>]*><rect [^>]*fill="(#[0-9a-f]{6})"[^>]*/></svg> ([^<]+)</li>', key)
    assert items == [
        (EMPTY_COLOUR, "No presentations"),
        (CLASS_COLOURS[0], "1–30"),
        (CLASS_COLOURS[1], "31–60"),
        (CLASS_COLOURS[2], "61–90"),
        (CLASS_COLOURS[3], "91–120"),
        (CLASS_COLOURS[4], "121–150"),
    ]
    assert ".report-map .county-map .legend { display: none; }" in css
    assert '<g class="legend" aria-hidden="true">' in staff_client.get("/staff/reports/map.svg", Q1).content.decode()


def test_erasing_personal_details_changes_no_number_in_any_report(staff_client, staff, fixture):
    """A and D are one organization spelled two ways: erasing A alone, then every closed request,
    must still count it once, and every table and CSV stays as it was."""
    tables = ["summary", "regions", "counties", "organization_types", "audiences", "presentations", "requests",
              "presenters", "months", "evaluations", "next_steps", "survey", "survey_by_presentation"]  # fmt: skip

    def every_csv() -> dict[str, list[list[str]]]:
        return {key: csv_rows(staff_client.get(f"/staff/reports/{key}.csv", Q1)) for key in tables}

    before, page_before = every_csv(), page_tables(staff_client.get("/staff/reports/", Q1).text)
    request_erase(request=fixture["A"].request, by=staff)
    after_one = every_csv()
    for found in PresentationRequest.objects.filter(status__in=CLOSED_STATUSES):
        request_erase(request=found, by=staff)
    after_all, page_after = every_csv(), page_tables(staff_client.get("/staff/reports/", Q1).text)
    listed = csv_rows(staff_client.get("/staff/reports/bookings.csv", {**Q1, "contacts": "on"}))

    assert PresentationRequest.objects.filter(erased_at__isnull=False).count() == 8  # all but H (scheduled)
    assert after_one == before
    assert after_all == before
    assert page_after == page_before
    assert [row[3] for row in listed[1:]] == [""] * 5  # the organizations' names are gone
    assert {row[-4] for row in listed[1:]} == {""}  # and so are the contacts' email addresses
