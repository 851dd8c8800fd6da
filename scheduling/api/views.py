"""The staff API (/api/v1/staff/): staff users only, by token or session (CSRF on writes).

Each view parses its input, calls one selector or service (the same ones as the staff pages, so
the same rules, conflicts and notifications apply) and renders the result. Domain errors become
the one error shape in common.api.errors: TransitionError and BookingConflict a 409, a service's
ValidationError a 400 keyed by field.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from calendars.builders import presenter_feed_url
from calendars.services import presenter_feed_token_rotate
from common.api.errors import error_response
from common.api.fields import EARLIEST, LATEST
from scheduling import selectors
from scheduling.api import examples as ex
from scheduling.api import serializers as s
from scheduling.api.filters import (
    BlackoutFilter,
    BookingFilter,
    NotificationFilter,
    PresenterFilter,
    StaffRequestFilter,
)
from scheduling.models import Blackout, Notification, Presenter
from scheduling.services import notify, people, review
from scheduling.services.availability import presenters_available_for

MSG_NO_SUCH_REQUEST = _("No request has this id.")

CONFLICT = error_response(
    409,
    "The request's status does not allow this, or a presenter is booked, away or the program closed then.",
    ("invalid_transition", review.MSG_TRANSITION_REFUSED % {"status": "withdrawn", "action": "approved"}),
    ("booking_conflict", "Ana Ruiz is already booked for OS-2B7C-QW4E (Online Safety, Anoka Middle School) on ..."),
)


def _example(name: str, value, *, request: bool = False, status_code: int = 200) -> OpenApiExample:
    if request:
        return OpenApiExample(name, value=value, request_only=True)
    return OpenApiExample(name, value=value, response_only=True, status_codes=[str(status_code)])


# --- Requests ------------------------------------------------------------------------------


@extend_schema(
    tags=["staff: requests"],
    summary="The request queue, with filters, search and ordering",
    examples=[_example("request", ex.REQUEST_LIST_ITEM)],
)
class RequestListView(generics.ListAPIView):
    serializer_class = s.StaffRequestListSerializer
    filterset_class = StaffRequestFilter
    throttle_scope = "staff_requests"

    def get_queryset(self):
        return selectors.requests_for_queue(status=None)


def _request_or_404(pk: int):
    found = selectors.request_for_staff(pk=pk)
    if found is None:
        raise Http404(MSG_NO_SUCH_REQUEST)
    return found


def _detail(pk: int) -> Response:
    found = _request_or_404(pk)
    booking = selectors.booking_for_request(request=found)
    return Response(s.StaffRequestDetailSerializer(found, context={"booking": booking}).data)


DETAIL_RESPONSE = OpenApiResponse(
    s.StaffRequestDetailSerializer, examples=[_example("request", ex.REQUEST_DETAIL)], description="The request."
)


class RequestDetailView(APIView):
    throttle_scope = "staff_requests"

    @extend_schema(
        tags=["staff: requests"],
        summary="One request with its booking, proposals, audit trail and notifications",
        responses={200: DETAIL_RESPONSE},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(pk)


class RequestActionView(APIView):
    """POST an action's body; the answer is the request as it is afterwards (200)."""

    throttle_scope = "staff_actions"
    serializer_class: type = None

    def post(self, request: Request, pk: int) -> Response:
        found = _request_or_404(pk)
        booking = selectors.booking_for_request(request=found)
        serializer = self.serializer_class(data=request.data, context={"request_obj": found, "booking": booking})
        serializer.is_valid(raise_exception=True)
        self.perform(found, serializer, request.user)
        return _detail(pk)

    def perform(self, found, serializer, user) -> None:
        raise NotImplementedError


def _action_schema(summary: str, description: str, serializer, *request_examples: OpenApiExample):
    return extend_schema_view(
        post=extend_schema(
            tags=["staff: requests"],
            summary=summary,
            description=description,
            request=serializer,
            responses={200: DETAIL_RESPONSE, 409: CONFLICT},
            examples=list(request_examples),
        )
    )


