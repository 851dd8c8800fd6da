"""An email backend for development: each message becomes its own .eml file.

Django's file backend appends every message to one log file; an .eml file per message
opens directly in a mail program, invites and all.
"""

import itertools
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

_counter = itertools.count()


class EmlFileBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
            path = self.directory / f"{stamp}-{next(_counter)}.eml"
            path.write_bytes(message.message().as_bytes(linesep="\r\n"))
        return len(email_messages)
