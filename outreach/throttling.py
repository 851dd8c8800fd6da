"""What keeps automated and repeated submissions out, for the web form and the API alike: the
per-client limit and the messages for a refused submission."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

SUBMISSION_GROUP = "request-submit"

MSG_SPAM = _("We could not accept this submission. If you are a person, please email us instead.")
MSG_RATE_LIMITED = _(
    "We have received several requests from your connection in a short time. "
    "Nothing was lost: please wait a while and submit again, or email us."
)


def _no_address(group: str, request: HttpRequest) -> str:
    return "no-address"


def submission_rate_limited(request: HttpRequest) -> bool:
    """Count one submission from this client; True once it is over REQUEST_RATE_LIMIT.

    Clients are told apart by address (RATELIMIT_IP_META_KEY). Requests that arrive without one
    (a proxy that did not set the header) share one count instead of failing.
    """
    key = "ip" if request.META.get(settings.RATELIMIT_IP_META_KEY) else _no_address
    return is_ratelimited(
        request, group=SUBMISSION_GROUP, key=key, rate=settings.REQUEST_RATE_LIMIT, method="POST", increment=True
    )
