"""Template tags for the calendar links on the requester's status page."""

from django import template
from django.conf import settings
from django.urls import reverse

from calendars.builders import booking_add_links
from scheduling.models import Booking

register = template.Library()


@register.simple_tag
def add_to_calendar_links(booking: Booking, token: str) -> dict[str, str]:
    """The .ics download and the add-to-Google-Calendar and add-to-Outlook.com links for ``booking``."""
    status_url = settings.SITE_URL + reverse("outreach:request_status", kwargs={"token": token})
    links = booking_add_links(booking=booking, status_url=status_url)
    links["ics"] = reverse("calendars:request_event", kwargs={"token": token})
    return links
