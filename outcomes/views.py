"""Outcome pages: the host's evaluation, the audience survey with its QR code, and the staff's reach report.

The evaluation and the survey are public pages reached by a link: an unknown or malformed link
is a 404, bad input a 400 with the message next to the field, a second evaluation a 409 showing
the first, a closed survey a polite 410, too many survey answers from one address a 429.
"""

import csv
import logging
import re
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from common.access import staff_required
from common.languages import language_from_query
from outcomes import links as outcome_links
from outcomes import qr, selectors, services
from outcomes.forms import EvaluationForm, ReportRangeForm, SurveyForm
from outcomes.reports.county_map import county_map_svg, legend_rows
from outcomes.reports.exports import bookings_table
from outcomes.reports.periods import report_periods
from outcomes.reports.reach import ReachReport, reach_report
from outcomes.reports.stored import reach_figures
from outcomes.reports.tables import Table
from scheduling.models import Booking

logger = logging.getLogger(__name__)

MSG_EVALUATION_NOT_FOUND = _("This link does not lead to an evaluation. Check that you copied all of it.")
MSG_SURVEY_NOT_FOUND = _("This link does not lead to a survey. Check the address on the slide.")
MSG_EVALUATION_THANKS = _("Thank you! Your answers help us improve and report to the people who fund this work.")
MSG_SURVEY_RATE_LIMITED = _(
    "We have received many answers from your connection in a short time. Please try again in a little while."
)
MSG_SURVEY_ALREADY_ANSWERED = _("You have already answered this survey on this device. Thank you!")
MSG_NO_SUCH_TABLE = _("The report has no such table.")
SURVEY_RATE_GROUP = "audience-survey"
SURVEY_ANSWERED_COOKIE = "survey_answered"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


# --- The host evaluation ----------------------------------------------------------------------


def _evaluation_booking_or_404(token: str) -> Booking:
    booking = selectors.booking_for_evaluation(token=token)
    if booking is None:
        raise Http404(str(MSG_EVALUATION_NOT_FOUND))
    return booking


