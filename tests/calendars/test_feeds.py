"""Calendar feeds: privacy, tokens, format, conditional GET, injection, cancellations and query counts.

Every feed is read back by two parsers, icalendar and vobject (an independent implementation),
and each event's UTC start and end are checked against the database, daylight-saving-change
days included.
"""

import hashlib
import re
from datetime import UTC, datetime, timedelta
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
import vobject
from django.contrib import admin
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from django.utils.http import http_date
from icalendar import Calendar

from calendars.selectors import PRESENTER
from calendars.selectors.links import feed_owners
from calendars.services import (
    presenter_feed_token_rotate,
    staff_feed_token_revoke,
    staff_feed_token_rotate,
)
from common.links import link_revoke, live_links
from common.models import LinkPurpose, PrivateLink
from outreach.enums import Format
from outreach.models import Presentation, PresentationRequest
from scheduling.admin import rotate_feed_token
from scheduling.models import Booking, Notification, NotificationKind, Presenter
from scheduling.services.people import presenter_deactivate
from scheduling.services.retention import request_erase
from scheduling.services.review import Plan, booking_cancel, booking_complete, booking_reschedule, request_approve
from tests.factories import CENTRAL, PresentationRequestFactory, PresenterFactory, days_ahead

pytestmark = pytest.mark.django_db

PUBLIC_URL = "/calendar/public.ics"
CONTENT_TYPE = "text/calendar; charset=utf-8"
HALL = "100 Division St S, Fellowship Hall"
AN_HOUR_AGO = (timezone.now() - timedelta(hours=1)).replace(microsecond=0)


# --- Arrange helpers ----------------------------------------------------------------------------


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("coordinator", "coordinator@outreach.test", "pw", is_staff=True)


@pytest.fixture
def presenter(presentation):
    return PresenterFactory(
        name="Ruth Amundsen", email="ruth.amundsen@example.org", phone="+1 651-555-0199", presentations=[presentation]
    )


def schedule(
    *,
    by,
    presenter: Presenter,
    start: datetime,
    end: datetime | None = None,
    fmt: str = Format.IN_PERSON,
    location: str = HALL,
    virtual_link: str = "",
    co_presenters: tuple[Presenter, ...] = (),
    **request_fields,
) -> Booking:
    """A request scheduled through the real lifecycle service; the status token is on ``booking.token``.

    Listed publicly unless ``may_list_publicly=False`` is given."""
    request_fields.setdefault("may_list_publicly", True)
    request = PresentationRequestFactory(presentation=presenter.presentations.first(), format=fmt, **request_fields)
    plan = Plan(
        start=start,
        end=end or start + timedelta(hours=1),
        lead_presenter=presenter,
        co_presenters=list(co_presenters),
        format=fmt,
        location=location,
        virtual_link=virtual_link,
    )
    booking = request_approve(request=request, by=by, plan=plan)
    booking.token = request.token
    return booking


def age(*bookings: Booking, updated_at: datetime = AN_HOUR_AGO) -> None:
    """Move the bookings' last change (and that of what their events show) into the past."""
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(updated_at=updated_at)
    PresentationRequest.objects.filter(booking__in=[b.pk for b in bookings]).update(updated_at=updated_at)
    Presentation.objects.update(updated_at=updated_at)
    Presenter.objects.update(updated_at=updated_at)


def later(delta: timedelta):
    """Move the clock ``delta`` ahead (what moves an event out of a feed without any write)."""
    return mock.patch("django.utils.timezone.now", return_value=timezone.now() + delta)


def body_of(response) -> str:
    return b"".join(response).decode("utf-8") if response.streaming else response.content.decode("utf-8")


def unfolded(body: str) -> str:
    """The body as a reader sees it: folded lines joined and TEXT escapes undone."""
    text = body.replace("\r\n ", "").replace("\r\n\t", "")
    return text.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def events_by_uid(body: str) -> dict:
    return {str(event["UID"]): event for event in Calendar.from_ical(body).walk("VEVENT")}


def vobject_times(body: str) -> dict[str, tuple[datetime, datetime]]:
    calendar = vobject.readOne(body)
    return {event.uid.value: (event.dtstart.value, event.dtend.value) for event in calendar.contents.get("vevent", [])}


def presenter_url(presenter: Presenter) -> str:
    return f"/calendar/presenter/{presenter_feed_token_rotate(presenter=presenter)}.ics"


def staff_url(user) -> str:
    return f"/calendar/staff/{staff_feed_token_rotate(user=user)}.ics"


# --- Privacy --------------------------------------------------------------------------------------


@pytest.fixture
def private_fixtures(staff, presenter, presentation):
    """Bookings whose requests are full of personal data: none of it may reach the public."""
    co = PresenterFactory(
        name="Tomasz Wieczorek", email="t.wieczorek@example.org", phone="+1 218-555-0177", presentations=[presentation]
    )
    shelter = schedule(
        by=staff,
        presenter=presenter,
        co_presenters=(co,),
        start=days_ahead(40, 10),
        location="Cornerstone House, 2217 Elm Ave, back entrance",
        organization_name="Cornerstone House Shelter",
        may_list_publicly=False,
        street_address="2217 Elm Ave",
        city="Duluth",
        county="st_louis",
        zip_code="55811",
        contact_name="Abena Okafor",
        contact_role="Program director",
        contact_email="abena.okafor@cornerstone.example",
        contact_phone="+1 218-555-0134",
        accessibility_needs="Interpreter in Somali for two residents",
        notes="Gate code 4471; do not photograph the building",
        age_range="Adults 18-24",
    )
    virtual = schedule(
        by=staff,
        presenter=presenter,
        start=days_ahead(41, 13),
        fmt=Format.VIRTUAL,
        location="",
        virtual_link="https://meet.example.com/j/8861-secret",
        organization_name="Lakeside Clinic",
        may_list_publicly=True,
        is_open_to_public=True,
        street_address="12 Harbor Rd",
        city="Two Harbors",
        county="lake",
        zip_code="55616",
        contact_name="Marcus Lindqvist",
        contact_email="marcus@lakeside.example",
        contact_phone="+1 218-555-0111",
        notes="Park behind the clinic",
    )
    cancelled = schedule(
        by=staff,
        presenter=co,
        start=days_ahead(42, 9),
        organization_name="Riverside Youth Drop-in",
        may_list_publicly=False,
        contact_name="Jamie Torres",
        contact_email="jamie.torres@riverside.example",
        contact_phone="+1 612-555-0188",
        street_address="501 River St",
    )
    booking_cancel(request=cancelled.request, by=staff, reason="Jamie Torres is on medical leave")
    return {"shelter": shelter, "virtual": virtual, "cancelled": cancelled, "co": co}


