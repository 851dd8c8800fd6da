"""The application's URLs, and the minimal view every page is compared with."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from bench.common import MINIMAL_PATH
from config.urls import urlpatterns as application_urlpatterns

# The largest body the minimal view sends (?bytes=N), well above the largest feed the bench loads.
MINIMAL_BYTES_MAX = 16 * 1024 * 1024


@require_safe
def minimal(request: HttpRequest) -> HttpResponse:
    """The whole middleware stack and nothing else: no template, no database, no session.

    ``?bytes=N``: a body of N bytes (at most MINIMAL_BYTES_MAX) instead of "ok", to compare a large
    page or feed with a view that sends as many bytes and does nothing else."""
    try:
        size = min(max(int(request.GET.get("bytes", "")), 0), MINIMAL_BYTES_MAX)
    except ValueError:
        return HttpResponse(b"ok", content_type="text/plain")
    return HttpResponse(b"x" * size, content_type="text/plain")


urlpatterns = [path(MINIMAL_PATH.lstrip("/"), minimal, name="bench_minimal"), *application_urlpatterns]
