"""Presenters, and the time when they (or the whole program) cannot present."""

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
    # SHA-256 of the private calendar-feed token; the token itself is shown once, when rotated.
    feed_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("presenter")
        verbose_name_plural = _("presenters")

    def __str__(self) -> str:
        return self.name


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
