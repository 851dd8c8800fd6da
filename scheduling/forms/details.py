"""The staff page's "Details" form: the requester's optional details, changed by staff at any time
the request is open (after confirmation too). The status page's form and rules, as a staff action."""

from outreach.forms import RequestDetailsForm
from outreach.models import PresentationRequest
from scheduling.models import Booking


class StaffDetailsForm(RequestDetailsForm):
    """``RequestDetailsForm`` under the prefix ``details``, with the staff actions' interface."""

    PREFIX = "details"

    def __init__(self, *args, request_obj: PresentationRequest, booking: Booking | None = None, **kwargs):
        kwargs.setdefault("prefix", self.PREFIX)
        super().__init__(*args, request_obj=request_obj, **kwargs)
        self.booking = booking

    def service_arguments(self) -> dict:
        """``outreach.services.request_details_update``'s keyword arguments (besides the request and staff user)."""
        return {"data": dict(self.cleaned_data)}
