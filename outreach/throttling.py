"""What keeps automated and repeated submissions out, for the web form and the API alike: the
per-client limit and the messages for a refused submission; and the limits on asking for lost links."""

import hashlib

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

SUBMISSION_GROUP = "request-submit"
LOOKUP_GROUP = "request-find"
LOOKUP_EMAIL_GROUP = "request-find-email"

MSG_SPAM = _("We could not accept this submission. If you are a person, please email us instead.")
MSG_RATE_LIMITED = _(
    "We have received several requests from your connection in a short time. "
    "Nothing was lost: please wait a while and submit again, or email us."
)

MSG_LOOKUP_RATE_LIMITED = _(
    "You have asked for links several times in a short time. Please wait a while and try again, or contact us."
)


def _no_address(group: str, request: HttpRequest) -> str:
    return "no-address"


def submission_rate_limited(request: HttpRequest) -> bool:
    """Count one submission from this client; True once it is over REQUEST_RATE_LIMIT.

    Clients are told apart by address (REMOTE_ADDR, which ClientAddressMiddleware sets from
    TRUSTED_PROXY_COUNT). Requests that arrive without one
    (a proxy that did not set the header) share one count instead of failing.
    """
    key = "ip" if request.META.get(settings.RATELIMIT_IP_META_KEY) else _no_address
    return is_ratelimited(
        request, group=SUBMISSION_GROUP, key=key, rate=settings.REQUEST_RATE_LIMIT, method="POST", increment=True
    )


def _client_key(request: HttpRequest):
    return "ip" if request.META.get(settings.RATELIMIT_IP_META_KEY) else _no_address


def lookup_rate_limited(request: HttpRequest) -> bool:
    """Count one "Find my request" lookup from this client; True once it is over REQUEST_LOOKUP_RATE_LIMIT."""
    return is_ratelimited(
        request, group=LOOKUP_GROUP, key=_client_key(request), rate=settings.REQUEST_LOOKUP_RATE_LIMIT, increment=True
    )


def lookup_email_rate_limited(request: HttpRequest, email: str) -> bool:
    """Count one lookup for this email address, whoever asks; True once it is over
    REQUEST_LOOKUP_EMAIL_RATE_LIMIT (then nothing more is sent to it for a while). The count is kept
    under a hash of the address, never the address itself."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return is_ratelimited(
        request,
        group=LOOKUP_EMAIL_GROUP,
        key=lambda group, request: digest,
        rate=settings.REQUEST_LOOKUP_EMAIL_RATE_LIMIT,
        increment=True,
    )
