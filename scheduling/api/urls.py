"""/api/v1/staff/: the staff API (included by config.api_urls)."""

from django.urls import path

from scheduling.api.views import bookings, people, requests

urlpatterns = [
    path("requests/", requests.RequestListView.as_view(), name="staff-request-list"),
    path("requests/<int:pk>/", requests.RequestDetailView.as_view(), name="staff-request-detail"),
    path("requests/<int:pk>/approve/", requests.RequestApproveView.as_view(), name="staff-request-approve"),
    path("requests/<int:pk>/propose/", requests.RequestProposeView.as_view(), name="staff-request-propose"),
    path("requests/<int:pk>/decline/", requests.RequestDeclineView.as_view(), name="staff-request-decline"),
    path("requests/<int:pk>/reschedule/", requests.RequestRescheduleView.as_view(), name="staff-request-reschedule"),
    path("requests/<int:pk>/cancel/", requests.RequestCancelView.as_view(), name="staff-request-cancel"),
    path("requests/<int:pk>/complete/", requests.RequestCompleteView.as_view(), name="staff-request-complete"),
    path(
        "requests/<int:pk>/renew-status-link/",
        requests.RequestStatusLinkRenewView.as_view(),
        name="staff-request-renew-status-link",
    ),
    path("requests/<int:pk>/erase/", requests.RequestEraseView.as_view(), name="staff-request-erase"),
    path("presenters/", people.PresenterListView.as_view(), name="staff-presenter-list"),
    path("presenters/suggestions/", people.PresenterSuggestionsView.as_view(), name="staff-presenter-suggestions"),
    path("presenters/<int:pk>/", people.PresenterDetailView.as_view(), name="staff-presenter-detail"),
    path(
        "presenters/<int:pk>/deactivate/", people.PresenterDeactivateView.as_view(), name="staff-presenter-deactivate"
    ),
    path("presenters/<int:pk>/feed-token/", people.PresenterFeedTokenView.as_view(), name="staff-presenter-feed-token"),
    path("bookings/", bookings.BookingListView.as_view(), name="staff-booking-list"),
    path("blackouts/", people.BlackoutListView.as_view(), name="staff-blackout-list"),
    path("blackouts/<int:pk>/", people.BlackoutDetailView.as_view(), name="staff-blackout-detail"),
    path("notifications/", bookings.NotificationListView.as_view(), name="staff-notification-list"),
    path("notifications/<int:pk>/", bookings.NotificationDetailView.as_view(), name="staff-notification-detail"),
    path("notifications/<int:pk>/resend/", bookings.NotificationResendView.as_view(), name="staff-notification-resend"),
]
