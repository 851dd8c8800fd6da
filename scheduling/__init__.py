"""Scheduling: presenters and their time off, availability and the no-double-booking rule,
bookings and the request lifecycle (the ``services/review/`` package owns every
transition), the audit trail, the notification outbox with its email invites, the
staff pages and API, and a presenter's own pages.
"""
