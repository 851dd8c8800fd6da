"""Query parameters of the staff API's lists (django-filter): parsed and validated here, then
handed to the same selectors the staff pages use, so both show the same rows."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from common.api.defaults import StrictQueryForm
from common.api.fields import MAX_ID
from common.times import API_DESCRIPTION, instant
from outreach.enums import COUNTY_CHOICES, Format, RequestStatus
from outreach.models import PresentationRequest
from scheduling.models import Blackout, Booking, Notification, NotificationKind, NotificationStatus, Presenter
from scheduling.selectors import bookings_for_calendar, requests_for_queue

BOOKING_RANGE_MAX_DAYS = 400
MSG_RANGE_ORDER = _("The end of the range must be after its start.")
MSG_RANGE_TOO_LONG = _("Ask for at most %(days)d days at a time.") % {"days": BOOKING_RANGE_MAX_DAYS}


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.Filter):
    """A row's id: a positive 64-bit integer (anything else is a 400, not a database error)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class BooleanField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        kwargs.pop("empty_value", None)
        super().__init__(choices=[("true", "true"), ("false", "false")], coerce=lambda v: v == "true", **kwargs)


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.Filter):
    """true or false; anything else is a 400 (django-filter's BooleanFilter would ignore it)."""

    field_class = BooleanField


class BoundedIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 datetime read by ``common.times.instant``: out-of-range years and skipped local
    times are a 400 naming the parameter."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            parsed = parse_datetime(force_str(value).strip())
        except ValueError:
            parsed = None
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return instant(parsed)


@extend_schema_field(OpenApiTypes.DATETIME)
class MomentFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField

    def __init__(self, *args, **kwargs):
        given = kwargs.get("help_text")
        kwargs["help_text"] = f"{given} {API_DESCRIPTION}" if given else API_DESCRIPTION
        super().__init__(*args, **kwargs)


def _search(queryset, fields: tuple[str, ...], value: str):
    words = value.split()[:10]
    for word in words:
        queryset = queryset.filter(Q(*[Q(**{f"{field}__icontains": word}) for field in fields], _connector=Q.OR))
    return queryset


class StaffRequestFilter(django_filters.FilterSet):
    """The staff queue's filters (any status unless one is given), a search and an ordering."""

    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)
    presentation = IdFilter(help_text="A presentation's id.")
    audience = IdFilter(help_text="An audience's id.")
    county = django_filters.ChoiceFilter(choices=COUNTY_CHOICES)
    format = django_filters.ChoiceFilter(choices=Format.choices)
    date_from = MomentFilter(help_text="With a preferred window, or a booking, ending after this moment.")
    date_to = MomentFilter(help_text="With a preferred window, or a booking, starting before this moment.")
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=200,
        help_text="Words found in the reference, organization, city, contact name or email.",
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("submitted_at", "submitted_at"),
            ("status_changed_at", "status_changed_at"),
            ("reference", "reference"),
            ("organization_name", "organization_name"),
            ("last_window_end", "last_window_end"),
        ),
        help_text="Default: submitted_at (oldest waiting first). Prefix with - to reverse.",
    )

    class Meta:
        model = PresentationRequest
        form = StrictQueryForm
        fields = ["status", "presentation", "audience", "county", "format", "date_from", "date_to"]

    def filter_search(self, queryset, name, value):
        return _search(queryset, ("reference", "organization_name", "city", "contact_name", "contact_email"), value)

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        queryset = requests_for_queue(
            status=data.get("status") or None,
            presentation_id=data.get("presentation"),
            county=data.get("county") or None,
            audience_id=data.get("audience"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        for name in ("format", "search", "ordering"):
            queryset = self.filters[name].filter(queryset, data.get(name))
        return queryset


class RangeForm(StrictQueryForm):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end <= start:
                self.add_error("end", MSG_RANGE_ORDER)
            elif end - start > timedelta(days=BOOKING_RANGE_MAX_DAYS):
                self.add_error("end", MSG_RANGE_TOO_LONG)
        return cleaned


class BookingFilter(django_filters.FilterSet):
    """Active bookings (scheduled or completed) overlapping [start, end), as on the staff calendar."""

    start = MomentFilter(required=True, help_text="The range's start.")
    end = MomentFilter(required=True, help_text=f"The range's end; at most {BOOKING_RANGE_MAX_DAYS} days later.")
    presenter = IdFilter(help_text="Only bookings this presenter (lead or co-presenter) gives.")

    class Meta:
        model = Booking
        fields = ["start", "end", "presenter"]
        form = RangeForm

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        queryset = bookings_for_calendar(start=data["start"], end=data["end"])
        presenter = data.get("presenter")
        if presenter:
            mine = Booking.objects.filter(Q(lead_presenter_id=presenter) | Q(co_presenters=presenter)).values("pk")
            queryset = queryset.filter(pk__in=mine)
        return queryset


class PresenterFilter(django_filters.FilterSet):
    is_active = StrictBooleanFilter()
    search = django_filters.CharFilter(method="filter_search", max_length=200, help_text="Words in the name or email.")

    class Meta:
        model = Presenter
        form = StrictQueryForm
        fields = ["is_active"]

    def filter_search(self, queryset, name, value):
        return _search(queryset, ("name", "email"), value)


class BlackoutFilter(django_filters.FilterSet):
    presenter = IdFilter(help_text="Only this presenter's time off (closures are listed with closures=true).")
    closures = StrictBooleanFilter(
        field_name="presenter", lookup_expr="isnull", help_text="true: only program closures; false: none."
    )
    start = MomentFilter(field_name="end", lookup_expr="gt", help_text="Ending after this moment.")
    end = MomentFilter(field_name="start", lookup_expr="lt", help_text="Starting before this moment.")

    class Meta:
        model = Blackout
        form = StrictQueryForm
        fields = ["presenter", "closures", "start", "end"]


class NotificationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=NotificationStatus.choices)
    kind = django_filters.ChoiceFilter(choices=NotificationKind.choices)
    request = IdFilter(help_text="A request's id.")

    class Meta:
        model = Notification
        form = StrictQueryForm
        fields = ["status", "kind", "request"]
