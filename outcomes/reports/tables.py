"""The tables of a reach report (as shown and as downloaded) and the evaluation and survey tables."""

import statistics
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outcomes.models import NextStep, WouldRequestAgain
from scheduling.models import Booking

COL_ORGANIZATIONS = _("Organizations")
COL_MEASURE = _("Measure")
COL_VALUE = _("Value")
ROW_TOTAL = _("Total")
MSG_MORE_ANSWERS_THAN_PEOPLE = _("More answers than people reached")


@dataclass
class Table:
    """One table of the report, as shown on the page and written to its CSV file."""

    key: str
    title: str
    columns: list[str]
    rows: list[list]
    total: list | None = None
    note: str = ""

    def all_rows(self) -> list[list]:
        return [*self.rows, self.total] if self.total is not None and self.rows else list(self.rows)


def _average(values: list[int]) -> str | None:
    return f"{statistics.fmean(values):.1f}" if values else None


def _share(part: int, whole: int) -> str | None:
    return f"{round(100 * part / whole)}%" if whole else None


def evaluation_tables(lines: list) -> list[Table]:
    """The host evaluations, their next steps and the audience survey, for the report's presentations
    (``BookingLine``s, with their survey answers summed)."""
    evaluations = [line.booking.evaluation for line in lines if has_evaluation(line.booking)]
    again = Counter(e.would_request_again for e in evaluations)
    host = Table(
        "evaluations",
        str(_("Host evaluations")),
        [str(COL_MEASURE), str(COL_VALUE)],
        [
            [str(_("Presentations delivered")), len(lines)],
            [str(_("Evaluations returned")), len(evaluations)],
            [str(_("Response rate")), _share(len(evaluations), len(lines))],
            [str(_("Average overall rating (1 to 5)")), _average([e.rating for e in evaluations])],
            [str(_("Average usefulness for the audience (1 to 5)")), _average([e.usefulness for e in evaluations])],
            *[
                [str(_("Would request again: %(answer)s") % {"answer": label}), again[value]]
                for value, label in WouldRequestAgain.choices
            ],
            [
                str(_("People attending, as confirmed by the hosts who answered")),
                sum(e.confirmed_attendance for e in evaluations),
            ],
        ],
    )
    steps = Counter(e.next_step for e in evaluations)
    next_steps = Table(
        "next_steps",
        str(_("What host organizations will do next")),
        [str(_("Next step")), str(COL_ORGANIZATIONS)],
        [[str(label), steps[value]] for value, label in NextStep.choices],
        total=[str(ROW_TOTAL), len(evaluations)],
    )
    responses = sum(line.survey_responses for line in lines)
    before = sum(line.survey_before_sum for line in lines)
    after = sum(line.survey_after_sum for line in lines)
    knows = sum(line.survey_knows_help for line in lines)
    not_sure = sum(line.survey_not_sure for line in lines)
    survey = Table(
        "survey",
        str(_("Audience survey")),
        [str(COL_MEASURE), str(COL_VALUE)],
        [
            [str(_("Answers")), responses],
            [str(_("Presentations with answers")), sum(1 for line in lines if line.survey_responses)],
            [str(_("Average understanding before (1 to 5)")), f"{before / responses:.1f}" if responses else None],
            [str(_("Average understanding after (1 to 5)")), f"{after / responses:.1f}" if responses else None],
            [str(_("Average change in understanding")), f"{(after - before) / responses:+.1f}" if responses else None],
            [str(_("Know where to get help: yes")), knows],
            [str(_("Know where to get help: not sure")), not_sure],
            [str(_("Know where to get help: no")), responses - knows - not_sure],
            [str(_("Share who know where to get help")), _share(knows, responses)],
        ],
    )
    return [host, next_steps, survey, survey_by_presentation(lines)]


def survey_by_presentation(lines: list) -> Table:
    """Survey answers per presentation next to the people it reached, so that a survey answered
    many times over (more answers than people, or far more than the others) stands out."""
    rows = []
    for line in lines:
        if not line.survey_responses:
            continue
        suspicious = line.survey_responses > line.people
        rows.append(
            [
                line.request.reference,
                timezone.localtime(line.booking.start).date().isoformat(),
                line.request.presentation.title,
                line.people,
                line.survey_responses,
                _share(line.survey_responses, line.people),
                str(MSG_MORE_ANSWERS_THAN_PEOPLE) if suspicious else None,
            ]
        )
    return Table(
        "survey_by_presentation",
        str(_("Audience survey answers per presentation")),
        [
            str(_("Reference")),
            str(_("Date")),
            str(_("Presentation")),
            str(_("People reached")),
            str(_("Answers")),
            str(_("Answers per person reached")),
            str(_("Check")),
        ],
        rows,
        note=str(
            _(
                "Each browser can answer a survey once, and each connection a limited number of times; "
                "a presentation with more answers than people, or far more than usual, may have been "
                "answered repeatedly and deserves a look before its numbers are reported."
            )
        ),
    )


def has_evaluation(booking: Booking) -> bool:
    try:
        return booking.evaluation is not None
    except ObjectDoesNotExist:
        return False
