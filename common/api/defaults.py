"""The classes REST_FRAMEWORK's defaults name: parsing, authentication, throttling, pagination,
and the strict form behind every filter set."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from common.cache import window_count

MSG_TOO_LARGE = _("The request body is too large.")
MSG_BAD_REQUEST = _("The request could not be understood.")
MSG_PAGE_SIZE = _("Give a whole number of at least 1.")
MSG_EMPTY_PARAMETER = _("Give a value, or leave the parameter out.")


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = MSG_TOO_LARGE
    default_code = "request_too_large"


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser that also answers 400 for an unknown charset or absurdly deep nesting,
    and 413 for a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE, instead of failing with a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None and limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise RequestTooLarge()
        try:
            return super().parse(stream, media_type, parser_context)
        except (LookupError, RecursionError, UnicodeError) as exc:
            raise exceptions.ParseError(f"JSON parse error - {type(exc).__name__}") from None


_TOKEN_KEY = re.compile(r"^[0-9a-f]{40}$")


class StaffTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <40 hex characters>``; anything else is refused before the database is asked."""

    def authenticate_credentials(self, key):
        if not _TOKEN_KEY.match(key):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(key)


# --- Throttling and pagination ---------------------------------------------------------


class ScopedThrottle(ScopedRateThrottle):
    """One budget per endpoint, per user or, anonymous, per address.

    The view's ``throttle_scope`` names the rate in DEFAULT_THROTTLE_RATES (endpoints of a kind
    share a rate); each endpoint counts its own requests. Counted in the default cache: Redis when
    REDIS_URL is set, so every process shares the count. The rate is read when a request comes in
    (not at import), so it follows the settings.

    A fixed window per client and endpoint, opened by its first request ("300/min": at most 300
    requests in the minute after the first; the next one opens a new minute): one counter, counted
    and read in one round trip to Redis (common.cache.window_count). Every request is counted, the
    refused ones too; a refused one is told how long the window has left (``Retry-After``). When
    the cache cannot be reached the request goes through (fail open, logged by the cache).
    """

    def get_cache_key(self, request, view):
        key = super().get_cache_key(request, view)
        return key.replace(f"throttle_{self.scope}_", f"throttle_{self.scope}.{type(view).__name__}_", 1) + ":n"

    def allow_request(self, request, view):
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        key = self.get_cache_key(request, view) if self.rate is not None else None
        if key is None:
            return True
        counted = window_count(key, seconds=self.duration)
        if counted is None:
            return True
        count, self.left = counted
        return count <= self.num_requests

    def wait(self):
        return max(self.left, 1)

    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(f"No throttle rate for the scope {self.scope!r}") from None


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 200); a page_size that is no positive integer is a 400."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is not None and not (value.isascii() and value.isdigit() and int(value) > 0):
            raise exceptions.ValidationError({self.page_size_query_param: [str(MSG_PAGE_SIZE)]})
        return super().get_page_size(request)


class StrictQueryForm(forms.Form):
    """The form behind a FilterSet: a parameter given empty (``?status=``) is refused, not ignored."""

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            if "" in self.data.getlist(name):
                self.add_error(name, MSG_EMPTY_PARAMETER)
        return cleaned
