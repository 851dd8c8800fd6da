"""``manage.py versions_bump``: move the data versions after data was changed outside the application."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from common.versions import SCOPES, version_bump, versions_current

MSG_UNKNOWN_SCOPE = "No such scope: {unknown}. The scopes are {scopes}."


class Command(BaseCommand):
    help = (
        "Move the data versions (all, or the scopes named: catalog, schedule, outcomes, access), so that "
        "no stored page or feed, and no feed link's known owner, outlives a change made in the database by hand."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("scopes", nargs="*", metavar="scope", help=f"one of {', '.join(SCOPES)} (default: all)")

    def handle(self, *args, scopes: list[str], **options) -> None:
        unknown = sorted(set(scopes) - set(SCOPES))
        if unknown:
            raise CommandError(MSG_UNKNOWN_SCOPE.format(unknown=", ".join(unknown), scopes=", ".join(SCOPES)))
        scopes = scopes or list(SCOPES)
        with transaction.atomic():
            version_bump(*scopes)
        self.stdout.write(f"Moved: {versions_current(scopes)}")