SENSITIVE = [
    "Cornerstone House Shelter",
    "Cornerstone House, 2217 Elm Ave",
    "2217 Elm Ave",
    "55811",
    "Abena Okafor",
    "Program director",
    "abena.okafor@cornerstone.example",
    "+1 218-555-0134",
    "Interpreter in Somali",
    "Gate code 4471",
    "Adults 18-24",
    "https://meet.example.com/j/8861-secret",
    "12 Harbor Rd",
    "55616",
    "Marcus Lindqvist",
    "marcus@lakeside.example",
    "+1 218-555-0111",
    "Park behind the clinic",
    "Riverside Youth Drop-in",
    "Jamie Torres",
    "jamie.torres@riverside.example",
    "+1 612-555-0188",
    "501 River St",
    "medical leave",
    "Ruth Amundsen",
    "ruth.amundsen@example.org",
    "+1 651-555-0199",
    "Tomasz Wieczorek",
    "t.wieczorek@example.org",
    "+1 218-555-0177",
    "dana@example.net",
    "Dana Whitfield",
    "100 Division St S",
]


def test_public_feed_holds_no_personal_data(client, private_fixtures):
    response = client.get(PUBLIC_URL)

    body = body_of(response)
    assert response.status_code == 200
    readable = unfolded(body)
    for value in SENSITIVE:
        assert value not in body, value
        assert value not in readable, value
    for booking in private_fixtures.values():
        if isinstance(booking, Booking):
            assert booking.token not in body
            for hashed in PrivateLink.objects.values_list("token_hash", flat=True):
                assert hashed not in body


def test_events_page_holds_no_personal_data(client, private_fixtures):
    response = client.get("/events/")

    page = response.content.decode()
    assert response.status_code == 200
    for value in SENSITIVE:
        assert value not in page, value


def test_public_feed_holds_only_bookings_listed_with_consent(client, private_fixtures, presentation, staff, presenter):
    shelter, virtual, cancelled = (private_fixtures[k] for k in ("shelter", "virtual", "cancelled"))
    library = schedule(
        by=staff,
        presenter=presenter,
        start=days_ahead(43, 18),
        organization_name="Friends of the Carleton Library",
        may_list_publicly=True,
        is_open_to_public=True,
        venue="Northfield Public Library, 210 Washington St",
        city="Dundas",
    )
    closed = schedule(
        by=staff,
        presenter=presenter,
        start=days_ahead(44, 9),
        organization_name="Rice County Social Services",
        may_list_publicly=True,
        city="Faribault",
    )

    events = events_by_uid(body_of(client.get(PUBLIC_URL)))

    title = presentation.title
    assert {uid: str(e["SUMMARY"]) for uid, e in events.items()} == {
        virtual.uid: f"{title} – Lakeside Clinic",
        library.uid: f"{title} – Friends of the Carleton Library",
        closed.uid: f"{title} – Rice County Social Services",
    }
    assert shelter.uid not in events and cancelled.uid not in events
    assert str(events[virtual.uid]["LOCATION"]) == "Online"
    assert str(events[library.uid]["LOCATION"]) == "Northfield Public Library, 210 Washington St"
    assert "LOCATION" not in events[closed.uid]
    assert str(events[virtual.uid]["DESCRIPTION"]) == "A summary.\nFormat: Virtual\nOpen to the public."
    assert str(events[closed.uid]["DESCRIPTION"]) == "A summary.\nFormat: In person"
    assert str(events[library.uid]["URL"]) == f"https://outreach.test/presentations/{presentation.slug}/"
    body = body_of(client.get(PUBLIC_URL))
    for town in ("Dundas", "Faribault", "Two Harbors", "Duluth", "Northfield, Rice"):
        assert town not in unfolded(body), town


def test_events_page_lists_the_public_feed_with_subscribe_instructions(client, private_fixtures, presentation):
    response = client.get("/events/")

    page = response.content.decode()
    assert "Private presentation" not in page
    assert "Lakeside Clinic" in page
    assert "Duluth" not in page and "St. Louis County" not in page and "Two Harbors" not in page
    assert 'href="webcal://outreach.test/calendar/public.ics"' in page
    assert "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Foutreach.test%2Fcalendar%2Fpublic.ics" in page
    assert "https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Foutreach.test%2Fcalendar%2Fpublic.ics" in (
        page
    )
    assert "Google Calendar refreshes subscribed calendars only every several hours" in page


# --- The presenter and staff feeds: full logistics, tokens ----------------------------------------


def test_presenter_feed_has_full_logistics_of_their_bookings_only(client, private_fixtures, presenter):
    shelter = private_fixtures["shelter"]

    response = client.get(presenter_url(presenter))

    events = events_by_uid(body_of(response))
    assert response.status_code == 200
    assert set(events) == {shelter.uid, private_fixtures["virtual"].uid}
    assert str(events[shelter.uid]["LOCATION"]) == "Cornerstone House, 2217 Elm Ave, back entrance"
    assert str(events[shelter.uid]["DESCRIPTION"]) == "\n".join(
        [
            f"Reference: {shelter.request.reference}",
            "Presentation: Recognizing and Responding: Schools",
            "Organization: Cornerstone House Shelter",
            "Contact: Abena Okafor, Program director, abena.okafor@cornerstone.example, +1 218-555-0134",
            "Audience: Educators and school staff, about 40 people (Adults 18-24)",
            "Language: English",
            "Format: In person",
            "Where: Cornerstone House, 2217 Elm Ave, back entrance",
            "Presenters: Ruth Amundsen, Tomasz Wieczorek",
            "Accessibility or interpreter needs: Interpreter in Somali for two residents",
            "Notes: Gate code 4471; do not photograph the building",
            f"Confirm or decline: https://outreach.test/my/bookings/{shelter.pk}/",
        ]
    )
    assert str(events[private_fixtures["virtual"].uid]["LOCATION"]) == "https://meet.example.com/j/8861-secret"


