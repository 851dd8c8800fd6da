"""The staff API's bookings (alone, or with the request they schedule) and notifications."""

from rest_framework import serializers

from outreach.api.serializers import PresentationBriefSerializer
from outreach.models import PresentationRequest
from scheduling.api.serializers.people import PresenterBriefSerializer
from scheduling.models import BOOKING_DETAILS, Booking, Notification

# A notification's delivery, as listed on its request and in the outbox.
DELIVERY_FIELDS = [
    "kind",
    "recipient",
    "sequence",
    "subject",
    "status",
    "attempts",
    "last_error",
    "ics_method",
    "created_at",
    "last_attempt_at",
    "next_attempt_at",
    "sent_at",
]


class BookingSerializer(serializers.ModelSerializer):
    lead_presenter = PresenterBriefSerializer()
    co_presenters = PresenterBriefSerializer(many=True)
    uid = serializers.CharField(help_text="The calendar identity (RFC 5545 UID); it never changes.")
    sequence = serializers.IntegerField(help_text="Rises with every change attendees must see (RFC 5545 SEQUENCE).")

    class Meta:
        model = Booking
        fields = ["id", *BOOKING_DETAILS]


class BookingRequestSerializer(serializers.ModelSerializer):
    presentation = PresentationBriefSerializer()

    class Meta:
        model = PresentationRequest
        fields = ["id", "reference", "status", "organization_name", "city", "county", "presentation"]


class BookingListSerializer(BookingSerializer):
    """A booking with the request it schedules (the calendar's view)."""

    request = BookingRequestSerializer()

    class Meta(BookingSerializer.Meta):
        fields = ["request", *BookingSerializer.Meta.fields]


class BookingTimesSerializer(serializers.ModelSerializer):
    class Meta:
        model = Booking
        fields = ["id", "start", "end", "lead_presenter"]


class NotificationSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="request.reference")

    class Meta:
        model = Notification
        fields = ["id", "request", "reference", "booking", *DELIVERY_FIELDS]


class NotificationBriefSerializer(serializers.ModelSerializer):
    """A notification as listed on its request (no request fields: they are the request's own)."""

    class Meta:
        model = Notification
        fields = ["id", *DELIVERY_FIELDS]


class NotificationDetailSerializer(NotificationSerializer):
    class Meta(NotificationSerializer.Meta):
        fields = [*NotificationSerializer.Meta.fields, "body_text"]
