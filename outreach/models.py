"""The catalog of presentations and the requests organizations send for them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import COUNTY_CHOICES, Format, OrganizationType, ReferralSource, RequestStatus

AUDIENCE_SIZE_MIN = 1
AUDIENCE_SIZE_MAX = 5000
MAX_WINDOWS = 3
# Where an erased request's organization, contact or place was named, in what staff and presenters
# read (English, as the staff pages and private feeds are; the staff queue adds the date).
ERASED_LABEL = "(personal details erased)"


class Audience(models.Model):
    """Who a presentation is for (students, educators, health care professionals, ...)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    """A language a presentation can be given in (and, later, a presenter speaks)."""

    code = models.SlugField(_("code"), max_length=12, unique=True, help_text=_("For example en, es, so, hmn."))
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name


class Presentation(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One or two sentences for the catalog."))
    description = models.TextField(_("description"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    audiences = models.ManyToManyField(Audience, related_name="presentations", verbose_name=_("audiences"))
    offers_in_person = models.BooleanField(_("offered in person"), default=True)
    offers_virtual = models.BooleanField(_("offered virtually"), default=True)
    languages = models.ManyToManyField(Language, related_name="presentations", verbose_name=_("languages"))
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Inactive presentations leave the catalog."))
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["display_order", "title"]
        verbose_name = _("presentation")
        verbose_name_plural = _("presentations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(offers_in_person=True) | models.Q(offers_virtual=True),
                name="presentation_offers_a_format",
                violation_error_message=_("A presentation must be offered in person, virtually or both."),
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=15, duration_minutes__lte=480),
                name="presentation_duration_range",
                violation_error_message=_("A presentation lasts between 15 minutes and 8 hours."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outreach:presentation_detail", kwargs={"slug": self.slug})

    @property
    def formats(self) -> list[Format]:
        return [
            f
            for f, offered in ((Format.IN_PERSON, self.offers_in_person), (Format.VIRTUAL, self.offers_virtual))
            if offered
        ]

    def offers(self, fmt: str) -> bool:
        return fmt in self.formats


class PresentationRequest(models.Model):
    """An organization's request for a presentation, from submission to its outcome."""

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    presentation = models.ForeignKey(
        Presentation, on_delete=models.PROTECT, related_name="requests", verbose_name=_("presentation")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED, db_index=True
    )

    # The organization
    organization_name = models.CharField(_("organization name"), max_length=200)
    organization_type = models.CharField(_("organization type"), max_length=30, choices=OrganizationType.choices)
    street_address = models.CharField(_("street address"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    county = models.CharField(_("county"), max_length=30, choices=COUNTY_CHOICES)
    zip_code = models.CharField(_("ZIP code"), max_length=10)

    # The contact
    contact_name = models.CharField(_("contact name"), max_length=120)
    contact_role = models.CharField(_("role or title"), max_length=120, blank=True)
    contact_email = models.EmailField(_("email"), max_length=254)
    contact_phone = models.CharField(_("phone"), max_length=32)

    # The audience
    audience = models.ForeignKey(
        Audience, on_delete=models.PROTECT, related_name="requests", verbose_name=_("audience type")
    )
    audience_size = models.PositiveIntegerField(_("expected audience size"))
    age_range = models.CharField(_("age range or grade band"), max_length=100, blank=True)
    is_youth_audience = models.BooleanField(_("youth audience (under 18)"), default=False)
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="requests", verbose_name=_("language")
    )

    # Format and logistics
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    virtual_platform = models.CharField(_("virtual platform"), max_length=100, blank=True)
    accessibility_needs = models.TextField(_("accessibility or interpreter needs"), max_length=2000, blank=True)
    av_available = models.BooleanField(_("projector and screen available"), default=False)
    is_open_to_public = models.BooleanField(_("open to the public"), default=False)
    may_list_publicly = models.BooleanField(_("may be listed publicly"), default=False)
    # What the public listing shows as the place of a talk open to the public (never the mailing address).
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    # How the public attends a talk open to the public: a registration link, or none needed. The
    # public listing shows it only with the requester's consent (may_list_publicly).
    registration_url = models.URLField(_("registration link"), max_length=500, blank=True)
    no_registration_needed = models.BooleanField(_("open to all, no registration needed"), default=False)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    referral_source = models.CharField(
        _("how they heard of the program"), max_length=20, choices=ReferralSource.choices, blank=True
    )

    decision_note = models.TextField(_("reason given to the requester"), blank=True)
    # The language the requester used on the site: every email and invite to them is in it.
    requester_language = models.CharField(
        _("requester's language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the requester used; their emails and calendar invites are in it."),
    )

    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status changed"), auto_now_add=True)
    # Any save (an admin correction included); the calendar feeds' ETag follows it.
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # When the requester's personal data was erased (retention period over, or on request); the
    # request stays, with what reach reports count. ``organization_key`` then stands in for the
    # organization's name where reports count organizations (outcomes.reports.reach.organization_key).
    erased_at = models.DateTimeField(_("personal details erased"), null=True, blank=True, editable=False)
    organization_key = models.CharField(_("organization key"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("presentation request")
        verbose_name_plural = _("presentation requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(audience_size__gte=AUDIENCE_SIZE_MIN, audience_size__lte=AUDIENCE_SIZE_MAX),
                name="request_audience_size_range",
                violation_error_message=_("The expected audience is between 1 and 5,000 people."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RequestStatus.values),
                name="request_status_valid",
            ),
        ]
        # The daily retention task finds closed requests by status and the time they closed.
        indexes = [models.Index(fields=["status", "status_changed_at"], name="request_status_since")]

    def __str__(self) -> str:
        return f"{self.reference} {self.organization_name}"

    @property
    def organization_label(self) -> str:
        """The organization's name where staff and presenters read it (private feeds, the staff
        calendar and pages); ERASED_LABEL once the personal details are erased, not an empty name."""
        return ERASED_LABEL if self.erased_at is not None else self.organization_name

    def get_staff_url(self) -> str:
        return reverse("staff:request_detail", args=[self.pk])

    # The token of the status link this instance was reached by or just issued with (common.links);
    # never stored: the database keeps only its hash.
    status_token: str | None = None

    def get_status_url(self) -> str:
        """The requester's private status page, by the link this instance was reached by or issued with."""
        if not self.status_token:
            raise ValueError("The request's status link is known only where it was issued or followed.")
        return request_status_url(self.status_token)


def request_status_url(token: str) -> str:
    """The absolute address of the status page for ``token`` (or a placeholder standing for one)."""
    return settings.SITE_URL + reverse("outreach:request_status", kwargs={"token": token})


class RequestWindow(models.Model):
    """One of the requester's preferred date and time windows (one to three per request)."""

    request = models.ForeignKey(PresentationRequest, on_delete=models.CASCADE, related_name="windows")
    position = models.PositiveSmallIntegerField(_("preference"))
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))

    class Meta:
        ordering = ["request", "position"]
        verbose_name = _("preferred window")
        verbose_name_plural = _("preferred windows")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="window_ends_after_start"),
            models.CheckConstraint(
                condition=models.Q(position__gte=1, position__lte=MAX_WINDOWS), name="window_position_range"
            ),
            models.UniqueConstraint(fields=["request", "position"], name="window_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class SubmissionKey(models.Model):
    """A submission that must make one request however often it is sent (outreach.submissions).

    The web form carries a random key from its first page to its "Send request" step; an API client
    may send one in the ``Idempotency-Key`` header. The first submission with a key makes the request
    and stores this row; a repeat finds it and answers with that request. Only the key's SHA-256
    is kept (a key can obtain a new status link, so it is a credential while it lasts), with a
    hash of the body it came with, so that the same key with other answers can be refused.
    The unique key hash lets only one of two simultaneous submissions commit.
    """

    key_hash = models.CharField(max_length=64, editable=False)
    request = models.ForeignKey(
        PresentationRequest, on_delete=models.CASCADE, related_name="submission_keys", editable=False
    )
    body_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "submission key"
        verbose_name_plural = "submission keys"
        constraints = [models.UniqueConstraint(fields=["key_hash"], name="submission_key_unique")]

    def __str__(self) -> str:
        return f"Submission key for request {self.request_id}"
