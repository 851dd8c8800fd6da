from django.contrib import admin

from scheduling.models import AuditEntry, Notification


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "request", "action", "from_status", "to_status", "actor", "by"]
    list_filter = ["action", "to_status", "actor"]
    search_fields = ["request__reference", "note"]
    list_select_related = ["request", "by"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "request", "sequence", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["request__reference", "recipient", "subject"]
    list_select_related = ["request"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
