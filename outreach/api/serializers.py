"""The public API's shapes: the catalog, a new request, and the requester's own view of it.

A new request goes through the same rules as the web form (``outreach.forms.RequestForm``):
control characters stripped, bounded text, the phone number normalized, ZIP code, the lead
time and length of each window, the audience size, the format and language offered. The
service (``request_submit``) checks its rules again; both give the same constant messages.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api.fields import (
    BoundedDateTimeField,
    CatalogSlugField,
    CleanCharField,
    StrictBooleanField,
    StrictCharField,
    StrictEmailField,
    StrictIntegerField,
)
from common.validators import phone_normalize, zip_code_validate
from outreach.enums import COUNTY_CHOICES, Format, OrganizationType, ReferralSource, RequestStatus
from outreach.models import (
    AUDIENCE_SIZE_MAX,
    AUDIENCE_SIZE_MIN,
    MAX_WINDOWS,
    Audience,
    Language,
    Presentation,
    PresentationRequest,
)
from outreach.services import (
    DETAILS_FIELDS,
    MSG_AUDIENCE_SIZE,
    MSG_WINDOWS_REQUIRED,
    MSG_WINDOWS_TOO_MANY,
    Window,
    registration_url_validate,
    request_details_may_change,
    request_errors,
    window_errors,
)
from scheduling.services.review import requester_may_cancel


def api_url(name: str, **kwargs) -> str:
    """An absolute link to an API endpoint, on the configured site."""
    return settings.SITE_URL + reverse(f"api:{name}", kwargs=kwargs)


# --- The catalog -----------------------------------------------------------------------


class AudienceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Audience
        fields = ["slug", "name"]


class LanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Language
        fields = ["code", "name"]


class PresentationSerializer(serializers.ModelSerializer):
    formats = serializers.ListField(child=serializers.ChoiceField(choices=Format.choices), read_only=True)
    audiences = AudienceSerializer(many=True, read_only=True)
    languages = LanguageSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="The presentation's page on the public site.")

    class Meta:
        model = Presentation
        fields = [
            "slug",
            "title",
            "summary",
            "description",
            "duration_minutes",
            "formats",
            "audiences",
            "languages",
            "url",
        ]

    def get_url(self, presentation: Presentation) -> str:
        return settings.SITE_URL + presentation.get_absolute_url()


REGISTRATION_URL_HELP = (
    "For an event open to the public and listed publicly: the page where people register (http or https), "
    "shown on /events/ and in the public feed. Not together with no_registration_needed."
)
NO_REGISTRATION_HELP = "For an event open to the public and listed publicly: anyone may come without registering."


# --- A new request ---------------------------------------------------------------------


class WindowSerializer(serializers.Serializer):
    """One preferred time: at least the lead time ahead, at most REQUEST_WINDOW_MAX_HOURS long."""

    start = BoundedDateTimeField()
    end = BoundedDateTimeField()

    def validate(self, attrs):
        problems = {part: messages for part, messages in window_errors(**attrs).items() if messages}
        if problems:
            raise serializers.ValidationError(problems)
        return Window(start=attrs["start"], end=attrs["end"])


class RequestCreateSerializer(serializers.Serializer):
    """Everything the program needs to plan a presentation (the web form's fields)."""

    presentation = CatalogSlugField(slug_field="slug", queryset=Presentation.objects.all())

    organization_name = CleanCharField(max_length=200)
    organization_type = serializers.ChoiceField(choices=OrganizationType.choices)
    street_address = CleanCharField(max_length=200, help_text="Kept private: never shown to the public.")
    city = CleanCharField(max_length=100)
    county = serializers.ChoiceField(choices=COUNTY_CHOICES, help_text="A Minnesota county, or outside_mn.")
    zip_code = StrictCharField(max_length=10, help_text="Five digits, or ZIP+4.")

    contact_name = CleanCharField(max_length=120)
    contact_role = CleanCharField(max_length=120, required=False, allow_blank=True, default="")
    contact_email = StrictEmailField(max_length=254)
    contact_phone = CleanCharField(max_length=32, help_text="Returned in international format, e.g. +1 612-555-0123.")

    audience = CatalogSlugField(slug_field="slug", queryset=Audience.objects.all())
    audience_size = StrictIntegerField(
        min_value=AUDIENCE_SIZE_MIN,
        max_value=AUDIENCE_SIZE_MAX,
        error_messages={"min_value": MSG_AUDIENCE_SIZE, "max_value": MSG_AUDIENCE_SIZE},
    )
    age_range = CleanCharField(max_length=100, required=False, allow_blank=True, default="")
    is_youth_audience = StrictBooleanField(required=False, default=False)
    language = CatalogSlugField(slug_field="code", queryset=Language.objects.all())

    format = serializers.ChoiceField(choices=Format.choices)
    virtual_platform = CleanCharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="Required for virtual presentations."
    )
    accessibility_needs = CleanCharField(max_length=2000, multiline=True, required=False, allow_blank=True, default="")
    av_available = StrictBooleanField(required=False, default=False)
    is_open_to_public = StrictBooleanField(required=False, default=False)
    venue = CleanCharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Where an in-person event open to the public takes place, as the public listing shows it; "
        "required when is_open_to_public and may_list_publicly are both true.",
    )
    may_list_publicly = StrictBooleanField(
        required=False,
        default=False,
        help_text="List it publicly: title, date and time, the organization's name, and the venue (an event "
        "open to the public) or Online (virtual). Without it the presentation is not shown publicly at all.",
    )
    registration_url = CleanCharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text=REGISTRATION_URL_HELP,
    )
    no_registration_needed = StrictBooleanField(required=False, default=False, help_text=NO_REGISTRATION_HELP)
    notes = CleanCharField(max_length=4000, multiline=True, required=False, allow_blank=True, default="")
    referral_source = serializers.ChoiceField(
        choices=ReferralSource.choices, required=False, allow_blank=True, default=""
    )
    windows = WindowSerializer(
        many=True,
        min_length=1,
        max_length=MAX_WINDOWS,
        help_text="One to three preferred times, first choice first.",
        error_messages={
            "required": MSG_WINDOWS_REQUIRED,
            "min_length": MSG_WINDOWS_REQUIRED,
            "max_length": MSG_WINDOWS_TOO_MANY,
        },
    )
    requester_language = StrictCharField(
        required=False,
        max_length=8,
        help_text=(
            "The language of every email and calendar invite the requester gets: one of the languages the "
            "public site offers (en, es, ...). By default the language Accept-Language selected."
        ),
    )
    website = StrictCharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="Leave out or empty. Submissions that fill it are refused as automated (400, code spam).",
    )

    def validate_zip_code(self, value: str) -> str:
        return zip_code_validate(value)

    def validate_contact_phone(self, value: str) -> str:
        return phone_normalize(value)

    def validate(self, attrs):
        attrs.pop("website", None)
        attrs.setdefault("requester_language", get_language() or settings.LANGUAGE_CODE)
        presentation, windows = attrs.pop("presentation"), attrs.pop("windows")
        problems = request_errors(presentation=presentation, windows=windows, fields=attrs)
        if problems:
            raise serializers.ValidationError(problems)
        return {"presentation": presentation, "windows": windows, **attrs}


class RequestCreatedSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    status_url = serializers.URLField(
        source="get_status_url", help_text="The requester's private status page. Anyone with it can see the request."
    )
    api_url = serializers.SerializerMethodField(help_text="The same request in this API (self-service).")

    def get_api_url(self, request: PresentationRequest) -> str:
        return api_url("request-detail", token=request.status_token)


# --- The requester's view --------------------------------------------------------------


class PresentationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Presentation
        fields = ["slug", "title"]


class WindowOutSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class RequesterBookingSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    format = serializers.ChoiceField(choices=Format.choices)
    location = serializers.CharField()
    virtual_link = serializers.CharField()
    presenters = serializers.SerializerMethodField()
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField()

    def get_presenters(self, booking) -> list[str]:
        return [presenter.name for presenter in booking.presenters()]


class ProposedTimeSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Give it to accept-proposal to choose this time.")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class RequesterProposalSerializer(serializers.Serializer):
    message = serializers.CharField()
    location = serializers.CharField()
    virtual_link = serializers.CharField()
    created_at = serializers.DateTimeField()
    times = ProposedTimeSerializer(many=True)


class RequesterActionsSerializer(serializers.Serializer):
    withdraw = serializers.BooleanField()
    accept_proposal = serializers.BooleanField()
    decline_proposal = serializers.BooleanField()
    cancel = serializers.BooleanField()
    update_details = serializers.BooleanField(
        help_text="Whether the optional details may still be changed (PATCH), until the talk is confirmed."
    )
    cancel_until = serializers.DateTimeField(
        allow_null=True, help_text="Until when the requester may cancel online (the cut-off before the start)."
    )


