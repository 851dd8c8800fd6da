"""Public pages: the catalog, the request form and the requester's private status page."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.exceptions import DomainError
from common.pagecache import page_cached
from common.versions import CATALOG
from outreach import selectors
from outreach.actions import REQUESTER_ACTIONS
from outreach.enums import Format, RequestStatus
from outreach.forms import (
    CatalogFilterForm,
    ProposalAcceptForm,
    ProposalDeclineForm,
    RequestDetailsForm,
    RequesterReasonForm,
    RequestFindForm,
    RequestForm,
)
from outreach.selectors import MSG_UNKNOWN_LINK
from outreach.services import (
    MSG_DETAILS_CONFIRMED,
    request_details_may_change,
    request_details_update,
    request_links_send,
    request_submit,
)
from outreach.submissions import (
    SubmissionKeyReused,
    SubmissionSource,
    request_submit_once,
    submission_body_hash,
    submission_key_is_well_formed,
    submission_key_new,
    submission_repeat,
)
from outreach.throttling import (
    MSG_LOOKUP_RATE_LIMITED,
    MSG_RATE_LIMITED,
    MSG_SPAM,
    lookup_email_rate_limited,
    lookup_rate_limited,
    submission_rate_limited,
)
from scheduling import selectors as scheduling_selectors
from scheduling.services.review import MSG_CANCEL_TOO_LATE, requester_may_cancel

MSG_WITHDRAWN = _("Your request has been withdrawn. We have sent you a confirmation by email.")
MSG_PROPOSAL_ACCEPTED = _("Thank you: your presentation is scheduled. We have sent you a confirmation by email.")
MSG_PROPOSAL_DECLINED = _("Thank you. Our staff will look for other times and get back to you.")
MSG_LINKS_SENT = _(
    "If requests that are still open were made with that address, we have just sent each one's status link "
    "to it. Check your inbox, and your spam folder, in a few minutes."
)
MSG_SENT_WITH_OTHER_ANSWERS = _(
    "A request was already sent from this form with different answers, so these were not sent. "
    "The email we sent you has the request that was sent and its status link. "
    "To send another request, start again from the presentation's page."
)
MSG_CANCELLED = _("Your presentation has been cancelled. We have sent you a confirmation by email.")
MSG_DETAILS_SAVED = _("Thank you: your details are saved. Our staff see them with your request.")


@require_GET
@page_cached(CATALOG)
def home(request: HttpRequest) -> HttpResponse:
    presentations = list(selectors.presentations_for_catalog()[:3])
    return render(request, "outreach/home.html", {"presentations": presentations})


@require_GET
@page_cached(CATALOG, reads=("audience", "format"))
def presentation_list(request: HttpRequest) -> HttpResponse:
    """The catalog, filtered by audience and format; a filter value that names nothing is ignored
    (and that page is not stored: nobody else asks for it)."""
    filters = CatalogFilterForm(request.GET or None, audiences=selectors.audiences_served())
    audience = fmt = None
    if filters.is_valid():
        audience = filters.cleaned_data["audience"]
        fmt = filters.cleaned_data["format"] or None
    presentations = list(
        selectors.presentations_for_catalog(audience_slug=audience.slug if audience else None, fmt=fmt)
    )
    context = {
        "presentations": presentations,
        "filters": filters,
        "filtered": bool(audience or fmt),
        "audience": audience,
        "format_label": Format(fmt).label if fmt else "",
        "format": fmt,
    }
    response = render(request, "outreach/presentation_list.html", context)
    response.storable = not filters.is_bound or filters.is_valid()
    return response


def _presentation_or_404(slug: str):
    presentation = selectors.presentation_for_request(slug=slug)
    if presentation is None:
        raise Http404(_("No such presentation."))
    return presentation


@require_GET
@page_cached(CATALOG)
def presentation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "outreach/presentation_detail.html", {"presentation": _presentation_or_404(slug)})


STEP_REVIEW = "review"
STEP_CHANGE = "change"
STEP_CONFIRM = "confirm"


@never_cache
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, slug: str) -> HttpResponse:
    """The form, then a summary to check ("review"), then the submission ("confirm").

    The summary carries the answers in hidden inputs; every step validates all of them again, so
    the final one trusts nothing the browser sends back. "change" shows the form with the answers.

    A one-time submission key, made when the form is first shown and carried in a hidden input
    through the summary and "change", makes the "confirm" step count once: sent again with the
    same answers (a double click, or Back and send again, which posts the summary once more with
    its key), it answers with the first request's "received" page and sends nothing new. The key
    is made with the form rather than with the summary because going Back to the summary posts
    the form again: a summary that made its own key would hand out a new one then. The repeat's
    page shows a new status link (the first exists only in the first answer and the email, see
    common.links): the requester expects the page they would have seen, with a link that works,
    not a page that looks like a different outcome; the first link keeps working. The same key
    with other answers (sent, then Back, "change" and send) is refused with a message that says
    where the first request is. A post without a well-formed key (no page of ours sends one)
    is submitted as it is.
    """
    presentation = _presentation_or_404(slug)
    if request.method == "GET":
        form = RequestForm(presentation=presentation)
        context = {"presentation": presentation, "form": form, "submission_key": submission_key_new()}
        return render(request, "outreach/request_form.html", context)

    posted_key = request.POST.get("submission_key", "")
    key = posted_key if submission_key_is_well_formed(posted_key) else None
    form = RequestForm(request.POST, presentation=presentation)
    context = {"presentation": presentation, "form": form, "submission_key": key or submission_key_new()}
    step = request.POST.get("step", STEP_REVIEW)
    if form.is_spam:
        return render(request, "outreach/request_blocked.html", {"message": MSG_SPAM}, status=400)
    body_hash = submission_body_hash(form.posted_answers())
    if step == STEP_CONFIRM and key is not None:
        try:
            repeat = submission_repeat(key=key, source=SubmissionSource.FORM, body_hash=body_hash)
        except SubmissionKeyReused:
            return _sent_with_other_answers(request)
        if repeat is not None:
            return redirect("outreach:request_received", token=repeat.request.status_token)
    if not form.is_valid():
        return render(request, "outreach/request_form.html", context, status=400)
    if step == STEP_CHANGE:
        return render(request, "outreach/request_form.html", context)
    if step != STEP_CONFIRM:
        return render(request, "outreach/request_review.html", context)
    if submission_rate_limited(request):
        return render(request, "outreach/request_review.html", {**context, "blocked": MSG_RATE_LIMITED}, status=429)
    fields = {
        "presentation": presentation,
        "windows": form.cleaned_data["windows"],
        "requester_language": request.LANGUAGE_CODE,
        **form.request_fields(),
    }
    try:
        if key is None:
            submitted = request_submit(**fields)
        else:
            submitted = request_submit_once(
                key=key, source=SubmissionSource.FORM, body_hash=body_hash, **fields
            ).request
    except ValidationError as exc:
        form.add_service_errors(exc)
        return render(request, "outreach/request_form.html", context, status=400)
    except SubmissionKeyReused:
        return _sent_with_other_answers(request)
    return redirect("outreach:request_received", token=submitted.status_token)


def _sent_with_other_answers(request: HttpRequest) -> HttpResponse:
    context = {"message": MSG_SENT_WITH_OTHER_ANSWERS}
    return render(request, "outreach/request_blocked.html", context, status=409)


@never_cache
@require_http_methods(["GET", "POST"])
def request_find(request: HttpRequest) -> HttpResponse:
    """The "Find my request" page: send the status links of an address's open requests to that address.

    The answer is the same whether or not the address is known; the links go only by email.
    """
    if request.method == "GET":
        return render(request, "outreach/request_find.html", {"form": RequestFindForm()})
    form = RequestFindForm(request.POST)
    if form.is_spam:
        return render(request, "outreach/request_blocked.html", {"message": MSG_SPAM}, status=400)
    if not form.is_valid():
        return render(request, "outreach/request_find.html", {"form": form}, status=400)
    if lookup_rate_limited(request):
        context = {"form": form, "blocked": MSG_LOOKUP_RATE_LIMITED}
        return render(request, "outreach/request_find.html", context, status=429)
    email = form.cleaned_data["email"]
    if not lookup_email_rate_limited(request, email):
        request_links_send(email=email)
    messages.success(request, MSG_LINKS_SENT)
    return redirect("outreach:request_find")


class StatusLinkRevoked(Exception):
    """The status link was replaced by staff: answered 410 with a page that says where to ask."""


class RequestErased(StatusLinkRevoked):
    """The request's personal details were erased: answered 410 with a page that says so."""

    def __init__(self, erased_at):
        super().__init__()
        self.erased_at = erased_at


