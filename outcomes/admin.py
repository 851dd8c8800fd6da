"""Django admin for the outcomes: hosts' evaluations and the audience's answers, read-only."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin
from outcomes.models import HostEvaluation, SurveyResponse


@admin.register(HostEvaluation)
class HostEvaluationAdmin(ReadOnlyAdmin):
    """The hosts' own answers, kept as given (they feed the funders' reports)."""

    list_display = ["booking", "rating", "usefulness", "confirmed_attendance", "would_request_again", "submitted_at"]
    list_filter = ["rating", "would_request_again", "next_step"]
    search_fields = ["booking__request__reference", "booking__request__organization_name", "comments"]
    list_select_related = ["booking__request"]
    date_hierarchy = "submitted_at"
    readonly_fields = [f.name for f in HostEvaluation._meta.fields]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    """Anonymous audience answers, kept as given."""

    list_display = ["booking", "understanding_before", "understanding_after", "knows_where_to_get_help", "submitted_at"]
    list_filter = ["knows_where_to_get_help"]
    search_fields = ["booking__request__reference"]
    list_select_related = ["booking__request"]
    date_hierarchy = "submitted_at"
    readonly_fields = [f.name for f in SurveyResponse._meta.fields]
