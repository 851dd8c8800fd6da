"""Pages and feeds rendered once per change of the data they show, and kept in Django's cache.

A stored copy is filed under a key made of the data versions it was built from
(common.versions), what it is (the page's address with its query, or the feed), and its
language; so a write makes the copy unreachable at once and no expiry stands in for
correctness. A copy may also carry ``valid_until``, the moment time alone changes it (the
next event to end, say): it is rebuilt from then on. Its ETag is derived from the key and
that moment, so a conditional GET is answered from the versions and the stored copy.

Keys are hashed: no address, token or name is ever written into a key. Pages are stored
only when nothing in them belongs to one visitor: not for a signed-in user, not while a
message waits to be shown, not when the rendering used a CSRF token, set a cookie or used
the Content-Security-Policy nonce; and only for addresses whose query holds the parameters
the page reads, so that made-up queries cannot fill the cache with copies. Public pages hold
no CSRF token: the language switcher's form posts to a view that needs none
(common.views.language_set). A cache that cannot be reached is a miss (logged), never an error.
Each process also keeps the copies it used last in its own memory (``recent``): under a key
named by the versions a copy cannot go out of date, and a hit costs no round trip to Redis.

A client that accepts gzip (browsers and calendar apps do) gets the copy compressed, once per
copy and process, with a weak ETag as Django's GZipMiddleware gives; nothing stored is personal,
so compressing it reveals nothing (the BREACH attack needs a secret beside reflected input).
"""

import gzip
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from common.languages import LANGUAGE_QUERY_PARAMETER, public_language_codes
from common.versions import versions_current

logger = logging.getLogger(__name__)

# Stored copies under an old version are never read again; this only returns their memory.
STORED_TIMEOUT = 60 * 60 * 24 * 7
# Part of every key: change it when what is stored changes shape.
STORED_FORMAT = "1"
# Beside each stored copy, under its key and this suffix: the copy without its body (stored_not_modified).
HEAD = ":head"


@dataclass(frozen=True)
class Stored:
    """A rendered page or feed with what answering a conditional GET needs."""

    body: bytes
    content_type: str
    etag: str  # quoted, strong
    valid_until: datetime | None = None
    last_modified: int | None = None  # seconds since the epoch
    encoding: str | None = None  # "gzip" for a compressed copy

    def is_current(self, now: datetime) -> bool:
        return self.valid_until is None or now < self.valid_until


def stored_key(kind: str, *, scopes: Iterable[str], parts: Iterable[object], versions: str | None = None) -> str:
    """The key of a stored copy: the versions of ``scopes`` (one query, unless the caller read them
    already: ``versions``), the language and ``parts``, hashed."""
    if versions is None:
        versions = versions_current(scopes)
    material = "|".join([STORED_FORMAT, kind, versions, get_language() or "", *map(str, parts)])
    return f"stored:{kind}:{hashlib.sha256(material.encode()).hexdigest()}"


def stored_etag(key: str, valid_until: datetime | None) -> str:
    moment = valid_until.isoformat() if valid_until else ""
    return '"' + hashlib.sha256(f"{key}|{moment}".encode()).hexdigest()[:40] + '"'


class _Recent:
    """The stored copies this process used last, up to PAGE_CACHE_PROCESS_BYTES, in front of the cache.

    A copy's key names the data versions it was built from, so the copy under a key never changes
    (only its ``valid_until`` may pass, which every reader checks): a process may keep it, and
    serve it again without a round trip to Redis. A copy larger than an eighth of the budget (a
    large feed) is kept in the cache only.
    """

    def __init__(self) -> None:
        self._copies: OrderedDict[str, Stored] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def _size(stored: Stored) -> int:
        return len(stored.body) + 512

    def get(self, key: str) -> Stored | None:
        with self._lock:
            found = self._copies.get(key)
            if found is not None:
                self._copies.move_to_end(key)
            return found

    def put(self, key: str, stored: Stored) -> None:
        budget = settings.PAGE_CACHE_PROCESS_BYTES
        size = self._size(stored)
        if size * 8 > budget:
            return
        with self._lock:
            previous = self._copies.pop(key, None)
            if previous is not None:
                self._bytes -= self._size(previous)
            self._copies[key] = stored
            self._bytes += size
            while self._bytes > budget:
                _oldest, dropped = self._copies.popitem(last=False)
                self._bytes -= self._size(dropped)

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()
            self._bytes = 0