@_action_schema(
    "Approve: schedule a submitted request",
    "At one of its preferred windows, or at an agreed other time. Checks the presenters' other bookings, "
    "travel buffers, blackouts and closures; sends the confirmation and the presenters' invites.",
    s.ApproveSerializer,
    _example("a preferred window", ex.APPROVE, request=True),
    _example("another agreed time", ex.APPROVE_OTHER_TIME, request=True),
)
class RequestApproveView(RequestActionView):
    serializer_class = s.ApproveSerializer

    def perform(self, found, serializer, user) -> None:
        review.request_approve(
            request=found, by=user, plan=serializer.to_plan(), note=serializer.validated_data["note"]
        )


@_action_schema(
    "Propose other times to the requester",
    "One to three times, with the presenters and place that would go with them; replaces a proposal still open. "
    "The requester answers through their status link (or this API's accept-proposal).",
    s.ProposeSerializer,
    _example("proposal", ex.PROPOSE, request=True),
)
class RequestProposeView(RequestActionView):
    serializer_class = s.ProposeSerializer

    def perform(self, found, serializer, user) -> None:
        review.request_propose(request=found, by=user, **serializer.proposal_fields())


@_action_schema(
    "Decline a submitted request",
    "The reason is sent to the requester.",
    s.StaffReasonSerializer,
    _example("reason", ex.DECLINE, request=True),
)
class RequestDeclineView(RequestActionView):
    serializer_class = s.StaffReasonSerializer

    def perform(self, found, serializer, user) -> None:
        review.request_decline(request=found, by=user, reason=serializer.validated_data["reason"])


@_action_schema(
    "Reschedule: change the booking's time, presenters or place",
    "SEQUENCE rises by one; the requester and presenters get an updated invite, a removed presenter a CANCEL.",
    s.RescheduleSerializer,
    _example("new time", ex.RESCHEDULE, request=True),
)
class RequestRescheduleView(RequestActionView):
    serializer_class = s.RescheduleSerializer

    def perform(self, found, serializer, user) -> None:
        review.booking_reschedule(
            request=found, by=user, plan=serializer.to_plan(), note=serializer.validated_data["note"]
        )


@_action_schema(
    "Cancel the scheduled presentation",
    "The reason is sent to the requester; everyone gets a CANCEL for the invite.",
    s.StaffReasonSerializer,
    _example("reason", ex.CANCEL, request=True),
)
class RequestCancelView(RequestActionView):
    serializer_class = s.StaffReasonSerializer

    def perform(self, found, serializer, user) -> None:
        review.booking_cancel(request=found, by=user, actor="staff", reason=serializer.validated_data["reason"])


@_action_schema(
    "Mark the presentation completed, with the attendance",
    "Only once it has ended; the requester gets a thank-you.",
    s.CompleteSerializer,
    _example("attendance", ex.COMPLETE, request=True),
)
class RequestCompleteView(RequestActionView):
    serializer_class = s.CompleteSerializer

    def perform(self, found, serializer, user) -> None:
        data = serializer.validated_data
        review.booking_complete(request=found, by=user, attendance=data["attendance"], notes=data["notes"])


# --- Presenters ----------------------------------------------------------------------------

PRESENTER_RESPONSE = OpenApiResponse(
    s.PresenterSerializer, examples=[_example("presenter", ex.PRESENTER)], description="The presenter."
)


@extend_schema_view(
    get=extend_schema(
        tags=["staff: presenters"],
        summary="The roster of presenters",
        examples=[_example("presenter", ex.PRESENTER)],
    ),
    post=extend_schema(
        tags=["staff: presenters"],
        summary="Add a presenter",
        request=s.PresenterWriteSerializer,
        responses={201: s.PresenterSerializer},
        examples=[
            _example("presenter", ex.PRESENTER_WRITE, request=True),
            _example("created", ex.PRESENTER, status_code=201),
        ],
    ),
)
class PresenterListView(generics.ListAPIView):
    serializer_class = s.PresenterSerializer
    filterset_class = PresenterFilter
    throttle_scope = "staff_presenters"

    def get_queryset(self):
        return selectors.presenters_for_staff()

    def post(self, request: Request) -> Response:
        serializer = s.PresenterWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        presenter = people.presenter_create(**serializer.validated_data)
        return Response(_presenter(presenter.pk), status=status.HTTP_201_CREATED)


