"""The staff API's presenters (the roster, suggestions, feed links) and blackout periods."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from calendars.builders import presenter_feed_url
from calendars.services import presenter_feed_token_rotate
from common.api.schema import example
from scheduling import selectors
from scheduling.api import examples as ex
from scheduling.api.filters import BlackoutFilter, PresenterFilter
from scheduling.api.serializers import people as s
from scheduling.models import Blackout, Presenter
from scheduling.services import people
from scheduling.services.availability import presenters_available_for

# --- Presenters ----------------------------------------------------------------------------

PRESENTER_RESPONSE = OpenApiResponse(
    s.PresenterSerializer, examples=[example("presenter", ex.PRESENTER)], description="The presenter."
)


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
        examples=[example("presenter", ex.PRESENTER_WRITE, request=True)],
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        tags=["staff: presenters"],
        summary="Change some of a presenter's details",
        request=s.PresenterWriteSerializer,
        responses={200: PRESENTER_RESPONSE},
        examples=[example("languages", {"languages": ["en", "hmn"]}, request=True)],
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
                s.FeedTokenSerializer, examples=[example("feed", ex.FEED_TOKEN)], description="The new link."
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
        responses={201: s.BlackoutSerializer},
        examples=[
            example("presenter away", ex.BLACKOUT_WRITE, request=True),
            example("program closure", ex.CLOSURE_WRITE, request=True),
            example("created", ex.BLACKOUT, status_code=201),
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
        examples=[example("blackout", ex.BLACKOUT_WRITE, request=True)],
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        tags=["staff: blackouts"],
        summary="Change some of a blackout period",
        request=s.BlackoutWriteSerializer,
        responses={200: BLACKOUT_RESPONSE},
        examples=[example("longer", {"end": "2031-07-22T00:00:00"}, request=True)],
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
