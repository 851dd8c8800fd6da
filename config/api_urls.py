"""Everything under /api/: version 1 of the API, its OpenAPI description and the interactive docs.

Any other address under /api/ answers the API's 404 (JSON, in the one error shape).
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from common.api.errors import not_found

app_name = "api"
urlpatterns = [
    path("v1/", include("outreach.api.urls")),
    path("v1/", include("calendars.api.urls")),
    path("v1/staff/", include("scheduling.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start-up script comes from /api/docs/?script= rather than inline (Content-Security-Policy).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"", not_found),
]
