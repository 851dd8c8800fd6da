"""Reads for the public pages: the catalog (and whether its texts are translated) and a request by its private token."""

from datetime import datetime

from django.conf import settings
from django.db.models import Model, Prefetch, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from common.links import link_find, live_subject_ids
from common.models import LinkPurpose
from outreach.models import Audience, Presentation, PresentationRequest, RequestWindow

MSG_UNKNOWN_LINK = _("This link does not lead to a request. Check that you copied all of it.")
MSG_LINK_REVOKED = _(
    "This link was replaced and no longer opens the request. We emailed a new one to the address on the request; "
    "if you cannot find it, contact us."
)
MSG_REQUEST_ERASED = _(
    "The personal details on this request were erased, as we do some time after a request is closed or when "
    "asked, so this link no longer opens it."
)


def presentations_for_catalog(*, audience_slug: str | None = None, fmt: str | None = None) -> QuerySet[Presentation]:
    """Active presentations in display order, with audiences and languages prefetched."""
    presentations = Presentation.objects.filter(is_active=True).prefetch_related("audiences", "languages")
    if audience_slug:
        presentations = presentations.filter(audiences__slug=audience_slug)
    if fmt == "in_person":
        presentations = presentations.filter(offers_in_person=True)
    elif fmt == "virtual":
        presentations = presentations.filter(offers_virtual=True)
    return presentations.distinct()


def audiences_served() -> QuerySet[Audience]:
    """The audiences at least one active presentation is for: the catalog filter offers only these."""
    served = Presentation.objects.filter(is_active=True).values("audiences")
    return Audience.objects.filter(pk__in=served)


def presentation_for_request(*, slug: str) -> Presentation | None:
    """An active presentation that can be requested, or None."""
    return presentations_for_catalog().filter(slug=slug).first()


def request_by_token(*, token: str) -> PresentationRequest | None:
    """The request a live status link points to (``status_token`` set to it), or None for an unknown,
    revoked or malformed token."""
    found = (
        PresentationRequest.objects.select_related("presentation", "audience", "language")
        .prefetch_related(Prefetch("windows", queryset=RequestWindow.objects.order_by("position")))
        .filter(pk__in=live_subject_ids(purpose=LinkPurpose.REQUEST_STATUS, token=token))
        .first()
    )
    if found is not None:
        found.status_token = token
    return found


def status_link_is_revoked(*, token: str) -> bool:
    """Whether ``token`` is a status link that staff replaced (its page says where to ask)."""
    link = link_find(purpose=LinkPurpose.REQUEST_STATUS, token=token)
    return link is not None and link.revoked_at is not None


def status_link_erased_at(*, token: str) -> datetime | None:
    """When the personal details of the request a (revoked) status link led to were erased, or None:
    an erased request's links no longer open it, and its old address says why."""
    link = link_find(purpose=LinkPurpose.REQUEST_STATUS, token=token)
    if link is None or link.revoked_at is None:
        return None
    return PresentationRequest.objects.filter(pk=link.subject_id).values_list("erased_at", flat=True).first()


def catalog_text_is_translated(*, item: Model, field: str, language: str | None = None) -> bool:
    """Whether a catalog text (a presentation's title, summary or description, an audience's or a
    language's name) has its own translation in ``language`` (the active one by default); English
    always has. Where it has none, the page shows the English text and says so."""
    language = language or get_language() or settings.LANGUAGE_CODE
    if language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
        return True
    return bool(getattr(item, build_localized_fieldname(field, language), None))
