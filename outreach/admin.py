from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from common.exceptions import DomainError
from outreach.enums import CLOSED_STATUSES
from outreach.models import Audience, Language, Presentation, PresentationRequest, RequestWindow
from outreach.services import DETAILS_FIELDS
from scheduling.services.retention import MSG_STILL_OPEN, RequestStillOpen, request_delete, request_erase
from scheduling.services.status_link import status_link_renew


@admin.register(Audience)
class AudienceAdmin(TranslationAdmin):
    list_display = ["name", "slug", "display_order"]
    list_editable = ["display_order"]
    prepopulated_fields = {"slug": ["name_en"]}
    search_fields = ["name"]


@admin.register(Language)
class LanguageAdmin(TranslationAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Presentation)
class PresentationAdmin(TranslationAdmin):
    """Each text has a field per language ("title [es]", ...); an empty one shows the English text."""

    list_display = ["title", "duration_minutes", "offers_in_person", "offers_virtual", "is_active", "display_order"]
    list_editable = ["is_active", "display_order"]
    list_filter = ["is_active", "offers_in_person", "offers_virtual", "audiences", "languages"]
    search_fields = ["title", "summary", "description"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["audiences", "languages"]


class RequestWindowInline(admin.TabularInline):
    model = RequestWindow
    extra = 0
    fields = ["position", "start", "end"]


@admin.register(PresentationRequest)
class PresentationRequestAdmin(admin.ModelAdmin):
    """Requests are read and corrected here; status changes go through the staff review pages."""

    list_display = ["reference", "organization_name", "presentation", "county", "status", "submitted_at", "review"]
    list_filter = [
        "status",
        "presentation",
        "audience",
        "organization_type",
        "format",
        "language",
        "requester_language",
        "county",
        "is_youth_audience",
        ("erased_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["reference", "organization_name", "contact_name", "contact_email", "city"]
    list_select_related = ["presentation"]
    date_hierarchy = "submitted_at"
    readonly_fields = [
        "reference",
        "status",
        "decision_note",
        "submitted_at",
        "status_changed_at",
        "erased_at",
        "review",
    ]
    # A registration link typed without a scheme is read as https://, not http://.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [RequestWindowInline]
    actions = ["renew_status_link", "erase_personal_data"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    "review",
                    "presentation",
                    "status",
                    "decision_note",
                    "submitted_at",
                    "status_changed_at",
                    "erased_at",
                ]
            },
        ),
        (
            "Organization",
            {"fields": ["organization_name", "organization_type", "street_address", "city", "county", "zip_code"]},
        ),
        (
            "Contact",
            {"fields": ["contact_name", "contact_role", "contact_email", "contact_phone", "requester_language"]},
        ),
        ("Audience", {"fields": ["audience", "audience_size", "age_range", "is_youth_audience", "language"]}),
        (
            "Logistics",
            # The optional details (the form's "Add details now or later"), after the format.
            {"fields": ["format", "virtual_platform", *DETAILS_FIELDS]},
        ),
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        """An erased request is kept only for the reports: nothing on it is corrected any more."""
        if obj is not None and obj.erased_at is not None:
            return [f.name for f in PresentationRequest._meta.fields] + ["review"]
        return self.readonly_fields

    def get_inlines(self, request: HttpRequest, obj=None) -> list:
        return [] if obj is not None and obj.erased_at is not None else self.inlines

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        """Only a superuser deletes, and only a closed request: an open one is declined or cancelled on
        its staff page (which tells everyone). Deleting takes it out of every report; erasing its
        personal details (the action) keeps the counts."""
        if not request.user.is_superuser:
            return False
        return obj is None or obj.status in CLOSED_STATUSES

    def get_deleted_objects(self, objs, request: HttpRequest):
        """What deleting takes with it, listed as usual; the booking, trail and outbox are read-only
        in the admin, and request_delete removes them, so they need no delete permission of their own."""
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request: HttpRequest, obj: PresentationRequest) -> None:
        request_delete(request=obj, by=request.user)

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Erase the requesters' personal details (closed requests)", permissions=["change"])
    def erase_personal_data(self, request: HttpRequest, queryset: QuerySet[PresentationRequest]):
        """Asks first (a page listing the requests); then erases each closed one and leaves the open ones."""
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Erase personal details?",
                "opts": self.model._meta,
                "requests": queryset.order_by("reference"),
                "action": "erase_personal_data",
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/outreach/erase_confirm.html", context)
        erased = refused = 0
        for found in queryset:
            try:
                was_erased = found.erased_at is not None
                request_erase(request=found, by=request.user)
            except RequestStillOpen:
                refused += 1
            else:
                erased += not was_erased
        self.message_user(request, f"Personal details erased from {erased} request(s).", messages.SUCCESS)
        if refused:
            self.message_user(
                request, f"{refused} open request(s) left as they were: {MSG_STILL_OPEN}", messages.WARNING
            )
        return None

    @admin.action(description="Revoke the requesters' status links and email each a new one")
    def renew_status_link(self, request: HttpRequest, queryset: QuerySet[PresentationRequest]) -> None:
        renewed = 0
        for found in queryset:
            try:
                status_link_renew(request=found, by=request.user)
            except DomainError:
                continue
            renewed += 1
        self.message_user(request, f"New status links are on their way to {renewed} requester(s).", messages.SUCCESS)

    @admin.display(description=_("review"))
    def review(self, obj: PresentationRequest) -> str:
        return format_html('<a href="{}">{}</a>', reverse("staff:request_detail", args=[obj.pk]), _("Staff page"))
