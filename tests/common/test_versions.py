"""The data versions: every model is tracked or known not to be shown; a change moves its scope once committed."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction

from common.links import link_issue, link_revoke, links_delete, links_revoke, links_revoke_all, token_hash
from common.management.commands.versions_bump import MSG_UNKNOWN_SCOPE
from common.models import LinkPurpose, PrivateLink
from common.versions import (
    ACCESS,
    CATALOG,
    OUTCOMES,
    SCHEDULE,
    SCOPES,
    TRACKED,
    version_bump,
    versions_current,
    versions_read,
)
from tests.factories import AudienceFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("outreach", "scheduling", "calendars", "outcomes")
# Shown on no stored page or feed (staff pages that are always rendered fresh, the outbox, tokens).
NOT_SHOWN = {
    "scheduling.AuditEntry",
    "scheduling.Notification",
    "scheduling.BusyInterval",
    "scheduling.WeeklyHours",  # a presenter's own page and the staff's request page only
    "scheduling.AssignmentAnswer",  # the same, and the staff queue
    "outreach.SubmissionKey",  # a hash that answers a repeated submission; shown nowhere
}


def test_every_model_moves_a_data_version_or_is_known_not_to_be_shown():
    tracked = {model._meta.label for model in TRACKED}
    models = {
        model._meta.label
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in PROJECT_APPS
    }

    assert models - tracked - NOT_SHOWN == set()
    assert {model._meta.label: scopes for model, scopes in TRACKED.items() if scopes == (CATALOG,)}.keys() >= {
        "outreach.Presentation",
        "outreach.Audience",
        "outreach.Language",
        "outreach.Presentation_audiences",
        "outreach.Presentation_languages",
    }
    assert TRACKED[apps.get_model("scheduling", "Booking")] == (SCHEDULE,)
    assert TRACKED[apps.get_model("outcomes", "SurveyResponse")] == (OUTCOMES,)


def test_a_save_moves_its_scope_and_no_other(django_assert_num_queries):
    before = versions_current([CATALOG, SCHEDULE])

    AudienceFactory(name="Parents", slug="parents")
    after = versions_current([CATALOG, SCHEDULE])

    assert after != before
    assert after.split("-")[1] == before.split("-")[1]  # the schedule did not move
    with django_assert_num_queries(1):
        versions_current([CATALOG, SCHEDULE, OUTCOMES])


def test_a_rolled_back_bump_leaves_the_version():
    version_bump(CATALOG)
    before = versions_current([CATALOG])

    with pytest.raises(RuntimeError), transaction.atomic():
        version_bump(CATALOG)
        raise RuntimeError

    assert versions_current([CATALOG]) == before


def _access_and_schedule() -> tuple[str, str]:
    parts = versions_read([ACCESS, SCHEDULE])
    return parts[ACCESS], parts[SCHEDULE]


def test_users_move_access_and_nothing_else(django_user_model):
    assert TRACKED[django_user_model] == (ACCESS,)
    before = _access_and_schedule()

    user = django_user_model.objects.create_user("kim", is_staff=True)
    made = _access_and_schedule()
    user.is_staff = False
    user.save()
    changed = _access_and_schedule()

    assert made[0] != before[0] and changed[0] != made[0]
    assert before[1] == made[1] == changed[1]


@pytest.mark.parametrize(
    ("purpose", "moves_access"),
    [
        (LinkPurpose.PRESENTER_FEED, True),
        (LinkPurpose.STAFF_FEED, True),
        (LinkPurpose.REQUEST_STATUS, False),
        (LinkPurpose.HOST_EVALUATION, False),
    ],
)
def test_each_write_of_a_feed_link_moves_access_and_other_links_move_nothing(purpose, moves_access):
    writes = [
        lambda: link_issue(purpose=purpose, subject_id=7),
        lambda: links_revoke(purpose=purpose, subject_id=7),
        lambda: link_revoke(
            link=PrivateLink.objects.get(token_hash=token_hash(link_issue(purpose=purpose, subject_id=8)))
        ),
        lambda: links_revoke_all(purpose=purpose, subject_ids=[8, 9]) or link_issue(purpose=purpose, subject_id=9),
        lambda: links_revoke_all(purpose=purpose, subject_ids=[9]),
        lambda: links_delete(purpose=purpose, subject_ids=[7, 9]),
    ]
    for write in writes:
        before = _access_and_schedule()
        write()
        after = _access_and_schedule()

        assert (after[0] != before[0]) is moves_access
        assert after[1] == before[1]


def test_revoking_nothing_moves_nothing():
    before = versions_current([ACCESS])

    assert links_revoke(purpose=LinkPurpose.STAFF_FEED, subject_id=404) == 0

    assert versions_current([ACCESS]) == before


def test_versions_bump_command_moves_the_scopes_named_or_all():
    before = {scope: versions_current([scope]) for scope in SCOPES}
    out = StringIO()

    call_command("versions_bump", "access", stdout=out)
    after_one = {scope: versions_current([scope]) for scope in SCOPES}
    call_command("versions_bump", stdout=StringIO())
    after_all = {scope: versions_current([scope]) for scope in SCOPES}

    assert [s for s in SCOPES if after_one[s] != before[s]] == [ACCESS]
    assert out.getvalue() == f"Moved: {after_one[ACCESS]}\n"
    assert all(after_all[s] != after_one[s] for s in SCOPES)


def test_versions_bump_command_names_an_unknown_scope_and_moves_nothing():
    before = versions_current(SCOPES)

    with pytest.raises(CommandError) as refused:
        call_command("versions_bump", "everything", "access")

    scopes = "catalog, schedule, outcomes, access"
    assert str(refused.value) == MSG_UNKNOWN_SCOPE.format(unknown="everything", scopes=scopes)
    assert versions_current(SCOPES) == before
