"""Mail helpers: Message-IDs in the site's domain, and an email backend for development that
writes each message as its own .eml file.

Django's file backend appends every message to one log file; an .eml file per message
opens directly in a mail program, invites and all.
"""

import itertools
from email.utils import make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

_counter = itertools.count()


def message_id_domain() -> str:
    """EMAIL_MESSAGE_ID_DOMAIN, else SITE_URL's host name: Django would use the server's own name
    (often ``localhost`` in a container), which spam filters distrust and which says nothing."""
    return settings.EMAIL_MESSAGE_ID_DOMAIN or urlsplit(settings.SITE_URL).hostname or "localhost"


def message_id(key: str = "") -> str:
    """A Message-ID header value in the site's domain: the same for the same ``key`` (so that a
    message sent again after a doubtful attempt keeps its identity), a new random one without."""
    if key:
        return f"<{key}@{message_id_domain()}>"
    return make_msgid(domain=message_id_domain())


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
