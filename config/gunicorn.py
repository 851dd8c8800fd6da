"""gunicorn's settings (``gunicorn config.wsgi -c config/gunicorn.py``): the Dockerfile and compose use them.

The access log goes to standard output in the usual combined format, with every private link's
token replaced (common.logging.redact): the request line, the path, the query and the Referer
of a page loaded from a private one. Error-log lines get the same filter. Any setting can still
be given on the command line or in GUNICORN_CMD_ARGS (https://docs.gunicorn.org/en/stable/settings.html).
"""

import os

from gunicorn.glogging import Logger

from common.logging import RedactPrivateLinks, redact

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
accesslog = "-"
errorlog = "-"


class RedactingLogger(Logger):
    """gunicorn's logger with private links redacted from every access-log field and error line."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(RedactPrivateLinks())

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {name: redact(value) if isinstance(value, str) else value for name, value in atoms.items()}


logger_class = RedactingLogger
