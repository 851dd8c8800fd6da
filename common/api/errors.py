"""The REST API's one error shape, the handler that gives every 4xx answer in it, and its
description in the OpenAPI schema.

Every 4xx answer has the same body, so an integration handles errors in one place::

    {"code": "booking_conflict", "message": "Ana Ruiz is already booked ...", "fields": {}}

``code`` is machine-readable and stable, ``message`` is for people, and ``fields`` maps each
field at fault (dotted for nested values: ``windows.0.start``) to its messages.
"""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from common.api.defaults import MSG_BAD_REQUEST, RequestTooLarge
from common.exceptions import DomainError

MSG_INVALID = _("Some values are not valid; see fields.")
MSG_NOT_FOUND = _("There is nothing at this address.")

_NON_FIELD_KEYS = ("non_field_errors", "__all__", "")


# --- Errors ----------------------------------------------------------------------------


class Conflict(exceptions.APIException):
    """A domain rule refused the change (409): the request's status, or another booking."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The change conflicts with the current state.")
    default_code = "conflict"


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error details as {"dotted.field": [messages]}."""
    flat: dict[str, list[str]] = {}

    def add(key: str, messages: list[str]) -> None:
        flat.setdefault(key, []).extend(messages)

    if isinstance(detail, Mapping):
        for key, value in detail.items():
            # A nested serializer's own (non-field) errors belong to the field that holds it.
            inner = prefix if prefix and key in _NON_FIELD_KEYS else f"{prefix}.{key}" if prefix else str(key)
            for name, messages in _flatten(value, inner).items():
                add(name, messages)
    elif isinstance(detail, list | tuple):
        for index, item in enumerate(detail):
            if isinstance(item, Mapping | list | tuple):
                for name, messages in _flatten(item, f"{prefix}.{index}" if prefix else str(index)).items():
                    add(name, messages)
            else:
                add(prefix, [str(item)])
    else:
        add(prefix, [str(detail)])
    return flat


def error_body(*, code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"code": code, "message": str(message), "fields": fields or {}}


def _translate(exc: Exception) -> Exception:
    """Domain and Django exceptions as the DRF exception with the right status."""
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or None)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, DomainError):
        return Conflict(exc.message, code=exc.code)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, SuspiciousOperation):
        # RequestDataTooBig, TooManyFieldsSent, a malformed multipart body, ...
        if "too" in type(exc).__name__.lower():
            return RequestTooLarge()
        return exceptions.ParseError(MSG_BAD_REQUEST)
    return exc


def exception_handler(exc: Exception, context: dict):
    """DRF's handler (headers such as Retry-After and WWW-Authenticate), with one body for every 4xx."""
    exc = _translate(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        general = [m for key in _NON_FIELD_KEYS for m in fields.pop(key, [])]
        response.data = error_body(
            code="validation_error", message=" ".join(general) or str(MSG_INVALID), fields=fields
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = error_body(code=code, message=str(detail))
    return response


@csrf_exempt
def not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Any address under /api/ that names no endpoint: the API's 404, not the HTML page."""
    return JsonResponse(error_body(code="not_found", message=str(MSG_NOT_FOUND)), status=404)


# --- OpenAPI ---------------------------------------------------------------------------


ERROR_HELP = {
    "code": "Machine-readable and stable: validation_error, booking_conflict, invalid_transition, not_found, ...",
    "message": "For people; safe to show.",
    "fields": 'Messages by field ("windows.0.start" for nested values); empty when no field is at fault.',
}


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer."""

    code = serializers.CharField(help_text=ERROR_HELP["code"])
    message = serializers.CharField(help_text=ERROR_HELP["message"])
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), help_text=ERROR_HELP["fields"]
    )


ERROR_SCHEMA = {
    "type": "object",
    "description": "The body of every 4xx answer.",
    "properties": {
        "code": {"type": "string", "description": ERROR_HELP["code"]},
        "message": {"type": "string", "description": ERROR_HELP["message"]},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": ERROR_HELP["fields"],
        },
    },
    "required": ["code", "message", "fields"],
}

ERROR_EXAMPLES = {
    "400": ("Bad request", "validation_error", "Some values are not valid; see fields.", {
        "contact_phone": ["Enter a phone number we can call, for example 612-555-0123."]
    }),
    "401": ("Unauthorized", "not_authenticated", "Authentication credentials were not provided.", {}),
    "403": ("Forbidden", "permission_denied", "You do not have permission to perform this action.", {}),
    "404": ("Not found", "not_found", "No PresentationRequest matches the given query.", {}),
    "409": ("Conflict", "invalid_transition", "This request is withdrawn, so it cannot be approved.", {}),
    "413": ("Request too large", "request_too_large", "The request body is too large.", {}),
    "415": ("Unsupported media type", "unsupported_media_type", 'Unsupported media type "text/plain" in request.', {}),
    "429": ("Too many requests", "throttled", "Request was throttled. Expected available in 42 seconds.", {}),
}  # fmt: skip


def _error_response(status_code: str) -> dict:
    title, code, message, fields = ERROR_EXAMPLES[status_code]
    response = {
        "description": title,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "examples": {code: {"value": error_body(code=code, message=message, fields=fields)}},
            }
        },
    }
    if status_code == "429":
        response["headers"] = {
            "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."}
        }
    return response


def postprocess_error_responses(result, generator, request, public):
    """Describe the error answers each operation can give, in the one shape, with an example.

    400 wherever there is input (a body or query parameters), 401/403 wherever credentials are
    required, 404 wherever a path names something (and on lists: a page past the end), 413/415
    wherever there is a body, 429 everywhere (every endpoint is throttled). An operation's own
    description of a status (409 on actions, ...) is kept.
    """
    result.setdefault("components", {}).setdefault("schemas", {}).setdefault("Error", ERROR_SCHEMA)
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            has_body = "requestBody" in operation
            needs_auth = any(requirement for requirement in operation.get("security", []))
            wanted = ["429"]
            if has_body or any(p["in"] == "query" for p in parameters):
                wanted.append("400")
            if needs_auth:
                wanted += ["401", "403"]
            if any(p["in"] == "path" for p in parameters) or any(p["name"] == "page" for p in parameters):
                wanted.append("404")
            if has_body:
                wanted += ["413", "415"]
            for code in wanted:
                if code not in responses:
                    responses[code] = _error_response(code)
            operation["responses"] = dict(sorted(responses.items()))
    return result


def error_response(status_code: int, description: str, *examples: tuple[str, str]) -> OpenApiResponse:
    """An operation's own error answer in the one shape, with (code, message) examples."""
    return OpenApiResponse(
        response=ErrorSerializer,
        description=description,
        examples=[
            OpenApiExample(code, value=error_body(code=code, message=str(message)), status_codes=[str(status_code)])
            for code, message in examples
        ],
    )
