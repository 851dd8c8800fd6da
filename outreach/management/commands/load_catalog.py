"""Load the starter catalog: languages, audiences and presentations the program offers, with their
translations.

Idempotent: what already exists (matched by code or slug) is left as staff edited it, except that a
translation still empty is filled in from the starter catalog.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import models, transaction

from common.versions import CATALOG, version_bump
from outreach.models import Audience, Language, Presentation

DATA = Path(__file__).resolve().parent.parent.parent / "data" / "starter_catalog.json"


def _translations(item: dict) -> dict[str, str]:
    """{"title_es": ..., "summary_so": ...} from an item's "translations"."""
    return {
        f"{field}_{code}": text
        for code, fields in item.get("translations", {}).items()
        for field, text in fields.items()
    }


def _fill_missing(instance: models.Model, translations: dict[str, str]) -> int:
    """Set the translations the instance does not have yet; return how many were set."""
    missing = {name: text for name, text in translations.items() if not getattr(instance, name)}
    if missing:
        type(instance).objects.filter(pk=instance.pk).update(**missing)
        version_bump(CATALOG)
    return len(missing)


class Command(BaseCommand):
    help = "Create the starter catalog's languages, audiences and presentations that do not exist yet."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        data = json.loads(DATA.read_text(encoding="utf-8"))
        created = {"languages": 0, "audiences": 0, "presentations": 0, "translations": 0}
        for item in data["languages"]:
            language, new = Language.objects.get_or_create(code=item["code"], defaults={"name_en": item["name"]})
            created["languages"] += new
            created["translations"] += _fill_missing(language, _translations(item))
        for order, item in enumerate(data["audiences"]):
            audience, new = Audience.objects.get_or_create(
                slug=item["slug"], defaults={"name_en": item["name"], "display_order": order * 10}
            )
            created["audiences"] += new
            created["translations"] += _fill_missing(audience, _translations(item))
        audiences = {a.slug: a for a in Audience.objects.all()}
        languages = {lang.code: lang for lang in Language.objects.all()}
        for item in data["presentations"]:
            fields = {k: v for k, v in item.items() if k not in ("slug", "audiences", "languages", "translations")}
            for name in ("title", "summary", "description"):
                fields[f"{name}_en"] = fields.pop(name)
            presentation, new = Presentation.objects.get_or_create(slug=item["slug"], defaults=fields)
            if new:
                presentation.audiences.set([audiences[slug] for slug in item["audiences"]])
                presentation.languages.set([languages[code] for code in item["languages"]])
            created["presentations"] += new
            created["translations"] += _fill_missing(presentation, _translations(item))
        summary = ", ".join(f"{count} {kind}" for kind, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Starter catalog loaded ({summary} new)."))
