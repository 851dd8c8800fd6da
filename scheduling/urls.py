from django.urls import path

from scheduling import views

app_name = "staff"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/approve/", views.request_approve, name="request_approve"),
    path("requests/<int:pk>/propose/", views.request_propose, name="request_propose"),
    path("requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
    path("requests/<int:pk>/reschedule/", views.booking_reschedule, name="booking_reschedule"),
    path("requests/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("requests/<int:pk>/complete/", views.booking_complete, name="booking_complete"),
    path(
        "requests/<int:pk>/notifications/<int:notification_pk>/resend/",
        views.notification_resend,
        name="notification_resend",
    ),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/events.json", views.calendar_events, name="calendar_events"),
    path("presenters/", views.presenter_list, name="presenter_list"),
]
