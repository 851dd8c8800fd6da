"""Bookings (the scheduled form of a request), the time they keep presenters busy, and proposals."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import Func
from django.utils.translation import gettext_lazy as _

from common.db import PostgresExclusionConstraint
from outreach.enums import Format
from outreach.models import PresentationRequest
from scheduling.models.people import Presenter


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def calendar_uid(local_part: str) -> str:
    """A calendar UID (RFC 5545) under the site's host name: ``<local_part>@<host>``."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "outreach.invalid"
    return f"{local_part}@{host}"


def _new_uid() -> str:
    return calendar_uid(str(uuid.uuid4()))


class Booking(models.Model):
    """The scheduled presentation of a request: when, where and who.

    ``uid`` is the calendar identity shared by every invite and feed; it never changes.
    ``sequence`` rises with every change attendees must see (RFC 5545 SEQUENCE).
    """

    request = models.OneToOneField(PresentationRequest, on_delete=models.CASCADE, related_name="booking")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    location = models.CharField(_("location"), max_length=300, blank=True, help_text=_("Street address and room."))
    virtual_link = models.URLField(_("virtual link"), max_length=500, blank=True)
    lead_presenter = models.ForeignKey(
        Presenter, on_delete=models.PROTECT, related_name="lead_bookings", verbose_name=_("lead presenter")
    )
    co_presenters = models.ManyToManyField(
        Presenter, blank=True, related_name="co_bookings", verbose_name=_("co-presenters")
    )
    uid = models.CharField(_("calendar UID"), max_length=255, unique=True, default=_new_uid, editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    actual_attendance = models.PositiveIntegerField(_("actual attendance"), null=True, blank=True)
    presenter_notes = models.TextField(_("presenter notes"), blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="booking_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None

    def presenters(self) -> list[Presenter]:
        """Lead first, then co-presenters by name (uses prefetched co_presenters when present)."""
        return [self.lead_presenter, *sorted(self.co_presenters.all(), key=lambda p: p.name)]


# A booking's own fields in the order staff read them (the admin and the staff API show them so).
BOOKING_DETAILS = (
    "start",
    "end",
    "format",
    "location",
    "virtual_link",
    "lead_presenter",
    "co_presenters",
    "uid",
    "sequence",
    "created_at",
    "updated_at",
    "cancelled_at",
    "cancel_reason",
    "completed_at",
    "actual_attendance",
    "presenter_notes",
)


class BusyKind(models.TextChoices):
    PRESENTING = "presenting", _("Presenting")
    TRAVEL = "travel", _("Presenting or travelling")


class BusyInterval(models.Model):
    """Time a booking keeps one presenter busy; what the no-double-booking rule is checked on.

    Every assignment has a PRESENTING row (the booking's own time). An in-person booking has
    a TRAVEL row as well: its time widened by the travel buffer on both sides. Two bookings
    collide when their PRESENTING rows overlap, or when one's TRAVEL row overlaps the other's
    PRESENTING row; two TRAVEL rows may overlap, so two in-person talks one buffer apart are
    fine. On PostgreSQL two exclusion constraints enforce exactly this, so concurrent approvals
    cannot both succeed. Rows exist only while the booking is active.
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="busy_intervals")
    presenter = models.ForeignKey(Presenter, on_delete=models.CASCADE, related_name="busy_intervals")
    kind = models.CharField(max_length=12, choices=BusyKind.choices)
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        verbose_name = _("busy interval")
        indexes = [models.Index(fields=["presenter", "start", "end"])]
        constraints = [
            models.UniqueConstraint(fields=["booking", "presenter", "kind"], name="busy_once_per_assignment"),
            PostgresExclusionConstraint(
                name="busy_presenting_no_overlap",
                expressions=[
                    ("presenter", RangeOperators.EQUAL),
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
                condition=models.Q(kind="presenting"),
                violation_error_message=_("This presenter is already booked at that time."),
            ),
            PostgresExclusionConstraint(
                name="busy_travel_buffer",
                expressions=[
                    ("presenter", RangeOperators.EQUAL),
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("kind", RangeOperators.NOT_EQUAL),
                    ("booking", RangeOperators.NOT_EQUAL),
                ],
                violation_error_message=_("This presenter is already booked at that time, counting travel."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.presenter_id} {self.kind} {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class ProposalState(models.TextChoices):
    OPEN = "open", _("Waiting for the requester")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined by the requester")
    WITHDRAWN = "withdrawn", _("Replaced or closed")


class Proposal(models.Model):
    """Staff's offer of one to three other times, with the presenters and place that would go with them."""

    request = models.ForeignKey(PresentationRequest, on_delete=models.CASCADE, related_name="proposals")
    state = models.CharField(_("state"), max_length=10, choices=ProposalState.choices, default=ProposalState.OPEN)
    lead_presenter = models.ForeignKey(
        Presenter, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead presenter")
    )
    co_presenters = models.ManyToManyField(Presenter, blank=True, related_name="+", verbose_name=_("co-presenters"))
    location = models.CharField(_("location"), max_length=300, blank=True)
    virtual_link = models.URLField(_("virtual link"), max_length=500, blank=True)
    message = models.TextField(_("message to the requester"), blank=True)
    requester_note = models.TextField(_("requester's note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=models.Q(state="open"), name="one_open_proposal_per_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()} ({self.created_at:%Y-%m-%d})"


# What a proposal offers besides its times, in the order staff read it (admin and staff API).
PROPOSAL_TERMS = ("lead_presenter", "co_presenters", "location", "virtual_link", "message", "requester_note")


class ProposedTime(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="times")
    position = models.PositiveSmallIntegerField()
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    # The time the requester chose, when they accepted the proposal.
    accepted = models.BooleanField(_("accepted"), default=False)

    class Meta:
        ordering = ["proposal", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="proposed_time_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class Answer(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class AssignmentAnswer(models.Model):
    """A presenter's latest answer to being assigned to a booking: they confirm, or decline with a reason.

    ``sequence`` is the booking's SEQUENCE when they answered: once the booking changes (time,
    place or presenters) the answer no longer counts and the presenter is asked again. The audit
    trail keeps every answer; this row only the latest.
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="answers")
    presenter = models.ForeignKey(Presenter, on_delete=models.CASCADE, related_name="answers")
    sequence = models.PositiveIntegerField(_("sequence"))
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    reason = models.TextField(_("reason"), blank=True)
    answered_at = models.DateTimeField(_("answered"))

    class Meta:
        ordering = ["booking", "presenter"]
        verbose_name = _("presenter's answer")
        verbose_name_plural = _("presenters' answers")
        constraints = [
            models.UniqueConstraint(fields=["booking", "presenter"], name="one_answer_per_assignment"),
            models.CheckConstraint(
                condition=~models.Q(answer="declined") | ~models.Q(reason=""), name="decline_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.presenter_id} {self.answer} booking {self.booking_id} (sequence {self.sequence})"

    def counts_for(self, booking: Booking) -> bool:
        """Whether this answer is about the booking as it is now."""
        return self.sequence == booking.sequence
