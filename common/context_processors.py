from django.conf import settings
from django.utils.translation import get_language

from common.contact import program_contact
from common.languages import (
    is_staff_path,
    language_name_local,
    language_url,
    path_without_language,
    public_language_codes,
)


def program(request) -> dict:
    """The program's name and contact details on every page."""
    return {
        "contact": program_contact(),
        "program_name": settings.PROGRAM_NAME,
        "organization_name": settings.ORGANIZATION_NAME,
        "request_lead_days": settings.REQUEST_LEAD_DAYS,
    }


def languages(request) -> dict:
    """The page's language, and on public pages the switcher's choices and the page in each language."""
    current = get_language() or settings.LANGUAGE_CODE
    context = {"page_language": current, "language_switcher": None}
    if request is None or is_staff_path(request.path_info):
        return context
    codes = public_language_codes()
    if len(codes) > 1:
        context["language_switcher"] = {
            "next": path_without_language(request),
            "choices": [
                {
                    "code": code,
                    "name": language_name_local(code),
                    "current": code == current,
                    "url": language_url(request, code),
                }
                for code in codes
            ],
        }
    return context
