from django.contrib import admin
from django.urls import include, path

from outreach.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("scheduling.outcome_urls")),  # /evaluation/, /survey/, /staff/reports/
    path("staff/", include("scheduling.urls")),
    path("my/", include("scheduling.presenter_urls")),
    path("api/", include("config.api_urls")),
    path("", include("scheduling.feed_urls")),
    path("", include("outreach.urls")),
]
