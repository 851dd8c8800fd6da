"""Keeping private links out of the logs.

A status-page, feed, evaluation or survey URL is a credential: whoever has it sees the request
or answers for its audience. Request and server logs name the path (and the Referer of a page
loaded from a private one), so the token part is replaced before a line is written, keeping the
path's shape (``/requests/[redacted]/withdraw/``):

- the path segment after a private prefix (``/requests/``, ``/evaluation/``, ``/survey/``,
  ``/calendar/presenter/``, ``/calendar/staff/``, and the same under ``/api/v1/``);
- a query value whose name says it is a credential (``token=``, ``code=``, ``key=``, ...);
- anything shaped like a random token (22 or more URL-safe characters mixing upper and lower
  case letters and digits), wherever it appears, as in a task's arguments.

``RedactPrivateLinks`` is the logging filter (Django's and Celery's handlers); ``redact`` is what
gunicorn's access log runs every field through (``config/gunicorn.py``).
"""

import logging
import re

REDACTED = "[redacted]"

_PRIVATE_SEGMENT = re.compile(
    r"(?P<prefix>/(?:requests|evaluation|survey|calendar/presenter|calendar/staff)/)"
    r"(?P<segment>[^/?#\s\"'<>\\]+)"
)
_CREDENTIAL_QUERY = re.compile(
    r"(?P<name>[?&;](?:token|code|key|secret|signature|sig|t|auth|password)=)(?P<value>[^&#\s\"'<>]+)",
    re.IGNORECASE,
)
_TOKEN_SHAPED = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{22,}(?![A-Za-z0-9_-])")
_KEPT_SUFFIXES = (".ics", ".svg")


def _segment(match: re.Match) -> str:
    segment = match["segment"]
    suffix = next((s for s in _KEPT_SUFFIXES if segment.endswith(s)), "")
    return f"{match['prefix']}{REDACTED}{suffix}"


def _token_shaped(match: re.Match) -> str:
    text = match[0]
    is_random = any(c.isupper() for c in text) and any(c.islower() for c in text) and any(c.isdigit() for c in text)
    return REDACTED if is_random else text


def redact(text: str) -> str:
    """``text`` with every private link's token replaced by ``[redacted]``."""
    text = _PRIVATE_SEGMENT.sub(_segment, text)
    text = _CREDENTIAL_QUERY.sub(lambda m: m["name"] + REDACTED, text)
    return _TOKEN_SHAPED.sub(_token_shaped, text)


class RedactPrivateLinks(logging.Filter):
    """Redacts a record's message and traceback; drops the request Django attaches to a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if hasattr(record, "request"):
            # django.request attaches the request; formatters that print it would leak the path.
            record.request = None
        return True
