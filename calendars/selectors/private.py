"""The presenter and staff feeds' events as plain rows: one query for the bookings, one for their
co-presenters, one for pending requests' windows, whatever the number of events.

A row holds just the columns an event shows, so that no model instance is built per event (three
per booking otherwise: the booking, its request and its presentation). Translated texts read as
their model instances would read them (``_Translated``): the active language, else its fallbacks.
"""

from datetime import datetime
from types import SimpleNamespace

from django.db.models import Model
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

from calendars.selectors import PRIVATE_HISTORY, Feed, bookings_in_feed
from outreach.enums import RequestStatus
from outreach.models import Audience, Presentation, RequestWindow
from scheduling.models import Booking

# The columns of one private feed event, in the order private_feed_rows gives them, the last one (the
# presentation) as its title. The audience's and the language's names are their stored ``name``
# columns, whatever the active language, as the feeds have always shown them.
PRIVATE_ROW = (
    "pk",
    "uid",
    "sequence",
    "start",
    "end",
    "format",
    "location",
    "virtual_link",
    "updated_at",
    "cancelled_at",
    "request_id",
    "request__reference",
    "request__organization_name",
    "request__contact_name",
    "request__contact_role",
    "request__contact_email",
    "request__contact_phone",
    "request__audience_size",
    "request__age_range",
    "request__accessibility_needs",
    "request__notes",
    "request__erased_at",
    "request__audience__name",
    "request__language__name",
    "lead_presenter__name",
    "request__presentation_id",
)

# The columns of one pending window, in the order pending_window_rows gives them (then the
# presentation's title and the audience's name, as the staff page shows them).
WINDOW_ROW = (
    "position",
    "start",
    "end",
    "request_id",
    "request__reference",
    "request__status_changed_at",
    "request__organization_name",
    "request__city",
    "request__county",
    "request__audience_size",
)


class _Translated:
    """A translated field (django-modeltranslation) of a related row, read from its per-language
    columns by the field's own descriptor: the same text its model instance gives, with no instance."""

    def __init__(self, model: type[Model], field: str, *, path: str) -> None:
        self.model, self.descriptor = model, getattr(model, field)
        # The columns the active language reads, in the order the descriptor tries them.
        languages = resolution_order(get_language(), self.descriptor.fallback_languages)
        self.columns = [build_localized_fieldname(field, language) for language in languages]
        self.lookups = [f"{path}{column}" for column in self.columns]  # path: from the rows' model, with "__"

    def text(self, values: tuple) -> str:
        """The text read from ``values`` of ``columns``, in their order."""
        return self.descriptor.__get__(SimpleNamespace(**dict(zip(self.columns, values, strict=True))), self.model)


def private_feed_rows(*, feed: Feed, now: datetime) -> list[tuple]:
    """The bookings in a presenter's or the staff feed at ``now`` (``bookings_in_feed``) as plain rows:
    PRIVATE_ROW, the presentation as its title in the active language. One query."""
    title = _Translated(Presentation, "title", path="request__presentation__")
    presentation = len(PRIVATE_ROW) - 1
    titles: dict[int, str] = {}
    rows = []
    for row in bookings_in_feed(feed=feed, now=now).values_list(*PRIVATE_ROW, *title.lookups):
        text = titles.get(row[presentation])
        if text is None:
            text = titles[row[presentation]] = title.text(row[presentation + 1 :])
        rows.append((*row[:presentation], text))
    return rows


def co_presenter_names(*, feed: Feed, now: datetime) -> dict[int, list[str]]:
    """Booking id -> its co-presenters' names, by name, for the bookings in ``feed`` (one query)."""
    in_feed = bookings_in_feed(feed=feed, now=now).values("pk")
    names: dict[int, list[str]] = {}
    rows = (
        Booking.co_presenters.through.objects.filter(booking_id__in=in_feed)
        .order_by("presenter__name", "presenter_id")
        .values_list("booking_id", "presenter__name")
    )
    for booking_id, name in rows:
        names.setdefault(booking_id, []).append(name)
    return names


def pending_window_rows(*, now: datetime) -> list[tuple]:
    """Preferred windows of requests still waiting for a decision, within the private feeds' history,
    by start, as plain rows: WINDOW_ROW and then the presentation's title and the audience's name in
    the active language. One query."""
    title = _Translated(Presentation, "title", path="request__presentation__")
    audience = _Translated(Audience, "name", path="request__audience__")
    width = len(WINDOW_ROW)
    middle = width + len(title.lookups)
    rows = []
    windows = RequestWindow.objects.filter(
        request__status=RequestStatus.SUBMITTED, end__gt=now - PRIVATE_HISTORY
    ).order_by("start", "pk")
    for row in windows.values_list(*WINDOW_ROW, *title.lookups, *audience.lookups):
        rows.append((*row[:width], title.text(row[width:middle]), audience.text(row[middle:])))
    return rows
