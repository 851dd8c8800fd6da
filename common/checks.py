"""Start-up checks of the settings this app adds (``manage.py check`` and every server start run them)."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def public_languages_check(app_configs, **kwargs) -> list[Error]:
    """PUBLIC_LANGUAGES must name languages the site is translated into, English among them."""
    known = {code for code, _name in settings.LANGUAGES}
    errors = []
    unknown = [code for code in settings.PUBLIC_LANGUAGES if code not in known]
    if unknown:
        errors.append(
            Error(
                f"PUBLIC_LANGUAGES names {', '.join(unknown)}, which LANGUAGES does not have.",
                hint=f"Choose among {', '.join(sorted(known))}.",
                id="common.E001",
            )
        )
    if settings.LANGUAGE_CODE not in settings.PUBLIC_LANGUAGES:
        errors.append(
            Error(
                f"PUBLIC_LANGUAGES must include {settings.LANGUAGE_CODE}, the language every page falls back to.",
                id="common.E002",
            )
        )
    return errors
