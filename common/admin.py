"""Admin bases every app uses for what only its services may write, and the private links' admin."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from common.links import link_revoke
from common.models import PrivateLink


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable by staff with the view permission; written only by the services."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(PrivateLink)
class PrivateLinkAdmin(ReadOnlyAdmin):
    """Which private links exist, for what, made and revoked when; never a token (only its hash is
    stored). Staff may revoke a link on its own."""

    list_display = ["purpose", "subject_id", "created_at", "revoked_at"]
    list_filter = ["purpose", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject_id"]
    fields = ["purpose", "subject_id", "created_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.action(description="Revoke the selected links", permissions=["view"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[PrivateLink]) -> None:
        revoked = sum(link_revoke(link=link) for link in queryset)
        self.message_user(request, f"{revoked} link(s) revoked.", messages.SUCCESS)