def test_presenter_feed_events_link_to_the_presenters_own_page_for_the_booking(
    client, django_user_model, private_fixtures, presenter
):
    shelter, cancelled = private_fixtures["shelter"], private_fixtures["cancelled"]
    co = private_fixtures["co"]
    co.user = django_user_model.objects.create_user("tomasz", "t.wieczorek@example.org", "pw")
    co.save()
    events = events_by_uid(body_of(client.get(presenter_url(co))))
    links = {uid: str(event["URL"]) for uid, event in events.items()}

    client.force_login(co.user)
    pages = {uid: client.get(urlsplit(link).path) for uid, link in links.items()}

    assert links == {
        shelter.uid: f"https://outreach.test/my/bookings/{shelter.pk}/",
        cancelled.uid: f"https://outreach.test/my/bookings/{cancelled.pk}/",
    }
    assert [pages[uid].status_code for uid in (shelter.uid, cancelled.uid)] == [200, 200]
    assert "Cornerstone House Shelter" in pages[shelter.uid].text
    assert "Confirm I will present" in pages[shelter.uid].text
    assert "This presentation was cancelled." in pages[cancelled.uid].text


def test_co_presenter_feed_holds_their_bookings(client, private_fixtures):
    events = events_by_uid(body_of(client.get(presenter_url(private_fixtures["co"]))))

    assert set(events) == {private_fixtures["shelter"].uid, private_fixtures["cancelled"].uid}
    assert str(events[private_fixtures["cancelled"].uid]["STATUS"]) == "CANCELLED"


def test_presenter_feed_unknown_token_is_404(client, presenter):
    presenter_feed_token_rotate(presenter=presenter)
    unknown = "A" * 43

    assert client.get(f"/calendar/presenter/{unknown}.ics").status_code == 404
    assert client.get("/calendar/presenter/short.ics").status_code == 404


def test_presenter_feed_rotated_token_is_404_and_new_one_works(client, presenter):
    old = presenter_url(presenter)

    new = presenter_url(presenter)

    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_presenter_feed_inactive_presenter_is_404(client, presenter):
    url = presenter_url(presenter)
    Presenter.objects.filter(pk=presenter.pk).update(is_active=False)

    assert client.get(url).status_code == 404


def test_presenter_token_is_stored_only_hashed(presenter):
    token = presenter_feed_token_rotate(presenter=presenter)

    link = live_links(purpose=LinkPurpose.PRESENTER_FEED).get(subject_id=presenter.pk)
    assert len(token) == 43  # 256 bits, URL-safe base64
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not PrivateLink.objects.filter(token_hash=token).exists()


def test_staff_feed_holds_every_booking(client, private_fixtures, staff):
    events = events_by_uid(body_of(client.get(staff_url(staff))))

    assert set(events) == {private_fixtures[k].uid for k in ("shelter", "virtual", "cancelled")}
    request = private_fixtures["shelter"].request
    assert str(events[private_fixtures["shelter"].uid]["DESCRIPTION"]).endswith(
        f"\nStaff page: https://outreach.test/staff/requests/{request.pk}/"
    )
    assert str(events[private_fixtures["shelter"].uid]["URL"]) == f"https://outreach.test/staff/requests/{request.pk}/"


def test_staff_feed_with_tentative_adds_pending_windows(client, staff, presenter, presentation):
    booked = schedule(by=staff, presenter=presenter, start=days_ahead(40, 10))
    pending = PresentationRequestFactory(presentation=presentation, organization_name="Hope Lutheran")
    url = staff_url(staff)

    plain = events_by_uid(body_of(client.get(url)))
    tentative = events_by_uid(body_of(client.get(url + "?tentative=1")))

    window_uid = f"request-{pending.reference}-window-1@outreach.test"
    assert set(plain) == {booked.uid}
    assert set(tentative) == {booked.uid, window_uid}
    window = tentative[window_uid]
    assert str(window["STATUS"]) == "TENTATIVE"
    assert str(window["TRANSP"]) == "TRANSPARENT"
    assert str(window["SUMMARY"]) == f"Pending request: {presentation.title} – Hope Lutheran"
    assert window.decoded("DTSTART") == days_ahead(30, 10).astimezone(UTC)


