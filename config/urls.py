from django.contrib import admin
from django.urls import include, path

from outreach.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("staff/", include("scheduling.urls")),
    path("", include("outreach.urls")),
]
