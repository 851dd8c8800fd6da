from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from common.versions import OUTCOMES, versions_track


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("Outcomes and reports")

    def ready(self) -> None:
        for name in ("HostEvaluation", "SurveyResponse"):
            versions_track(self.get_model(name), OUTCOMES)
