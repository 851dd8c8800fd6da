"""The public API: the catalog, submitting a request, and the requester's self-service by token.

No credentials: these endpoints ignore any (``authentication_classes = ()``), so a browser's
staff session neither changes what they answer nor subjects them to CSRF checks. The private
token in the path is what gives access to one request; numeric ids never appear here.
"""

from django.http import Http404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.errors import error_response
from common.api.generics import StoredGetMixin
from common.api.schema import example
from common.validators import honeypot_filled
from common.versions import CATALOG
from outreach import selectors
from outreach.actions import REQUESTER_ACTIONS
from outreach.api import examples as ex
from outreach.api import serializers as s
from outreach.api.filters import PresentationFilter
from outreach.models import PresentationRequest
from outreach.selectors import MSG_LINK_REVOKED, MSG_REQUEST_ERASED, MSG_UNKNOWN_LINK
from outreach.services import MSG_DETAILS_CONFIRMED, request_details_update, request_submit
from outreach.submissions import (
    MSG_SUBMISSION_KEY_INVALID,
    MSG_SUBMISSION_KEY_REUSED,
    SUBMISSION_KEY_PATTERN,
    SubmissionSource,
    Submitted,
    request_submit_once,
    submission_body_hash,
    submission_key_is_well_formed,
    submission_repeat,
)
from outreach.throttling import MSG_RATE_LIMITED, MSG_SPAM, submission_rate_limited
from scheduling.selectors import open_proposal_for, request_for_requester
from scheduling.services import review

MSG_NO_SUCH_PRESENTATION = _("No such presentation.")


