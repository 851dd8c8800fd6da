"""Calendars: every calendar feed (public, presenter and staff .ics with ETags), the public
``/events/`` page, the requester's add-to-calendar links and single-event download, and the
private feed tokens with their staff page and admin. Builders here are pure (rows in, iCalendar
text out); they share UIDs and SEQUENCE with the invites ``scheduling`` sends, so a subscriber and
an invitee see one event.
"""
