"""Retention: a requester's personal data is kept while it is needed, then erased.

A closed request (completed, declined, withdrawn, expired, cancelled) keeps its personal data for
RETENTION_DAYS after it closed; the daily task then erases it (``retention_apply``). Staff erase
one request's personal data at any time once it is closed (``request_erase``: staff page, staff
API, admin). Erasing keeps what reach reports count (the presentation, the dates, the county,
the organization type, the audience and its size, the attendance, the evaluation's ratings and
the survey answers), so funders' numbers do not change, and the audit trail; it empties every
text the requester typed or that was written to or about them, the emails' recipients and
contents, and what the admin's history calls the request and its rows, and revokes the request's
private links. Sent emails lose their text, HTML and invite sooner, OUTBOX_RETENTION_DAYS after
sending.

Everything works on batches of ids with a fixed number of queries per batch, so the daily task
costs the same whether one request is due or ten thousand.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, CharField, Model, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from common.exceptions import DomainError
from common.links import links_delete, links_revoke_all, links_revoked_before
from common.models import LinkPurpose
from common.versions import OUTCOMES, SCHEDULE, version_bump
from outcomes.models import HostEvaluation, SurveyResponse
from outcomes.reports.reach import organization_key
from outreach.enums import CLOSED_STATUSES
from outreach.models import PresentationRequest, RequestWindow
from scheduling.models import AuditEntry, Booking, Notification, NotificationStatus, Proposal, ProposedTime
from scheduling.selectors import notifications_due_for_purge, requests_due_for_erasure

logger = logging.getLogger(__name__)

ERASE_ACTION = "erase_personal_data"
ERASED_RECIPIENT_PREFIX = "erased-"
REASON_ON_REQUEST = "At the requester's request."
REASON_RETENTION = "Retention period over."
MSG_STILL_OPEN = (
    "Only a closed request (completed, declined, withdrawn, expired or cancelled) can be erased or deleted: "
    "decline or cancel it first."
)

# What erasing empties. Kept: reference, presentation, status, organization type, county, audience,
# its size and age group flag, language, format, the yes/no answers, how they heard of us, the
# requester's language and every date.
REQUEST_ERASED = {
    "organization_name": "",
    "street_address": "",
    "city": "",
    "zip_code": "",
    "contact_name": "",
    "contact_role": "",
    "contact_email": "",
    "contact_phone": "",
    "age_range": "",
    "virtual_platform": "",
    "accessibility_needs": "",
    "venue": "",
    "registration_url": "",
    "notes": "",
    "decision_note": "",
    # Nothing of an erased request is listed publicly any more.
    "may_list_publicly": False,
}
BOOKING_ERASED = {"location": "", "virtual_link": "", "cancel_reason": "", "presenter_notes": ""}
PROPOSAL_ERASED = {"location": "", "virtual_link": "", "message": "", "requester_note": ""}
NOTIFICATION_CONTENT = {"body_text": "", "body_html": "", "ics": ""}
NOTIFICATION_ERASED = {**NOTIFICATION_CONTENT, "subject": "", "last_error": "", "claimed_until": None}


def erased_recipient() -> Concat:
    """What an erased email's recipient becomes: ``erased-<its id>``, unique as one-row-per-change needs."""
    return Concat(Value(ERASED_RECIPIENT_PREFIX), Cast("pk", output_field=CharField()))


class RequestStillOpen(DomainError):
    """Erasing or deleting needs a closed request: an open one is still being arranged with its requester."""

    code = "invalid_transition"


def _require_closed(request: PresentationRequest) -> None:
    if request.status not in CLOSED_STATUSES:
        raise RequestStillOpen(MSG_STILL_OPEN)