class SpamSuspected(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = MSG_SPAM
    default_code = "spam"


class PublicMixin:
    authentication_classes = ()
    permission_classes = (AllowAny,)


TOKEN_PARAMETER = OpenApiParameter(
    "token",
    str,
    OpenApiParameter.PATH,
    description="The private token from the request's status link (43 characters).",
    pattern=r"^[A-Za-z0-9_-]{1,100}$",
)
NOT_FOUND = error_response(404, "No request has this token.", ("not_found", MSG_UNKNOWN_LINK))
GONE = error_response(
    410,
    "Staff replaced this link (a new one was emailed), or the request's personal details were erased.",
    ("link_revoked", MSG_LINK_REVOKED),
    ("request_erased", MSG_REQUEST_ERASED),
)


class LinkRevoked(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = MSG_LINK_REVOKED
    default_code = "link_revoked"


class RequestErased(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = MSG_REQUEST_ERASED
    default_code = "request_erased"


def _transition(status_now: str, action_past: str) -> tuple[str, str]:
    """An example of the refusal TransitionError gives, with the service's own message."""
    return "invalid_transition", review.MSG_TRANSITION_REFUSED % {"status": status_now, "action": action_past}


def _requester_response(body: dict, summary: str) -> OpenApiResponse:
    return OpenApiResponse(
        response=s.RequesterRequestSerializer,
        description=summary,
        examples=[example("request", body)],
    )


# --- The catalog ---------------------------------------------------------------------------


@extend_schema(
    tags=["catalog"],
    summary="List the presentations on offer",
    examples=[example("presentation", ex.PRESENTATION)],
)
class PresentationListView(PublicMixin, StoredGetMixin, generics.ListAPIView):
    serializer_class = s.PresentationSerializer
    filterset_class = PresentationFilter
    throttle_scope = "presentations"
    stored_scopes = (CATALOG,)
    stored_reads = ("audience", "format", "page", "page_size")

    def get_queryset(self):
        return selectors.presentations_for_catalog()

    def answer_is_shared(self, request) -> bool:
        audience = request.query_params.get("audience")
        return not audience or selectors.audiences_served().filter(slug=audience).exists()


@extend_schema(
    tags=["catalog"],
    summary="One presentation of the catalog",
    examples=[example("presentation", ex.PRESENTATION)],
)
class PresentationDetailView(PublicMixin, StoredGetMixin, generics.RetrieveAPIView):
    serializer_class = s.PresentationSerializer
    lookup_field = "slug"
    throttle_scope = "presentations"
    stored_scopes = (CATALOG,)

    def get_object(self):
        presentation = selectors.presentation_for_request(slug=self.kwargs["slug"])
        if presentation is None:
            raise Http404(MSG_NO_SUCH_PRESENTATION)
        return presentation


# --- A new request -------------------------------------------------------------------------


class IdempotencyKeyInvalid(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = MSG_SUBMISSION_KEY_INVALID
    default_code = "idempotency_key_invalid"


IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_KEY_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    pattern=SUBMISSION_KEY_PATTERN,
    description=(
        "Optional. A key of your own for this submission (1 to 255 visible ASCII characters; a random "
        "UUID is a good choice), so that sending it again after a timeout or a lost answer cannot make "
        "a second request. For 24 hours (the SUBMISSION_KEY_HOURS setting), the same key with the same "
        "body gets the first answer again: 201, the same reference, a new status link (the first keeps "
        "working), the header Idempotent-Replayed: true, and no new email. The same key with another "
        "body answers 409; a malformed key 400."
    ),
)


@method_decorator(never_cache, name="dispatch")
class RequestCreateView(PublicMixin, APIView):
    # One limit for the web form and the API: REQUEST_RATE_LIMIT, counted per client by
    # submission_rate_limited for both, not an API throttle of its own.
    throttle_classes = ()

    @extend_schema(
        tags=["requests"],
        summary="Submit a request for a presentation",
        description=(
            "The same rules as the web form, and the same per-client limit on submissions. The answer "
            "carries the reference and the private status link; the requester receives both by email. "
            "Send an Idempotency-Key header to make retrying safe."
        ),
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        request=s.RequestCreateSerializer,
        responses={
            201: s.RequestCreatedSerializer,
            400: error_response(
                400,
                "Invalid values, a submission that filled the hidden website field, or a malformed Idempotency-Key.",
                ("validation_error", "Some values are not valid; see fields."),
                ("spam", MSG_SPAM),
                ("idempotency_key_invalid", MSG_SUBMISSION_KEY_INVALID),
            ),
            409: error_response(
                409,
                "The Idempotency-Key was already used with another body.",
                ("idempotency_key_reused", MSG_SUBMISSION_KEY_REUSED),
            ),
            429: error_response(429, "Too many submissions from this client.", ("throttled", MSG_RATE_LIMITED)),
        },
        examples=[
            example("request", ex.REQUEST, request=True),
            example("created", ex.CREATED, status_code=201),
        ],
    )
    def post(self, request: Request) -> Response:
        if _is_spam(request.data):
            raise SpamSuspected()
        key = _idempotency_key(request)
        body_hash = submission_body_hash(_body(request.data)) if key is not None else ""
        if key is not None:
            repeat = submission_repeat(key=key, source=SubmissionSource.API, body_hash=body_hash)
            if repeat is not None:
                return _created(repeat)
        serializer = s.RequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if submission_rate_limited(request):
            raise exceptions.Throttled(detail=MSG_RATE_LIMITED)
        if key is None:
            return _created(Submitted(request=request_submit(**serializer.validated_data), repeated=False))
        submitted = request_submit_once(
            key=key, source=SubmissionSource.API, body_hash=body_hash, **serializer.validated_data
        )
        return _created(submitted)


def _idempotency_key(request: Request) -> str | None:
    """The Idempotency-Key header's value; None without one. Raises IdempotencyKeyInvalid (400)."""
    key = request.headers.get(IDEMPOTENCY_KEY_HEADER)
    if key is None:
        return None
    if not submission_key_is_well_formed(key):
        raise IdempotencyKeyInvalid()
    return key


def _body(data):
    """The parsed body in plain containers (a form-encoded body's every value), for its hash."""
    return dict(data.lists()) if hasattr(data, "lists") else data


def _created(submitted: Submitted) -> Response:
    response = Response(s.RequestCreatedSerializer(submitted.request).data, status=status.HTTP_201_CREATED)
    if submitted.repeated:
        response["Idempotent-Replayed"] = "true"
    return response


def _is_spam(data) -> bool:
    """The hidden field people never see and automated submissions tend to fill."""
    return isinstance(data, dict) and honeypot_filled(data.get("website"))


# --- The requester's own request, by its private token ------------------------------------


@method_decorator(never_cache, name="dispatch")
class RequesterView(PublicMixin, APIView):
    """The requester's own request: personal data, so no cache keeps the answer."""

    throttle_scope = "requester"

    def found(self, token: str) -> PresentationRequest:
        request = request_for_requester(token=token)
        if request is None:
            if selectors.status_link_erased_at(token=token) is not None:
                raise RequestErased
            if selectors.status_link_is_revoked(token=token):
                raise LinkRevoked
            raise Http404(MSG_UNKNOWN_LINK)
        return request

    def respond(self, token: str) -> Response:
        request = self.found(token)
        proposal = open_proposal_for(request=request) if request.has_open_proposal else None
        return Response(s.RequesterRequestSerializer(request, context={"proposal": proposal}).data)


# POST the action's body; the answer is the request as the requester sees it afterwards. (A comment:
# a view's docstring would become the description of the actions that have none of their own.)
class RequesterActionView(RequesterView):
    serializer_class: type
    requester_action: str  # a key of REQUESTER_ACTIONS

    def post(self, request: Request, token: str) -> Response:
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        REQUESTER_ACTIONS[self.requester_action](self.found(token), serializer.validated_data)
        return self.respond(token)


def _documented(summary: str, *, responses: dict, examples: list, description: str | None = None):
    """The OpenAPI description of a requester's action view, its body being the view's serializer."""

    def decorate(view: type[RequesterActionView]) -> type[RequesterActionView]:
        return extend_schema_view(
            post=extend_schema(
                tags=["requests"],
                summary=summary,
                description=description,
                parameters=[TOKEN_PARAMETER],
                request=view.serializer_class,
                responses=responses,
                examples=examples,
            )
        )(view)

    return decorate


class RequestDetailView(RequesterView):
    @extend_schema(
        tags=["requests"],
        summary="The requester's view of their request",
        parameters=[TOKEN_PARAMETER],
        responses={200: _requester_response(ex.REQUESTER, "The request."), 404: NOT_FOUND, 410: GONE},
    )
    def get(self, request: Request, token: str) -> Response:
        return self.respond(token)

    @extend_schema(
        tags=["requests"],
        summary="Add or change the optional details (until the talk is confirmed)",
        description=(
            "Accessibility needs, equipment, whether the event is open to the public and listed, its venue, how "
            "the public attends (a registration link, or no registration needed), notes, how the requester heard "
            "of the program. Only the fields sent change; the rules are the request form's. Once the talk is "
            "confirmed (or the request is closed) the answer is 409, and the requester contacts the program. "
            "Staff see the change in the request's audit trail."
        ),
        parameters=[TOKEN_PARAMETER],
        request=s.RequestDetailsSerializer,
        responses={
            200: _requester_response({**ex.REQUESTER, **ex.DETAILS_CHANGE}, "The request with its new details."),
            400: error_response(
                400,
                "A value breaks a rule; each field at fault has its message.",
                ("validation_error", "Some values are not valid; see fields."),
            ),
            404: NOT_FOUND,
            410: GONE,
            409: error_response(
                409,
                "The talk is confirmed, or the request is closed: the details can no longer change here.",
                ("details_locked", MSG_DETAILS_CONFIRMED),
            ),
        },
        examples=[example("details", ex.DETAILS_CHANGE, request=True)],
    )
    def patch(self, request: Request, token: str) -> Response:
        serializer = s.RequestDetailsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        request_details_update(request=self.found(token), data=serializer.validated_data)
        return self.respond(token)


@_documented(
    summary="Withdraw the request (before staff schedule it)",
    examples=[example("reason", value={"reason": "The assembly was moved to spring."}, request=True)],
    responses={
        200: _requester_response(
            {**ex.REQUESTER, "status": "withdrawn", "proposal": None, "actions": ex.NO_ACTIONS},
            "The request, now withdrawn.",
        ),
        404: NOT_FOUND,
        410: GONE,
        409: error_response(
            409, "The request is no longer waiting for a decision.", _transition("scheduled", "withdrawn")
        ),
    },
)
class RequestWithdrawView(RequesterActionView):
    serializer_class = s.RequesterReasonSerializer
    requester_action = "withdraw"


@_documented(
    summary="Accept one of the times staff proposed",
    description="Schedules the request at that time; the confirmation with the invite follows by email.",
    examples=[example("choice", value={"proposed_time": 17}, request=True)],
    responses={
        200: _requester_response(ex.SCHEDULED, "The request, now scheduled."),
        404: NOT_FOUND,
        410: GONE,
        409: error_response(
            409,
            "No proposal is waiting, or a presenter was booked at that time meanwhile.",
            ("invalid_transition", review.MSG_NO_OPEN_PROPOSAL),
            ("booking_conflict", "Ana Ruiz is already booked for OS-2B7C-QW4E (...) on Mar 13, 2031, ..."),
        ),
    },
)
class RequestAcceptProposalView(RequesterActionView):
    serializer_class = s.AcceptProposalSerializer
    requester_action = "accept_proposal"


@_documented(
    summary="Decline every proposed time",
    description="The request goes back to staff, who may propose other times.",
    examples=[example("note", value={"note": "Mornings do not work for us."}, request=True)],
    responses={
        200: _requester_response(
            {**ex.REQUESTER, "proposal": None, "actions": {**ex.NO_ACTIONS, "withdraw": True}},
            "The request, waiting for staff again.",
        ),
        404: NOT_FOUND,
        410: GONE,
        409: error_response(409, "No proposal is waiting.", ("invalid_transition", review.MSG_NO_OPEN_PROPOSAL)),
    },
)
class RequestDeclineProposalView(RequesterActionView):
    serializer_class = s.DeclineProposalSerializer
    requester_action = "decline_proposal"


@_documented(
    summary="Cancel the scheduled presentation (until the cut-off before it)",
    examples=[example("reason", value={"reason": "School closed for a snow day."}, request=True)],
    responses={
        200: _requester_response(
            {**ex.SCHEDULED, "status": "cancelled", "actions": ex.NO_ACTIONS}, "The request, now cancelled."
        ),
        404: NOT_FOUND,
        410: GONE,
        409: error_response(
            409,
            "Not scheduled, or past the cut-off.",
            _transition("submitted", "cancelled"),
            ("invalid_transition", review.MSG_CANCEL_TOO_LATE % {"hours": 48}),
        ),
    },
)
class RequestCancelView(RequesterActionView):
    serializer_class = s.RequesterReasonSerializer
    requester_action = "cancel"
