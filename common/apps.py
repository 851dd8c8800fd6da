from django.apps import AppConfig

from common import checks  # noqa: F401 (registers the settings checks with Django)


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Shared"
