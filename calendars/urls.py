"""Calendar feeds, the public events page and the staff page for feed tokens; included at the root."""

from django.urls import path, re_path

from calendars import views

# Any URL-safe run of characters: the selectors decide whether it is a current token (else 404).
TOKEN = r"(?P<token>[A-Za-z0-9_-]{1,100})"  # noqa: S105 (a pattern, not a secret)

app_name = "calendars"
urlpatterns = [
    path("calendar/public.ics", views.public_feed, name="public"),
    re_path(rf"^calendar/presenter/{TOKEN}\.ics$", views.presenter_feed, name="presenter"),
    re_path(rf"^calendar/staff/{TOKEN}\.ics$", views.staff_feed, name="staff"),
    path("events/", views.events, name="events"),
    re_path(rf"^requests/{TOKEN}/event\.ics$", views.request_event, name="request_event"),
    path("staff/feeds/", views.feed_tokens, name="tokens"),
    path("staff/feeds/mine/rotate/", views.staff_token_rotate, name="staff_token_rotate"),
    path("staff/feeds/mine/revoke/", views.staff_token_revoke, name="staff_token_revoke"),
    path("staff/feeds/presenters/<int:pk>/rotate/", views.presenter_token_rotate, name="presenter_token_rotate"),
]
