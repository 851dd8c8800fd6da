"""Scheduling models: presenters and their time off, bookings and the presenters' answers to them,
proposals, the audit trail and the outbox."""

from scheduling.models.bookings import (
    BOOKING_DETAILS,
    PROPOSAL_TERMS,
    Answer,
    AssignmentAnswer,
    Booking,
    BusyInterval,
    Proposal,
    ProposalState,
    ProposedTime,
)
from scheduling.models.outbox import AuditEntry, Notification, NotificationKind, NotificationStatus
from scheduling.models.people import Blackout, Presenter, Weekday, WeeklyHours

__all__ = [
    "BOOKING_DETAILS",
    "PROPOSAL_TERMS",
    "Answer",
    "AssignmentAnswer",
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
    "Weekday",
    "WeeklyHours",
]
