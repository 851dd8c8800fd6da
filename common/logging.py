"""Logging filters that keep private links out of the logs.

A status-page or feed URL is a credential: whoever has it sees the request. Request and
server logs name the path, so the token part is replaced before a record is written.
"""

import logging
import re

_PRIVATE_PATH = re.compile(r"(/(?:requests|evaluation|calendar/presenter|calendar/staff)/)[A-Za-z0-9_.-]{8,}")


def redact(text: str) -> str:
    return _PRIVATE_PATH.sub(r"\1[redacted]", text)


class RedactPrivateLinks(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if hasattr(record, "request"):
            # django.request attaches the request; formatters that print it would leak the path.
            record.request = None
        return True
