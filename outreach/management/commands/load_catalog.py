"""Load the starter catalog: languages, audiences and presentations the program offers.

Idempotent: what already exists (matched by code or slug) is left as staff edited it.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from outreach.models import Audience, Language, Presentation

DATA = Path(__file__).resolve().parent.parent.parent / "data" / "starter_catalog.json"


class Command(BaseCommand):
    help = "Create the starter catalog's languages, audiences and presentations that do not exist yet."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        data = json.loads(DATA.read_text(encoding="utf-8"))
        created = {"languages": 0, "audiences": 0, "presentations": 0}
        for item in data["languages"]:
            _, new = Language.objects.get_or_create(code=item["code"], defaults={"name": item["name"]})
            created["languages"] += new
        for order, item in enumerate(data["audiences"]):
            _, new = Audience.objects.get_or_create(
                slug=item["slug"], defaults={"name": item["name"], "display_order": order * 10}
            )
            created["audiences"] += new
        audiences = {a.slug: a for a in Audience.objects.all()}
        languages = {lang.code: lang for lang in Language.objects.all()}
        for item in data["presentations"]:
            fields = {k: v for k, v in item.items() if k not in ("slug", "audiences", "languages")}
            presentation, new = Presentation.objects.get_or_create(slug=item["slug"], defaults=fields)
            if new:
                presentation.audiences.set([audiences[slug] for slug in item["audiences"]])
                presentation.languages.set([languages[code] for code in item["languages"]])
            created["presentations"] += new
        summary = ", ".join(f"{count} {kind}" for kind, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Starter catalog loaded ({summary} new)."))