def test_staff_feed_tentative_etag_changes_when_request_is_decided(client, staff, presenter, presentation):
    pending = PresentationRequestFactory(presentation=presentation)
    url = staff_url(staff) + "?tentative=1"
    before = client.get(url)

    request_approve(
        request=pending, by=staff, plan=Plan(days_ahead(30, 10), days_ahead(30, 11), presenter, location=HALL)
    )
    after = client.get(url)

    assert before["ETag"] != after["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_staff_feed_token_revoked_rotated_or_not_staff_is_404(client, staff, django_user_model):
    revoked = staff_url(staff)
    staff_feed_token_revoke(user=staff)
    rotated = staff_url(staff)
    current = staff_url(staff)
    former = django_user_model.objects.create_user("former", is_staff=True)
    former_url = staff_url(former)
    django_user_model.objects.filter(pk=former.pk).update(is_staff=False)

    assert client.get(revoked).status_code == 404
    assert client.get(rotated).status_code == 404
    assert client.get(current).status_code == 200
    assert client.get(former_url).status_code == 404
    assert live_links(purpose=LinkPurpose.STAFF_FEED).filter(subject_id=staff.pk).count() == 1


def test_revoked_feed_links_answer_404_at_once_after_warm_hits(client, staff, presenter):
    """Whose feed a link opens is kept in the process under the access version, which a rotation or a
    revocation moves: the next request asks the database again, even while the feed's copy is warm."""
    schedule(by=staff, presenter=presenter, start=days_ahead(40, 10))
    presenter_feed, staff_feed = presenter_url(presenter), staff_url(staff)
    warm = {}
    for url in (presenter_feed, staff_feed, staff_feed + "?tentative=1"):
        client.get(url)
        warm[url] = client.get(url)
        assert warm[url].status_code == 200
        assert client.get(url, HTTP_IF_NONE_MATCH=warm[url]["ETag"]).status_code == 304

    presenter_feed_token_rotate(presenter=presenter)
    staff_feed_token_revoke(user=staff)

    for url in (presenter_feed, staff_feed, staff_feed + "?tentative=1"):
        assert client.get(url).status_code == 404
        assert client.get(url, HTTP_IF_NONE_MATCH=warm[url]["ETag"]).status_code == 404


def test_feed_link_revoked_in_the_admin_after_a_warm_hit_is_404(client, staff, presenter):
    url = presenter_url(presenter)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200

    for link in live_links(purpose=LinkPurpose.PRESENTER_FEED):
        link_revoke(link=link)

    assert client.get(url).status_code == 404


def test_feed_of_a_presenter_made_inactive_after_a_warm_hit_is_404(client, staff, presenter):
    url = presenter_url(presenter)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200

    presenter_deactivate(presenter=presenter)

    assert client.get(url).status_code == 404


def _no_longer_staff(user) -> None:
    user.is_staff = False
    user.save()


def _deactivated(user) -> None:
    user.is_active = False
    user.save()


def _deleted(user) -> None:
    user.delete()


@pytest.mark.parametrize("change", [_no_longer_staff, _deactivated, _deleted])
def test_staff_feed_of_a_user_who_leaves_the_staff_after_a_warm_hit_is_404(client, staff, change):
    url = staff_url(staff)
    assert client.get(url).status_code == 200
    assert client.get(url + "?tentative=1").status_code == 200

    change(staff)

    assert client.get(url).status_code == 404
    assert client.get(url + "?tentative=1").status_code == 404


def test_a_warm_private_feed_is_one_query_and_its_link_is_kept_only_hashed(
    client, staff, presenter, django_assert_num_queries
):
    token = presenter_feed_token_rotate(presenter=presenter)
    url = f"/calendar/presenter/{token}.ics"
    first = client.get(url)
    staff_url(staff)  # another feed's link is made: whose feed each link opens is asked again

    with django_assert_num_queries(2):  # the versions, then the link's owner
        assert client.get(url).content == first.content
    with django_assert_num_queries(1):  # the versions alone
        assert client.get(url).content == first.content
    # Kept by the token's hash, as the database keeps it, never by the token: once under the
    # versions before the other link was made, once under those after.
    assert [(kind, digest, owner) for (kind, digest, *_versions), owner in feed_owners.items()] == 2 * [
        (PRESENTER, hashlib.sha256(token.encode()).hexdigest(), presenter.pk)
    ]


def test_an_unknown_link_is_asked_every_time_and_never_kept(client, django_assert_num_queries):
    url = f"/calendar/presenter/{'A' * 43}.ics"

    for _ in range(2):
        with django_assert_num_queries(2):  # the versions, then the link's owner (none)
            assert client.get(url).status_code == 404
    assert len(feed_owners) == 0


# --- The staff page and the admin action ---------------------------------------------------------


def test_feed_tokens_page_anonymous_goes_to_login(client):
    response = client.get("/staff/feeds/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/staff/feeds/"


def test_feed_tokens_page_not_staff_is_403(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("visitor"))

    assert client.get("/staff/feeds/").status_code == 403
    assert client.post("/staff/feeds/mine/rotate/").status_code == 403
    assert not PrivateLink.objects.exists()


def test_feed_tokens_page_rotates_a_presenters_token_and_shows_it_once(client, staff, presenter):
    old = presenter_url(presenter)
    client.force_login(staff)

    response = client.post(f"/staff/feeds/presenters/{presenter.pk}/rotate/")

    page = response.content.decode()
    new = re.search(r"https://outreach\.test(/calendar/presenter/[A-Za-z0-9_-]{43}\.ics)", page).group(1)
    assert response.status_code == 200
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert new not in client.get("/staff/feeds/").content.decode()


def test_feed_tokens_page_creates_rotates_and_revokes_own_staff_token(client, staff):
    client.force_login(staff)

    made = client.post("/staff/feeds/mine/rotate/").content.decode()
    first = re.search(r"https://outreach\.test/calendar/staff/([A-Za-z0-9_-]{43})\.ics", made).group(1)
    page = client.get("/staff/feeds/").content.decode()
    second = re.search(
        r"/calendar/staff/([A-Za-z0-9_-]{43})\.ics", client.post("/staff/feeds/mine/rotate/").content.decode()
    )
    second = second.group(1)
    client.post("/staff/feeds/mine/revoke/")

    assert f"https://outreach.test/calendar/staff/{first}.ics?tentative=1" in made
    assert first not in page and "/calendar/staff/" not in page
    assert "You have a staff feed link. It is not stored, so it cannot be shown again" in page
    assert first != second
    assert client.get(f"/calendar/staff/{first}.ics").status_code == 404
    assert client.get(f"/calendar/staff/{second}.ics").status_code == 404
    assert live_links(purpose=LinkPurpose.STAFF_FEED).filter(subject_id=staff.pk).count() == 0


def test_feed_tokens_page_get_does_not_rotate(client, staff):
    client.force_login(staff)

    assert client.get("/staff/feeds/mine/rotate/").status_code == 405


def test_admin_action_rotates_selected_presenters_tokens(client, staff, presenter, presentation):
    other = PresenterFactory(presentations=[presentation])
    old = presenter_url(presenter)
    staff.is_superuser = True
    request = RequestFactory().post("/admin/scheduling/presenter/")
    request.user = staff
    modeladmin = admin.ModelAdmin(Presenter, admin.site)

    response = rotate_feed_token(modeladmin, request, Presenter.objects.filter(pk__in=[presenter.pk, other.pk]))

    page = response.render().content.decode()
    urls = re.findall(r"https://outreach\.test(/calendar/presenter/[A-Za-z0-9_-]{43}\.ics)", page)
    assert len(urls) == 2
    assert client.get(old).status_code == 404
    assert [client.get(url).status_code for url in urls] == [200, 200]


def test_admin_presenter_changelist_offers_the_rotate_action(client, staff, presenter):
    old = presenter_url(presenter)
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)

    response = client.post(
        "/admin/scheduling/presenter/", {"action": "rotate_feed_token", "_selected_action": [presenter.pk]}
    )

    page = response.content.decode()
    new = re.search(r"https://outreach\.test(/calendar/presenter/[A-Za-z0-9_-]{43}\.ics)", page).group(1)
    assert response.status_code == 200
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


# --- Format ----------------------------------------------------------------------------------------


def test_public_feed_calendar_properties(client):
    response = client.get(PUBLIC_URL)

    body = body_of(response)
    assert response["Content-Type"] == CONTENT_TYPE
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    calendar = Calendar.from_ical(body)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["NAME"]) == "Minnesota Anti-Trafficking Education Program: presentations"
    assert str(calendar["X-WR-CALNAME"]) == "Minnesota Anti-Trafficking Education Program: presentations"
    assert str(calendar["X-WR-TIMEZONE"]) == "America/Chicago"
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert "\r\nX-PUBLISHED-TTL:PT1H\r\n" in body


