from django.conf import settings


def program(request) -> dict:
    """The program's name on every page."""
    return {
        "program_name": settings.PROGRAM_NAME,
        "organization_name": settings.ORGANIZATION_NAME,
        "request_lead_days": settings.REQUEST_LEAD_DAYS,
    }
