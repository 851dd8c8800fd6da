"""Which language a page, an email or an API answer is in.

Every language in LANGUAGES has a full translation; PUBLIC_LANGUAGES are the ones the public
switcher offers and a browser's Accept-Language may select (a language is turned on only after a
community member has reviewed its translation). Staff pages, staff emails and presenters' pages
are in STAFF_LANGUAGE whatever the browser asks.

A public page's language is, in order: ``?lang=`` in its address (a QR code or an emailed link
that must open in one language), the visitor's choice from the switcher (a cookie), the browser's
Accept-Language, and English. The API reads Accept-Language only.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_info
from django.utils.translation.trans_real import parse_accept_lang_header

LANGUAGE_QUERY_PARAMETER = "lang"

# Pages for the program's own people (staff, admin, presenters, sign-in, their private feeds and the
# API's staff endpoints and documentation): always STAFF_LANGUAGE.
STAFF_PATH_PREFIXES = (
    "/staff/",
    "/admin/",
    "/my/",
    "/accounts/",
    "/calendar/staff/",
    "/calendar/presenter/",
    "/api/v1/staff/",
    "/api/schema/",
    "/api/docs/",
)
API_PATH_PREFIX = "/api/"


def language_codes() -> list[str]:
    """Every language the site is translated into (a requester's emails may be in any of them)."""
    return [code for code, _name in settings.LANGUAGES]


def public_language_codes() -> list[str]:
    """The languages visitors may choose, in the order of LANGUAGES."""
    return [code for code in language_codes() if code in settings.PUBLIC_LANGUAGES]


def is_public_language(code: str | None) -> bool:
    return code in public_language_codes()


def language_name_local(code: str) -> str:
    """A language's name in that language, as a switcher shows it: "English", "Español", "Soomaali", "Hmoob"."""
    name = get_language_info(code)["name_local"]
    return name[:1].upper() + name[1:]


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PATH_PREFIXES)


def _supported(code: str, allowed: list[str]) -> str | None:
    """``code`` or its base language ("es-MX" -> "es") if allowed."""
    code = code.lower()
    for candidate in (code, code.split("-")[0]):
        if candidate in allowed:
            return candidate
    return None


def language_from_accept_header(header: str, *, allowed: list[str] | None = None) -> str | None:
    """The first language of an Accept-Language header, by preference, that is allowed."""
    allowed = public_language_codes() if allowed is None else allowed
    for code, _quality in parse_accept_lang_header(header or ""):
        if code == "*":
            break
        found = _supported(code, allowed)
        if found:
            return found
    return None


def language_for_request(request: HttpRequest) -> str:
    """The language to answer ``request`` in (see the module's docstring for the order)."""
    path = request.path_info
    if is_staff_path(path):
        return settings.STAFF_LANGUAGE
    allowed = public_language_codes()
    if not path.startswith(API_PATH_PREFIX):
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        found = language_from_query(request) or (_supported(cookie, allowed) if cookie else None)
        if found:
            return found
    return language_from_accept_header(request.META.get("HTTP_ACCEPT_LANGUAGE", ""), allowed=allowed) or (
        settings.LANGUAGE_CODE
    )


def _query_without_language(request: HttpRequest) -> list[tuple[str, str]]:
    return [(key, value) for key, values in request.GET.lists() if key != LANGUAGE_QUERY_PARAMETER for value in values]


def path_without_language(request: HttpRequest) -> str:
    """The page's path and query without ``?lang=``: where the switcher sends the visitor back to."""
    query = _query_without_language(request)
    return request.path + (f"?{urlencode(query)}" if query else "")


def language_url(request: HttpRequest, code: str) -> str:
    """This page's absolute address in language ``code`` (for ``<link rel="alternate" hreflang>``)."""
    query = [*_query_without_language(request), (LANGUAGE_QUERY_PARAMETER, code)]
    return request.build_absolute_uri(f"{request.path}?{urlencode(query)}")


def url_in_language(url: str, code: str) -> str:
    """``url`` with ``?lang=code``: a link in an email or on a QR code that opens in that language
    (the page then remembers it like a choice made with the switcher)."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != LANGUAGE_QUERY_PARAMETER]
    query.append((LANGUAGE_QUERY_PARAMETER, code))
    return urlunsplit(parts._replace(query=urlencode(query)))


def language_from_query(request: HttpRequest) -> str | None:
    """The public language that ``?lang=`` asks for, if any."""
    candidate = request.GET.get(LANGUAGE_QUERY_PARAMETER, "")
    return _supported(candidate, public_language_codes()) if candidate else None