class RequesterRequestSerializer(serializers.ModelSerializer):
    """What the requester's private status page shows, and what they may do now.

    Expects ``proposal`` (the open proposal, or None) in the context.
    """

    presentation = PresentationBriefSerializer()
    audience = AudienceSerializer()
    language = LanguageSerializer()
    windows = WindowOutSerializer(many=True)
    booking = serializers.SerializerMethodField()
    proposal = serializers.SerializerMethodField(help_text="Other times staff propose, waiting for an answer.")
    actions = serializers.SerializerMethodField()
    status_url = serializers.URLField(source="get_status_url")

    class Meta:
        model = PresentationRequest
        fields = [
            "reference",
            "status",
            "status_url",
            "presentation",
            "organization_name",
            "street_address",
            "city",
            "county",
            "zip_code",
            "contact_name",
            "contact_email",
            "audience",
            "audience_size",
            "language",
            "requester_language",
            "format",
            "virtual_platform",
            *DETAILS_FIELDS,
            "submitted_at",
            "decision_note",
            "windows",
            "booking",
            "proposal",
            "actions",
        ]

    @extend_schema_field(RequesterBookingSerializer(allow_null=True))
    def get_booking(self, request: PresentationRequest):
        booking = getattr(request, "booking", None)
        return RequesterBookingSerializer(booking).data if booking is not None else None

    @extend_schema_field(RequesterProposalSerializer(allow_null=True))
    def get_proposal(self, request: PresentationRequest):
        proposal = self.context.get("proposal")
        return RequesterProposalSerializer(proposal).data if proposal is not None else None

    @extend_schema_field(RequesterActionsSerializer)
    def get_actions(self, request: PresentationRequest):
        submitted = request.status == RequestStatus.SUBMITTED
        open_proposal = submitted and self.context.get("proposal") is not None
        booking = getattr(request, "booking", None) if request.status == RequestStatus.SCHEDULED else None
        cutoff = timedelta(hours=settings.REQUESTER_CANCEL_CUTOFF_HOURS)
        actions = {
            "withdraw": submitted,
            "accept_proposal": open_proposal,
            "decline_proposal": open_proposal,
            "cancel": booking is not None and requester_may_cancel(booking),
            "update_details": request_details_may_change(request),
            "cancel_until": booking.start - cutoff if booking is not None else None,
        }
        return RequesterActionsSerializer(actions).data


class RequesterReasonSerializer(serializers.Serializer):
    reason = CleanCharField(
        max_length=2000,
        multiline=True,
        required=False,
        allow_blank=True,
        default="",
        help_text="Optional. Helps the program plan; staff see it, nobody else does.",
    )


class AcceptProposalSerializer(serializers.Serializer):
    proposed_time = StrictIntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The id of one of the proposal's times."
    )


class DeclineProposalSerializer(serializers.Serializer):
    note = CleanCharField(max_length=2000, multiline=True, required=False, allow_blank=True, default="")


class RequestDetailsSerializer(serializers.Serializer):
    """The optional details a requester may add or change until the talk is confirmed; only the
    keys sent change (the service checks the rules against the request's other values)."""

    accessibility_needs = CleanCharField(max_length=2000, multiline=True, required=False, allow_blank=True)
    av_available = StrictBooleanField(required=False)
    is_open_to_public = StrictBooleanField(required=False)
    may_list_publicly = StrictBooleanField(required=False)
    venue = CleanCharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Required for an in-person event open to the public and listed publicly.",
    )
    registration_url = CleanCharField(max_length=500, required=False, allow_blank=True, help_text=REGISTRATION_URL_HELP)
    no_registration_needed = StrictBooleanField(required=False, help_text=NO_REGISTRATION_HELP)
    notes = CleanCharField(max_length=4000, multiline=True, required=False, allow_blank=True)
    referral_source = serializers.ChoiceField(choices=ReferralSource.choices, required=False, allow_blank=True)

    def validate_registration_url(self, value: str) -> str:
        try:
            return registration_url_validate(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