def test_feed_event_has_invite_uid_sequence_and_stored_change_time(client, staff, presenter):
    booking = schedule(by=staff, presenter=presenter, start=days_ahead(40, 10))
    booking = booking_reschedule(
        request=booking.request, by=staff, plan=Plan(days_ahead(41, 10), days_ahead(41, 11), presenter, location=HALL)
    )
    age(booking)
    invite = Notification.objects.get(booking=booking, kind=NotificationKind.BOOKING_UPDATED)
    invited = next(iter(Calendar.from_ical(invite.ics).walk("VEVENT")))

    event = events_by_uid(body_of(client.get(PUBLIC_URL)))[booking.uid]

    assert str(event["UID"]) == str(invited["UID"]) == booking.uid
    assert event["SEQUENCE"] == invited["SEQUENCE"] == 1
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTAMP") == AN_HOUR_AGO.astimezone(UTC)
    assert event.decoded("LAST-MODIFIED") == AN_HOUR_AGO.astimezone(UTC)


def test_every_feed_reads_the_same_utc_times_in_two_parsers_on_dst_days(client, staff, presenter):
    spring = datetime(2027, 3, 14, 10, 0, tzinfo=CENTRAL)  # CDT (UTC-5), the day clocks go forward
    across_spring = datetime(2027, 3, 14, 1, 0, tzinfo=CENTRAL)  # 01:00 CST to 04:00 CDT: two real hours
    autumn = datetime(2027, 11, 7, 10, 0, tzinfo=CENTRAL)  # CST (UTC-6), the day clocks go back
    across_autumn = datetime(2027, 11, 7, 0, 30, tzinfo=CENTRAL)  # 00:30 CDT to 02:30 CST: three real hours
    bookings = [
        schedule(by=staff, presenter=presenter, start=spring),
        schedule(by=staff, presenter=presenter, start=across_spring, end=datetime(2027, 3, 14, 4, 0, tzinfo=CENTRAL)),
        schedule(by=staff, presenter=presenter, start=autumn),
        schedule(
            by=staff,
            presenter=presenter,
            start=across_autumn,
            end=datetime(2027, 11, 7, 2, 30, tzinfo=CENTRAL),
            fmt=Format.VIRTUAL,
            location="",
        ),
    ]
    expected_utc = {
        bookings[0].uid: (datetime(2027, 3, 14, 15, 0, tzinfo=UTC), datetime(2027, 3, 14, 16, 0, tzinfo=UTC)),
        bookings[1].uid: (datetime(2027, 3, 14, 7, 0, tzinfo=UTC), datetime(2027, 3, 14, 9, 0, tzinfo=UTC)),
        bookings[2].uid: (datetime(2027, 11, 7, 16, 0, tzinfo=UTC), datetime(2027, 11, 7, 17, 0, tzinfo=UTC)),
        bookings[3].uid: (datetime(2027, 11, 7, 5, 30, tzinfo=UTC), datetime(2027, 11, 7, 8, 30, tzinfo=UTC)),
    }
    stored = {b.uid: (b.start, b.end) for b in Booking.objects.all()}
    staff_feed = staff_url(staff)

    for url in [PUBLIC_URL, presenter_url(presenter), staff_feed, staff_feed + "?tentative=1"]:
        body = body_of(client.get(url))
        by_icalendar = {uid: (e.decoded("DTSTART"), e.decoded("DTEND")) for uid, e in events_by_uid(body).items()}
        by_vobject = vobject_times(body)

        assert by_icalendar == expected_utc, url
        assert by_vobject == expected_utc, url
        assert stored == expected_utc, url
        assert all(start.utcoffset() == timedelta(0) for start, _ in by_vobject.values())
    assert "\r\nDTSTART:20270314T150000Z\r\n" in body
    assert "\r\nDTEND:20271107T083000Z\r\n" in body


# --- Escaping and injection ------------------------------------------------------------------------


def test_title_with_crlf_cannot_inject_a_property(client, staff, presenter, presentation):
    presentation.title = "Safe Harbor\r\nDESCRIPTION:injected\r\nX-EVIL:1"
    presentation.save()
    booking = schedule(
        by=staff,
        presenter=presenter,
        start=days_ahead(40, 10),
        organization_name="St. Olaf\rLOCATION:evil\nBEGIN:VALARM;x,y\x1b\x0b",
        may_list_publicly=True,
    )

    for url in [PUBLIC_URL, staff_url(staff), presenter_url(presenter)]:
        body = body_of(client.get(url))
        events = Calendar.from_ical(body).walk("VEVENT")
        vevents = vobject.readOne(body).vevent_list

        assert len(events) == len(vevents) == 1
        event = events[0]
        assert str(event["SUMMARY"]) == (
            "Safe Harbor\nDESCRIPTION:injected\nX-EVIL:1 – St. Olaf\nLOCATION:evil\nBEGIN:VALARM;x,y"
        )
        assert vevents[0].summary.value == str(event["SUMMARY"])
        assert "X-EVIL" not in event
        assert event.walk("VALARM") == []
        assert len([line for line in body.split("\r\n") if line.startswith("DESCRIPTION")]) == 1
        assert "\r\nX-EVIL" not in body
        assert "\r\nBEGIN:VALARM" not in body
        assert "\x1b" not in body
        assert "\x0b" not in body
        assert str(event["UID"]) == booking.uid


