"""The staff API's bookings (the calendar's) and notifications (with resending a failed one)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.errors import error_response
from common.api.generics import RowByIdMixin
from common.api.schema import example
from common.times import range_end, range_start
from scheduling import selectors
from scheduling.api import examples as ex
from scheduling.api.filters import BookingFilter, NotificationFilter
from scheduling.api.serializers import bookings as s
from scheduling.services import delivery

MSG_NO_SUCH_NOTIFICATION = _("No notification has this id.")


@extend_schema(
    tags=["staff: bookings"],
    summary="Bookings in a date range",
    description="Active (scheduled or completed) bookings overlapping [start, end), as on the staff calendar.",
    examples=[example("booking", ex.BOOKING_WITH_REQUEST)],
)
class BookingListView(generics.ListAPIView):
    serializer_class = s.BookingListSerializer
    filterset_class = BookingFilter
    throttle_scope = "staff_bookings"

    def get_queryset(self):
        return selectors.bookings_for_calendar(start=range_start(), end=range_end())


@extend_schema(
    tags=["staff: notifications"],
    summary="Every notification, newest first",
    examples=[example("notification", ex.NOTIFICATION)],
)
class NotificationListView(generics.ListAPIView):
    serializer_class = s.NotificationSerializer
    filterset_class = NotificationFilter
    throttle_scope = "staff_notifications"

    def get_queryset(self):
        return selectors.notifications_for_staff()


NOTIFICATION_RESPONSE = OpenApiResponse(
    s.NotificationDetailSerializer,
    examples=[example("notification", {**ex.NOTIFICATION, "body_text": "Hello Ana, ..."})],
    description="The notification, with its plain-text body.",
)


class NotificationMixin(RowByIdMixin):
    serializer_class = s.NotificationDetailSerializer
    not_found_message = MSG_NO_SUCH_NOTIFICATION
    throttle_scope = "staff_notifications"

    def get_queryset(self):
        return selectors.notifications_for_staff()


@extend_schema_view(
    get=extend_schema(tags=["staff: notifications"], summary="One notification", responses={200: NOTIFICATION_RESPONSE})
)
class NotificationDetailView(NotificationMixin, generics.RetrieveAPIView):
    pass


class NotificationResendView(NotificationMixin, generics.GenericAPIView):
    @extend_schema(
        tags=["staff: notifications"],
        summary="Send a failed notification again",
        request=None,
        responses={
            200: NOTIFICATION_RESPONSE,
            409: error_response(409, "It did not fail.", ("invalid_transition", delivery.MSG_NOT_FAILED)),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        return Response(self.answer(delivery.notification_resend(notification=self.get_object())))
