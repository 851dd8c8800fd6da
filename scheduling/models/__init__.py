"""Scheduling models: presenters and their time off, bookings, proposals, the audit trail and the outbox."""

from scheduling.models.bookings import Booking, BusyInterval, Proposal, ProposalState, ProposedTime
from scheduling.models.outbox import AuditEntry, Notification, NotificationKind, NotificationStatus
from scheduling.models.people import Blackout, Presenter

__all__ = [
    "AuditEntry",
    "Blackout",
    "Booking",
    "BusyInterval",
    "Notification",
    "NotificationKind",
    "NotificationStatus",
    "Presenter",
    "Proposal",
    "ProposalState",
    "ProposedTime",
]
