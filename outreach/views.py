"""Public pages: the catalog, the request form and the requester's private status page."""

from collections.abc import Callable

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
from outreach import selectors
from outreach.enums import RequestStatus
from outreach.forms import (
    CatalogFilterForm,
    ProposalAcceptForm,
    ProposalDeclineForm,
    RequesterCancelForm,
    RequestForm,
    WithdrawForm,
)
from outreach.selectors import MSG_UNKNOWN_LINK
from outreach.services import request_submit
from outreach.throttling import MSG_RATE_LIMITED, MSG_SPAM, submission_rate_limited
from scheduling import selectors as scheduling_selectors
from scheduling.services import review
from scheduling.services.review import MSG_CANCEL_TOO_LATE, requester_may_cancel
from scheduling.services.review import request_withdraw as withdraw

MSG_WITHDRAWN = _("Your request has been withdrawn. We have sent you a confirmation by email.")
MSG_PROPOSAL_ACCEPTED = _("Thank you: your presentation is scheduled. We have sent you a confirmation by email.")
MSG_PROPOSAL_DECLINED = _("Thank you. Our staff will look for other times and get back to you.")
MSG_CANCELLED = _("Your presentation has been cancelled. We have sent you a confirmation by email.")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    presentations = list(selectors.presentations_for_catalog()[:3])
    return render(request, "outreach/home.html", {"presentations": presentations})


@require_GET
def presentation_list(request: HttpRequest) -> HttpResponse:
    filters = CatalogFilterForm(request.GET or None)
    audience = fmt = None
    if filters.is_valid():
        audience = filters.cleaned_data["audience"]
        fmt = filters.cleaned_data["format"] or None
    presentations = selectors.presentations_for_catalog(audience_slug=audience.slug if audience else None, fmt=fmt)
    return render(
        request,
        "outreach/presentation_list.html",
        {"presentations": presentations, "filters": filters, "filtered": bool(audience or fmt)},
    )


def _presentation_or_404(slug: str):
    presentation = selectors.presentation_for_request(slug=slug)
    if presentation is None:
        raise Http404(_("No such presentation."))
    return presentation


@require_GET
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
    """
    presentation = _presentation_or_404(slug)
    if request.method == "GET":
        form = RequestForm(presentation=presentation)
        return render(request, "outreach/request_form.html", {"presentation": presentation, "form": form})

    form = RequestForm(request.POST, presentation=presentation)
    context = {"presentation": presentation, "form": form}
    step = request.POST.get("step", STEP_REVIEW)
    if form.is_spam:
        return render(request, "outreach/request_blocked.html", {"message": MSG_SPAM}, status=400)
    if not form.is_valid():
        return render(request, "outreach/request_form.html", context, status=400)
    if step == STEP_CHANGE:
        return render(request, "outreach/request_form.html", context)
    if step != STEP_CONFIRM:
        return render(request, "outreach/request_review.html", context)
    if submission_rate_limited(request):
        return render(request, "outreach/request_review.html", {**context, "blocked": MSG_RATE_LIMITED}, status=429)
    try:
        submitted = request_submit(
            presentation=presentation,
            windows=form.cleaned_data["windows"],
            requester_language=request.LANGUAGE_CODE,
            **form.request_fields(),
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return render(request, "outreach/request_form.html", context, status=400)
    return redirect("outreach:request_received", token=submitted.status_token)


def _request_or_404(token: str):
    found = selectors.request_by_token(token=token)
    if found is None:
        raise Http404(MSG_UNKNOWN_LINK)
    return found


def _status_request_or_404(token: str):
    """The request with what its status page shows (booking, whether a proposal waits)."""
    found = scheduling_selectors.request_for_requester(token=token)
    if found is None:
        raise Http404(MSG_UNKNOWN_LINK)
    return found


@never_cache
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
        "withdraw_form": WithdrawForm(),
        "accept_form": ProposalAcceptForm(),
        "decline_proposal_form": ProposalDeclineForm(),
        "cancel_form": RequesterCancelForm(),
        **overrides,
    }
    return render(request, "outreach/request_status.html", context, status=status)


@never_cache
@require_GET
def request_status(request: HttpRequest, token: str) -> HttpResponse:
    return _status_page(request, _status_request_or_404(token), token)


def _requester_act(
    request: HttpRequest, token: str, *, form_class, form_key: str, perform: Callable, success: str
) -> HttpResponse:
    """A requester's action from the status page: validate the form, call one service, answer.

    400 with the form's errors (service validation errors go next to the form's first field),
    409 with the message for a refused transition or a conflict, else back to the page.
    """
    found = _status_request_or_404(token)
    form = form_class(request.POST)
    if not form.is_valid():
        return _status_page(request, found, token, status=400, **{form_key: form})
    try:
        perform(found, form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(next(iter(form.fields)), message)
        return _status_page(request, found, token, status=400, **{form_key: form})
    except DomainError as exc:
        return _status_page(request, found, token, status=409, error=exc.message, **{form_key: form})
    messages.success(request, success)
    return redirect("outreach:request_status", token=token)


@never_cache
@require_POST
def request_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    return _requester_act(
        request,
        token,
        form_class=WithdrawForm,
        form_key="withdraw_form",
        perform=lambda found, data: withdraw(request=found, note=data["reason"]),
        success=MSG_WITHDRAWN,
    )


@never_cache
@require_POST
def proposal_accept(request: HttpRequest, token: str) -> HttpResponse:
    return _requester_act(
        request,
        token,
        form_class=ProposalAcceptForm,
        form_key="accept_form",
        perform=lambda found, data: review.proposal_accept(request=found, proposed_time_id=data["proposed_time"]),
        success=MSG_PROPOSAL_ACCEPTED,
    )


@never_cache
@require_POST
def proposal_decline(request: HttpRequest, token: str) -> HttpResponse:
    return _requester_act(
        request,
        token,
        form_class=ProposalDeclineForm,
        form_key="decline_proposal_form",
        perform=lambda found, data: review.proposal_decline(request=found, note=data["note"]),
        success=MSG_PROPOSAL_DECLINED,
    )


@never_cache
@require_POST
def booking_cancel(request: HttpRequest, token: str) -> HttpResponse:
    return _requester_act(
        request,
        token,
        form_class=RequesterCancelForm,
        form_key="cancel_form",
        perform=lambda found, data: review.booking_cancel(
            request=found, reason=data["reason"], by=None, actor="requester"
        ),
        success=MSG_CANCELLED,
    )
