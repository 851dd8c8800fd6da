"""Scheduling models: presenters and their time off, bookings, proposals, the audit trail, the outbox and outcomes."""

from scheduling.models.bookings import Booking, BusyInterval, Proposal, ProposalState, ProposedTime
from scheduling.models.feeds import StaffFeedToken
from scheduling.models.outbox import AuditEntry, Notification, NotificationKind, NotificationStatus
from scheduling.models.outcomes import HostEvaluation, SurveyResponse
from scheduling.models.people import Blackout, Presenter

__all__ = [
    "AuditEntry",
    "Blackout",
    "Booking",
    "BusyInterval",
    "HostEvaluation",
    "Notification",
    "NotificationKind",
    "NotificationStatus",
    "Presenter",
    "Proposal",
    "ProposalState",
    "ProposedTime",
    "StaffFeedToken",
    "SurveyResponse",
]
