"""/api/v1/: the catalog, new requests and the requester's self-service (included by config.api_urls)."""

from django.urls import path, re_path

from outreach.api import views

TOKEN = r"(?P<token>[A-Za-z0-9_-]{1,100})"  # noqa: S105 (a pattern, not a secret)

urlpatterns = [
    path("presentations/", views.PresentationListView.as_view(), name="presentation-list"),
    path("presentations/<slug:slug>/", views.PresentationDetailView.as_view(), name="presentation-detail"),
    path("requests/", views.RequestCreateView.as_view(), name="request-create"),
    re_path(rf"^requests/{TOKEN}/$", views.RequestDetailView.as_view(), name="request-detail"),
    re_path(rf"^requests/{TOKEN}/withdraw/$", views.RequestWithdrawView.as_view(), name="request-withdraw"),
    re_path(
        rf"^requests/{TOKEN}/accept-proposal/$",
        views.RequestAcceptProposalView.as_view(),
        name="request-accept-proposal",
    ),
    re_path(
        rf"^requests/{TOKEN}/decline-proposal/$",
        views.RequestDeclineProposalView.as_view(),
        name="request-decline-proposal",
    ),
    re_path(rf"^requests/{TOKEN}/cancel/$", views.RequestCancelView.as_view(), name="request-cancel"),
]
