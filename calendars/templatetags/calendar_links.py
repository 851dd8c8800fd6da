"""Template tags for the calendar links on the requester's status page."""

from django import template
from django.urls import reverse

from calendars.builders import booking_add_links
from scheduling.models import Booking

register = template.Library()


@register.simple_tag
def add_to_calendar_links(booking: Booking, token: str) -> dict[str, str]:
    """The .ics download and the add-to-Google-Calendar and add-to-Outlook.com links for ``booking``."""
    links = booking_add_links(booking=booking)
    links["ics"] = reverse("calendars:request_event", kwargs={"token": token})
    return links
