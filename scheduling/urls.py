"""The staff pages (mounted at /staff/, namespace ``staff``) and a presenter's own pages (mounted at
/my/, namespace ``presenter``)."""

from django.urls import path

from scheduling.views import presenter, staff

staff_urls = (
    [
        path("", staff.queue, name="queue"),
        path("requests/<int:pk>/", staff.request_detail, name="request_detail"),
        path("requests/<int:pk>/approve/", staff.request_approve, name="request_approve"),
        path("requests/<int:pk>/propose/", staff.request_propose, name="request_propose"),
        path("requests/<int:pk>/decline/", staff.request_decline, name="request_decline"),
        path("requests/<int:pk>/reschedule/", staff.booking_reschedule, name="booking_reschedule"),
        path("requests/<int:pk>/cancel/", staff.booking_cancel, name="booking_cancel"),
        path("requests/<int:pk>/complete/", staff.booking_complete, name="booking_complete"),
        path("requests/<int:pk>/details/", staff.request_details_edit, name="request_details"),
        path("requests/<int:pk>/renew-status-link/", staff.status_link_renew_view, name="status_link_renew"),
        path("requests/<int:pk>/erase/", staff.request_erase_view, name="request_erase"),
        path(
            "requests/<int:pk>/notifications/<int:notification_pk>/resend/",
            staff.notification_resend,
            name="notification_resend",
        ),
        path("calendar/", staff.calendar, name="calendar"),
        path("calendar/events.json", staff.calendar_events, name="calendar_events"),
        path("presenters/", staff.presenter_list, name="presenter_list"),
    ],
    "staff",
)

presenter_urls = (
    [
        path("", presenter.after_login, name="home"),
        path("schedule/", presenter.my_schedule, name="schedule"),
        path("bookings/<int:pk>/", presenter.my_booking, name="booking"),
        path("bookings/<int:pk>/confirm/", presenter.booking_confirm, name="booking_confirm"),
        path("bookings/<int:pk>/decline/", presenter.booking_decline, name="booking_decline"),
        path("schedule/<int:pk>/survey-code/", presenter.survey_code_make, name="survey_code"),
        path("availability/", presenter.my_availability, name="availability"),
        path("availability/time-off/", presenter.time_off_add, name="time_off_add"),
        path("availability/time-off/<int:pk>/remove/", presenter.time_off_remove, name="time_off_remove"),
        path("availability/hours/", presenter.weekly_hours_set, name="weekly_hours_set"),
    ],
    "presenter",
)
