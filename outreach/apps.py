from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from common.versions import CATALOG, SCHEDULE, versions_track


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Catalog and requests")

    def ready(self) -> None:
        # The catalog's texts also appear in the feeds and on /events/, which read both scopes.
        for name in ("Presentation", "Audience", "Language"):
            versions_track(self.get_model(name), CATALOG)
        for name in ("PresentationRequest", "RequestWindow"):
            versions_track(self.get_model(name), SCHEDULE)
