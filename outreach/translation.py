"""The catalog's texts that staff translate per language (django-modeltranslation).

Each field gets one column per language in LANGUAGES (``title_en``, ``title_es``, ...); reading
``presentation.title`` gives the active language's text, or the English one where the
translation is still empty (``outreach.selectors.untranslated_fields`` tells the page so). An
empty translation is stored as NULL, so that names unique per language can all be missing.
"""

from modeltranslation.translator import TranslationOptions, register

from outreach.models import Audience, Language, Presentation


@register(Presentation)
class PresentationTranslation(TranslationOptions):
    fields = ("title", "summary", "description")
    required_languages = ("en",)
    empty_values = None


@register(Audience)
class AudienceTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)
    empty_values = None


@register(Language)
class LanguageTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)
    empty_values = None
