"""Scheduling: presenters and their time off, availability and the no-double-booking rule,
bookings and the request lifecycle (``services/review.py``, ``proposals.py`` and ``bookings.py``
own every transition), the audit trail, the notification outbox with its email invites, the
staff pages and API, and a presenter's own pages.
"""
