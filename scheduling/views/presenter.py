"""A presenter's own pages (/my/...): where signing in leads, their upcoming schedule, each booking
with their answer (confirm, or decline with a reason), and their availability (time off, regular
weekly hours, how many talks a month they take).

Each form POSTs to its own URL and calls one service function. A ValidationError re-renders the
page with the errors next to the fields (400).
"""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from outcomes.links import survey_code_issue
from outreach.enums import RequestStatus
from scheduling import selectors
from scheduling.forms.presenter import DeclineAssignmentForm, TimeOffForm, WeeklyHoursForm
from scheduling.models import Blackout, Booking, Presenter
from scheduling.services import assignment, presenter_availability

MSG_TIME_OFF_ADDED = _("Your time off is saved. Staff will not suggest you for talks then.")
MSG_TIME_OFF_REMOVED = _("That time off is removed.")
MSG_HOURS_SAVED = _("Your weekly hours and monthly limit are saved.")
MSG_NO_SUCH_TIME_OFF = _("You have no time off with this number.")
MSG_NO_SUCH_BOOKING = _("You are not presenting a talk with this number.")
MSG_CONFIRMED = _("Thank you: you confirmed this presentation.")
MSG_DECLINED = _("You declined this presentation. Staff have been told and will find someone else.")


def presenter_required(view: Callable) -> Callable:
    """Signed in and linked to an active presenter (passed to the view as ``presenter``), else 403."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        presenter = selectors.presenter_for_user(user=request.user)
        if presenter is None:
            return render(request, "scheduling/presenter/not_a_presenter.html", status=403)
        return view(request, presenter, *args, **kwargs)

    return wrapped


def _with_answer(booking: Booking) -> Booking:
    """Set ``my_answer`` (the presenter's answer to the booking as it is now, or None) and
    ``asked_again`` (they answered before staff changed it) from the prefetched ``my_answers``."""
    row = booking.my_answers[0] if booking.my_answers else None
    booking.my_answer = row if row is not None and row.counts_for(booking) else None
    booking.asked_again = row is not None and booking.my_answer is None
    return booking


def _schedule_page(request: HttpRequest, *, survey: dict | None = None) -> HttpResponse:
    presenter = selectors.presenter_for_user(user=request.user)
    if presenter is None:
        return render(request, "scheduling/presenter/not_a_presenter.html", status=403)
    bookings = [_with_answer(booking) for booking in selectors.bookings_for_presenter(presenter=presenter)]
    if survey is not None and not any(booking.pk == survey["booking_id"] for booking in bookings):
        raise Http404
    context = {"presenter": presenter, "bookings": bookings, "survey": survey}
    return render(request, "scheduling/presenter/schedule.html", context)


@never_cache
@require_GET
@presenter_required
def my_schedule(request: HttpRequest, presenter: Presenter) -> HttpResponse:
    """The signed-in presenter's upcoming bookings with everything needed to get there and present."""
    return _schedule_page(request)


@never_cache
@require_POST
@login_required
def survey_code_make(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a new audience-survey code for one of the presenter's bookings and show it with its QR
    code, on this answer only (it is stored only as a hash). Earlier codes keep working."""
    presenter = selectors.presenter_for_user(user=request.user)
    booking = selectors.bookings_for_presenter(presenter=presenter).filter(pk=pk).first() if presenter else None
    if booking is None:
        raise Http404
    return _schedule_page(request, survey={"booking_id": booking.pk, "code": survey_code_issue(booking=booking)})


# --- One booking, and the presenter's answer ------------------------------------------------------


def _booking_or_404(presenter: Presenter, pk: int) -> Booking:
    booking = selectors.booking_for_presenter(presenter=presenter, pk=pk)
    if booking is None:
        raise Http404(MSG_NO_SUCH_BOOKING)
    return _with_answer(booking)


def _booking_page(
    request: HttpRequest,
    presenter: Presenter,
    booking: Booking,
    *,
    form: DeclineAssignmentForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "presenter": presenter,
        "booking": booking,
        "decline_form": form or DeclineAssignmentForm(prefix="decline"),
        "error": error,
        "may_answer": booking.is_active
        and booking.request.status == RequestStatus.SCHEDULED
        and booking.end > timezone.now(),
    }
    return render(request, "scheduling/presenter/booking.html", context, status=status)


@never_cache
@require_GET
@presenter_required
def my_booking(request: HttpRequest, presenter: Presenter, pk: int) -> HttpResponse:
    """One of the presenter's bookings (the link in their calendar feed): the details and their answer."""
    return _booking_page(request, presenter, _booking_or_404(presenter, pk))


@require_POST
@presenter_required
def booking_confirm(request: HttpRequest, presenter: Presenter, pk: int) -> HttpResponse:
    booking = _booking_or_404(presenter, pk)
    try:
        assignment.assignment_confirm(booking=booking, presenter=presenter, by=request.user)
    except assignment.AssignmentClosed as exc:
        return _booking_page(request, presenter, booking, error=exc.message, status=409)
    messages.success(request, MSG_CONFIRMED)
    return redirect("presenter:booking", pk=booking.pk)


@require_POST
@presenter_required
def booking_decline(request: HttpRequest, presenter: Presenter, pk: int) -> HttpResponse:
    booking = _booking_or_404(presenter, pk)
    form = DeclineAssignmentForm(request.POST, prefix="decline")
    if not form.is_valid():
        return _booking_page(request, presenter, booking, form=form, status=400)
    try:
        assignment.assignment_decline(booking=booking, presenter=presenter, by=request.user, **form.service_arguments())
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _booking_page(request, presenter, booking, form=form, status=400)
    except assignment.AssignmentClosed as exc:
        return _booking_page(request, presenter, booking, form=form, error=exc.message, status=409)
    messages.success(request, MSG_DECLINED)
    return redirect("presenter:booking", pk=booking.pk)


@require_GET
@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Where signing in leads without a ``next``: staff to the queue, presenters to their schedule."""
    if request.user.is_staff:
        return redirect("staff:queue")
    if selectors.presenter_for_user(user=request.user) is not None:
        return redirect("presenter:schedule")
    return redirect("outreach:home")


# --- Availability -------------------------------------------------------------------------------


def _period(blackout: Blackout) -> str:
    """A time-off period as the presenter reads it: whole days when it runs midnight to midnight."""
    start, end = timezone.localtime(blackout.start), timezone.localtime(blackout.end)
    if start.time() == end.time() == start.time().min:
        last = end.date() - timedelta(days=1)
        first_text, last_text = date_format(start.date(), "D, M j, Y"), date_format(last, "D, M j, Y")
        return first_text if first_text == last_text else f"{first_text} – {last_text}"
    return f"{date_format(start, 'D, M j, Y, g:i A')} – {date_format(end, 'D, M j, Y, g:i A')}"


def _availability_page(
    request: HttpRequest,
    presenter: Presenter,
    *,
    time_off_form: TimeOffForm | None = None,
    hours_form: WeeklyHoursForm | None = None,
    status: int = 200,
) -> HttpResponse:
    periods = [(blackout, _period(blackout)) for blackout in selectors.time_off_for_presenter(presenter=presenter)]
    context = {
        "presenter": presenter,
        "own_time_off": [(b, label) for b, label in periods if not b.is_closure],
        "closures": [(b, label) for b, label in periods if b.is_closure],
        "time_off_form": time_off_form or TimeOffForm(prefix="time_off"),
        "hours_form": hours_form or WeeklyHoursForm(prefix="hours", presenter=presenter),
        "posted": "time_off" if time_off_form is not None else "hours" if hours_form is not None else "",
        "time_zone": settings.TIME_ZONE,
    }
    return render(request, "scheduling/presenter/availability.html", context, status=status)


@never_cache
@require_GET
@presenter_required
def my_availability(request: HttpRequest, presenter: Presenter) -> HttpResponse:
    return _availability_page(request, presenter)


@require_POST
@presenter_required
def time_off_add(request: HttpRequest, presenter: Presenter) -> HttpResponse:
    form = TimeOffForm(request.POST, prefix="time_off")
    if not form.is_valid():
        return _availability_page(request, presenter, time_off_form=form, status=400)
    try:
        presenter_availability.presenter_time_off_add(presenter=presenter, **form.service_arguments())
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _availability_page(request, presenter, time_off_form=form, status=400)
    messages.success(request, MSG_TIME_OFF_ADDED)
    return redirect("presenter:availability")


@require_POST
@presenter_required
def time_off_remove(request: HttpRequest, presenter: Presenter, pk: int) -> HttpResponse:
    if not presenter_availability.presenter_time_off_remove(presenter=presenter, blackout_id=pk):
        raise Http404(MSG_NO_SUCH_TIME_OFF)
    messages.success(request, MSG_TIME_OFF_REMOVED)
    return redirect("presenter:availability")


@require_POST
@presenter_required
def weekly_hours_set(request: HttpRequest, presenter: Presenter) -> HttpResponse:
    form = WeeklyHoursForm(request.POST, prefix="hours", presenter=presenter)
    if not form.is_valid():
        return _availability_page(request, presenter, hours_form=form, status=400)
    try:
        presenter_availability.presenter_availability_set(presenter=presenter, **form.service_arguments())
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _availability_page(request, presenter, hours_form=form, status=400)
    messages.success(request, MSG_HOURS_SAVED)
    return redirect("presenter:availability")