def _evaluation_page(request, booking, *, form=None, evaluation=None, notice: str = "", status: int = 200):
    context = {
        "booking": booking,
        "request_obj": booking.request,
        "form": form,
        "evaluation": evaluation,
        "notice": notice,
    }
    return render(request, "outcomes/evaluation.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def evaluation(request: HttpRequest, token: str) -> HttpResponse:
    booking = _evaluation_booking_or_404(token)
    given = selectors.evaluation_of(booking)
    if request.method == "GET":
        if given is not None:
            return _evaluation_page(request, booking, evaluation=given)
        return _evaluation_page(request, booking, form=EvaluationForm(attendance=booking.actual_attendance))

    if given is not None:
        return _evaluation_page(
            request, booking, evaluation=given, notice=str(services.MSG_ALREADY_ANSWERED), status=409
        )
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        return _evaluation_page(request, booking, form=form, status=400)
    try:
        services.evaluation_submit(booking=booking, **form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _evaluation_page(request, booking, form=form, status=400)
    except services.EvaluationAlreadyGiven as exc:
        return _evaluation_page(request, booking, evaluation=exc.evaluation, notice=exc.message, status=409)
    messages.success(request, MSG_EVALUATION_THANKS)
    return redirect("outcomes:evaluation", token=token)


# --- The audience survey ----------------------------------------------------------------------


def _survey_booking_or_404(code: str) -> Booking:
    booking = selectors.booking_for_survey(code=code)
    if booking is None:
        raise Http404(str(MSG_SURVEY_NOT_FOUND))
    return booking


def _survey_page(
    request, booking, code: str, *, form=None, state=None, blocked: str = "", answered: str = "", status: int = 200
):
    context = {
        "answered": answered,
        "booking": booking,
        "presentation": booking.request.presentation,
        "form": form,
        "state": state,
        "closed_message": services.SurveyClosed(state).message if state and state != selectors.SurveyState.OPEN else "",
        "blocked": blocked,
        "code": code,
    }
    return render(request, "outcomes/survey.html", context, status=status)


def _closed_status(state: selectors.SurveyState) -> int:
    return 410 if state == selectors.SurveyState.CLOSED else 200


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, code: str) -> HttpResponse:
    booking = _survey_booking_or_404(code)
    state = selectors.survey_state(booking=booking)
    if state != selectors.SurveyState.OPEN:
        return _survey_page(request, booking, code, state=state, status=_closed_status(state))
    if survey_answered_here(request, booking=booking):
        answered = str(MSG_SURVEY_ALREADY_ANSWERED)
        return _survey_page(
            request, booking, code, state=state, answered=answered, status=200 if request.method == "GET" else 409
        )
    if request.method == "GET":
        return _survey_page(request, booking, code, form=SurveyForm(), state=state)

    form = SurveyForm(request.POST)
    if not form.is_valid():
        return _survey_page(request, booking, code, form=form, state=state, status=400)
    if survey_rate_limited(request, booking=booking):
        return _survey_page(
            request, booking, code, form=form, state=state, blocked=str(MSG_SURVEY_RATE_LIMITED), status=429
        )
    try:
        services.survey_submit(booking=booking, **form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _survey_page(request, booking, code, form=form, state=state, status=400)
    except services.SurveyClosed as exc:
        return _survey_page(request, booking, code, state=exc.state, status=_closed_status(exc.state))
    response = redirect("outcomes:survey_thanks", code=code)
    survey_answered_remember(response, booking=booking)
    return response


def _answered_cookie(booking: Booking) -> str:
    return f"{SURVEY_ANSWERED_COOKIE}_{booking.pk}"


def survey_answered_here(request: HttpRequest, *, booking: Booking) -> bool:
    """Whether this browser has answered the booking's survey (its cookie), whatever its address."""
    return request.COOKIES.get(_answered_cookie(booking)) == "1"


def survey_answered_remember(response: HttpResponse, *, booking: Booking) -> None:
    """One answer per browser and survey: a cookie for /survey/ that says only that this one was
    answered, kept until a little after the survey closes. It holds nothing about the person."""
    response.set_cookie(
        _answered_cookie(booking),
        "1",
        max_age=(settings.SURVEY_OPEN_DAYS + 2) * 24 * 60 * 60,
        path="/survey/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def survey_rate_limited(request: HttpRequest, *, booking: Booking) -> bool:
    """Count one answer from this client address to this survey; True once it is over SURVEY_RATE_LIMIT.

    Counted by booking, whichever code was used (and no code goes into a cache key)."""
    return is_ratelimited(
        request,
        group=f"{SURVEY_RATE_GROUP}:{booking.pk}",
        key="ip",
        rate=settings.SURVEY_RATE_LIMIT,
        method="POST",
        increment=True,
    )


@require_GET
def survey_thanks(request: HttpRequest, code: str) -> HttpResponse:
    booking = _survey_booking_or_404(code)
    return render(request, "outcomes/survey_thanks.html", {"presentation": booking.request.presentation})


@cache_control(public=True, max_age=86400)
@require_GET
def survey_qr(request: HttpRequest, code: str) -> HttpResponse:
    """The survey link as a QR code (SVG), for the last slide; ?download=1 saves it as a file.

    ``?lang=`` chooses the language the survey opens in (by default the presentation's)."""
    booking = _survey_booking_or_404(code)
    language = language_from_query(request) or outcome_links.survey_language(booking=booking)
    url = outcome_links.survey_url(booking=booking, code=code, language=language)
    svg = qr.survey_qr_svg(url=url, title=str(_("QR code for the audience survey: %(url)s") % {"url": url}))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="survey-qr-code-{language}.svg"'
    return response


# --- The reach report (staff) -----------------------------------------------------------------


def _report_range(request: HttpRequest) -> tuple[ReportRangeForm, date | None, date | None]:
    """The range asked for; without one, the default period (this quarter)."""
    default = report_periods()[0]
    if "start" not in request.GET and "end" not in request.GET:
        form = ReportRangeForm(initial={"start": default.start, "end": default.end})
        return form, default.start, default.end
    form = ReportRangeForm(request.GET)
    if not form.is_valid():
        return form, None, None
    return form, form.cleaned_data["start"], form.cleaned_data["end"]


def _range_query(start: date, end: date) -> str:
    return f"start={start.isoformat()}&end={end.isoformat()}"


@never_cache
@require_GET
@staff_required
def report(request: HttpRequest) -> HttpResponse:
    form, start, end = _report_range(request)
    periods = report_periods()
    context = {"form": form, "periods": periods, "report": None}
    if start is None:
        return render(request, "outcomes/report.html", context, status=400)
    result = reach_figures(start=start, end=end)
    context.update(
        {
            "report": result,
            "start": start,
            "end": end,
            "query": _range_query(start, end),
            "current_period": next((p.key for p in periods if (p.start, p.end) == (start, end)), ""),
            "map_svg": _map_svg(result),
            "legend": legend_rows(result.county_people),
            "chart_data": {
                "labels": [m.label for m in result.months],
                "presentations": [m.presentations for m in result.months],
                "counted": [m.counted for m in result.months],
                "estimated": [m.estimated for m in result.months],
            },
            "reach_tables": [
                result.tables[key]
                for key in ("counties", "organization_types", "audiences", "presentations", "presenters")
            ],
            "outcome_tables": [
                result.tables[key]
                for key in ("evaluations", "next_steps", "survey", "survey_by_presentation", "requests")
            ],
        }
    )
    return render(request, "outcomes/report.html", context)


def _map_svg(result: ReachReport):
    return county_map_svg(
        people=result.county_people,
        presentations=result.county_presentations,
        title=str(
            _("People reached by county, %(start)s to %(end)s")
            % {"start": result.start.strftime("%b %-d, %Y"), "end": result.end.strftime("%b %-d, %Y")}
        ),
        description=str(
            _(
                "Map of Minnesota's 87 counties, each shaded by the number of people reached there; darker is "
                "more. %(counties)s counties reached. Presentations outside Minnesota are not on the map. "
                "The table 'By county' gives the same numbers."
            )
            % {"counties": result.counties_reached}
        ),
    )


@never_cache
@require_GET
@staff_required
def report_map(request: HttpRequest) -> HttpResponse:
    """The map alone, as an SVG file for a funder's report or a slide."""
    form, start, end = _report_range(request)
    if start is None:
        return HttpResponse(_error_text(form), status=400, content_type="text/plain; charset=utf-8")
    svg = _map_svg(reach_figures(start=start, end=end))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reach-map-{start}-to-{end}.svg"'
    return response


def _error_text(form: ReportRangeForm) -> str:
    return "\n".join(f"{label}: {message}" if label else message for _id, label, message in form.error_summary())


_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?%?$")


def csv_cell(value) -> str:
    """A value as CSV text; text a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if value is None:
        return ""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.match(text):
        return "'" + text
    return text


def write_csv(table: Table, response: HttpResponse) -> None:
    writer = csv.writer(response)
    writer.writerow(table.columns)
    for row in table.all_rows():
        writer.writerow([csv_cell(value) for value in row])


@never_cache
@require_GET
@staff_required
def report_csv(request: HttpRequest, table: str) -> HttpResponse:
    """One table of the report as CSV; ``bookings`` lists the presentations counted, with the
    requesters' contact details only when ``contacts`` is ticked."""
    form, start, end = _report_range(request)
    if start is None:
        return HttpResponse(_error_text(form), status=400, content_type="text/plain; charset=utf-8")
    if table == "bookings":
        # One row per presentation, with the requesters' details: read afresh, never stored.
        include_contacts = form.is_bound and form.cleaned_data["contacts"]
        chosen = bookings_table(report=reach_report(start=start, end=end), include_contacts=include_contacts)
        if include_contacts:
            logger.info("User %s exported requester contact details (%s to %s)", request.user.pk, start, end)
    else:
        chosen = reach_figures(start=start, end=end).tables.get(table)
        if chosen is None:
            raise Http404(str(MSG_NO_SUCH_TABLE))
    response = HttpResponse(content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="reach-{table}-{start}-to-{end}.csv"'
    response.write("\ufeff")  # a byte-order mark, so that spreadsheet programs read UTF-8
    write_csv(chosen, response)
    return response
