"""The data versions: every model is tracked or known not to be shown; a change moves its scope once committed."""

import pytest
from django.apps import apps
from django.db import transaction

from common.versions import CATALOG, OUTCOMES, SCHEDULE, TRACKED, version_bump, versions_current
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
