from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from outreach.enums import RequestStatus
from outreach.models import Audience, Language, Presentation, PresentationRequest, RequestWindow
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
    ]
    search_fields = ["reference", "organization_name", "contact_name", "contact_email", "city"]
    list_select_related = ["presentation"]
    date_hierarchy = "submitted_at"
    readonly_fields = ["reference", "status", "decision_note", "submitted_at", "status_changed_at", "review"]
    # A registration link typed without a scheme is read as https://, not http://.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [RequestWindowInline]
    actions = ["renew_status_link"]
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
            {
                "fields": [
                    "format",
                    "virtual_platform",
                    "accessibility_needs",
                    "av_available",
                    "is_open_to_public",
                    "may_list_publicly",
                    "venue",
                    "registration_url",
                    "no_registration_needed",
                    "notes",
                    "referral_source",
                ]
            },
        ),
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        """A scheduled request is cancelled on its staff page (which tells everyone), not deleted."""
        if obj is not None and obj.status == RequestStatus.SCHEDULED:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Revoke the requesters' status links and email each a new one")
    def renew_status_link(self, request: HttpRequest, queryset: QuerySet[PresentationRequest]) -> None:
        for found in queryset:
            status_link_renew(request=found, by=request.user)
        self.message_user(
            request, f"New status links are on their way to {queryset.count()} requester(s).", messages.SUCCESS
        )

    @admin.display(description=_("review"))
    def review(self, obj: PresentationRequest) -> str:
        return format_html('<a href="{}">{}</a>', reverse("staff:request_detail", args=[obj.pk]), _("Staff page"))
