"""Mixins for DRF's generic views whose rows come from a selector and whose writes go through a
service (never ``serializer.save()``).

A view sets ``get_queryset()`` (a selector), ``serializer_class`` (the shape it answers with) and,
if it writes, ``write_serializer_class`` (the body it parses) with ``perform_create`` /
``perform_update`` / ``perform_destroy`` calling the service; ``perform_create`` and
``perform_update`` return the saved row.

Like DRF's own classes, these mixins' docstrings stay out of the API's description
(``doc_excludes``, named by SPECTACULAR_SETTINGS); a view's own docstring still shows there.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from drf_spectacular.plumbing import get_lib_doc_excludes
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.mediatypes import _MediaType

from common.api.errors import MSG_NOT_FOUND
from common.pagecache import page_key, page_response, page_stored

WRITE_METHODS = ("POST", "PUT", "PATCH")


class RowByIdMixin:
    """``get_object()``: the row with the URL's ``pk`` among ``get_queryset()``, or a 404 saying
    ``not_found_message``. The list's filters do not apply to one row."""

    not_found_message = MSG_NOT_FOUND

    def get_object(self):
        row = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if row is None:
            raise Http404(self.not_found_message)
        self.check_object_permissions(self.request, row)
        return row

    def answer(self, row) -> dict:
        """The row as a GET shows it, read again through ``get_queryset()`` (so its annotations are there)."""
        return self.serializer_class(self.get_queryset().get(pk=row.pk), context=self.get_serializer_context()).data


class ServiceWriteMixin(RowByIdMixin):
    """create (201) and update (PUT, PATCH: 200) that parse with ``write_serializer_class``, save
    through the service and answer with the row in ``serializer_class``'s shape."""

    write_serializer_class: type

    def get_serializer_class(self):
        if self.request.method in WRITE_METHODS:
            return self.write_serializer_class
        return self.serializer_class

    def create(self, request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(self.answer(self.perform_create(serializer)), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial: bool = False, **kwargs) -> Response:
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return Response(self.answer(self.perform_update(serializer)))


class _AnonymousRequest:
    """What DRF's permissions and content negotiation read of a request to a view that
    authenticates nobody: its headers, its query and an anonymous user."""

    def __init__(self, request: HttpRequest) -> None:
        self.META = request.META
        self.query_params = request.GET
        self.method = request.method
        self.user = AnonymousUser()
        self._request = request

    @property
    def headers(self):
        return self._request.headers


# Accept headers for which DRF's negotiation, with JSON the only renderer, picks the plain JSON
# (no header at all means */*): answered without parsing them.
_PLAIN_JSON_ACCEPTS = frozenset({None, "*/*", "application/json"})


def _json_as_stored(media_type: str) -> bool:
    """Whether a negotiated JSON media type asks for nothing but the plain rendering (no ``indent``)."""
    return not (_MediaType(media_type).params.keys() - {"q"})


class StoredGetMixin:
    """GET answered from a stored copy (``common.pagecache.page_response``), built once per version
    of the data scopes ``stored_scopes``, with an ETag and 304 to a current If-None-Match.

    What is stored is the plain JSON of a 200 for an address whose query holds only
    ``stored_reads``. A view whose answer for some values is nobody else's (a filter naming
    nothing) says so in ``answer_is_shared``.

    A view that authenticates nobody (``authentication_classes = ()``) answers an anonymous GET
    for the plain JSON from the current stored copy ahead of DRF's request handling, with DRF's
    headers, once its permissions allow it. Such an answer is not counted by the throttles: it
    costs what the same page in HTML costs, which nobody throttles, and counting it would cost a
    round trip to Redis, more than the answer itself. Every answer built from the database is
    counted as usual, so a client over its limit is refused what it would make the database do.
    """

    stored_scopes: tuple[str, ...] = ()
    stored_reads: tuple[str, ...] = ()

    def answer_is_shared(self, request) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        key = self._stored_key_ahead(request)
        if key is not None:
            answer = page_stored(request, key)
            if answer is not None:
                self.headers = self.default_response_headers
                self.response = self.finalize_response(request, answer, *args, **kwargs)
                return self.response
            self._stored_key = key
        return super().dispatch(request, *args, **kwargs)

    def _stored_key_ahead(self, request: HttpRequest) -> str | None:
        """The stored copy's key when this request may be answered from it before DRF's handling."""
        if self.authentication_classes or request.method not in ("GET", "HEAD"):
            return None
        anonymous = _AnonymousRequest(request)
        if not all(permission.has_permission(anonymous, self) for permission in self.get_permissions()):
            return None
        if request.META.get("HTTP_ACCEPT") not in _PLAIN_JSON_ACCEPTS or self.renderer_classes != [JSONRenderer]:
            try:
                renderer, media_type = self.get_content_negotiator().select_renderer(anonymous, self.get_renderers())
            except exceptions.NotAcceptable:
                return None
            if type(renderer) is not JSONRenderer or not _json_as_stored(media_type):
                return None
        return page_key(request, scopes=self.stored_scopes, reads=self.stored_reads)

    def get(self, request, *args, **kwargs):
        if not _json_as_stored(request.accepted_media_type):
            return super().get(request, *args, **kwargs)

        def render():
            response = super(StoredGetMixin, self).get(request, *args, **kwargs)
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
            response.render()
            response.storable = self.answer_is_shared(request)
            return response

        return page_response(
            request._request,
            render,
            scopes=self.stored_scopes,
            reads=self.stored_reads,
            missed_key=getattr(self, "_stored_key", None),
        )


def doc_excludes() -> list[type]:
    """Classes whose docstrings the OpenAPI description ignores: DRF's and the mixins above."""
    return [*get_lib_doc_excludes(), RowByIdMixin, ServiceWriteMixin, StoredGetMixin]
