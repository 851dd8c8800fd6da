"""What several apps share in the database: the version of the data each kind of page shows, and the
private links."""

from django.db import models


class DataVersion(models.Model):
    """A counter per scope (the catalog, the schedule, outcomes, access to the private feeds) that
    every write to it moves.

    Pages and feeds are cached, and their ETags made, under the versions of the scopes they
    show (common.versions), so a conditional GET or a cache lookup costs one primary-key read
    whatever the amount of data. ``changed_at`` tells apart two counters that start again
    from the same number (a restored or recreated database).
    """

    scope = models.CharField(max_length=40, primary_key=True)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "data version"
        verbose_name_plural = "data versions"

    def __str__(self) -> str:
        return f"{self.scope} {self.version}"


class LinkPurpose(models.TextChoices):
    """What a private link opens; the subject is the id of the row named here."""

    REQUEST_STATUS = "request_status", "Request status page (request)"
    PRESENTER_FEED = "presenter_feed", "Presenter calendar feed (presenter)"
    STAFF_FEED = "staff_feed", "Staff calendar feed (user)"
    HOST_EVALUATION = "host_evaluation", "Host evaluation (booking)"
    AUDIENCE_SURVEY = "audience_survey", "Audience survey (booking)"


class PrivateLink(models.Model):
    """One private link, known to the database only by its token's SHA-256.

    The token itself exists only in the address that was handed out (an email as it was sent,
    a page shown once): a copy of the database, a backup or the outbox yields no working link.
    Each link is revoked on its own; a subject (a request, a presenter, ...) may hold several,
    one per email that carried one.
    """

    purpose = models.CharField(max_length=20, choices=LinkPurpose.choices)
    subject_id = models.PositiveBigIntegerField(help_text="The id of the request, presenter, user or booking.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "private link"
        verbose_name_plural = "private links"
        indexes = [models.Index(fields=["purpose", "subject_id"], name="private_link_subject")]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "live"
        return f"{self.get_purpose_display()} {self.subject_id} ({state})"
