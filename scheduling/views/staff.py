"""Staff pages: the queue, each request's page with its actions, the calendar and the presenters.

Every action POSTs to its own URL and calls exactly one service function. A ValidationError
re-renders the request page with the errors next to the fields (400); a refused transition or a
booking conflict re-renders it with the message on top (409). Nothing a visitor sends causes a 500.
"""

from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.access import staff_required
from common.exceptions import DomainError
from outreach.enums import CLOSED_STATUSES, RequestStatus
from outreach.models import PresentationRequest
from outreach.services import request_details_may_change, request_details_update
from scheduling import selectors
from scheduling.forms.actions import (
    ApproveForm,
    CancelForm,
    CompleteForm,
    DeclineForm,
    EraseForm,
    ProposeForm,
    RescheduleForm,
)
from scheduling.forms.details import StaffDetailsForm
from scheduling.forms.filters import QueueFilterForm, parse_calendar_bound
from scheduling.models import Answer, Booking, ProposalState
from scheduling.services import delivery, retention, review
from scheduling.services.availability import presenter_fits
from scheduling.services.status_link import status_link_renew

MSG_APPROVED = _("Approved: the presentation is scheduled and the invitations are on their way.")
MSG_PROPOSED = _("The proposed times were sent to the requester.")
MSG_DECLINED = _("The request was declined and the requester told why.")
MSG_RESCHEDULED = _("The booking was changed; the requester and presenters get the update.")
MSG_CANCELLED = _("The presentation was cancelled; the requester and presenters are told.")
MSG_COMPLETED = _("The presentation is marked completed.")
MSG_RESENT = _("The notification is queued to be sent again.")
MSG_DETAILS_SAVED = _("The details are saved.")
MSG_STATUS_LINK_RENEWED = _("The requester's old status links no longer work; a new one is on its way to them.")
MSG_ERASED = _("The requester's personal details are erased; what the reports count is kept.")
MSG_CALENDAR_RANGE = _("Give start and end as ISO 8601 dates, with end after start and at most 100 days apart.")
MSG_TENTATIVE = _("Tentative: %(title)s")
MSG_MORE_TENTATIVE = _("+%(count)s more tentative: open the queue for this day")
MSG_MORE_BOOKINGS = _("More presentations than the calendar shows at once: choose a shorter range")

QUEUE_PAGE_SIZE = 100
FAILED_NOTIFICATIONS_SHOWN = 50
CALENDAR_MAX_DAYS = 100
# What one answer of events.json holds at most (staff calendar views span 7 to 42 days).
CALENDAR_BOOKINGS_MAX = 500
CALENDAR_TENTATIVE_PER_DAY = 4
SUGGESTIONS_PER_WINDOW = 8


# --- The queue --------------------------------------------------------------------------------