def _presenter_or_404(pk: int) -> Presenter:
    presenter = selectors.presenters_for_staff().filter(pk=pk).first()
    if presenter is None:
        raise Http404(_("No presenter has this id."))
    return presenter


def _presenter(pk: int) -> dict:
    return s.PresenterSerializer(_presenter_or_404(pk)).data


class PresenterDetailView(APIView):
    throttle_scope = "staff_presenters"

    @extend_schema(tags=["staff: presenters"], summary="One presenter", responses={200: PRESENTER_RESPONSE})
    def get(self, request: Request, pk: int) -> Response:
        return Response(_presenter(pk))

    @extend_schema(
        tags=["staff: presenters"],
        summary="Replace a presenter's details",
        request=s.PresenterWriteSerializer,
        responses={200: PRESENTER_RESPONSE},
        examples=[_example("presenter", ex.PRESENTER_WRITE, request=True)],
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        tags=["staff: presenters"],
        summary="Change some of a presenter's details",
        request=s.PresenterWriteSerializer,
        responses={200: PRESENTER_RESPONSE},
        examples=[_example("languages", {"languages": ["en", "hmn"]}, request=True)],
    )
    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=True)

    def _update(self, request: Request, pk: int, *, partial: bool) -> Response:
        presenter = _presenter_or_404(pk)
        serializer = s.PresenterWriteSerializer(presenter, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        people.presenter_update(presenter=presenter, **serializer.validated_data)
        return Response(_presenter(pk))


class PresenterDeactivateView(APIView):
    throttle_scope = "staff_presenters"

    @extend_schema(
        tags=["staff: presenters"],
        summary="Deactivate a presenter",
        description="No longer suggested or assignable; bookings already made stay as they are.",
        request=None,
        responses={200: PRESENTER_RESPONSE},
    )
    def post(self, request: Request, pk: int) -> Response:
        people.presenter_deactivate(presenter=_presenter_or_404(pk))
        return Response(_presenter(pk))


class PresenterFeedTokenView(APIView):
    throttle_scope = "staff_presenters"

    @extend_schema(
        tags=["staff: presenters"],
        summary="Issue a new private calendar feed link for a presenter",
        description="The previous link stops working at once. The new one is shown only in this answer.",
        request=None,
        responses={
            200: OpenApiResponse(
                s.FeedTokenSerializer, examples=[_example("feed", ex.FEED_TOKEN)], description="The new link."
            )
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        token = presenter_feed_token_rotate(presenter=_presenter_or_404(pk), by=request.user)
        return Response(s.FeedTokenSerializer({"feed_url": presenter_feed_url(token)}).data)


@extend_schema(
    tags=["staff: presenters"],
    summary="Presenters free for a request at a time",
    description=(
        "Active presenters qualified for the request's presentation and speaking its language, free then "
        "(travel buffer, blackouts and closures included), least booked that month first."
    ),
    parameters=[s.SuggestionQuerySerializer],
    examples=[_example("suggestion", ex.SUGGESTION)],
)
class PresenterSuggestionsView(generics.ListAPIView):
    serializer_class = s.SuggestionSerializer
    filter_backends = ()
    throttle_scope = "staff_presenters"

    def get_queryset(self):
        query = s.SuggestionQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return presenters_available_for(**query.validated_data)


# --- Bookings, blackouts, notifications ----------------------------------------------------


@extend_schema(
    tags=["staff: bookings"],
    summary="Bookings in a date range",
    description="Active (scheduled or completed) bookings overlapping [start, end), as on the staff calendar.",
    examples=[_example("booking", ex.BOOKING_WITH_REQUEST)],
)
class BookingListView(generics.ListAPIView):
    serializer_class = s.BookingListSerializer
    filterset_class = BookingFilter
    throttle_scope = "staff_bookings"

    def get_queryset(self):
        return selectors.bookings_for_calendar(start=EARLIEST, end=LATEST)


BLACKOUT_RESPONSE = OpenApiResponse(
    s.BlackoutSerializer, examples=[_example("blackout", ex.BLACKOUT)], description="The blackout period."
)


@extend_schema_view(
    get=extend_schema(
        tags=["staff: blackouts"],
        summary="Blackout periods and program closures",
        examples=[_example("blackout", ex.BLACKOUT)],
    ),
    post=extend_schema(
        tags=["staff: blackouts"],
        summary="Add a blackout period (a presenter's) or a closure (no presenter)",
        request=s.BlackoutWriteSerializer,
        responses={201: s.BlackoutSerializer},
        examples=[
            _example("presenter away", ex.BLACKOUT_WRITE, request=True),
            _example("program closure", ex.CLOSURE_WRITE, request=True),
            _example("created", ex.BLACKOUT, status_code=201),
        ],
    ),
)
class BlackoutListView(generics.ListAPIView):
    serializer_class = s.BlackoutSerializer
    filterset_class = BlackoutFilter
    throttle_scope = "staff_blackouts"

    def get_queryset(self):
        return selectors.blackouts_for_staff()

    def post(self, request: Request) -> Response:
        serializer = s.BlackoutWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        blackout = people.blackout_create(**serializer.validated_data)
        return Response(s.BlackoutSerializer(blackout).data, status=status.HTTP_201_CREATED)


class BlackoutDetailView(APIView):
    throttle_scope = "staff_blackouts"

    def found(self, pk: int) -> Blackout:
        blackout = selectors.blackouts_for_staff().filter(pk=pk).first()
        if blackout is None:
            raise Http404(_("No blackout period has this id."))
        return blackout

    @extend_schema(tags=["staff: blackouts"], summary="One blackout period", responses={200: BLACKOUT_RESPONSE})
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.BlackoutSerializer(self.found(pk)).data)

    @extend_schema(
        tags=["staff: blackouts"],
        summary="Replace a blackout period",
        request=s.BlackoutWriteSerializer,
        responses={200: BLACKOUT_RESPONSE},
        examples=[_example("blackout", ex.BLACKOUT_WRITE, request=True)],
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        tags=["staff: blackouts"],
        summary="Change some of a blackout period",
        request=s.BlackoutWriteSerializer,
        responses={200: BLACKOUT_RESPONSE},
        examples=[_example("longer", {"end": "2031-07-22T00:00:00"}, request=True)],
    )
    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=True)

    @extend_schema(
        tags=["staff: blackouts"], summary="Remove a blackout period", responses={204: OpenApiResponse(None)}
    )
    def delete(self, request: Request, pk: int) -> Response:
        people.blackout_delete(blackout=self.found(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _update(self, request: Request, pk: int, *, partial: bool) -> Response:
        blackout = self.found(pk)
        serializer = s.BlackoutWriteSerializer(blackout, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        updated = people.blackout_update(blackout=blackout, **serializer.validated_data)
        return Response(s.BlackoutSerializer(self.found(updated.pk)).data)


@extend_schema(
    tags=["staff: notifications"],
    summary="Every notification, newest first",
    examples=[_example("notification", ex.NOTIFICATION)],
)
class NotificationListView(generics.ListAPIView):
    serializer_class = s.NotificationSerializer
    filterset_class = NotificationFilter
    throttle_scope = "staff_notifications"

    def get_queryset(self):
        return selectors.notifications_for_staff()


def _notification_or_404(pk: int) -> Notification:
    notification = selectors.notifications_for_staff().filter(pk=pk).first()
    if notification is None:
        raise Http404(_("No notification has this id."))
    return notification


NOTIFICATION_RESPONSE = OpenApiResponse(
    s.NotificationDetailSerializer,
    examples=[_example("notification", {**ex.NOTIFICATION, "body_text": "Hello Ana, ..."})],
    description="The notification, with its plain-text body.",
)


class NotificationDetailView(APIView):
    throttle_scope = "staff_notifications"

    @extend_schema(tags=["staff: notifications"], summary="One notification", responses={200: NOTIFICATION_RESPONSE})
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.NotificationDetailSerializer(_notification_or_404(pk)).data)


class NotificationResendView(APIView):
    throttle_scope = "staff_notifications"

    @extend_schema(
        tags=["staff: notifications"],
        summary="Send a failed notification again",
        request=None,
        responses={
            200: NOTIFICATION_RESPONSE,
            409: error_response(409, "It did not fail.", ("invalid_transition", notify.MSG_NOT_FAILED)),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        notify.notification_resend(notification=_notification_or_404(pk))
        return Response(s.NotificationDetailSerializer(_notification_or_404(pk)).data)