def _admin_log_rows(ids: list[int]) -> dict[type[Model], tuple[str, list[str] | QuerySet]]:
    """The requests' own rows the admin's history may name, each model with the word its entries
    then read and the ids (as the text ``LogEntry.object_id`` holds) of its rows."""

    def keys(rows: QuerySet) -> QuerySet:
        return rows.annotate(log_key=Cast("pk", output_field=CharField())).values("log_key")

    return {
        # The ids themselves: after a delete the request's row is gone, its entries are not.
        PresentationRequest: ("Request", [str(pk) for pk in ids]),
        RequestWindow: ("Preferred window", keys(RequestWindow.objects.filter(request_id__in=ids))),
        Booking: ("Booking", keys(Booking.objects.filter(request_id__in=ids))),
        Proposal: ("Proposal", keys(Proposal.objects.filter(request_id__in=ids))),
        ProposedTime: ("Proposed time", keys(ProposedTime.objects.filter(proposal__request_id__in=ids))),
        AuditEntry: ("Audit entry", keys(AuditEntry.objects.filter(request_id__in=ids))),
        Notification: ("Notification", keys(Notification.objects.filter(request_id__in=ids))),
        HostEvaluation: ("Host evaluation", keys(HostEvaluation.objects.filter(booking__request_id__in=ids))),
        SurveyResponse: ("Audience survey response", keys(SurveyResponse.objects.filter(booking__request_id__in=ids))),
    }


def _admin_log_scrub(ids: list[int]) -> None:
    """The admin's history keeps each entry's ``str()`` of its object as it was when written. Today
    only a request's names anyone (its organization); its rows' say a reference, times, a kind, an
    id or a rating. But an entry keeps whatever ``str()`` said then, so every entry about the
    requests or any of their rows now reads ``<what> <id>`` ("Request 12", "Booking 7") rather than
    relying on each ``__str__`` staying free of names. The changes an entry lists are field names,
    never values. One query.

    Presenters' entries stay as they are, their answers, hours, time off and busy times included:
    presenters are the program's staff and volunteers, not requesters, and erasure is the requesters'.
    Private links are not listed: their admin writes no history and their ``str()`` is a purpose and an id.
    """
    rows = _admin_log_rows(ids)
    types = ContentType.objects.get_for_models(*rows)
    about = Q()
    reads = []
    for model, (word, keys) in rows.items():
        about |= Q(content_type=types[model], object_id__in=keys)
        reads.append(When(content_type=types[model], then=Concat(Value(f"{word} "), "object_id")))
    LogEntry.objects.filter(about).update(object_repr=Case(*reads, output_field=CharField()))


def _erase(ids: list[int], *, by: AbstractBaseUser | None, actor: str, reason: str, now: datetime) -> int:
    """Erase the personal data of the closed, not yet erased requests among ``ids``; how many it erased.

    Twelve queries whatever the number of ids. Run inside a transaction.
    """
    rows = list(
        PresentationRequest.objects.select_for_update()
        .filter(pk__in=ids, status__in=CLOSED_STATUSES, erased_at__isnull=True)
        .values_list("pk", "organization_name", "status")
    )
    if not rows:
        return 0
    ids = [pk for pk, _, _ in rows]
    keys = [PresentationRequest(pk=pk, organization_key=organization_key(name)) for pk, name, _ in rows]
    PresentationRequest.objects.bulk_update(keys, ["organization_key"])
    PresentationRequest.objects.filter(pk__in=ids).update(**REQUEST_ERASED, erased_at=now, updated_at=now)
    bookings = Booking.objects.filter(request_id__in=ids)
    bookings.update(**BOOKING_ERASED, updated_at=now)
    Proposal.objects.filter(request_id__in=ids).update(**PROPOSAL_ERASED)
    HostEvaluation.objects.filter(booking__request_id__in=ids).exclude(comments="").update(comments="")
    # A reason someone typed (a withdrawal, a cancellation) stays out of the trail; who and when stay in it.
    AuditEntry.objects.filter(request_id__in=ids).exclude(note="").update(note="")
    # An email not sent yet never will be: there is nobody left to send it to.
    Notification.objects.filter(request_id__in=ids, status=NotificationStatus.PENDING).update(
        status=NotificationStatus.FAILED
    )
    Notification.objects.filter(request_id__in=ids).update(
        **NOTIFICATION_ERASED, recipient=erased_recipient(), body_erased_at=now
    )
    links_revoke_all(purpose=LinkPurpose.REQUEST_STATUS, subject_ids=ids)
    links_revoke_all(purpose=LinkPurpose.HOST_EVALUATION, subject_ids=bookings.values("pk"))
    _admin_log_scrub(ids)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                request_id=pk,
                by=by,
                actor=actor,
                action=ERASE_ACTION,
                from_status=status,
                to_status=status,
                note=reason,
            )
            for pk, _, status in rows
        ]
    )
    version_bump(SCHEDULE, OUTCOMES)
    return len(rows)


