"""The staff API's presenters (the roster, suggestions, feed links) and blackout periods."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from calendars.builders import presenter_feed_url
from calendars.services import presenter_feed_token_rotate
from common.api.generics import RowByIdMixin, ServiceWriteMixin
from common.api.schema import example
from scheduling import selectors
from scheduling.api import examples as ex
from scheduling.api.filters import BlackoutFilter, PresenterFilter
from scheduling.api.serializers import people as s
from scheduling.services import people
from scheduling.services.availability import presenters_available_for

MSG_NO_SUCH_PRESENTER = _("No presenter has this id.")
MSG_NO_SUCH_BLACKOUT = _("No blackout period has this id.")

# --- Presenters ----------------------------------------------------------------------------

PRESENTER_RESPONSE = OpenApiResponse(
    s.PresenterSerializer, examples=[example("presenter", ex.PRESENTER)], description="The presenter."
)


class PresenterMixin:
    serializer_class = s.PresenterSerializer
    write_serializer_class = s.PresenterWriteSerializer
    not_found_message = MSG_NO_SUCH_PRESENTER
    throttle_scope = "staff_presenters"

    def get_queryset(self):
        return selectors.presenters_for_staff()


@extend_schema_view(
    get=extend_schema(
        tags=["staff: presenters"],
        summary="The roster of presenters",
        examples=[example("presenter", ex.PRESENTER)],
    ),
    post=extend_schema(
        tags=["staff: presenters"],
        summary="Add a presenter",
        request=s.PresenterWriteSerializer,
        responses={201: s.PresenterSerializer},
        examples=[
            example("presenter", ex.PRESENTER_WRITE, request=True),
            example("created", ex.PRESENTER, status_code=201),
        ],
    ),
)
class PresenterListView(PresenterMixin, ServiceWriteMixin, generics.ListCreateAPIView):
    filterset_class = PresenterFilter

    def perform_create(self, serializer):
        return people.presenter_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(tags=["staff: presenters"], summary="One presenter", responses={200: PRESENTER_RESPONSE}),
    put=extend_schema(
        tags=["staff: presenters"],
        summary="Replace a presenter's details",
        request=s.PresenterWriteSerializer,
        responses={200: PRESENTER_RESPONSE},
        examples=[example("presenter", ex.PRESENTER_WRITE, request=True)],
    ),
    patch=extend_schema(
        tags=["staff: presenters"],
        summary="Change some of a presenter's details",
        request=s.PresenterWriteSerializer,
        responses={200: PRESENTER_RESPONSE},
        examples=[example("languages", {"languages": ["en", "hmn"]}, request=True)],
    ),
)
class PresenterDetailView(PresenterMixin, ServiceWriteMixin, generics.RetrieveUpdateAPIView):
    def perform_update(self, serializer):
        return people.presenter_update(presenter=serializer.instance, **serializer.validated_data)


class PresenterDeactivateView(PresenterMixin, RowByIdMixin, generics.GenericAPIView):
    @extend_schema(
        tags=["staff: presenters"],
        summary="Deactivate a presenter",
        description="No longer suggested or assignable; bookings already made stay as they are.",
        request=None,
        responses={200: PRESENTER_RESPONSE},
    )
    def post(self, request: Request, pk: int) -> Response:
        return Response(self.answer(people.presenter_deactivate(presenter=self.get_object())))


class PresenterFeedTokenView(PresenterMixin, RowByIdMixin, generics.GenericAPIView):
    @extend_schema(
        tags=["staff: presenters"],
        summary="Issue a new private calendar feed link for a presenter",
        description="The previous link stops working at once. The new one is shown only in this answer.",
        request=None,
        responses={
            200: OpenApiResponse(
                s.FeedTokenSerializer, examples=[example("feed", ex.FEED_TOKEN)], description="The new link."
            )
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        token = presenter_feed_token_rotate(presenter=self.get_object(), by=request.user)
        return Response(s.FeedTokenSerializer({"feed_url": presenter_feed_url(token)}).data)


@extend_schema(
    tags=["staff: presenters"],
    summary="Presenters free for a request at a time",
    description=(
        "Active presenters qualified for the request's presentation and speaking its language, free then "
        "(travel buffer, blackouts and closures included), within their weekly hours and under their monthly "
        "limit, least booked that month first."
    ),
    parameters=[s.SuggestionQuerySerializer],
    examples=[example("suggestion", ex.SUGGESTION)],
)
class PresenterSuggestionsView(generics.ListAPIView):
    serializer_class = s.SuggestionSerializer
    filter_backends = ()
    throttle_scope = "staff_presenters"

    def get_queryset(self):
        query = s.SuggestionQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return presenters_available_for(**query.validated_data)


# --- Blackout periods ------------------------------------------------------------------------

BLACKOUT_RESPONSE = OpenApiResponse(
    s.BlackoutSerializer, examples=[example("blackout", ex.BLACKOUT)], description="The blackout period."
)
BLACKOUT_SAVED = OpenApiResponse(
    s.BlackoutSavedSerializer,
    examples=[example("blackout", {**ex.BLACKOUT, "warnings": []})],
    description="The blackout period, with the scheduled bookings it overlaps.",
)


class BlackoutMixin:
    serializer_class = s.BlackoutSerializer
    write_serializer_class = s.BlackoutWriteSerializer
    not_found_message = MSG_NO_SUCH_BLACKOUT
    throttle_scope = "staff_blackouts"

    def get_queryset(self):
        return selectors.blackouts_for_staff()


class BlackoutWarningsMixin:
    """The answer to a write also lists, under ``warnings``, the scheduled bookings the period overlaps."""

    def answer(self, row) -> dict:
        return {**super().answer(row), "warnings": [str(w) for w in row.warnings]}


@extend_schema_view(
    get=extend_schema(
        tags=["staff: blackouts"],
        summary="Blackout periods and program closures",
        examples=[example("blackout", ex.BLACKOUT)],
    ),
    post=extend_schema(
        tags=["staff: blackouts"],
        summary="Add a blackout period (a presenter's) or a closure (no presenter)",
        request=s.BlackoutWriteSerializer,
        responses={201: s.BlackoutSavedSerializer},
        examples=[
            example("presenter away", ex.BLACKOUT_WRITE, request=True),
            example("program closure", ex.CLOSURE_WRITE, request=True),
            example("created", {**ex.BLACKOUT, "warnings": []}, status_code=201),
        ],
    ),
)
class BlackoutListView(BlackoutMixin, BlackoutWarningsMixin, ServiceWriteMixin, generics.ListCreateAPIView):
    filterset_class = BlackoutFilter

    def perform_create(self, serializer):
        return people.blackout_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(tags=["staff: blackouts"], summary="One blackout period", responses={200: BLACKOUT_RESPONSE}),
    put=extend_schema(
        tags=["staff: blackouts"],
        summary="Replace a blackout period",
        request=s.BlackoutWriteSerializer,
        responses={200: BLACKOUT_SAVED},
        examples=[example("blackout", ex.BLACKOUT_WRITE, request=True)],
    ),
    patch=extend_schema(
        tags=["staff: blackouts"],
        summary="Change some of a blackout period",
        request=s.BlackoutWriteSerializer,
        responses={200: BLACKOUT_SAVED},
        examples=[example("longer", {"end": "2031-07-22T00:00:00"}, request=True)],
    ),
    delete=extend_schema(
        tags=["staff: blackouts"], summary="Remove a blackout period", responses={204: OpenApiResponse(None)}
    ),
)
class BlackoutDetailView(
    BlackoutMixin, BlackoutWarningsMixin, ServiceWriteMixin, generics.RetrieveUpdateDestroyAPIView
):
    def perform_update(self, serializer):
        return people.blackout_update(blackout=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance) -> None:
        people.blackout_delete(blackout=instance)
