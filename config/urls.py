"""Every public address of the site. They are printed on flyers and pasted into calendars: they do not change."""

from django.contrib import admin
from django.urls import include, path

from accounts.views import password_reset
from common.views import healthz, language_set
from scheduling.urls import presenter_urls, staff_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", language_set, name="set_language"),
    path("accounts/password_reset/", password_reset, name="password_reset"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("outcomes.urls")),  # /evaluation/, /survey/, /staff/reports/
    path("staff/", include(staff_urls)),
    path("my/", include(presenter_urls)),
    path("api/", include("config.api_urls")),
    path("", include("calendars.urls")),  # /calendar/*.ics, /events/, /staff/feeds/
    path("", include("outreach.urls")),
]

handler404 = "common.views.page_not_found"
