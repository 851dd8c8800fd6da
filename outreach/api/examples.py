"""Example bodies for the public API's OpenAPI description (what /api/docs/ shows).

``REQUEST`` is the one example of a request for a presentation: the docs show it as the body of
POST /api/v1/requests/, the staff API's examples describe the same request, and the tests submit
it (with its window moved to a date ahead of today).
"""

from outreach.services import DETAILS_FIELDS

PRESENTATION_BRIEF = {"slug": "recognize-respond-schools", "title": "Recognizing and Responding: Schools"}
AUDIENCE = {"slug": "educators", "name": "Educators and school staff"}
LANGUAGE = {"code": "en", "name": "English"}

PRESENTATION = {
    **PRESENTATION_BRIEF,
    "summary": "How school staff recognize the signs of sex trafficking and respond under Minnesota law.",
    "description": "A 60-minute presentation for educators and school staff ...",
    "duration_minutes": 60,
    "formats": ["in_person", "virtual"],
    "audiences": [AUDIENCE],
    "languages": [LANGUAGE, {"code": "es", "name": "Spanish"}],
    "url": "https://outreach.example.org/presentations/recognize-respond-schools/",
}

WINDOW = {"start": "2031-03-11T09:00:00-05:00", "end": "2031-03-11T10:30:00-05:00"}

REQUEST = {
    "presentation": PRESENTATION_BRIEF["slug"],
    "organization_name": "Roosevelt High School",
    "organization_type": "school",
    "street_address": "4029 28th Ave S",
    "city": "Minneapolis",
    "county": "hennepin",
    "zip_code": "55406",
    "contact_name": "Maria Lopez",
    "contact_role": "School counselor",
    "contact_email": "maria.lopez@example.edu",
    "contact_phone": "612-555-0123",
    "audience": AUDIENCE["slug"],
    "audience_size": 45,
    "age_range": "Staff",
    "is_youth_audience": False,
    "language": LANGUAGE["code"],
    "requester_language": "en",
    "format": "in_person",
    "virtual_platform": "",
    "accessibility_needs": "An ASL interpreter for one participant.",
    "av_available": True,
    "is_open_to_public": False,
    "venue": "",
    "may_list_publicly": False,
    "registration_url": "",
    "no_registration_needed": False,
    "notes": "",
    "referral_source": "colleague",
    "windows": [WINDOW],
}

# The request as it reads back: the catalog entries it names, and the phone number normalized.
REQUEST_READ = {
    **REQUEST,
    "presentation": PRESENTATION_BRIEF,
    "contact_phone": "+1 612-555-0123",
    "audience": AUDIENCE,
    "language": LANGUAGE,
}

# A change of those details (PATCH), for a talk open to the public, listed, with a registration page.
DETAILS_CHANGE = {
    "is_open_to_public": True,
    "may_list_publicly": True,
    "venue": "Roosevelt High School auditorium, 4029 28th Ave S, Minneapolis",
    "registration_url": "https://roosevelt.example.edu/events/trafficking-awareness",
}

REFERENCE = "OS-7KQ2-M9XD"
TOKEN = "q5Yk2mC9vX0bN7rT3wE8uJ1sA6dF4gH2jK9lZ0xC7vB"  # noqa: S105 (an example)
STATUS_URL = f"https://outreach.example.org/requests/{TOKEN}/"

CREATED = {
    "reference": REFERENCE,
    "status": "submitted",
    "status_url": STATUS_URL,
    "api_url": f"https://outreach.example.org/api/v1/requests/{TOKEN}/",
}

NO_ACTIONS = {
    "withdraw": False,
    "accept_proposal": False,
    "decline_proposal": False,
    "cancel": False,
    "update_details": False,
    "cancel_until": None,
}

REQUESTER = {
    "reference": REFERENCE,
    "status": "submitted",
    "status_url": STATUS_URL,
    **{
        name: REQUEST_READ[name]
        for name in (
            "presentation",
            "organization_name",
            "street_address",
            "city",
            "county",
            "zip_code",
            "contact_name",
            "contact_email",
            "audience",
            "audience_size",
            "language",
            "requester_language",
            "format",
            "virtual_platform",
            *DETAILS_FIELDS,
        )
    },
    "submitted_at": "2031-02-01T15:04:05.123456-06:00",
    "decision_note": "",
    "windows": [{"position": 1, **WINDOW}],
    "booking": None,
    "proposal": {
        "message": "Our presenters are booked that morning; would one of these work?",
        "location": "4029 28th Ave S, Minneapolis",
        "virtual_link": "",
        "created_at": "2031-02-03T10:00:00-06:00",
        "times": [{"id": 17, "start": "2031-03-13T09:00:00-05:00", "end": "2031-03-13T10:30:00-05:00"}],
    },
    "actions": {
        **NO_ACTIONS,
        "withdraw": True,
        "accept_proposal": True,
        "decline_proposal": True,
        "update_details": True,
    },
}

SCHEDULED = {
    **REQUESTER,
    "status": "scheduled",
    "booking": {
        "start": "2031-03-13T09:00:00-05:00",
        "end": "2031-03-13T10:30:00-05:00",
        "format": "in_person",
        "location": "4029 28th Ave S, Minneapolis",
        "virtual_link": "",
        "presenters": ["Ana Ruiz"],
        "cancelled_at": None,
        "cancel_reason": "",
    },
    "proposal": None,
    "actions": {**NO_ACTIONS, "cancel": True, "cancel_until": "2031-03-11T09:00:00-05:00"},
}
