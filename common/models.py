"""What several apps share in the database: the version of the data each kind of page shows."""

from django.db import models


class DataVersion(models.Model):
    """A counter per scope (the catalog, the schedule, outcomes) that every write to it moves.

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
