"""Private links: random, stored only hashed, made when an email is sent, independent of SECRET_KEY.

Tried from the outside: the links in the emails as they arrive open their pages; nothing found in
a copy of the database (every text column of every table, the outbox's stored bodies included)
opens anything.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from calendars.services import presenter_feed_token_rotate, staff_feed_token_rotate
from common.links import link_find, link_revoke
from common.models import LinkPurpose, PrivateLink
from outcomes.links import survey_code_issue
from scheduling.models import Booking, Notification
from scheduling.services import review
from scheduling.tasks import send_reminders
from tests.factories import PresenterFactory

pytestmark = pytest.mark.django_db

URLISH = re.compile(
    r"(?:https?://[^\s\"'<>]+|/[A-Za-z0-9_./?=&%-]*[A-Za-z0-9_-]{20,}[A-Za-z0-9_./?=&%-]*|[A-Za-z0-9_-]{20,})"
)
# Where a bare token would go, for anything in the database that looks like one.
TOKEN_PAGES = (
    "/requests/{}/",
    "/calendar/presenter/{}.ics",
    "/calendar/staff/{}.ics",
    "/evaluation/{}/",
    "/survey/{}/",
)
PRIVATE_PAGES = (
    "/requests/",
    "/api/v1/requests/",
    "/calendar/presenter/",
    "/calendar/staff/",
    "/evaluation/",
    "/survey/",
)


def submit(client, presentation, form_data):
    url = reverse("outreach:request_create", kwargs={"slug": presentation.slug})
    return client.post(url, {**form_data, "step": "confirm"})


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url).replace("&amp;", "&")


def links_in(text: str, pattern: str) -> list[str]:
    return [path_of(match) for match in re.findall(pattern, text)]


@pytest.fixture
def world(client, presentation, form_data, django_user_model, django_capture_on_commit_callbacks):
    """A request sent through the form, scheduled, reminded, completed and thanked, every email sent;
    a presenter's and a staff user's feed links, and a survey code made on the presenter's page."""
    staff = django_user_model.objects.create_user("lee", "lee@outreach.test", "pw", is_staff=True)
    presenter = PresenterFactory(presentations=[presentation], email="ana@presenters.test")
    with django_capture_on_commit_callbacks(execute=True):
        received = submit(client, presentation, form_data)
    request = presentation.requests.get()
    start = timezone.now() + timedelta(days=6, hours=12)
    plan = review.Plan(start, start + timedelta(hours=1), presenter, [], "in_person", "Room 2")
    with django_capture_on_commit_callbacks(execute=True):
        booking = review.request_approve(request=request, by=staff, plan=plan)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders.apply().get()
    survey = survey_code_issue(booking=booking)
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() - timedelta(hours=2), end=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        review.booking_complete(request=request, by=staff, attendance=30)
    return {
        "received": received.url,
        "request": request,
        "booking": booking,
        "presenter_feed": presenter_feed_token_rotate(presenter=presenter),
        "staff_feed": staff_feed_token_rotate(user=staff),
        "survey": survey,
    }


def database_text() -> list[str]:
    """Every text value in every table, as a copy of the database would hold it."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names from the schema)
            values += [str(value) for row in cursor.fetchall() for value in row if isinstance(value, str)]
    return values


def test_links_in_the_emails_as_sent_open_their_pages(client, world):
    bodies = "\n".join(message.body for message in mail.outbox)

    status = links_in(bodies, r"https://outreach\.test/requests/[A-Za-z0-9_-]{43}/\?lang=en")
    evaluation = links_in(bodies, r"https://outreach\.test/evaluation/[A-Za-z0-9_-]{43}/\?lang=en")
    survey = links_in(bodies, r"https://outreach\.test/survey/[a-z2-7]{26}/\?lang=en")

    assert len(status) == len(set(status)) >= 3  # one link of its own in each email to the requester
    assert (len(evaluation), len(survey)) == (1, 1)
    for path in [*status, *evaluation, *survey]:
        assert client.get(path).status_code == 200, path


def test_a_copy_of_the_database_opens_no_link(client, world):
    text = database_text()
    candidates = {match for value in text for match in URLISH.findall(value)}

    tried = 0
    for candidate in candidates:
        paths = [path_of(candidate)] if "/" in candidate else [page.format(candidate) for page in TOKEN_PAGES]
        for path in paths:
            if not path.startswith(PRIVATE_PAGES):
                continue
            tried += 1
            assert client.get(path).status_code in (301, 302, 400, 404, 405, 410), path
    assert tried > 20
    stored = " ".join(Notification.objects.values_list("body_text", flat=True))
    assert "/requests/private-link-request_status" in stored  # the outbox keeps a placeholder, not a link
    assert "/evaluation/private-link-host_evaluation" in stored
    assert "/survey/private-link-audience_survey" in stored


def test_the_database_keeps_only_hashes_of_random_tokens(world):
    hashes = set(PrivateLink.objects.values_list("token_hash", flat=True))
    text = "\n".join(database_text())

    for name in ("presenter_feed", "staff_feed", "survey"):
        assert world[name] not in text
    assert world["received"].split("/")[2] not in text
    assert all(re.fullmatch(r"[0-9a-f]{64}", hashed) for hashed in hashes)
    assert len(world["presenter_feed"]) == 43 and len(world["survey"]) == 26


def test_rotating_secret_key_keeps_every_link_working(client, world, settings):
    old_key = settings.SECRET_KEY
    bodies = "\n".join(message.body for message in mail.outbox)
    sent = links_in(bodies, r"https://outreach\.test/(?:requests|evaluation|survey)/[A-Za-z0-9_-]{26,43}/\?lang=en")
    pages = [
        world["received"],
        f"/calendar/presenter/{world['presenter_feed']}.ics",
        f"/calendar/staff/{world['staff_feed']}.ics",
        f"/survey/{world['survey']}/",
        *sent,
    ]

    with override_settings(SECRET_KEY="a-new-secret-key-" + "n" * 40, SECRET_KEY_FALLBACKS=[old_key]):
        answers = {page: client.get(page).status_code for page in pages}

    assert len(sent) >= 4
    assert answers == dict.fromkeys(pages, 200)


def test_emails_sent_after_a_secret_key_rotation_carry_working_links(
    client, presentation, form_data, django_capture_on_commit_callbacks, settings
):
    old_key = settings.SECRET_KEY
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, presentation, form_data)
    first = links_in(mail.outbox[0].body, r"https://outreach\.test/requests/[A-Za-z0-9_-]{43}/")[0]

    with override_settings(SECRET_KEY="a-new-secret-key-" + "n" * 40, SECRET_KEY_FALLBACKS=[old_key]):
        with django_capture_on_commit_callbacks(execute=True):
            submit(client, presentation, {**form_data, "organization_name": "Second School"})
        second = links_in(
            mail.outbox[-2].body + mail.outbox[-1].body, r"https://outreach\.test/requests/[A-Za-z0-9_-]{43}/"
        )
        answers = (client.get(first).status_code, client.get(second[0]).status_code)

    assert answers == (200, 200)
    assert client.get(second[0]).status_code == 200  # and again without the old key around


def test_links_are_revoked_one_by_one(client, world):
    bodies = [message.body for message in mail.outbox if message.to == [world["request"].contact_email]]
    first, second = (links_in(body, r"https://outreach\.test/requests/[A-Za-z0-9_-]{43}/")[0] for body in bodies[:2])
    link = link_find(purpose=LinkPurpose.REQUEST_STATUS, token=first.split("/")[2])

    link_revoke(link=link)

    assert client.get(first).status_code in (404, 410)
    assert client.get(second).status_code == 200
