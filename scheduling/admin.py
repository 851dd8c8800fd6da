"""Django admin for scheduling.

Presenters and blackout periods are edited here. Bookings, proposals, the audit trail, the
outbox and busy intervals are read-only: every change to them goes through the lifecycle
package (scheduling.services.review) from the staff pages, so that the
audit entry, the no-double-booking rows and the notifications always come with it.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db.models import DateTimeField, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from calendars.builders import presenter_feed_url
from calendars.services import presenter_feed_token_rotate
from common.admin import ReadOnlyAdmin, ReadOnlyInline
from common.forms import LocalSplitDateTimeField
from common.times import elapsed
from scheduling.models import (
    BOOKING_DETAILS,
    PROPOSAL_TERMS,
    AuditEntry,
    Blackout,
    Booking,
    BusyInterval,
    Notification,
    Presenter,
    Proposal,
    ProposedTime,
    WeeklyHours,
)
from scheduling.services.delivery import MSG_NOT_FAILED, NotificationNotFailed, notification_resend
from scheduling.services.people import BLACKOUT_FIELDS, blackout_create, blackout_update
from scheduling.services.review import MSG_END_BEFORE_START


def staff_page_link(request_obj) -> str:
    return format_html('<a href="{}">{}</a>', reverse("staff:request_detail", args=[request_obj.pk]), _("Staff page"))


@admin.action(description=_("Rotate feed token"), permissions=["change"])
def rotate_feed_token(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Presenter]):
    """Give each selected presenter a new feed link and show the links once (they are not stored)."""
    rotated = [
        (presenter, presenter_feed_url(presenter_feed_token_rotate(presenter=presenter, by=request.user)))
        for presenter in queryset.order_by("name")
    ]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("New feed links"),
        "opts": modeladmin.model._meta,
        "rotated": rotated,
    }
    response = TemplateResponse(request, "calendars/admin_rotated.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response


class WeeklyHoursInline(admin.TabularInline):
    """The hours of the week a presenter regularly takes talks (Central time); they also set them at /my/."""

    model = WeeklyHours
    extra = 0


@admin.register(Presenter)
class PresenterAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "phone", "is_active", "user"]
    list_filter = ["is_active", "languages", "presentations"]
    search_fields = ["name", "email", "phone"]
    list_select_related = ["user"]
    filter_horizontal = ["languages", "presentations"]
    autocomplete_fields = ["user"]
    fields = [
        "name",
        "email",
        "phone",
        "user",
        "is_active",
        "languages",
        "presentations",
        "max_talks_per_month",
        "created_at",
    ]
    readonly_fields = ["created_at"]
    inlines = [WeeklyHoursInline]
    actions = [rotate_feed_token]


class BlackoutAdminForm(forms.ModelForm):
    """Start and end read like every time people enter (``common.times``); the end after the start in real time."""

    class Meta:
        model = Blackout
        fields = ["presenter", "start", "end", "reason"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is not None and end is not None and elapsed(start, end) <= timedelta(0):
            self.add_error("end", MSG_END_BEFORE_START)
        return cleaned


@admin.register(Blackout)
class BlackoutAdmin(admin.ModelAdmin):
    """Time off for a presenter, or (no presenter) a closure of the whole program."""

    form = BlackoutAdminForm
    formfield_overrides = {DateTimeField: {"form_class": LocalSplitDateTimeField, "widget": AdminSplitDateTime}}

    list_display = ["__str__", "presenter", "start", "end", "reason"]
    list_filter = [("presenter", admin.EmptyFieldListFilter), "presenter"]
    search_fields = ["presenter__name", "reason"]
    list_select_related = ["presenter"]
    autocomplete_fields = ["presenter"]
    date_hierarchy = "start"

    def save_model(self, request: HttpRequest, obj: Blackout, form, change: bool) -> None:
        """Save through the service, and warn about each scheduled booking the period overlaps."""
        fields = {name: form.cleaned_data[name] for name in BLACKOUT_FIELDS}
        saved = blackout_update(blackout=obj, **fields) if change else blackout_create(**fields)
        obj.pk = saved.pk
        for warning in saved.warnings:
            self.message_user(request, warning, messages.WARNING)


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["request", "organization", "start", "end", "format", "lead_presenter", "status", "sequence"]
    list_filter = ["request__status", "format", "lead_presenter"]
    search_fields = ["request__reference", "request__organization_name", "location", "lead_presenter__name"]
    list_select_related = ["request", "lead_presenter"]
    date_hierarchy = "start"
    fields = ["request", "staff_page", *BOOKING_DETAILS]
    readonly_fields = fields

    @admin.display(description=_("organization"), ordering="request__organization_name")
    def organization(self, obj: Booking) -> str:
        return obj.request.organization_name

    @admin.display(description=_("status"), ordering="request__status")
    def status(self, obj: Booking) -> str:
        return obj.request.get_status_display()

    @admin.display(description=_("review"))
    def staff_page(self, obj: Booking) -> str:
        return staff_page_link(obj.request)


class ProposedTimeInline(ReadOnlyInline):
    model = ProposedTime
    fields = ["position", "start", "end"]
    readonly_fields = fields


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["request", "state", "lead_presenter", "created_at", "created_by", "responded_at"]
    list_filter = ["state"]
    search_fields = ["request__reference", "request__organization_name", "message", "requester_note"]
    list_select_related = ["request", "lead_presenter", "created_by"]
    date_hierarchy = "created_at"
    fields = ["request", "state", *PROPOSAL_TERMS, "created_by", "created_at", "responded_at"]
    readonly_fields = fields
    inlines = [ProposedTimeInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "request", "action", "from_status", "to_status", "actor", "by"]
    list_filter = ["action", "to_status", "actor"]
    search_fields = ["request__reference", "note"]
    list_select_related = ["request", "by"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


@admin.action(description=_("Resend the selected failed notifications"), permissions=["view"])
def resend_failed(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
    resent = refused = 0
    for notification in queryset:
        try:
            notification_resend(notification=notification)
        except NotificationNotFailed:
            refused += 1
        else:
            resent += 1
    modeladmin.message_user(
        request, _("%(count)d failed notification(s) queued again.") % {"count": resent}, messages.SUCCESS
    )
    if refused:
        modeladmin.message_user(
            request,
            _("%(count)d selected notification(s) left as they were: %(reason)s")
            % {"count": refused, "reason": MSG_NOT_FAILED},
            messages.WARNING,
        )


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "recipient", "request", "sequence", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["request__reference", "recipient", "subject"]
    list_select_related = ["request"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = [resend_failed]


@admin.register(BusyInterval)
class BusyIntervalAdmin(ReadOnlyAdmin):
    """The rows the no-double-booking rule is checked on; for looking into a conflict."""

    list_display = ["presenter", "kind", "start", "end", "booking"]
    list_filter = ["kind", "presenter"]
    search_fields = ["presenter__name", "booking__request__reference"]
    list_select_related = ["presenter", "booking__request"]
    date_hierarchy = "start"
    readonly_fields = ["presenter", "kind", "start", "end", "booking"]