def test_long_lines_are_folded_by_the_library(client, staff, presenter, presentation):
    presentation.summary = "Word " * 60
    presentation.save()
    schedule(by=staff, presenter=presenter, start=days_ahead(40, 10))

    body = body_of(client.get(PUBLIC_URL))

    assert max(len(line.encode()) for line in body.split("\r\n")) <= 75
    assert str(next(iter(Calendar.from_ical(body).walk("VEVENT")))["DESCRIPTION"]).startswith("Word Word")


# --- Cancelled and past events ---------------------------------------------------------------------


def test_cancelled_booking_stays_as_cancelled_for_30_days(client, staff, presenter):
    booking = schedule(by=staff, presenter=presenter, start=days_ahead(40, 10))
    booking_cancel(request=booking.request, by=staff, reason="Snow")
    booking.refresh_from_db()

    events = events_by_uid(body_of(client.get(PUBLIC_URL)))
    staff_events = events_by_uid(body_of(client.get(staff_url(staff))))

    assert str(events[booking.uid]["STATUS"]) == "CANCELLED"
    assert events[booking.uid]["SEQUENCE"] == 1
    assert str(staff_events[booking.uid]["STATUS"]) == "CANCELLED"
    with later(timedelta(days=29)):
        assert set(events_by_uid(body_of(client.get(PUBLIC_URL)))) == {booking.uid}
    with later(timedelta(days=30, seconds=1)):
        assert events_by_uid(body_of(client.get(PUBLIC_URL))) == {}
        assert events_by_uid(body_of(client.get(staff_url(staff)))) == {}


def test_past_booking_leaves_public_feed_but_stays_in_private_history(client, staff, presenter):
    booking = schedule(by=staff, presenter=presenter, start=days_ahead(40, 10))
    url = staff_url(staff)
    assert set(events_by_uid(body_of(client.get(PUBLIC_URL)))) == {booking.uid}

    with later(booking.end - timezone.now() + timedelta(days=2)):
        assert events_by_uid(body_of(client.get(PUBLIC_URL))) == {}
        assert set(events_by_uid(body_of(client.get(url)))) == {booking.uid}
        assert "No presentations are scheduled yet." in client.get("/events/").content.decode()
    with later(booking.end - timezone.now() + timedelta(days=91)):
        assert events_by_uid(body_of(client.get(url))) == {}


# --- Erased requests -----------------------------------------------------------------------------


def test_private_feeds_say_an_erased_requests_details_were_erased(client, private_fixtures, staff, presenter):
    shelter, cancelled = private_fixtures["shelter"], private_fixtures["cancelled"]
    past = timezone.now() - timedelta(days=2)
    Booking.objects.filter(pk=shelter.pk).update(start=past - timedelta(hours=1), end=past)
    booking_complete(request=shelter.request, by=staff, attendance=35)
    urls = {"presenter": presenter_url(presenter), "staff": staff_url(staff)}
    before_bodies = {name: body_of(client.get(url)) for name, url in urls.items()}
    before = {name: events_by_uid(body) for name, body in before_bodies.items()}
    before_text = before_bodies["staff"] + before_bodies["presenter"]

    for booking in (shelter, cancelled):
        request_erase(request=booking.request, by=staff)

    bodies = {name: body_of(client.get(url)) for name, url in urls.items()}
    after = {name: events_by_uid(body) for name, body in bodies.items()}
    title = "Recognizing and Responding: Schools"
    assert str(before["presenter"][shelter.uid]["SUMMARY"]) == f"{title} – Cornerstone House Shelter"
    assert str(before["staff"][cancelled.uid]["SUMMARY"]) == f"Cancelled: {title} – Riverside Youth Drop-in"
    assert str(after["presenter"][shelter.uid]["SUMMARY"]) == f"{title} – (personal details erased)"
    assert str(after["staff"][shelter.uid]["SUMMARY"]) == f"{title} – (personal details erased)"
    assert str(after["staff"][cancelled.uid]["SUMMARY"]) == f"Cancelled: {title} – (personal details erased)"
    assert str(after["presenter"][shelter.uid]["LOCATION"]) == "(personal details erased)"
    assert str(after["presenter"][shelter.uid]["DESCRIPTION"]) == "\n".join(
        [
            f"Reference: {shelter.request.reference}",
            f"Presentation: {title}",
            "Organization: (personal details erased)",
            "Contact: (personal details erased)",
            "Audience: Educators and school staff, about 40 people",
            "Language: English",
            "Format: In person",
            "Where: (personal details erased)",
            "Presenters: Ruth Amundsen, Tomasz Wieczorek",
            f"Confirm or decline: https://outreach.test/my/bookings/{shelter.pk}/",
        ]
    )
    erased = [
        *("Cornerstone House Shelter", "Cornerstone House, 2217 Elm Ave", "Abena Okafor", "Program director"),
        *("abena.okafor@cornerstone.example", "+1 218-555-0134", "Interpreter in Somali", "Gate code 4471"),
        *("Adults 18-24", "Riverside Youth Drop-in", "Jamie Torres", "jamie.torres@riverside.example"),
    ]
    assert [value for value in erased if value in unfolded(before_text)] == erased
    assert [value for value in erased if value in unfolded(bodies["staff"] + bodies["presenter"])] == []


# --- Conditional GET --------------------------------------------------------------------------------


@pytest.fixture
def settled(staff, presenter):
    """Two bookings last changed an hour ago."""
    bookings = [schedule(by=staff, presenter=presenter, start=days_ahead(40 + n, 10)) for n in range(2)]
    age(*bookings)
    return bookings


def test_feed_has_strong_etag_and_last_modified_from_the_data(client, settled):
    response = client.get(PUBLIC_URL)

    assert re.fullmatch(r'"[0-9a-f]{40}"', response["ETag"])
    assert response["Last-Modified"] == http_date(AN_HOUR_AGO.timestamp())
    assert response["Cache-Control"] == "public, max-age=300"