@transaction.atomic
def request_erase(
    *, request: PresentationRequest, by: AbstractBaseUser | None, reason: str = REASON_ON_REQUEST
) -> PresentationRequest:
    """Erase one closed request's personal data (see the module's docstring for what goes and what stays).

    The audit entry says who and when, and ``reason`` (staff's words: never what was erased).
    Erasing an erased request changes nothing. Raises RequestStillOpen for an open request.
    """
    request = PresentationRequest.objects.select_for_update().get(pk=request.pk)
    _require_closed(request)
    if request.erased_at is None:
        _erase([request.pk], by=by, actor="staff" if by is not None else "system", reason=reason, now=timezone.now())
        request.refresh_from_db()
    return request


def requests_erase_due(*, now: datetime | None = None, batch_size: int | None = None) -> int:
    """Erase every closed request whose retention period is over, a batch per transaction; how many."""
    now = now or timezone.now()
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    erased = 0
    while True:
        ids = list(requests_due_for_erasure(now=now).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return erased
        with transaction.atomic():
            done = _erase(ids, by=None, actor="system", reason=REASON_RETENTION, now=now)
        if not done:  # another process took this batch meanwhile
            return erased
        erased += done


def notification_bodies_purge(*, now: datetime | None = None, batch_size: int | None = None) -> int:
    """Empty the text, HTML and invite of emails sent OUTBOX_RETENTION_DAYS ago; how many. The
    recipient, subject and dates stay (until the request itself is erased)."""
    now = now or timezone.now()
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    purged = 0
    while True:
        ids = list(notifications_due_for_purge(now=now).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return purged
        done = Notification.objects.filter(pk__in=ids, body_erased_at__isnull=True).update(
            **NOTIFICATION_CONTENT, body_erased_at=now
        )
        if not done:
            return purged
        purged += done


def private_links_prune(*, now: datetime | None = None) -> int:
    """Delete links revoked more than OUTBOX_RETENTION_DAYS ago; how many.

    By then every email that carried one has lost its body; such a row only made its old address
    answer "this link was replaced" rather than "not found". Live links are never touched.
    """
    return links_revoked_before(before=private_links_prune_before(now=now)).delete()[0]


def private_links_prune_before(*, now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.OUTBOX_RETENTION_DAYS)


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """What the daily task runs: erase what is due, purge sent bodies, prune old revoked links."""
    now = now or timezone.now()
    done = {
        "requests_erased": requests_erase_due(now=now),
        "bodies_purged": notification_bodies_purge(now=now),
        "links_pruned": private_links_prune(now=now),
    }
    logger.info(
        "Retention: %(requests_erased)s request(s) erased, %(bodies_purged)s email bodies purged, "
        "%(links_pruned)s revoked link(s) deleted",
        done,
    )
    return done


@transaction.atomic
def request_delete(*, request: PresentationRequest, by: AbstractBaseUser) -> None:
    """Delete a closed request and everything of it (booking, trail, emails, evaluation, survey
    answers, private links): it then counts in no report. Raises RequestStillOpen for an open one.

    Only the admin calls this, for superusers; the log keeps the id and who, nothing else.
    """
    request = PresentationRequest.objects.select_for_update().get(pk=request.pk)
    _require_closed(request)
    booking_ids = list(Booking.objects.filter(request=request).values_list("pk", flat=True))
    links_delete(purpose=LinkPurpose.REQUEST_STATUS, subject_ids=[request.pk])
    for purpose in (LinkPurpose.HOST_EVALUATION, LinkPurpose.AUDIENCE_SURVEY):
        links_delete(purpose=purpose, subject_ids=booking_ids)
    pk = request.pk
    _admin_log_scrub([pk])  # while the rows it names still exist
    request.delete()
    logger.info("Request %s deleted by user %s", pk, by.pk)
