"""Records of what happened: the audit trail of every transition and the notification outbox."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.enums import RequestStatus
from outreach.models import PresentationRequest


class AuditEntry(models.Model):
    """One transition of a request: who, when, from which status to which, and why."""

    request = models.ForeignKey(PresentationRequest, on_delete=models.CASCADE, related_name="audit_entries")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor = models.CharField(_("actor"), max_length=20, help_text=_("staff, requester, presenter or system"))
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=RequestStatus.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status or '-'} -> {self.to_status}"


class NotificationKind(models.TextChoices):
    REQUEST_RECEIVED = "request_received", _("Request received (requester)")
    STAFF_NEW_REQUEST = "staff_new_request", _("New request (staff)")
    PROPOSAL = "proposal", _("Times proposed (requester)")
    STAFF_PROPOSAL_DECLINED = "staff_proposal_declined", _("Proposed times declined (staff)")
    STAFF_PROPOSAL_ACCEPTED = "staff_proposal_accepted", _("Proposed time accepted (staff)")
    BOOKING_CONFIRMED = "booking_confirmed", _("Confirmation with invite (requester)")
    PRESENTER_ASSIGNED = "presenter_assigned", _("Assignment with invite (presenter)")
    BOOKING_UPDATED = "booking_updated", _("Update with invite (requester)")
    PRESENTER_UPDATED = "presenter_updated", _("Update with invite (presenter)")
    PRESENTER_REMOVED = "presenter_removed", _("Removed from a booking (presenter)")
    BOOKING_CANCELLED = "booking_cancelled", _("Cancellation (requester)")
    PRESENTER_CANCELLED = "presenter_cancelled", _("Cancellation (presenter)")
    STAFF_BOOKING_CANCELLED = "staff_booking_cancelled", _("Cancellation (staff)")
    STAFF_PRESENTER_DECLINED = "staff_presenter_declined", _("Presenter declined (staff)")
    REQUEST_DECLINED = "request_declined", _("Request declined (requester)")
    REQUEST_WITHDRAWN = "request_withdrawn", _("Request withdrawn (requester)")
    STAFF_REQUEST_WITHDRAWN = "staff_request_withdrawn", _("Request withdrawn (staff)")
    REQUEST_EXPIRED = "request_expired", _("Request expired (requester)")
    REMINDER_WEEK = "reminder_week", _("Reminder a week before")
    REMINDER_DAY = "reminder_day", _("Reminder a day before")
    THANK_YOU = "thank_you", _("Thank-you (requester)")
    EVALUATION_REMINDER = "evaluation_reminder", _("Evaluation reminder (requester)")
    STATUS_LINK = "status_link", _("Status link, asked for again (requester)")
    STATUS_LINK_RENEWED = "status_link_renewed", _("New status link (requester)")
    STAFF_DETAILS_CHANGED = "staff_details_changed", _("Details changed by the requester (staff)")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """An email waiting to be sent, or sent: the outbox.

    Rows are written in the same transaction as the change that causes them and rendered
    then; where a private link goes they hold a placeholder, and the link is made when the
    email is sent (common.links), so no stored body holds a working link.
    One row per request, kind, recipient and SEQUENCE, so a repeated change cannot queue
    the same message twice.
    """

    request = models.ForeignKey(PresentationRequest, on_delete=models.CASCADE, related_name="notifications")
    booking = models.ForeignKey(
        "scheduling.Booking", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    recipient = models.EmailField(_("recipient"), max_length=254)
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    subject = models.CharField(_("subject"), max_length=200)
    body_text = models.TextField(_("plain-text body"))
    body_html = models.TextField(_("HTML body"))
    # The calendar invite, when the message carries one: METHOD (REQUEST or CANCEL) and the
    # iCalendar text as of the change; DTSTAMP is set again when it is sent.
    ics_method = models.CharField(_("invite method"), max_length=10, blank=True)
    ics = models.TextField(_("invite"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    # The row's own retry schedule: a pending row is tried no earlier than this (UTC), and while a
    # worker is sending it, no other worker may take it before ``claimed_until`` (the lease).
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # When the text, HTML and invite were deleted (OUTBOX_RETENTION_DAYS after sending), or the
    # recipient and subject too (the request's personal data was erased). Such a row is never sent again.
    body_erased_at = models.DateTimeField(_("content erased"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "recipient", "sequence"], name="notification_once_per_change"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            # The daily purge of sent bodies reads only the rows that still have one.
            models.Index(
                fields=["sent_at"], condition=models.Q(body_erased_at__isnull=True), name="notification_body_kept"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