def test_feed_body_is_byte_identical_while_nothing_changes(client, settled, staff):
    url = staff_url(staff)

    first, second = client.get(PUBLIC_URL), client.get(PUBLIC_URL)
    private_first, private_second = client.get(url), client.get(url)

    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert private_first.content == private_second.content
    assert private_first["Cache-Control"] == "private, no-cache"


def test_feed_answers_head_without_a_body(client, settled):
    get = client.get(PUBLIC_URL)

    head = client.head(PUBLIC_URL)

    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert client.post(PUBLIC_URL).status_code == 405


@pytest.mark.parametrize(
    ("header", "value", "status"),
    [
        ("HTTP_IF_NONE_MATCH", "{etag}", 304),
        ("HTTP_IF_NONE_MATCH", '"0000", {etag}', 304),
        ("HTTP_IF_NONE_MATCH", '"deadbeef"', 200),
        ("HTTP_IF_NONE_MATCH", "garbage,,;", 200),
        ("HTTP_IF_MODIFIED_SINCE", "{last_modified}", 304),
        ("HTTP_IF_MODIFIED_SINCE", "{later}", 304),
        ("HTTP_IF_MODIFIED_SINCE", "{earlier}", 200),
        ("HTTP_IF_MODIFIED_SINCE", "not a date", 200),
    ],
)
def test_feed_conditional_get(client, settled, header, value, status):
    first = client.get(PUBLIC_URL)
    values = {
        "etag": first["ETag"],
        "last_modified": first["Last-Modified"],
        "later": http_date(AN_HOUR_AGO.timestamp() + 60),
        "earlier": http_date(AN_HOUR_AGO.timestamp() - 1),
    }

    response = client.get(PUBLIC_URL, **{header: value.format(**values)})

    assert response.status_code == status
    assert response["ETag"] == first["ETag"]
    assert response.content == (b"" if status == 304 else first.content)


