"""Serializer fields that apply the web forms' input rules, for the API's serializers."""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.times import API_DESCRIPTION, instant
from common.validators import text_clean

MSG_SLUG_INVALID = _("Enter a valid identifier (letters, digits, hyphens and underscores).")
MAX_ID = 2**63 - 1  # the largest id a database row can have (a signed 64-bit integer)
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")


class StrictStringMixin:
    """Text fields take JSON strings only (DRF would turn 123 or 1.5 into text)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(StrictStringMixin, serializers.CharField):
    pass


class StrictEmailField(StrictStringMixin, serializers.EmailField):
    pass


class StrictURLField(StrictStringMixin, serializers.URLField):
    pass


class StrictIntegerField(serializers.IntegerField):
    """JSON integers only (DRF would take "45", 45.0 and true)."""

    def to_internal_value(self, data):
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only (DRF would take "yes", 1 and "on")."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class CleanCharField(StrictCharField):
    """common.forms.CleanCharField for the API: control characters removed, a single line's runs of
    whitespace collapsed, a multi-line text's line breaks kept; then the length is checked."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = text_clean(super().to_internal_value(data), multiline=self.multiline)
        if value == "" and not self.allow_blank:
            self.fail("blank")
        return value


class BoundedDateTimeField(serializers.DateTimeField):
    """An ISO 8601 datetime read by ``common.times.instant`` (its rules are the field's description):
    a date outside 2000-2199 or a local time the clocks skip is a 400 naming the field."""

    def __init__(self, **kwargs):
        given = kwargs.get("help_text")
        kwargs["help_text"] = f"{given} {API_DESCRIPTION}" if given else API_DESCRIPTION
        super().__init__(**kwargs)

    def enforce_timezone(self, value):
        try:
            return instant(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class CatalogSlugField(serializers.SlugRelatedField):
    """A catalog entry (presentation, audience, language) by its slug or code.

    The value's form is checked before the database is asked, so odd input (NUL bytes, very long
    strings) is a 400, never a database error.
    """

    def to_internal_value(self, data):
        if not isinstance(data, str) or not _SLUG.match(data):
            raise serializers.ValidationError(str(MSG_SLUG_INVALID))
        return super().to_internal_value(data)


class RowField(serializers.PrimaryKeyRelatedField):
    """A row by its id; the id is checked to be a positive 64-bit integer before the lookup.

    In a JSON body the id must be a number; in a query string (``from_query``) it is text.
    """

    def __init__(self, *, from_query: bool = False, **kwargs):
        integer = serializers.IntegerField if from_query else StrictIntegerField
        kwargs.setdefault("pk_field", integer(min_value=1, max_value=MAX_ID))
        super().__init__(**kwargs)