@require_GET
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    filters = QueueFilterForm(request.GET or None)
    ids = selectors.request_ids_for_queue(**filters.selector_filters())
    page = Paginator(ids, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    failed = list(selectors.notifications_failed_for_staff()[: FAILED_NOTIFICATIONS_SHOWN + 1])
    return render(
        request,
        "scheduling/staff/queue.html",
        {
            "page": page,
            "requests": selectors.requests_for_queue_page(ids=list(page.object_list)),
            "declined_by_presenters": selectors.requests_with_declined_presenters(),
            "filters": filters,
            "stale_before": selectors.stale_cutoff(),
            "stale_days": settings.STALE_REQUEST_DAYS,
            "failed_notifications": failed[:FAILED_NOTIFICATIONS_SHOWN],
            "more_failed": len(failed) > FAILED_NOTIFICATIONS_SHOWN,
        },
    )


# --- One request ------------------------------------------------------------------------------


def _request_or_404(pk: int) -> PresentationRequest:
    found = selectors.request_for_staff(pk=pk)
    if found is None:
        raise Http404(_("There is no request with this number."))
    return found


def _suggestions(found: PresentationRequest) -> list[tuple]:
    """(window, suggested presenters, the others with why) for each window; None for both once it has passed.

    Suggested: free, qualified, within their weekly hours and under their monthly limit, least
    booked that month first (at most SUGGESTIONS_PER_WINDOW); the others by name."""
    now = timezone.now()
    rows = []
    for window in found.windows.all():
        if window.start <= now:
            rows.append((window, None, None))
            continue
        fits = presenter_fits(request=found, start=window.start, end=window.end)
        suggested = [fit for fit in fits if fit.suggested]
        rows.append((window, suggested[:SUGGESTIONS_PER_WINDOW], [fit for fit in fits if not fit.suggested]))
    return rows


def _answers(booking: Booking) -> list[tuple]:
    """(presenter, their answer to the booking as it is now or None) for each presenter, lead first."""
    latest = {answer.presenter_id: answer for answer in booking.answers.all()}
    current = {pk: answer for pk, answer in latest.items() if answer.counts_for(booking)}
    return [(presenter, current.get(presenter.pk)) for presenter in booking.presenters()]


def _replacements(found: PresentationRequest, booking: Booking) -> list:
    """Suggested presenters (``presenter_fits``) not on the booking, free at its time: who could take over."""
    on_booking = {p.pk for p in booking.presenters()}
    fits = presenter_fits(request=found, start=booking.start, end=booking.end, exclude_booking=booking)
    return [fit for fit in fits if fit.suggested and fit.presenter.pk not in on_booking][:SUGGESTIONS_PER_WINDOW]


def _detail(
    request: HttpRequest,
    found: PresentationRequest,
    booking: Booking | None,
    *,
    form=None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The request page; ``form`` is a posted action form to show again with what was typed."""
    forms = {}
    if found.status == RequestStatus.SUBMITTED:
        forms = {
            "approve": ApproveForm(request_obj=found),
            "propose": ProposeForm(request_obj=found),
            "decline": DeclineForm(request_obj=found),
        }
    elif found.status == RequestStatus.SCHEDULED and booking is not None:
        forms = {
            "reschedule": RescheduleForm(request_obj=found, booking=booking),
            "cancel": CancelForm(request_obj=found, booking=booking),
        }
        if booking.end <= timezone.now():
            forms["complete"] = CompleteForm(request_obj=found, booking=booking)
    if request_details_may_change(found, by=request.user):
        forms["details"] = StaffDetailsForm(request_obj=found, booking=booking)
    if form is not None and form.prefix in forms:
        forms[form.prefix] = form
    proposals = list(found.proposals.all())
    answers = _answers(booking) if booking is not None else []
    declined = [(presenter, answer) for presenter, answer in answers if answer and answer.answer == Answer.DECLINED]
    context = {
        "answers": answers,
        "declined": declined,
        "replacements": _replacements(found, booking) if declined and "reschedule" in forms else [],
        "request_obj": found,
        "booking": booking,
        "forms": forms,
        "posted": form.prefix if form is not None else "",
        "error": error,
        "open_proposal": next((p for p in proposals if p.state == ProposalState.OPEN), None),
        "past_proposals": [p for p in proposals if p.state != ProposalState.OPEN],
        "suggestions": _suggestions(found) if found.status == RequestStatus.SUBMITTED else [],
        "may_complete_after": booking.end if booking is not None and "complete" not in forms else None,
        "closed": found.status in CLOSED_STATUSES,
        "retention_days": settings.RETENTION_DAYS,
    }
    return render(request, "scheduling/staff/request_detail.html", context, status=status)


@require_GET
@staff_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = _request_or_404(pk)
    return _detail(request, found, selectors.booking_for_request(request=found))


def _action(form_class, service: Callable, success: str) -> Callable:
    """The view of one lifecycle action: validate the posted form, call ``service`` with what it
    gives (the one service function of the action) and answer."""

    @require_POST
    @staff_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        found = _request_or_404(pk)
        booking = selectors.booking_for_request(request=found)
        form = form_class(request.POST, request_obj=found, booking=booking)
        if not form.is_valid():
            return _detail(request, found, booking, form=form, status=400)
        try:
            service(request=found, by=request.user, **form.service_arguments())
        except ValidationError as exc:
            form.add_service_errors(exc)
            return _detail(request, found, booking, form=form, status=400)
        except DomainError as exc:
            return _detail(request, found, booking, form=form, error=exc.message, status=409)
        messages.success(request, success)
        return redirect(found.get_staff_url())

    return view


request_approve = _action(ApproveForm, review.request_approve, MSG_APPROVED)
request_propose = _action(ProposeForm, review.request_propose, MSG_PROPOSED)
request_decline = _action(DeclineForm, review.request_decline, MSG_DECLINED)
booking_reschedule = _action(RescheduleForm, review.booking_reschedule, MSG_RESCHEDULED)
booking_cancel = _action(CancelForm, review.booking_cancel, MSG_CANCELLED)
booking_complete = _action(CompleteForm, review.booking_complete, MSG_COMPLETED)
request_details_edit = _action(StaffDetailsForm, request_details_update, MSG_DETAILS_SAVED)


@require_POST
@staff_required
def notification_resend(request: HttpRequest, pk: int, notification_pk: int) -> HttpResponse:
    found = _request_or_404(pk)
    notification = next((n for n in found.notifications.all() if n.pk == notification_pk), None)
    if notification is None:
        raise Http404(_("This request has no such notification."))
    try:
        delivery.notification_resend(notification=notification)
    except delivery.NotificationNotFailed as exc:
        return _detail(request, found, selectors.booking_for_request(request=found), error=exc.message, status=409)
    messages.success(request, MSG_RESENT)
    return redirect(found.get_staff_url())


@require_POST
@staff_required
def status_link_renew_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke the requester's status links and email them a new one."""
    found = _request_or_404(pk)
    try:
        status_link_renew(request=found, by=request.user)
    except DomainError as exc:
        return _detail(request, found, selectors.booking_for_request(request=found), error=exc.message, status=409)
    messages.success(request, MSG_STATUS_LINK_RENEWED)
    return redirect(found.get_staff_url())


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def request_erase_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what erasing keeps and what it empties, and the button to confirm. POST: erase."""
    found = _request_or_404(pk)
    form = EraseForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(
            request, "scheduling/staff/request_erase.html", {"request_obj": found, "form": form}, status=status
        )
    try:
        retention.request_erase(request=found, by=request.user, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        context = {"request_obj": found, "form": form, "error": exc.message}
        return render(request, "scheduling/staff/request_erase.html", context, status=409)
    messages.success(request, MSG_ERASED)
    return redirect(found.get_staff_url())


# --- The calendar -----------------------------------------------------------------------------


@require_GET
@staff_required
def calendar(request: HttpRequest) -> HttpResponse:
    return render(request, "scheduling/staff/calendar.html", {"time_zone": settings.TIME_ZONE})


def _wall_time(moment) -> str:
    """FullCalendar runs with the site's named time zone and no plugin: it reads times without offsets."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S")


_PK_MARK = 987654321  # a number no URL otherwise holds: reverse() once, then put each pk in its place


def _request_urls() -> Callable[[int], str]:
    """The staff page of a request by its pk, for the hundreds of events of one answer (one reverse())."""
    head, tail = reverse("staff:request_detail", args=[_PK_MARK]).split(str(_PK_MARK))
    return lambda pk: f"{head}{pk}{tail}"


def _booking_event(booking: Booking, request_url: Callable[[int], str]) -> dict:
    req = booking.request
    return {
        "id": f"booking-{booking.pk}",
        "title": f"{req.reference} {req.organization_label}: {req.presentation.title}",
        "start": _wall_time(booking.start),
        "end": _wall_time(booking.end),
        "url": request_url(req.pk),
        "classNames": ["event-booking", f"event-{req.status}"],
        "extendedProps": {
            "status": req.status,
            "presenters": [p.name for p in booking.presenters()],
            "format": booking.format,
        },
    }


def _more_event(*, event_id: str, day: date, title: str, status: str, count: int | None) -> dict:
    """An all-day marker for what the calendar leaves out on ``day``: it opens the queue for that day."""
    query = urlencode({"status": status, "date_from": day.isoformat(), "date_to": day.isoformat()})
    return {
        "id": event_id,
        "title": title,
        "start": day.isoformat(),
        "allDay": True,
        "url": f"{reverse('staff:queue')}?{query}",
        "classNames": ["event-more", "event-tentative" if status == RequestStatus.SUBMITTED else "event-booking"],
        "extendedProps": {"status": "more", "count": count},
    }


@never_cache
@require_GET
@staff_required
def calendar_events(request: HttpRequest) -> JsonResponse:
    """Bookings and tentative times between ``start`` and ``end``, as FullCalendar event objects.

    The answer is bounded whatever the data: at most CALENDAR_BOOKINGS_MAX bookings (then one
    marker on the day of the first left out), and on each day at most CALENDAR_TENTATIVE_PER_DAY
    tentative times, earliest first, then one all-day marker with how many more wait that day.
    Each marker links to the queue filtered to its day.
    """
    start = parse_calendar_bound(request.GET.get("start"))
    end = parse_calendar_bound(request.GET.get("end"))
    if start is None or end is None or end <= start or end - start > timedelta(days=CALENDAR_MAX_DAYS):
        return JsonResponse({"error": str(MSG_CALENDAR_RANGE)}, status=400)
    bookings = list(selectors.bookings_for_staff_calendar(start=start, end=end)[: CALENDAR_BOOKINGS_MAX + 1])
    request_url = _request_urls()
    events = [_booking_event(booking, request_url) for booking in bookings[:CALENDAR_BOOKINGS_MAX]]
    if len(bookings) > CALENDAR_BOOKINGS_MAX:
        events.append(
            _more_event(
                event_id="more-bookings",
                day=timezone.localdate(bookings[-1].start),
                title=str(MSG_MORE_BOOKINGS),
                status=RequestStatus.SCHEDULED,
                count=None,
            )
        )
    for day in selectors.tentative_days_for_calendar(start=start, end=end, per_day=CALENDAR_TENTATIVE_PER_DAY):
        for event_id, req, event_start, event_end in day.shown:
            title = f"{req.reference} {req.organization_name}: {req.presentation.title}"
            events.append(
                {
                    "id": event_id,
                    "title": str(MSG_TENTATIVE % {"title": title}),
                    "start": _wall_time(event_start),
                    "end": _wall_time(event_end),
                    "url": request_url(req.pk),
                    "classNames": ["event-tentative"],
                    "extendedProps": {"status": "tentative"},
                }
            )
        if day.total > len(day.shown):
            hidden = day.total - len(day.shown)
            events.append(
                _more_event(
                    event_id=f"more-{day.day.isoformat()}",
                    day=day.day,
                    title=str(MSG_MORE_TENTATIVE % {"count": hidden}),
                    status=RequestStatus.SUBMITTED,
                    count=hidden,
                )
            )
    return JsonResponse(events, safe=False)


# --- Presenters -------------------------------------------------------------------------------


@require_GET
@staff_required
def presenter_list(request: HttpRequest) -> HttpResponse:
    return render(request, "scheduling/staff/presenter_list.html", {"presenters": selectors.presenters_for_staff()})
