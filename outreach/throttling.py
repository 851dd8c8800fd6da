"""The per-client limit on request submissions, shared by the web form and the API."""

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

SUBMISSION_GROUP = "request-submit"


def submission_rate_limited(request: HttpRequest) -> bool:
    """Count one submission from this client; True once it is over REQUEST_RATE_LIMIT."""
    return is_ratelimited(
        request, group=SUBMISSION_GROUP, key="ip", rate=settings.REQUEST_RATE_LIMIT, method="POST", increment=True
    )
