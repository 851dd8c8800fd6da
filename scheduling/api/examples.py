"""Example bodies for the staff API's OpenAPI description (what /api/docs/ shows).

The request in them is the public API's example request (outreach.api.examples.REQUEST).
"""

from outreach.api import examples as public

PRESENTER_BRIEF = {"id": 4, "name": "Ana Ruiz"}
WINDOW = {"position": 1, **public.WINDOW}
SUBMITTED_AT = "2031-02-01T15:04:05-06:00"
APPROVED_AT = "2031-02-04T11:20:00-06:00"

BOOKING = {
    "id": 31,
    **public.WINDOW,
    "format": "in_person",
    "location": "4029 28th Ave S, Minneapolis, room 112",
    "virtual_link": "",
    "lead_presenter": PRESENTER_BRIEF,
    "co_presenters": [{"id": 9, "name": "Lee Vang"}],
    "uid": "6f1c2a9e-1b7d-4c55-9a51-0c8f9e3d2b10@outreach.example.org",
    "sequence": 0,
    "created_at": APPROVED_AT,
    "updated_at": APPROVED_AT,
    "cancelled_at": None,
    "cancel_reason": "",
    "completed_at": None,
    "actual_attendance": None,
    "presenter_notes": "",
}


def _request(*names: str) -> dict:
    return {name: public.REQUEST_READ[name] for name in names}


REQUEST_LIST_ITEM = {
    "id": 12,
    "reference": public.REFERENCE,
    "status": "submitted",
    **_request(
        "presentation",
        "organization_name",
        "organization_type",
        "city",
        "county",
        "audience",
        "audience_size",
        "format",
    ),
    "windows": [WINDOW],
    "booking": None,
    "submitted_at": SUBMITTED_AT,
    "status_changed_at": SUBMITTED_AT,
}

REQUEST_DETAIL = {
    "id": 12,
    "reference": public.REFERENCE,
    "status": "scheduled",
    **public.REQUEST_READ,
    "decision_note": "",
    "submitted_at": SUBMITTED_AT,
    "status_changed_at": APPROVED_AT,
    "erased_at": None,
    "windows": [WINDOW],
    "booking": BOOKING,
    "proposals": [],
    "audit_trail": [
        {
            "at": APPROVED_AT,
            "actor": "staff",
            "by": "jordan",
            "action": "approve",
            "from_status": "submitted",
            "to_status": "scheduled",
            "note": "",
        }
    ],
    "notifications": [
        {
            "id": 88,
            "kind": "booking_confirmed",
            "recipient": public.REQUEST["contact_email"],
            "sequence": 0,
            "subject": "Confirmed: Recognizing and Responding: Schools on Mar 11, 2031",
            "status": "sent",
            "attempts": 1,
            "last_error": "",
            "ics_method": "REQUEST",
            "created_at": APPROVED_AT,
            "last_attempt_at": "2031-02-04T11:20:01-06:00",
            "next_attempt_at": APPROVED_AT,
            "sent_at": "2031-02-04T11:20:01-06:00",
        }
    ],
    "staff_url": "https://outreach.example.org/staff/requests/12/",
}

# Staff change the registration link of a confirmed talk (PATCH on the request).
DETAILS_CHANGE = {"registration_url": "https://roosevelt.example.edu/events/trafficking-awareness-march"}

APPROVE = {"window": 1, "lead_presenter": 4, "co_presenters": [9], "location": "4029 28th Ave S, room 112"}
APPROVE_OTHER_TIME = {
    "start": "2031-03-12T13:00:00-05:00",
    "end": "2031-03-12T14:30:00-05:00",
    "lead_presenter": 4,
    "note": "Agreed by phone with Ms. Lopez.",
}
PROPOSE = {
    "times": [
        {"start": "2031-03-13T09:00:00-05:00", "end": "2031-03-13T10:30:00-05:00"},
        {"start": "2031-03-14T13:00:00-05:00", "end": "2031-03-14T14:30:00-05:00"},
    ],
    "lead_presenter": 4,
    "message": "Our presenters are booked on the 11th; would one of these work?",
}
RESCHEDULE = {
    "start": "2031-03-18T09:00:00-05:00",
    "end": "2031-03-18T10:30:00-05:00",
    "lead_presenter": 4,
    "co_presenters": [],
    "location": "4029 28th Ave S, Minneapolis, room 112",
    "note": "Moved at the school's request.",
}
DECLINE = {"reason": "We do not have a Somali-speaking presenter available this spring."}
CANCEL = {"reason": "The presenter is ill; we will call to find another date."}
ERASE = {"reason": "The requester asked by phone."}
COMPLETE = {"attendance": 52, "notes": "Good questions about Safe Harbor."}

PRESENTER = {
    "id": 4,
    "name": "Ana Ruiz",
    "email": "ana.ruiz@example.org",
    "phone": "+1 651-555-0199",
    "user": None,
    "languages": ["en", "es"],
    "presentations": ["recognize-respond-schools"],
    "is_active": True,
    "has_feed": False,
    "upcoming": 3,
    "created_at": "2030-09-01T09:00:00-05:00",
}
PRESENTER_WRITE = {
    "name": "Ana Ruiz",
    "email": "ana.ruiz@example.org",
    "phone": "651-555-0199",
    "languages": ["en", "es"],
    "presentations": ["recognize-respond-schools"],
}
SUGGESTION = {"id": 4, "name": "Ana Ruiz", "email": "ana.ruiz@example.org", "month_load": 1}
FEED_TOKEN = {
    "feed_url": "https://outreach.example.org/calendar/presenter/Zx8vQ2mC9vX0bN7rT3wE8uJ1sA6dF4gH2jK9lZ0xC7v.ics"
}

BOOKING_WITH_REQUEST = {
    "request": {
        "id": 12,
        "reference": public.REFERENCE,
        "status": "scheduled",
        **_request("organization_name", "city", "county", "presentation"),
    },
    **BOOKING,
}

BLACKOUT = {
    "id": 5,
    "presenter": PRESENTER_BRIEF,
    "start": "2031-07-01T00:00:00-05:00",
    "end": "2031-07-15T00:00:00-05:00",
    "reason": "Vacation",
    "is_closure": False,
}
BLACKOUT_WRITE = {"presenter": 4, "start": "2031-07-01T00:00:00", "end": "2031-07-15T00:00:00", "reason": "Vacation"}
CLOSURE_WRITE = {"start": "2031-12-24T00:00:00", "end": "2031-12-27T00:00:00", "reason": "Holidays"}

NOTIFICATION = {
    "id": 90,
    "request": 12,
    "reference": "OS-7KQ2-M9XD",
    "booking": 31,
    "kind": "presenter_assigned",
    "recipient": "ana.ruiz@example.org",
    "sequence": 0,
    "subject": "You are presenting: Recognizing and Responding: Schools on Mar 11, 2031 (Roosevelt High School)",
    "status": "failed",
    "attempts": 1,
    "last_error": "SMTPRecipientsRefused: {'ana.ruiz@example.org': (550, b'Mailbox unavailable')}",
    "ics_method": "REQUEST",
    "created_at": "2031-02-04T11:20:00-06:00",
    "last_attempt_at": "2031-02-04T11:20:01-06:00",
    "next_attempt_at": "2031-02-04T11:20:00-06:00",
    "sent_at": None,
}
