"""The application's URLs, and the minimal view every page is compared with."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from bench.common import MINIMAL_PATH
from config.urls import urlpatterns as application_urlpatterns


@require_safe
def minimal(request: HttpRequest) -> HttpResponse:
    """The whole middleware stack and nothing else: no template, no database, no session."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path(MINIMAL_PATH.lstrip("/"), minimal, name="bench_minimal"), *application_urlpatterns]
