"""Start-up checks of the settings this app adds (``manage.py check`` and every server start run them)."""

import os

from django.conf import settings
from django.core import checks
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


@register(deploy=False)
def retired_settings_check(app_configs, **kwargs) -> list[checks.Warning]:
    """Environment variables an earlier release read and this one ignores: say so rather than
    let a deployment believe it is configured."""
    warnings = []
    if os.environ.get("RATELIMIT_IP_META_KEY"):
        warnings.append(
            checks.Warning(
                "RATELIMIT_IP_META_KEY is no longer read: the client's address comes from REMOTE_ADDR, "
                "after TRUSTED_PROXY_COUNT proxies are taken off X-Forwarded-For.",
                hint="Remove RATELIMIT_IP_META_KEY; behind one reverse proxy set TRUSTED_PROXY_COUNT=1.",
                id="common.W001",
            )
        )
    return warnings
