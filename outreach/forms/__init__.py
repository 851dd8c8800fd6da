"""The public site's forms, by sub-domain: the request form and its optional details, the
catalog filter, "Find my request", and the requester's answers on the status page."""

from outreach.forms.catalog import CatalogFilterForm
from outreach.forms.details import RequestDetailsFields, RequestDetailsForm
from outreach.forms.find import RequestFindForm
from outreach.forms.request import MSG_WINDOW_INCOMPLETE, NOT_GIVEN, OPEN_TO_ALL, RequestForm
from outreach.forms.status import (
    MSG_CHOOSE_PROPOSED_TIME,
    ProposalAcceptForm,
    ProposalDeclineForm,
    RequesterReasonForm,
)

__all__ = [
    "MSG_CHOOSE_PROPOSED_TIME",
    "MSG_WINDOW_INCOMPLETE",
    "NOT_GIVEN",
    "OPEN_TO_ALL",
    "CatalogFilterForm",
    "ProposalAcceptForm",
    "ProposalDeclineForm",
    "RequestDetailsFields",
    "RequestDetailsForm",
    "RequestFindForm",
    "RequestForm",
    "RequesterReasonForm",
]
