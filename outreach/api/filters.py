import django_filters

from common.api.defaults import StrictQueryForm
from outreach.enums import Format
from outreach.models import Presentation
from outreach.selectors import presentations_for_catalog


class PresentationFilter(django_filters.FilterSet):
    """The catalog's filters, as on /presentations/: an audience (by slug) and a format.

    The filters only parse and validate; the catalog selector applies them, so the API and the
    catalog page list the same presentations.
    """

    audience = django_filters.CharFilter(max_length=100, help_text="An audience's slug, e.g. educators.")
    format = django_filters.ChoiceFilter(choices=Format.choices)

    class Meta:
        model = Presentation
        form = StrictQueryForm
        fields = ["audience", "format"]

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return presentations_for_catalog(audience_slug=data.get("audience") or None, fmt=data.get("format") or None)
