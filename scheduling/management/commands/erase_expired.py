"""``manage.py erase_expired [--dry-run]``: what the daily retention task does, now (README, "What we keep")."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from common.links import links_revoked_before
from scheduling.selectors import notifications_due_for_purge, requests_due_for_erasure
from scheduling.services.retention import private_links_prune_before, retention_apply


class Command(BaseCommand):
    help = (
        "Erase the personal details of requests closed more than RETENTION_DAYS ago, empty the bodies of "
        "emails sent more than OUTBOX_RETENTION_DAYS ago and delete links revoked that long ago."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count what is due; change nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        now = timezone.now()
        if dry_run:
            counts = {
                "requests_erased": requests_due_for_erasure(now=now).count(),
                "bodies_purged": notifications_due_for_purge(now=now).count(),
                "links_pruned": links_revoked_before(before=private_links_prune_before(now=now)).count(),
            }
        else:
            counts = retention_apply(now=now)
        if dry_run:
            self.stdout.write(
                f"Due: {counts['requests_erased']} request(s) to erase, {counts['bodies_purged']} email bodies to "
                f"empty, {counts['links_pruned']} revoked link(s) to delete. Nothing was changed."
            )
        else:
            self.stdout.write(
                f"Done: {counts['requests_erased']} request(s) erased, {counts['bodies_purged']} email bodies "
                f"emptied, {counts['links_pruned']} revoked link(s) deleted."
            )
