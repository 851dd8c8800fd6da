from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from common.versions import SCHEDULE, versions_track


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = _("Scheduling and notifications")

    def ready(self) -> None:
        for name in ("Booking", "Presenter", "Proposal", "ProposedTime", "Blackout"):
            versions_track(self.get_model(name), SCHEDULE)
