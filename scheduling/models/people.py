"""Presenters, and the time when they (or the whole program) cannot present."""

from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from outreach.models import Language, Presentation


class Presenter(models.Model):
    """A trained presenter. May log in (optional linked user) to see their own schedule."""

    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"), max_length=254, unique=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="presenter",
        verbose_name=_("login"),
    )
    languages = models.ManyToManyField(Language, related_name="presenters", verbose_name=_("languages"))
    presentations = models.ManyToManyField(
        Presentation,
        related_name="presenters",
        verbose_name=_("qualified to give"),
        help_text=_("The presentations this presenter is trained to give."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    max_talks_per_month = models.PositiveSmallIntegerField(
        _("talks a month at most"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit. Counted in the program's time zone, by the talk's start."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("presenter")
        verbose_name_plural = _("presenters")

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeeklyHours(models.Model):
    """The hours of one weekday when a presenter regularly takes talks, in the program's time zone
    (wall-clock times, so that they stay the same across daylight saving changes).

    A presenter without any rows takes talks on any day at any time; one with rows only within them.
    """

    presenter = models.ForeignKey(
        Presenter, on_delete=models.CASCADE, related_name="weekly_hours", verbose_name=_("presenter")
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        ordering = ["presenter", "weekday"]
        verbose_name = _("weekly hours")
        verbose_name_plural = _("weekly hours")
        constraints = [
            models.UniqueConstraint(fields=["presenter", "weekday"], name="weekly_hours_once_per_day"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="weekly_hours_end_after_start"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="weekly_hours_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def covers(self, start: time, end: time) -> bool:
        """Whether a talk from ``start`` to ``end`` (wall-clock times on this weekday) fits in these hours."""
        return self.start <= start and end <= self.end


class Blackout(models.Model):
    """Time when a presenter is away, or (without a presenter) a closure of the whole program."""

    presenter = models.ForeignKey(
        Presenter,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="blackouts",
        verbose_name=_("presenter"),
        help_text=_("Leave empty for a closure of the whole program, such as a holiday."),
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    # Set by the service that saves the row: the scheduled bookings it overlaps, as messages for staff.
    warnings: tuple[str, ...] | list[str] = ()

    class Meta:
        ordering = ["start"]
        verbose_name = _("blackout period")
        verbose_name_plural = _("blackout periods")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="blackout_ends_after_start"),
        ]

    def __str__(self) -> str:
        who = self.presenter.name if self.presenter_id else _("Program closure")
        return f"{who}: {self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    @property
    def is_closure(self) -> bool:
        return self.presenter_id is None
