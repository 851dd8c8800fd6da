"""Calendar feeds, the public events page, the requester's .ics download and the staff page for feed tokens."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from calendars.builders import (
    booking_calendar,
    feed_subscribe_links,
    presenter_feed_url,
    public_place,
    staff_feed_url,
)
from calendars.feeds import feed_calendar
from calendars.selectors import (
    FEED_FORMAT,
    PRESENTER,
    PUBLIC,
    STAFF,
    Feed,
    booking_for_download,
    feed_last_modified,
    feed_state,
    public_events_page,
)
from calendars.selectors.links import (
    presenters_for_feed_tokens,
    private_feed_owner_and_versions,
    staff_feed_link_exists,
)
from calendars.services import (
    presenter_feed_token_rotate,
    staff_feed_token_revoke,
    staff_feed_token_rotate,
)
from common.access import staff_required
from common.pagecache import (
    Stored,
    page_cached,
    stored_etag,
    stored_key,
    stored_not_modified,
    stored_or_build,
    stored_response,
)
from common.versions import CATALOG, SCHEDULE
from outreach.selectors import request_by_token
from scheduling.models import Presenter

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"
PUBLIC_CACHE_CONTROL = "public, max-age=300"
PRIVATE_CACHE_CONTROL = "private, no-cache"
# Feeds show the schedule and the catalog's titles, audiences and languages.
FEED_SCOPES = (CATALOG, SCHEDULE)
MSG_STAFF_TOKEN_REVOKED = _("Your staff feed link is revoked; calendars subscribed to it stop updating.")
MSG_STAFF_TOKEN_NEW = _(
    "Your new staff feed link is below; copy it now, it is not stored and will not be shown again. "
    "The previous one no longer works."
)
MSG_NO_STAFF_TOKEN = _("You had no staff feed link to revoke.")
MSG_NO_EVENTS_PAGE = _("There is no such page of upcoming presentations.")


def _feed_key(feed: Feed, *, versions: str | None = None) -> str:
    return stored_key("feed", scopes=FEED_SCOPES, parts=[FEED_FORMAT, settings.SITE_URL, feed.key], versions=versions)


def _feed_stored(feed: Feed, now: datetime, *, key: str) -> Stored:
    """The feed's stored copy, built if the data versions moved or an event has left it since.

    Last-Modified is sent (and If-Modified-Since honoured) only once the second of the last
    change is over: HTTP dates count whole seconds, and a second change within the same second
    must not be answered 304.
    """

    def build() -> Stored:
        state = feed_state(feed=feed, now=now)
        moment = feed_last_modified(feed=feed, now=now, state=state)
        last_modified = int(moment.timestamp()) if moment is not None and now - moment >= timedelta(seconds=1) else None
        return Stored(
            body=feed_calendar(feed=feed, now=now),
            content_type=CALENDAR_CONTENT_TYPE,
            etag=stored_etag(key, state.valid_until),
            valid_until=state.valid_until,
            last_modified=last_modified,
        )

    return stored_or_build(key, build, now=now)


def _feed_response(request: HttpRequest, feed: Feed, *, private: bool, versions: str | None = None) -> HttpResponse:
    """The feed from its stored copy, or 304 when the client's copy is current.

    A 304 costs the data versions' lookup (one query of a four-row table; for a private feed, read
    with whose feed its link opens, ``versions``) and one read of the stored copy's head, whatever
    the number of events; the calendar is rebuilt only after a change.
    """
    now, key = timezone.now(), _feed_key(feed, versions=versions)
    response = stored_not_modified(request, key, now=now)
    if response is None:
        response = stored_response(request, _feed_stored(feed, now, key=key))
    if private:
        response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"
    else:
        response.headers["Cache-Control"] = PUBLIC_CACHE_CONTROL
    return response


@require_safe
def public_feed(request: HttpRequest) -> HttpResponse:
    return _feed_response(request, Feed(kind=PUBLIC), private=False)


@require_safe
def presenter_feed(request: HttpRequest, token: str) -> HttpResponse:
    presenter_id, versions = private_feed_owner_and_versions(kind=PRESENTER, token=token, scopes=FEED_SCOPES)
    if presenter_id is None:
        raise Http404
    return _feed_response(request, Feed(kind=PRESENTER, presenter_id=presenter_id), private=True, versions=versions)


@require_safe
def staff_feed(request: HttpRequest, token: str) -> HttpResponse:
    owner, versions = private_feed_owner_and_versions(kind=STAFF, token=token, scopes=FEED_SCOPES)
    if owner is None:
        raise Http404
    feed = Feed(kind=STAFF, tentative=request.GET.get("tentative") == "1")
    return _feed_response(request, feed, private=True, versions=versions)


def _events_page_number(request: HttpRequest) -> int | None:
    given = request.GET.get("page", "1")
    return int(given) if given.isascii() and given.isdigit() and len(given) <= 3 else None


@require_safe
@page_cached(CATALOG, SCHEDULE, reads=("page",))
def events(request: HttpRequest) -> HttpResponse:
    """Presentations listed with their requesters' consent (the public feed as a page), the next
    EVENTS_PERIOD_MONTHS months a page (``?page=``); stored until the data or the day changes."""
    number = _events_page_number(request)
    page = public_events_page(number=number, now=timezone.now()) if number is not None else None
    if page is None:
        raise Http404(MSG_NO_EVENTS_PAGE)
    feed = Feed(kind=PUBLIC)
    context = {
        "page": page,
        "rows": [{"booking": booking, "place": public_place(booking)} for booking in page.bookings],
        "links": feed_subscribe_links(https_url=settings.SITE_URL + reverse("calendars:public"), name=feed.name),
        "feed_name": feed.name,
    }
    response = render(request, "calendars/events.html", context)
    response.valid_until = page.valid_until
    return response


@never_cache
@require_safe
def request_event(request: HttpRequest, token: str) -> HttpResponse:
    """The requester's scheduled presentation as an .ics file to import."""
    found = request_by_token(token=token)
    booking = booking_for_download(request=found) if found is not None else None
    if booking is None:
        raise Http404
    response = HttpResponse(booking_calendar(booking=booking), content_type=CALENDAR_CONTENT_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="presentation-{found.reference}.ics"'
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- Staff: feed tokens ------------------------------------------------------------------------


def _tokens_page(
    request: HttpRequest, *, new_staff_token: str | None = None, new_presenter: tuple[Presenter, str] | None = None
) -> HttpResponse:
    """The feed links page; a link just made is shown on this answer only (it is not stored)."""
    staff_links = None
    if new_staff_token is not None:
        url = staff_feed_url(new_staff_token)
        staff_links = {
            "all": feed_subscribe_links(https_url=url, name=str(Feed(kind=STAFF).name)),
            "tentative": feed_subscribe_links(
                https_url=url + "?tentative=1", name=str(Feed(kind=STAFF, tentative=True).name)
            ),
        }
    context = {
        "live": new_staff_token is not None or staff_feed_link_exists(user=request.user),
        "staff_links": staff_links,
        "presenters": presenters_for_feed_tokens(),
        "new_presenter": new_presenter,
    }
    return render(request, "calendars/staff_tokens.html", context)


@never_cache
@require_safe
@staff_required
def feed_tokens(request: HttpRequest) -> HttpResponse:
    return _tokens_page(request)


@never_cache
@require_POST
@staff_required
def staff_token_rotate(request: HttpRequest) -> HttpResponse:
    """Make a new staff feed link and show it once (it is not stored, so it is not redirected)."""
    token = staff_feed_token_rotate(user=request.user)
    messages.success(request, MSG_STAFF_TOKEN_NEW)
    return _tokens_page(request, new_staff_token=token)


@never_cache
@require_POST
@staff_required
def staff_token_revoke(request: HttpRequest) -> HttpResponse:
    revoked = staff_feed_token_revoke(user=request.user)
    messages.success(request, MSG_STAFF_TOKEN_REVOKED if revoked else MSG_NO_STAFF_TOKEN)
    return redirect("calendars:tokens")


@never_cache
@require_POST
@staff_required
def presenter_token_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    """Rotate a presenter's token and show the new link once (it is not stored, so it is not redirected)."""
    presenter = get_object_or_404(Presenter, pk=pk)
    token = presenter_feed_token_rotate(presenter=presenter, by=request.user)
    return _tokens_page(request, new_presenter=(presenter, presenter_feed_url(token)))
