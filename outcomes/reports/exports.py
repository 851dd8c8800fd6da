"""The presentations behind a reach report, one row each, for the CSV export."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outcomes.reports.reach import COUNTY_NAMES, REGIONS, ReachReport, region_of
from outcomes.reports.tables import Table, has_evaluation

BOOKING_COLUMNS = (
    _("Reference"),
    _("Date"),
    _("Presentation"),
    _("Organization"),
    _("Type of organization"),
    _("City"),
    _("County"),
    _("Region"),
    _("Audience"),
    _("Youth audience"),
    _("Format"),
    _("Expected audience"),
    _("Attendance recorded"),
    _("People reached"),
    _("Estimated"),
    _("Lead presenter"),
    _("Co-presenters"),
    _("Evaluation: overall rating"),
    _("Evaluation: usefulness"),
    _("Evaluation: would request again"),
    _("Evaluation: next step"),
    _("Survey answers"),
)
CONTACT_COLUMNS = (
    _("Contact name"),
    _("Contact role"),
    _("Contact email"),
    _("Contact phone"),
    _("Street address"),
    _("ZIP code"),
)


def bookings_table(*, report: ReachReport, include_contacts: bool = False) -> Table:
    """One row per presentation counted in the report. Requester contact details only when asked."""
    yes, no = str(_("yes")), str(_("no"))
    rows = []
    for line in report.lines:
        booking, request = line.booking, line.request
        evaluation = booking.evaluation if has_evaluation(booking) else None
        row = [
            request.reference,
            timezone.localtime(booking.start).date().isoformat(),
            request.presentation.title,
            request.organization_name,
            str(request.get_organization_type_display()),
            request.city,
            str(COUNTY_NAMES.get(request.county, request.county)),
            str(REGIONS[region_of(request.county)]),
            request.audience.name,
            yes if request.is_youth_audience else no,
            str(booking.get_format_display()),
            request.audience_size,
            booking.actual_attendance,
            line.people,
            yes if line.estimated else no,
            booking.lead_presenter.name,
            "; ".join(p.name for p in booking.co_presenters.all()),
            evaluation.rating if evaluation else None,
            evaluation.usefulness if evaluation else None,
            str(evaluation.get_would_request_again_display()) if evaluation else None,
            str(evaluation.get_next_step_display()) if evaluation else None,
            line.survey_responses,
        ]
        if include_contacts:
            row += [
                request.contact_name,
                request.contact_role,
                request.contact_email,
                request.contact_phone,
                request.street_address,
                request.zip_code,
            ]
        rows.append(row)
    columns = [str(c) for c in BOOKING_COLUMNS] + ([str(c) for c in CONTACT_COLUMNS] if include_contacts else [])
    return Table("bookings", str(_("Presentations counted")), columns, rows)