recent = _Recent()


def _get(key: str) -> Stored | None:
    found = recent.get(key)
    if found is not None:
        return found
    found = _cache_call(lambda: cache.get(key), None, failed="get", then="building the page")
    if not isinstance(found, Stored):
        return None
    recent.put(key, found)
    return found


def _put(key: str, stored: Stored) -> None:
    head = replace(stored, body=b"")
    recent.put(key, stored)
    recent.put(key + HEAD, head)
    _cache_call(
        lambda: (cache.set(key, stored, STORED_TIMEOUT), cache.set(key + HEAD, head, STORED_TIMEOUT)),
        None,
        failed="set",
        then="the page is not kept",
    )


def stored_or_build(key: str, build: Callable[[], Stored], *, now: datetime | None = None) -> Stored:
    """The stored copy under ``key`` if it is still current, else ``build()``'s, stored."""
    now = now or timezone.now()
    found = _get(key)
    if found is not None and found.is_current(now):
        return found
    fresh = build()
    _put(key, fresh)
    return fresh


def stored_not_modified(request: HttpRequest, key: str, *, now: datetime | None = None) -> HttpResponse | None:
    """The 304 for a conditional GET whose copy is current, read from the stored copy's head (its
    validators without its body), or None: a 304 costs the same for a 20 MB feed as for an empty one."""
    if not (request.META.get("HTTP_IF_NONE_MATCH") or request.META.get("HTTP_IF_MODIFIED_SINCE")):
        return None
    head = _get(key + HEAD)
    if head is None or not head.is_current(now or timezone.now()):
        return None
    response = stored_response(request, head)
    return response if response.status_code == 304 else None


def stored_response(request: HttpRequest, stored: Stored) -> HttpResponse:
    """The stored copy as a response, or 304 when the client's copy is current (If-None-Match,
    If-Modified-Since); compressed for a client that accepts gzip."""
    if _accepts_gzip(request):
        stored = _compressed(stored)
    response = HttpResponse(stored.body, content_type=stored.content_type)
    response.headers["ETag"] = stored.etag
    patch_vary_headers(response, ["Accept-Encoding"])
    if stored.encoding:
        response.headers["Content-Encoding"] = stored.encoding
    if stored.last_modified is not None:
        response.headers["Last-Modified"] = http_date(stored.last_modified)
    return get_conditional_response(request, etag=stored.etag, last_modified=stored.last_modified, response=response)


def _accepts_gzip(request: HttpRequest) -> bool:
    """Whether Accept-Encoding names gzip (or ``*``) without refusing it (``q=0``)."""
    for coding in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _, parameters = coding.partition(";")
        if name.strip().lower() not in ("gzip", "*"):
            continue
        weight = parameters.strip().lower().removeprefix("q=")
        try:
            return not parameters.strip() or float(weight) > 0
        except ValueError:
            return False
    return False


def _compressed(stored: Stored) -> Stored:
    """``stored`` compressed with gzip under the weak form of its ETag, made once per copy (a head,
    with no body, stays a head). The ETag names the copy, so it also names its compressed form."""
    if not stored.body:
        return replace(stored, etag="W/" + stored.etag)
    key = f"stored:gzip:{stored.etag.strip(chr(34))}"
    found = _get(key)
    if found is not None:
        return found
    variant = replace(stored, body=gzip.compress(stored.body, mtime=0), etag="W/" + stored.etag, encoding="gzip")
    recent.put(key, variant)
    _cache_call(lambda: cache.set(key, variant, STORED_TIMEOUT), None, failed="set", then="the page is not kept")
    return variant


def _is_personal(request: HttpRequest) -> bool:
    """Whether the page may hold something for this visitor alone: their account or a waiting message."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated) or len(get_messages(request)) > 0


def _used_personal(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the rendering put something of this visitor's answer in the page: a CSRF token, a
    cookie, or the Content-Security-Policy nonce (which must match this answer's header)."""
    return bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or response.cookies
        or getattr(request, "_csp_nonce", None) is not None
    )