def _not_found(token: str) -> Exception:
    erased_at = selectors.status_link_erased_at(token=token)
    if erased_at is not None:
        return RequestErased(erased_at)
    return StatusLinkRevoked() if selectors.status_link_is_revoked(token=token) else Http404(MSG_UNKNOWN_LINK)


def _request_or_404(token: str):
    found = selectors.request_by_token(token=token)
    if found is None:
        raise _not_found(token)
    return found


def _status_request_or_404(token: str):
    """The request with what its status page shows (booking, whether a proposal waits)."""
    found = scheduling_selectors.request_for_requester(token=token)
    if found is None:
        raise _not_found(token)
    return found


def _answers_revoked_links(view: Callable) -> Callable:
    """A status-link page that answers 410 Gone, saying where to ask, for a link staff replaced."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str) -> HttpResponse:
        try:
            return view(request, token)
        except RequestErased as erased:
            context = {"erased_at": erased.erased_at}
            return render(request, "outreach/request_erased.html", context, status=410)
        except StatusLinkRevoked:
            return render(request, "outreach/link_revoked.html", status=410)

    return wrapped


@never_cache
@_answers_revoked_links
@require_GET
def request_received(request: HttpRequest, token: str) -> HttpResponse:
    found = _request_or_404(token)
    status_url = request.build_absolute_uri(reverse("outreach:request_status", kwargs={"token": token}))
    return render(request, "outreach/request_received.html", {"request_obj": found, "status_url": status_url})


def _status_page(request: HttpRequest, found, token: str, *, status: int = 200, **overrides) -> HttpResponse:
    """The status page: the state, and the next step the requester can take in it."""
    booking = getattr(found, "booking", None)
    proposal = None
    if found.status == RequestStatus.SUBMITTED and found.has_open_proposal:
        proposal = scheduling_selectors.open_proposal_for(request=found)
    scheduled = found.status == RequestStatus.SCHEDULED and booking is not None
    context = {
        "request_obj": found,
        "token": token,
        "booking": booking,
        "presenters": booking.presenters() if booking is not None else [],
        "proposal": proposal,
        "may_cancel": scheduled and requester_may_cancel(booking),
        "cancel_too_late": MSG_CANCEL_TOO_LATE % {"hours": settings.REQUESTER_CANCEL_CUTOFF_HOURS},
        "withdraw_form": RequesterReasonForm(),
        "accept_form": ProposalAcceptForm(),
        "decline_proposal_form": ProposalDeclineForm(),
        "cancel_form": RequesterReasonForm(),
        "details_form": RequestDetailsForm(request_obj=found) if request_details_may_change(found) else None,
        "details_confirmed": MSG_DETAILS_CONFIRMED,
        **overrides,
    }
    return render(request, "outreach/request_status.html", context, status=status)


@never_cache
@_answers_revoked_links
@require_GET
def request_status(request: HttpRequest, token: str) -> HttpResponse:
    return _status_page(request, _status_request_or_404(token), token)


@never_cache
@_answers_revoked_links
@require_GET
def request_print(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmed booking on one printable sheet; a request with nothing scheduled goes back to its page."""
    found = _status_request_or_404(token)
    booking = getattr(found, "booking", None)
    if found.status != RequestStatus.SCHEDULED or booking is None:
        return redirect("outreach:request_status", token=token)
    context = {"request_obj": found, "token": token, "booking": booking, "presenters": booking.presenters()}
    return render(request, "outreach/request_print.html", context)


