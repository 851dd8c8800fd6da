"""What came of a presentation: the host's evaluation and the audience's anonymous survey answers."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from scheduling.models.bookings import Booking

RATING_MIN = 1
RATING_MAX = 5
ATTENDANCE_MAX = 100_000


class NextStep(models.TextChoices):
    """What the host organization plans to do after the presentation (one answer, for reporting)."""

    TRAIN_STAFF = "train_staff", _("Train more staff or volunteers")
    UPDATE_POLICY = "update_policy", _("Write or update a policy or protocol")
    SHARE_RESOURCES = "share_resources", _("Share the resources with our community")
    ANOTHER_PRESENTATION = "another_presentation", _("Host another presentation for another group")
    PARTNER = "partner", _("Connect with local services or partners")
    NOT_SURE = "not_sure", _("Not decided yet")
    OTHER = "other", _("Something else (tell us in the comments)")


class WouldRequestAgain(models.TextChoices):
    # Translators: answers to "Would you request a presentation from us again?" and, below, to
    # "Do you know where to get help?".
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")


class KnowsWhereToGetHelp(models.TextChoices):
    YES = "yes", _("Yes")
    NOT_SURE = "not_sure", _("Not sure")
    NO = "no", _("No")


def _rating_range(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": RATING_MIN, f"{field}__lte": RATING_MAX}), name=name
    )


class HostEvaluation(models.Model):
    """The host organization's answer to the evaluation linked from the thank-you email: one per booking."""

    booking = models.OneToOneField(
        Booking, on_delete=models.CASCADE, related_name="evaluation", verbose_name=_("booking")
    )
    rating = models.PositiveSmallIntegerField(_("overall rating"))
    usefulness = models.PositiveSmallIntegerField(_("usefulness for the audience"))
    confirmed_attendance = models.PositiveIntegerField(_("attendance confirmed by the host"))
    next_step = models.CharField(_("what the organization will do next"), max_length=30, choices=NextStep.choices)
    would_request_again = models.CharField(_("would request again"), max_length=10, choices=WouldRequestAgain.choices)
    comments = models.TextField(_("comments"), max_length=4000, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("host evaluation")
        verbose_name_plural = _("host evaluations")
        constraints = [
            _rating_range("rating", "evaluation_rating_range"),
            _rating_range("usefulness", "evaluation_usefulness_range"),
            models.CheckConstraint(
                condition=models.Q(confirmed_attendance__lte=ATTENDANCE_MAX), name="evaluation_attendance_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.rating}/5"


class SurveyResponse(models.Model):
    """One anonymous answer to a booking's audience survey. Nothing here identifies the person."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="survey_responses", verbose_name=_("booking")
    )
    understanding_before = models.PositiveSmallIntegerField(_("understanding before"))
    understanding_after = models.PositiveSmallIntegerField(_("understanding after"))
    knows_where_to_get_help = models.CharField(
        _("knows where to get help"), max_length=10, choices=KnowsWhereToGetHelp.choices
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("audience survey response")
        verbose_name_plural = _("audience survey responses")
        constraints = [
            _rating_range("understanding_before", "survey_before_range"),
            _rating_range("understanding_after", "survey_after_range"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.understanding_before} -> {self.understanding_after}"
