"""The staff API's request queue, one request with its trail, and the lifecycle actions."""

from collections.abc import Callable

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.errors import error_response
from common.api.schema import example
from outreach.api.serializers import RequestDetailsSerializer
from outreach.services import MSG_DETAILS_CLOSED, request_details_update
from scheduling import selectors
from scheduling.api import examples as ex
from scheduling.api.filters import StaffRequestFilter
from scheduling.api.serializers import requests as s
from scheduling.services import retention, review
from scheduling.services.status_link import status_link_renew

MSG_NO_SUCH_REQUEST = _("No request has this id.")

CONFLICT = error_response(
    409,
    "The request's status does not allow this, or a presenter is booked, away or the program closed then.",
    ("invalid_transition", review.MSG_TRANSITION_REFUSED % {"status": "withdrawn", "action": "approved"}),
    ("booking_conflict", "Ana Ruiz is already booked for OS-2B7C-QW4E (Online Safety, Anoka Middle School) on ..."),
)


@extend_schema(
    tags=["staff: requests"],
    summary="The request queue, with filters, search and ordering",
    examples=[example("request", ex.REQUEST_LIST_ITEM)],
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
    s.StaffRequestDetailSerializer, examples=[example("request", ex.REQUEST_DETAIL)], description="The request."
)


class RequestDetailView(APIView):
    @property
    def throttle_scope(self) -> str:
        return "staff_requests" if self.request.method == "GET" else "staff_actions"

    @extend_schema(
        tags=["staff: requests"],
        summary="One request with its booking, proposals, audit trail and notifications",
        responses={200: DETAIL_RESPONSE},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(pk)

    @extend_schema(
        tags=["staff: requests"],
        summary="Change the requester's optional details (also after confirmation)",
        description=(
            "The fields and rules of the requester's own PATCH /api/v1/requests/{token}/ (accessibility needs, "
            "equipment, the public listing and its venue, how the public attends, notes, how they heard of the "
            "program), while the request waits for a decision or is scheduled: a new registration link shows on "
            "/events/ at once. Only the fields sent change; the audit trail records who changed which. A closed "
            "request answers 409."
        ),
        request=RequestDetailsSerializer,
        responses={
            200: OpenApiResponse(
                s.StaffRequestDetailSerializer,
                examples=[example("request", {**ex.REQUEST_DETAIL, **ex.DETAILS_CHANGE})],
                description="The request with its new details.",
            ),
            409: error_response(
                409, "The request is closed: its details can no longer change.", ("details_locked", MSG_DETAILS_CLOSED)
            ),
        },
        examples=[example("new registration link", ex.DETAILS_CHANGE, request=True)],
    )
    def patch(self, request: Request, pk: int) -> Response:
        serializer = RequestDetailsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        request_details_update(request=_request_or_404(pk), data=serializer.validated_data, by=request.user)
        return _detail(pk)


class RequestActionView(APIView):
    """POST an action's body; the answer is the request as it is afterwards (200).

    ``serializer_class`` parses the body; ``service`` is the action's one lifecycle function.
    """

    throttle_scope = "staff_actions"
    serializer_class: type[s.ActionSerializer]
    service: Callable

    def post(self, request: Request, pk: int) -> Response:
        found = _request_or_404(pk)
        booking = selectors.booking_for_request(request=found)
        serializer = self.serializer_class(data=request.data, context={"request_obj": found, "booking": booking})
        serializer.is_valid(raise_exception=True)
        self.service(request=found, by=request.user, **serializer.service_arguments())
        return _detail(pk)


def _documented(summary: str, description: str, *request_examples: OpenApiExample):
    """The OpenAPI description of an action view, its body being the view's serializer."""

    def decorate(view: type[RequestActionView]) -> type[RequestActionView]:
        return extend_schema_view(
            post=extend_schema(
                tags=["staff: requests"],
                summary=summary,
                description=description,
                request=view.serializer_class,
                responses={200: DETAIL_RESPONSE, 409: CONFLICT},
                examples=list(request_examples),
            )
        )(view)

    return decorate


@_documented(
    "Approve: schedule a submitted request",
    "At one of its preferred windows, or at an agreed other time. Checks the presenters' other bookings, "
    "travel buffers, blackouts and closures; sends the confirmation and the presenters' invites.",
    example("a preferred window", ex.APPROVE, request=True),
    example("another agreed time", ex.APPROVE_OTHER_TIME, request=True),
)
class RequestApproveView(RequestActionView):
    serializer_class = s.ApproveSerializer
    service = staticmethod(review.request_approve)


@_documented(
    "Propose other times to the requester",
    "One to three times, with the presenters and place that would go with them; replaces a proposal still open. "
    "The requester answers through their status link (or this API's accept-proposal).",
    example("proposal", ex.PROPOSE, request=True),
)
class RequestProposeView(RequestActionView):
    serializer_class = s.ProposeSerializer
    service = staticmethod(review.request_propose)


@_documented(
    "Decline a submitted request",
    "The reason is sent to the requester.",
    example("reason", ex.DECLINE, request=True),
)
class RequestDeclineView(RequestActionView):
    serializer_class = s.StaffReasonSerializer
    service = staticmethod(review.request_decline)


@_documented(
    "Reschedule: change the booking's time, presenters or place",
    "SEQUENCE rises by one; the requester and presenters get an updated invite, a removed presenter a CANCEL.",
    example("new time", ex.RESCHEDULE, request=True),
)
class RequestRescheduleView(RequestActionView):
    serializer_class = s.RescheduleSerializer
    service = staticmethod(review.booking_reschedule)


@_documented(
    "Cancel the scheduled presentation",
    "The reason is sent to the requester; everyone gets a CANCEL for the invite.",
    example("reason", ex.CANCEL, request=True),
)
class RequestCancelView(RequestActionView):
    serializer_class = s.StaffReasonSerializer
    service = staticmethod(review.booking_cancel)


@_documented(
    "Mark the presentation completed, with the attendance",
    "Only once it has ended; the requester gets a thank-you.",
    example("attendance", ex.COMPLETE, request=True),
)
class RequestCompleteView(RequestActionView):
    serializer_class = s.CompleteSerializer
    service = staticmethod(review.booking_complete)


@_documented(
    "Replace the requester's private status link",
    "Revokes every status link the requester holds (the old ones answer 410) and emails them a new one; "
    "the audit trail records who did it. No body.",
    example("no body", {}, request=True),
)
class RequestStatusLinkRenewView(RequestActionView):
    serializer_class = s.StatusLinkRenewSerializer
    service = staticmethod(status_link_renew)


@_documented(
    "Erase the requester's personal details",
    "Only for a closed request (completed, declined, withdrawn, expired, cancelled; 409 otherwise). Empties "
    "the organization's name and address, the contact's details, every text the requester typed or was sent, "
    "and the emails' contents and recipients (each becomes `erased-<id>`); revokes the status and evaluation "
    "links (they answer 410). Keeps what reach reports count: presentation, dates, county, organization type, "
    "audience and size, format, attendance, ratings. `erased_at` tells when. The audit trail records who and "
    "when, and the reason. Erasing again changes nothing.",
    example("reason", ex.ERASE, request=True),
)
class RequestEraseView(RequestActionView):
    serializer_class = s.EraseSerializer
    service = staticmethod(retention.request_erase)
