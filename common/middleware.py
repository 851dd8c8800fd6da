"""Request-wide behaviour that belongs to no one app."""

import ipaddress

from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from common.languages import API_PATH_PREFIX, is_staff_path, language_for_request, language_from_query


def _is_page(path: str, response) -> bool:
    """An HTML page (not the API, a feed or an image), where ``?lang=`` is remembered."""
    return not path.startswith(API_PATH_PREFIX) and response.get("Content-Type", "").startswith("text/html")


class LanguageMiddleware:
    """Answer each request in its language (``common.languages.language_for_request``).

    In place of Django's LocaleMiddleware: public pages follow the visitor's choice among
    PUBLIC_LANGUAGES, staff and presenters' pages are always STAFF_LANGUAGE, and no address
    carries a language prefix. A page opened with ``?lang=`` (a link in an email, a QR code)
    remembers that language, so that the forms it leads to stay in it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for_request(request)
        request.LANGUAGE_CODE = language
        # Restored afterwards, so that work done later on this thread (a task run in-process, the
        # next test) does not inherit the visitor's language.
        with translation.override(language):
            response = self.get_response(request)
        path = request.path_info
        if not is_staff_path(path):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            chosen = language_from_query(request) if _is_page(path, response) else None
            if chosen and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen:
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    chosen,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    path=settings.LANGUAGE_COOKIE_PATH,
                    domain=settings.LANGUAGE_COOKIE_DOMAIN,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                )
        response.headers.setdefault("Content-Language", language)
        return response


class PrivateResponsesMiddleware:
    """Nothing answered to a signed-in person is kept by a browser's or a proxy's cache.

    Staff pages, the staff API (session or token), the admin and presenters' pages show personal
    data; their answers carry ``Cache-Control: no-store`` (with Django's other never-cache
    headers) unless the view chose its own. Pages reached by a private link without signing in
    (the requester's status page and its API) say so themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


def client_address(meta: dict, *, trusted_proxies: int) -> str:
    """The client's address: REMOTE_ADDR, or behind ``trusted_proxies`` proxies the address the
    outermost of them put in X-Forwarded-For (the ``trusted_proxies``-th entry from the right).

    Entries further left are the client's own claims and are never read. A header with fewer
    entries, or whose entry is no IP address, leaves REMOTE_ADDR (the nearest proxy's): every
    such request then shares that one address's limits instead of choosing its own.
    """
    remote = meta.get("REMOTE_ADDR", "")
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if trusted_proxies <= 0 or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",")]
    if len(entries) < trusted_proxies:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-trusted_proxies]))
    except ValueError:
        return remote


class ClientAddressMiddleware:
    """Puts the client's address in REMOTE_ADDR (``client_address`` with TRUSTED_PROXY_COUNT), where
    the per-address limits (django-ratelimit, the API's throttles) and the logs read it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META["REMOTE_ADDR"] = client_address(request.META, trusted_proxies=settings.TRUSTED_PROXY_COUNT)
        return self.get_response(request)
