"""/api/v1/staff/: the staff API (included by config.api_urls)."""

from django.urls import path

from scheduling.api import views

urlpatterns = [
    path("requests/", views.RequestListView.as_view(), name="staff-request-list"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="staff-request-detail"),
    path("requests/<int:pk>/approve/", views.RequestApproveView.as_view(), name="staff-request-approve"),
    path("requests/<int:pk>/propose/", views.RequestProposeView.as_view(), name="staff-request-propose"),
    path("requests/<int:pk>/decline/", views.RequestDeclineView.as_view(), name="staff-request-decline"),
    path("requests/<int:pk>/reschedule/", views.RequestRescheduleView.as_view(), name="staff-request-reschedule"),
    path("requests/<int:pk>/cancel/", views.RequestCancelView.as_view(), name="staff-request-cancel"),
    path("requests/<int:pk>/complete/", views.RequestCompleteView.as_view(), name="staff-request-complete"),
    path("presenters/", views.PresenterListView.as_view(), name="staff-presenter-list"),
    path("presenters/suggestions/", views.PresenterSuggestionsView.as_view(), name="staff-presenter-suggestions"),
    path("presenters/<int:pk>/", views.PresenterDetailView.as_view(), name="staff-presenter-detail"),
    path("presenters/<int:pk>/deactivate/", views.PresenterDeactivateView.as_view(), name="staff-presenter-deactivate"),
    path("presenters/<int:pk>/feed-token/", views.PresenterFeedTokenView.as_view(), name="staff-presenter-feed-token"),
    path("bookings/", views.BookingListView.as_view(), name="staff-booking-list"),
    path("blackouts/", views.BlackoutListView.as_view(), name="staff-blackout-list"),
    path("blackouts/<int:pk>/", views.BlackoutDetailView.as_view(), name="staff-blackout-detail"),
    path("notifications/", views.NotificationListView.as_view(), name="staff-notification-list"),
    path("notifications/<int:pk>/", views.NotificationDetailView.as_view(), name="staff-notification-detail"),
    path("notifications/<int:pk>/resend/", views.NotificationResendView.as_view(), name="staff-notification-resend"),
]
