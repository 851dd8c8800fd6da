"""gunicorn's settings (``gunicorn config.wsgi -c config/gunicorn.py``): the Dockerfile and compose use them.

The access log goes to standard output in the usual combined format, with every private link's
token replaced (common.logging.redact): the request line, the path, the query and the Referer
of a page loaded from a private one. Error-log lines get the same filter. Any setting can still
be given on the command line or in GUNICORN_CMD_ARGS (https://docs.gunicorn.org/en/stable/settings.html).
"""

import os

from gunicorn.glogging import Logger, SafeAtoms

from common.logging import RedactPrivateLinks, redact

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
accesslog = "-"
errorlog = "-"


class RedactedAtoms(SafeAtoms):
    """One access-log line's fields, each redacted (then its quotes escaped, as gunicorn does) when the
    line's format reads it: whatever the format, no field is printed unredacted, and the dozens of
    header and environment fields a request has are not worked on unless the format names them."""

    def __init__(self, atoms: dict) -> None:
        dict.__init__(self, atoms)

    def __getitem__(self, name: str):
        value = super().__getitem__(name)
        return redact(value).replace('"', '\\"') if isinstance(value, str) else value


class RedactingLogger(Logger):
    """gunicorn's logger with private links redacted from every access-log field and error line."""

    atoms_wrapper_class = RedactedAtoms

    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(RedactPrivateLinks())


logger_class = RedactingLogger