def test_feed_if_none_match_wins_over_if_modified_since(client, settled, staff, presenter):
    first = client.get(PUBLIC_URL)
    schedule(by=staff, presenter=presenter, start=days_ahead(60, 10))

    response = client.get(PUBLIC_URL, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert response.status_code == 200


@pytest.mark.parametrize("edit", ["presentation title", "organization name"])
def test_feed_etag_changes_when_text_an_event_shows_is_corrected(client, settled, edit):
    first = client.get(PUBLIC_URL)
    request = settled[0].request
    if edit == "presentation title":
        request.presentation.title = "Safe Harbor for Sexually Exploited Youth (updated)"
        request.presentation.save()
    else:
        request.organization_name = "Northfield Community Church of Christ"
        request.may_list_publicly = True
        request.save()

    again = client.get(PUBLIC_URL, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert again.content != first.content


@pytest.mark.parametrize("change", ["cancel", "reschedule", "new", "delete", "drop_out"])
def test_feed_etag_and_last_modified_change_when_an_event_changes(client, settled, staff, presenter, change):
    first = client.get(PUBLIC_URL)
    booking = settled[0]
    if change == "cancel":
        booking_cancel(request=booking.request, by=staff, reason="Snow")
    elif change == "reschedule":
        plan = Plan(days_ahead(50, 14), days_ahead(50, 15), presenter, location=HALL)
        booking_reschedule(request=booking.request, by=staff, plan=plan)
    elif change == "new":
        schedule(by=staff, presenter=presenter, start=days_ahead(60, 10))
    elif change == "delete":
        Booking.objects.filter(pk=booking.pk).delete()
    if change in ("cancel", "reschedule", "new"):
        two_seconds_ago = timezone.now() - timedelta(seconds=2)
        Booking.objects.filter(updated_at__gt=AN_HOUR_AGO).update(updated_at=two_seconds_ago)
        PresentationRequest.objects.filter(updated_at__gt=AN_HOUR_AGO).update(updated_at=two_seconds_ago)

    with later(booking.end - timezone.now() + timedelta(seconds=2) if change == "drop_out" else timedelta(0)):
        # drop_out: nothing is written; the booking ended two seconds ago and left the upcoming window
        by_etag = client.get(PUBLIC_URL, HTTP_IF_NONE_MATCH=first["ETag"])
        by_date = client.get(PUBLIC_URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert by_etag.status_code == 200
    assert by_etag["ETag"] != first["ETag"]
    assert by_etag.content != first.content
    if change != "delete":  # a row deleted outright leaves no time behind; its ETag still changes
        assert by_date.status_code == 200
        assert by_date["Last-Modified"] != first["Last-Modified"]


def test_feed_change_within_the_current_second_sends_no_last_modified(client, staff, presenter):
    schedule(by=staff, presenter=presenter, start=days_ahead(40, 10))

    response = client.get(PUBLIC_URL, HTTP_IF_MODIFIED_SINCE=http_date(timezone.now().timestamp() + 5))

    assert response.status_code == 200
    assert "Last-Modified" not in response


def test_presenter_feed_etag_changes_when_presenter_is_taken_off(client, staff, presenter, presentation):
    other = PresenterFactory(presentations=[presentation])
    booking = schedule(by=staff, presenter=presenter, start=days_ahead(40, 10), co_presenters=(other,))
    url = presenter_url(other)
    first = client.get(url)

    plan = Plan(booking.start, booking.end, presenter, location=HALL)
    booking_reschedule(request=booking.request, by=staff, plan=plan)
    response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 200
    assert events_by_uid(body_of(response)) == {}


# --- Query counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 7])
def test_feeds_and_events_page_use_a_constant_number_of_queries(
    client, staff, presenter, presentation, django_assert_num_queries, size
):
    co = PresenterFactory(presentations=[presentation])
    for n in range(size):
        schedule(by=staff, presenter=presenter, start=days_ahead(40 + n, 10), co_presenters=(co,))
        PresentationRequestFactory(presentation=presentation)
    cancelled = schedule(by=staff, presenter=co, start=days_ahead(80, 10))
    booking_cancel(request=cancelled.request, by=staff, reason="Snow")
    presenter_feed, staff_feed = presenter_url(presenter), staff_url(staff)

    with django_assert_num_queries(5):  # versions, state, last change, bookings' rows, their presentations
        public = client.get(PUBLIC_URL)
    with django_assert_num_queries(3):  # versions, the page's bookings, the later ones and when the page changes
        events_page = client.get("/events/")
    with django_assert_num_queries(7):  # versions, link, name, state, last change, bookings, co-presenters
        client.get(presenter_feed)
    with django_assert_num_queries(9):  # versions, link, 2 states, 2 last changes, bookings, co-presenters, windows
        tentative = client.get(staff_feed + "?tentative=1")
    with django_assert_num_queries(1):  # once built, the versions alone
        assert client.get(PUBLIC_URL).content == public.content
    with django_assert_num_queries(1):  # a 304 needs the versions only
        assert client.get(PUBLIC_URL, HTTP_IF_NONE_MATCH=public["ETag"]).status_code == 304
    with django_assert_num_queries(1):  # the versions (whose feed the link opens is known)
        assert client.get(staff_feed + "?tentative=1", HTTP_IF_NONE_MATCH=tentative["ETag"]).status_code == 304
    with django_assert_num_queries(1):
        assert client.get(presenter_feed).status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/events/").content == events_page.content
    assert len(events_by_uid(body_of(public))) == size + 1
    assert len(events_by_uid(body_of(tentative))) == 2 * size + 1


# --- The requester's .ics download and add-to-calendar links -----------------------------------------


def test_requester_downloads_the_scheduled_booking(client, staff, presenter):
    booking = schedule(by=staff, presenter=presenter, start=datetime(2027, 3, 14, 10, 0, tzinfo=CENTRAL))

    response = client.get(f"/requests/{booking.token}/event.ics")

    body = body_of(response)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="presentation-{booking.request.reference}.ics"'
    events = events_by_uid(body)
    assert list(events) == [booking.uid]
    event = events[booking.uid]
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == datetime(2027, 3, 14, 15, 0, tzinfo=UTC)
    assert str(event["URL"]) == f"https://outreach.test/presentations/{booking.request.presentation.slug}/"
    assert "/requests/" not in unfolded(body)
    assert booking.token not in unfolded(body)
    assert vobject_times(body) == {booking.uid: (booking.start, booking.end)}


def test_requester_download_unknown_unscheduled_or_cancelled_is_404(client, staff, presenter, presentation):
    submitted = PresentationRequestFactory(presentation=presentation)
    cancelled = schedule(by=staff, presenter=presenter, start=days_ahead(40, 10))
    booking_cancel(request=cancelled.request, by=staff, reason="Snow")
    unknown = "B" * 43

    assert client.get(f"/requests/{unknown}/event.ics").status_code == 404
    assert client.get(f"/requests/{submitted.token}/event.ics").status_code == 404
    assert client.get(f"/requests/{cancelled.token}/event.ics").status_code == 404


def test_add_to_calendar_include_renders_download_google_and_outlook_links(staff, presenter):
    booking = schedule(by=staff, presenter=presenter, start=datetime(2027, 11, 7, 10, 0, tzinfo=CENTRAL))
    booking = Booking.objects.select_related("request__presentation", "lead_presenter").get(pk=booking.pk)

    html = render_to_string("calendars/_add_to_calendar.html", {"booking": booking, "token": "x" * 43})

    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs[0] == f"/requests/{'x' * 43}/event.ics"
    google, outlook = (urlsplit(h.replace("&amp;", "&")) for h in hrefs[1:])
    assert f"{google.netloc}{google.path}" == "calendar.google.com/calendar/render"
    assert parse_qs(google.query)["dates"] == ["20271107T160000Z/20271107T170000Z"]
    assert parse_qs(google.query)["text"] == ["Recognizing and Responding: Schools – Northfield Community Church"]
    assert parse_qs(google.query)["location"] == [HALL]
    assert f"{outlook.netloc}{outlook.path}" == "outlook.live.com/calendar/0/deeplink/compose"
    assert parse_qs(outlook.query)["startdt"] == ["2027-11-07T16:00:00Z"]
    assert parse_qs(outlook.query)["enddt"] == ["2027-11-07T17:00:00Z"]
    assert parse_qs(outlook.query)["rru"] == ["addevent"]
    details = "Presentation: Recognizing and Responding: Schools\nWhere: " + HALL + "\nPresenters: Ruth Amundsen"
    assert parse_qs(outlook.query)["body"] == [details]
    assert parse_qs(google.query)["details"] == [details]
    for link in hrefs[1:]:
        assert "x" * 43 not in link and "requests" not in link


def test_add_to_calendar_include_renders_nothing_for_a_cancelled_booking(staff, presenter):
    booking = schedule(by=staff, presenter=presenter, start=days_ahead(40, 10))
    booking = booking_cancel(request=booking.request, by=staff, reason="Snow")

    assert render_to_string("calendars/_add_to_calendar.html", {"booking": booking, "token": "x" * 43}).strip() == ""


def test_feed_304_reads_the_stored_head_and_not_the_body(client, staff, presenter, monkeypatch):
    from django.core.cache import cache

    from common.pagecache import recent

    for n in range(3):
        schedule(by=staff, presenter=presenter, start=days_ahead(40 + n, 10))
    first = client.get(PUBLIC_URL)
    recent.clear()  # the copies this process keeps in its own memory: read from the cache below
    read = []
    real_get = cache.get

    def get(key, *args, **kwargs):
        found = real_get(key, *args, **kwargs)
        read.append((key.rsplit(":", 1)[-1] if key.endswith(":head") else "body", len(getattr(found, "body", b""))))
        return found

    monkeypatch.setattr(cache, "get", get)

    not_modified = client.get(PUBLIC_URL, HTTP_IF_NONE_MATCH=first["ETag"])
    whole = client.get(PUBLIC_URL)

    assert (not_modified.status_code, not_modified["ETag"], not_modified.content) == (304, first["ETag"], b"")
    assert (whole.status_code, whole.content) == (200, first.content)
    assert read == [("head", 0), ("body", len(first.content))]
