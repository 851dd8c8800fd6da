"""The staff API's presenters, presenter suggestions and blackout periods."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from common.api.fields import (
    BoundedDateTimeField,
    CatalogSlugField,
    CleanCharField,
    RowField,
    StrictEmailField,
)
from common.times import elapsed
from common.validators import phone_normalize
from outreach.models import Language, Presentation, PresentationRequest
from scheduling.models import Blackout, Presenter
from scheduling.services.review import MSG_END_BEFORE_START


def presenter_field(**kwargs) -> RowField:
    """A presenter by id; the services decide who may be assigned."""
    return RowField(queryset=Presenter.objects.all(), **kwargs)


# Refuses an ``end`` that is not after ``start`` in real time (on a partial update, the row's own value counts).
# A comment, not a docstring: a serializer's docstring becomes its description in the API docs.
class EndAfterStartMixin:
    def validate(self, attrs):
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start is not None and end is not None and elapsed(start, end) <= timedelta(0):
            raise serializers.ValidationError({"end": [str(MSG_END_BEFORE_START)]})
        return super().validate(attrs)


class PresenterBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Presenter
        fields = ["id", "name"]


# --- Presenters ------------------------------------------------------------------------


class PresenterSerializer(serializers.ModelSerializer):
    languages = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    presentations = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    has_feed = serializers.SerializerMethodField(help_text="Whether a private calendar feed link was issued.")
    upcoming = serializers.SerializerMethodField(help_text="Active bookings not yet ended, as lead or co-presenter.")

    class Meta:
        model = Presenter
        fields = [
            "id",
            "name",
            "email",
            "phone",
            "user",
            "languages",
            "presentations",
            "is_active",
            "has_feed",
            "upcoming",
            "created_at",
        ]

    def get_has_feed(self, presenter: Presenter) -> bool:
        return bool(getattr(presenter, "has_feed", False))

    def get_upcoming(self, presenter: Presenter) -> int | None:
        return getattr(presenter, "upcoming", None)


class PresenterWriteSerializer(serializers.Serializer):
    name = CleanCharField(max_length=120)
    email = StrictEmailField(max_length=254)
    phone = CleanCharField(max_length=32, required=False, allow_blank=True)
    user = RowField(
        queryset=get_user_model().objects.all(),
        required=False,
        allow_null=True,
        help_text="The login of a presenter who signs in to see their schedule (id of a user).",
    )
    languages = serializers.ListField(
        child=CatalogSlugField(slug_field="code", queryset=Language.objects.all()), max_length=50
    )
    presentations = serializers.ListField(
        child=CatalogSlugField(slug_field="slug", queryset=Presentation.objects.all()),
        max_length=200,
        help_text="The presentations this presenter is trained to give.",
    )

    def validate_phone(self, value: str) -> str:
        if not value:
            return value
        try:
            return phone_normalize(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class SuggestionQuerySerializer(EndAfterStartMixin, serializers.Serializer):
    request = RowField(
        queryset=PresentationRequest.objects.select_related("presentation", "language"),
        from_query=True,
        help_text="The request's id.",
    )
    start = BoundedDateTimeField()
    end = BoundedDateTimeField()


class SuggestionSerializer(serializers.ModelSerializer):
    month_load = serializers.IntegerField(help_text="Presentations this month already; fewer come first.")

    class Meta:
        model = Presenter
        fields = ["id", "name", "email", "month_load"]


class FeedTokenSerializer(serializers.Serializer):
    feed_url = serializers.URLField(help_text="The presenter's private calendar feed. Shown once; the old link stops.")


# --- Blackout periods ------------------------------------------------------------------


class BlackoutSerializer(serializers.ModelSerializer):
    presenter = PresenterBriefSerializer(allow_null=True)
    is_closure = serializers.BooleanField(help_text="No presenter: the whole program is closed.")

    class Meta:
        model = Blackout
        fields = ["id", "presenter", "start", "end", "reason", "is_closure"]


class BlackoutSavedSerializer(BlackoutSerializer):
    warnings = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The scheduled bookings this period overlaps, each named: reschedule or cancel them.",
    )

    class Meta(BlackoutSerializer.Meta):
        fields = [*BlackoutSerializer.Meta.fields, "warnings"]


class BlackoutWriteSerializer(EndAfterStartMixin, serializers.Serializer):
    presenter = presenter_field(required=False, allow_null=True, help_text="Leave out or null for a closure.")
    start = BoundedDateTimeField()
    end = BoundedDateTimeField()
    reason = CleanCharField(max_length=200, required=False, allow_blank=True)
