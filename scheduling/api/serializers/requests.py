"""The staff API's requests (in the queue, and one with its booking, proposals and trail) and
the bodies of the lifecycle actions."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api.fields import BoundedDateTimeField, CleanCharField, StrictIntegerField, StrictURLField
from outreach.api.serializers import AudienceSerializer, LanguageSerializer, PresentationBriefSerializer
from outreach.enums import Format
from outreach.models import PresentationRequest
from scheduling.api.serializers.bookings import BookingSerializer, BookingTimesSerializer, NotificationBriefSerializer
from scheduling.api.serializers.people import EndAfterStartMixin, PresenterBriefSerializer, presenter_field
from scheduling.models import PROPOSAL_TERMS, AuditEntry, Proposal
from scheduling.services.retention import REASON_ON_REQUEST
from scheduling.services.review import MSG_ATTENDANCE, MSG_PROPOSAL_TIMES, MSG_REASON_REQUIRED, Plan

MSG_NO_SUCH_WINDOW = _("This request has no preferred window at that position.")
MSG_WHEN_REQUIRED = _("Give a window, or a start and an end.")


class WindowSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="1 is the first choice; give it to approve as window.")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class StaffProposedTimeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class ProposalSerializer(serializers.ModelSerializer):
    lead_presenter = PresenterBriefSerializer()
    co_presenters = PresenterBriefSerializer(many=True)
    times = StaffProposedTimeSerializer(many=True)

    class Meta:
        model = Proposal
        fields = ["id", "state", "times", *PROPOSAL_TERMS, "created_at", "responded_at"]


class AuditEntrySerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField(help_text="The staff user's username, if a staff user acted.")

    class Meta:
        model = AuditEntry
        fields = ["at", "actor", "by", "action", "from_status", "to_status", "note"]

    def get_by(self, entry: AuditEntry) -> str | None:
        return entry.by.get_username() if entry.by_id else None


class StaffRequestListSerializer(serializers.ModelSerializer):
    presentation = PresentationBriefSerializer()
    audience = AudienceSerializer()
    windows = WindowSerializer(many=True)
    booking = serializers.SerializerMethodField()

    class Meta:
        model = PresentationRequest
        fields = [
            "id",
            "reference",
            "status",
            "presentation",
            "organization_name",
            "organization_type",
            "city",
            "county",
            "audience",
            "audience_size",
            "format",
            "windows",
            "booking",
            "submitted_at",
            "status_changed_at",
        ]

    @extend_schema_field(BookingTimesSerializer(allow_null=True))
    def get_booking(self, request: PresentationRequest):
        booking = getattr(request, "booking", None)
        return BookingTimesSerializer(booking).data if booking is not None else None


class StaffRequestDetailSerializer(serializers.ModelSerializer):
    """Everything about one request: the requester's answers, the booking, proposals, the audit
    trail and every notification sent or queued."""

    presentation = PresentationBriefSerializer()
    audience = AudienceSerializer()
    language = LanguageSerializer()
    windows = WindowSerializer(many=True)
    booking = serializers.SerializerMethodField()
    proposals = ProposalSerializer(many=True)
    audit_trail = AuditEntrySerializer(many=True, source="audit_entries")
    notifications = NotificationBriefSerializer(many=True)
    staff_url = serializers.SerializerMethodField(help_text="The request's staff page.")

    class Meta:
        model = PresentationRequest
        # organization_key: what reports count an erased request's organization by, of no use to read.
        exclude = ["organization_key"]

    @extend_schema_field(BookingSerializer(allow_null=True))
    def get_booking(self, request: PresentationRequest):
        booking = self.context.get("booking")
        return BookingSerializer(booking).data if booking is not None else None

    def get_staff_url(self, request: PresentationRequest) -> str:
        return settings.SITE_URL + request.get_staff_url()


# --- The lifecycle actions -------------------------------------------------------------


# The body of a lifecycle action: ``service_arguments()`` gives the service's keyword arguments
# (besides the request and the staff user). A comment, not a docstring: it would show in the docs.
class ActionSerializer(serializers.Serializer):
    def service_arguments(self) -> dict:
        return dict(self.validated_data)


class StatusLinkRenewSerializer(ActionSerializer):
    """No body: the requester's status links are revoked and a new one is emailed to them."""


class EraseSerializer(ActionSerializer):
    reason = CleanCharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Why, for the audit trail (never the requester's details). Default: at the requester's request.",
    )

    def service_arguments(self) -> dict:
        return {"reason": self.validated_data.get("reason") or REASON_ON_REQUEST}


class TimeSerializer(EndAfterStartMixin, serializers.Serializer):
    start = BoundedDateTimeField()
    end = BoundedDateTimeField()


