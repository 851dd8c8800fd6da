from django.apps import AppConfig
from django.contrib.auth import get_user_model

from common import checks  # noqa: F401 (registers the settings checks with Django)
from common.versions import ACCESS, versions_track


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Shared"

    def ready(self) -> None:
        # A staff feed opens for an active staff user: any change to a user (made staff or not,
        # deactivated, deleted) moves who may open it. The feeds' links move it in common.links.
        versions_track(get_user_model(), ACCESS)
