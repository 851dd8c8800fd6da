"""The public API's upcoming presentations: what /events/ and the public feed show, as JSON.

Only bookings whose requester agreed to a public listing are here, with nothing personal: the
organization's name, the presentation, the time, and the place the public may know (the venue
of an event open to the public, "Online" for a virtual one).
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from calendars.builders import public_no_registration, public_place, public_registration
from calendars.selectors import PUBLIC, Feed, feed_bookings
from common.api.schema import example
from outreach.enums import Format
from scheduling.models import Booking


class PublicEventSerializer(serializers.Serializer):
    uid = serializers.CharField(help_text="The calendar UID, the same as in /calendar/public.ics.")
    presentation = serializers.CharField(source="request.presentation.slug")
    title = serializers.CharField(source="request.presentation.title")
    organization = serializers.CharField(source="request.organization_name")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    format = serializers.ChoiceField(choices=Format.choices)
    place = serializers.SerializerMethodField(
        help_text="The venue of an event open to the public, Online for a virtual one, else empty."
    )
    open_to_public = serializers.BooleanField(source="request.is_open_to_public")
    registration_url = serializers.SerializerMethodField(
        help_text="How to attend an event open to the public: the page where people register, else empty."
    )
    no_registration_needed = serializers.SerializerMethodField(
        help_text="How to attend an event open to the public: true when anyone may come without registering."
    )
    cancelled = serializers.SerializerMethodField()

    def get_place(self, booking: Booking) -> str:
        return public_place(booking)

    def get_registration_url(self, booking: Booking) -> str:
        return public_registration(booking)

    def get_no_registration_needed(self, booking: Booking) -> bool:
        return public_no_registration(booking)

    def get_cancelled(self, booking: Booking) -> bool:
        return booking.cancelled_at is not None


EVENT = {
    "uid": "5f0c2a9e-3d7b-4f43-9a51-0c6d8e2b7a14@outreach.example.org",
    "presentation": "recognize-respond-schools",
    "title": "Recognizing and Responding: Schools",
    "organization": "Friends of the Northfield Library",
    "start": "2027-03-14T15:00:00Z",
    "end": "2027-03-14T16:30:00Z",
    "format": "in_person",
    "place": "Northfield Public Library, 210 Washington St",
    "open_to_public": True,
    "registration_url": "https://northfieldlibrary.example.org/events/trafficking-awareness",
    "no_registration_needed": False,
    "cancelled": False,
}


@extend_schema(tags=["catalog"], summary="Upcoming presentations listed publicly", examples=[example("event", EVENT)])
class PublicEventListView(generics.ListAPIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    serializer_class = PublicEventSerializer
    throttle_scope = "presentations"

    def get_queryset(self):
        return feed_bookings(feed=Feed(kind=PUBLIC), now=timezone.now())
