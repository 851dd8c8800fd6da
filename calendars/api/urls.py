"""/api/v1/events/: upcoming presentations listed publicly (included by config.api_urls)."""

from django.urls import path

from calendars.api import views

urlpatterns = [
    path("events/", views.PublicEventListView.as_view(), name="event-list"),
]