class PlanSerializer(ActionSerializer):
    """Who presents and where. ``request_obj`` (and ``booking`` when rescheduling) come in the context.

    The format is the request's (or the booking's): in person needs a location (the request's
    address when left out), virtual may carry a meeting link.
    """

    lead_presenter = presenter_field(help_text="Must be active and qualified for the presentation.")
    co_presenters = presenter_field(many=True, required=False, default=list)
    location = CleanCharField(max_length=300, required=False, allow_blank=True, help_text="Address and room.")
    virtual_link = StrictURLField(max_length=500, required=False, allow_blank=True, default="")
    override_reason = CleanCharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why a presenter who is not qualified for the presentation or does not speak the request's "
        "language is assigned anyway; without it such a presenter is refused (400). Kept in the audit trail.",
    )

    @property
    def request_obj(self) -> PresentationRequest:
        return self.context["request_obj"]

    def default_location(self) -> str:
        return f"{self.request_obj.street_address}, {self.request_obj.city}"

    def plan(self, start, end) -> Plan:
        data, booking = self.validated_data, self.context.get("booking")
        return Plan(
            start=start,
            end=end,
            lead_presenter=data["lead_presenter"],
            co_presenters=list(data["co_presenters"]),
            format=booking.format if booking is not None else self.request_obj.format,
            location=data.get("location", self.default_location()),
            virtual_link=data["virtual_link"],
            override_reason=data["override_reason"],
        )


class OneTimeSerializer(PlanSerializer):
    def service_arguments(self) -> dict:
        data = self.validated_data
        return {"plan": self.plan(data["start"], data["end"]), "note": data["note"]}


class ApproveSerializer(OneTimeSerializer):
    window = StrictIntegerField(
        min_value=1, max_value=3, required=False, help_text="Schedule at this preferred window (its position)."
    )
    start = BoundedDateTimeField(required=False, help_text="Or an agreed other time: start and end.")
    end = BoundedDateTimeField(required=False)
    note = CleanCharField(max_length=2000, multiline=True, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if "window" in attrs:
            window = next((w for w in self.request_obj.windows.all() if w.position == attrs["window"]), None)
            if window is None:
                raise serializers.ValidationError({"window": [str(MSG_NO_SUCH_WINDOW)]})
            attrs["start"], attrs["end"] = window.start, window.end
        elif "start" not in attrs or "end" not in attrs:
            raise serializers.ValidationError({"start": [str(MSG_WHEN_REQUIRED)]})
        return attrs


class ProposeSerializer(PlanSerializer):
    times = TimeSerializer(
        many=True,
        min_length=1,
        max_length=3,
        error_messages={key: MSG_PROPOSAL_TIMES for key in ("required", "min_length", "max_length")},
    )
    message = CleanCharField(max_length=2000, multiline=True, required=False, allow_blank=True, default="")

    def service_arguments(self) -> dict:
        data = self.validated_data
        in_person = self.request_obj.format == Format.IN_PERSON
        return {
            "times": [(t["start"], t["end"]) for t in data["times"]],
            "lead_presenter": data["lead_presenter"],
            "co_presenters": list(data["co_presenters"]),
            "location": data.get("location", self.default_location()) if in_person else "",
            "virtual_link": data["virtual_link"],
            "message": data["message"],
            "override_reason": data["override_reason"],
        }


class RescheduleSerializer(OneTimeSerializer):
    """The booking's new time, presenters and place, all of them (as the staff page's form sends).

    Give the current values for what does not change; the co-presenters list may be empty.
    """

    start = BoundedDateTimeField()
    end = BoundedDateTimeField()
    co_presenters = presenter_field(many=True, allow_empty=True)
    location = CleanCharField(
        max_length=300, required=False, allow_blank=True, default="", help_text="Address and room."
    )
    note = CleanCharField(max_length=2000, multiline=True, required=False, allow_blank=True, default="")


class StaffReasonSerializer(ActionSerializer):
    reason = CleanCharField(
        max_length=2000,
        multiline=True,
        error_messages={"required": MSG_REASON_REQUIRED, "blank": MSG_REASON_REQUIRED},
        help_text="The requester reads it.",
    )


class CompleteSerializer(ActionSerializer):
    attendance = StrictIntegerField(
        min_value=0,
        max_value=100_000,
        error_messages={"min_value": MSG_ATTENDANCE, "max_value": MSG_ATTENDANCE, "invalid": MSG_ATTENDANCE},
        help_text="People who attended.",
    )
    notes = CleanCharField(max_length=4000, multiline=True, required=False, allow_blank=True, default="")
