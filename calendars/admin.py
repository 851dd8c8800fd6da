"""Django admin for calendar-feed tokens: who has a link and when it was made or revoked.

Presenters' tokens are rotated from the Presenter admin (an action in scheduling's admin).
"""

from django.contrib import admin

from calendars.models import StaffFeedToken
from common.admin import ReadOnlyAdmin


@admin.register(StaffFeedToken)
class StaffFeedTokenAdmin(ReadOnlyAdmin):
    """Who has a staff calendar link and when it was made or revoked; never the token or its salt."""

    list_display = ["user", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    fields = ["user", "created_at", "revoked_at"]
    readonly_fields = fields
