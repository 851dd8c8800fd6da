from django.urls import path, register_converter

from outreach import views


class TokenConverter:
    """Any URL-safe run of characters; the selector decides whether it is a real token."""

    regex = r"[A-Za-z0-9_-]{1,100}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")

app_name = "outreach"
urlpatterns = [
    path("", views.home, name="home"),
    path("presentations/", views.presentation_list, name="presentation_list"),
    path("presentations/<slug:slug>/", views.presentation_detail, name="presentation_detail"),
    path("presentations/<slug:slug>/request/", views.request_create, name="request_create"),
    path("requests/find/", views.request_find, name="request_find"),
    path("requests/<token:token>/", views.request_status, name="request_status"),
    path("requests/<token:token>/print/", views.request_print, name="request_print"),
    path("requests/<token:token>/received/", views.request_received, name="request_received"),
    path("requests/<token:token>/details/", views.request_details, name="request_details"),
    path("requests/<token:token>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("requests/<token:token>/proposal/accept/", views.proposal_accept, name="proposal_accept"),
    path("requests/<token:token>/proposal/decline/", views.proposal_decline, name="proposal_decline"),
    path("requests/<token:token>/cancel/", views.booking_cancel, name="booking_cancel"),
]
