"""Examples in the OpenAPI description: a request body, or an answer with its status code."""

from drf_spectacular.utils import OpenApiExample


def example(name: str, value, *, request: bool = False, status_code: int = 200) -> OpenApiExample:
    """A request body example (``request=True``) or a response example for ``status_code``."""
    if request:
        return OpenApiExample(name, value=value, request_only=True)
    return OpenApiExample(name, value=value, response_only=True, status_codes=[str(status_code)])
