"""The catalog's texts on a page in another language: mark those still in English.

``<p{{ presentation|fallback_lang:"summary" }}>`` adds ``lang="en"`` where the summary has no
translation in the page's language yet, so that screen readers read it as English.
"""

from django import template
from django.conf import settings
from django.utils.html import format_html

from outreach.selectors import catalog_text_is_translated

register = template.Library()


@register.filter
def fallback_lang(item, field: str) -> str:
    if catalog_text_is_translated(item=item, field=field):
        return ""
    return format_html(' lang="{}"', settings.MODELTRANSLATION_DEFAULT_LANGUAGE)


@register.filter
def is_translated(item, field: str) -> bool:
    return catalog_text_is_translated(item=item, field=field)