def _query_is_plain(request: HttpRequest, reads: Iterable[str]) -> bool:
    """Whether the address's query holds only parameters the page reads, each once, and ``lang`` (a
    language offered) at most: any other query would file one more copy per variation."""
    allowed = {*reads, LANGUAGE_QUERY_PARAMETER}
    for name, values in request.GET.lists():
        if name not in allowed or len(values) != 1:
            return False
    language = request.GET.get(LANGUAGE_QUERY_PARAMETER)
    return language is None or language in public_language_codes()


def page_key(request: HttpRequest, *, scopes: Iterable[str], reads: Iterable[str] = ()) -> str | None:
    """The key ``page_response`` files this request's page under, or None when the page is not
    shared by every visitor (see ``page_response``)."""
    if request.method not in ("GET", "HEAD") or _is_personal(request) or not _query_is_plain(request, reads):
        return None
    return stored_key("page", scopes=scopes, parts=[request.build_absolute_uri()])


def page_stored(request: HttpRequest, key: str, *, now: datetime | None = None) -> HttpResponse | None:
    """The answer from the current stored copy under ``key`` (200, or 304), or None when it must be built."""
    now = now or timezone.now()
    not_modified = stored_not_modified(request, key, now=now)
    if not_modified is not None:
        return not_modified
    found = _get(key)
    return stored_response(request, found) if found is not None and found.is_current(now) else None


def page_response(
    request: HttpRequest,
    render: Callable[[], HttpResponse],
    *,
    scopes: Iterable[str],
    reads: Iterable[str] = (),
    missed_key: str | None = None,
) -> HttpResponse:
    """``render()``'s page from its stored copy, built once per version of ``scopes`` (or 304).

    Stored under the versions of ``scopes``, the language and the page's full address, only when
    the page is shared by every visitor: a GET or HEAD, from a visitor neither signed in nor with a
    message waiting, whose address's query holds only the parameters ``reads`` (and ``lang``), and
    whose rendering was a 200 that used no CSRF token, cookie or CSP nonce. Every other request gets
    ``render()``'s answer as it is. ``render()`` may set ``response.valid_until`` (the moment time
    alone changes the page) and ``response.storable = False`` (a page for values nobody else asks
    for: a filter naming nothing that exists, say). ``missed_key``: ``page_key``'s, when the caller
    has just found no current copy under it (``page_stored``): the page is built without looking again.
    """
    key = missed_key or page_key(request, scopes=scopes, reads=reads)
    if key is None:
        return render()
    answer = None if missed_key else page_stored(request, key)
    if answer is not None:
        return answer
    response = render()
    if (
        response.status_code != 200
        or response.streaming
        or not getattr(response, "storable", True)
        or _used_personal(request, response)
    ):
        return response
    valid_until = getattr(response, "valid_until", None)
    found = Stored(
        body=response.content,
        content_type=response["Content-Type"],
        etag=stored_etag(key, valid_until),
        valid_until=valid_until,
    )
    _put(key, found)
    return stored_response(request, found)


def page_cached(*scopes: str, reads: Iterable[str] = ()) -> Callable:
    """Serve a public GET page from its stored copy, built once per version of ``scopes`` (see
    ``page_response``; ``reads``: the query parameters the page reads)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            return page_response(request, lambda: view(request, *args, **kwargs), scopes=scopes, reads=reads)

        return wrapper

    return decorate


def value_stored_or_build(key: str, build: Callable[[], object]) -> object:
    """Any picklable value under ``key`` (a ``stored_key``), else ``build()``'s, stored: for what several
    pages render, such as a report's figures. The value must hold nothing personal (it is shared)."""
    found = _cache_call(lambda: cache.get(key, _ABSENT), _ABSENT, failed="get", then="building the value")
    if found is not _ABSENT:
        return found
    fresh = build()
    _cache_call(lambda: cache.set(key, fresh, STORED_TIMEOUT), None, failed="set", then="the value is not kept")
    return fresh


def _cache_call(call: Callable[[], Any], miss: Any, *, failed: str, then: str) -> Any:
    """``call()`` on the cache, or ``miss`` (logged) when the cache cannot be reached or refuses."""
    try:
        return call()
    except Exception as exc:
        logger.warning("Page cache unreachable (%s on %s): %s.", type(exc).__name__, failed, then)
        return miss


_ABSENT = object()