@never_cache
@_answers_revoked_links
@require_POST
def request_details(request: HttpRequest, token: str) -> HttpResponse:
    """Add or change the optional details, until the talk is confirmed: 400 with the form's errors
    next to the fields (what was typed kept), 409 once confirmed or closed, else back to the page."""
    found = _status_request_or_404(token)
    form = RequestDetailsForm(request.POST, request_obj=found)
    if not form.is_valid():
        return _status_page(request, found, token, status=400, details_form=form, form=form)
    try:
        request_details_update(request=found, data=form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _status_page(request, found, token, status=400, details_form=form, form=form)
    except DomainError as exc:
        # Confirmed or closed meanwhile: the page as it is now, with the refusal on top.
        return _status_page(request, _status_request_or_404(token), token, status=409, error=exc.message)
    messages.success(request, MSG_DETAILS_SAVED)
    return redirect("outreach:request_status", token=token)


def _requester_action(action: str, form_class, form_key: str, success: str) -> Callable:
    """A requester's action from the status page: validate the form, call the action's one service, answer.

    400 with the form's errors (a service's next to the field it names), 409 with the message for
    a refused transition or a conflict, else back to the page with ``success``.
    """

    @never_cache
    @_answers_revoked_links
    @require_POST
    def view(request: HttpRequest, token: str) -> HttpResponse:
        found = _status_request_or_404(token)
        form = form_class(request.POST)
        if not form.is_valid():
            return _status_page(request, found, token, status=400, **{form_key: form})
        try:
            REQUESTER_ACTIONS[action](found, form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
            return _status_page(request, found, token, status=400, **{form_key: form})
        except DomainError as exc:
            return _status_page(request, found, token, status=409, error=exc.message, **{form_key: form})
        messages.success(request, success)
        return redirect("outreach:request_status", token=token)

    return view


request_withdraw = _requester_action("withdraw", RequesterReasonForm, "withdraw_form", MSG_WITHDRAWN)
proposal_accept = _requester_action("accept_proposal", ProposalAcceptForm, "accept_form", MSG_PROPOSAL_ACCEPTED)
proposal_decline = _requester_action(
    "decline_proposal", ProposalDeclineForm, "decline_proposal_form", MSG_PROPOSAL_DECLINED
)
booking_cancel = _requester_action("cancel", RequesterReasonForm, "cancel_form", MSG_CANCELLED)
