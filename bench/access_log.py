"""What an access-log line costs a gunicorn worker: production's redacting logger next to gunicorn's own.

    .venv/bin/python -m bench.access_log [--rounds 7] [--lines 20000]

Production writes one access-log line per request (config/gunicorn.py: RedactingLogger, every private
link's token replaced). Here both loggers write the line of the same request, parsed by gunicorn's
own parser from the bytes a browser sends (a staff feed's address, a Referer from a status page,
the usual headers) and answered with the headers a stored feed carries, ``--lines`` times in a row,
one after the other in every round, into /dev/null. Printed: microseconds per line (median and
range over the rounds) and the paired ratio to gunicorn's logger in the same round. Each logger's
line is checked first: gunicorn's shows the token, ours does not.
"""

import argparse
import datetime
import statistics

from gunicorn.config import Config
from gunicorn.glogging import Logger
from gunicorn.http import wsgi
from gunicorn.http.parser import RequestParser

from bench.common import milliseconds_per_call, table
from config.gunicorn import RedactingLogger

# Made-up links of the shape the application issues (43 characters of URL-safe base64).
TOKEN = "bSyu6W3TseeLaKdwQJIrATQhRbcvVVhGrn4Q4A3WYWA"  # noqa: S105 (not a secret)
STATUS_TOKEN = "Zx9_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7"  # noqa: S105 (not a secret)
RAW_REQUEST = (
    f"GET /calendar/staff/{TOKEN}.ics?tentative=1 HTTP/1.1\r\n"
    "Host: outreach.example.org\r\n"
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
    "Accept: text/calendar,*/*;q=0.8\r\n"
    "Accept-Language: es-MX,es;q=0.8,en-US;q=0.5\r\n"
    "Accept-Encoding: gzip, deflate, br\r\n"
    f"Referer: https://outreach.example.org/requests/{STATUS_TOKEN}/?lang=es\r\n"
    'If-None-Match: "246b99ba3d836dc5f68bd8e5a74ba5ef334ab7e4"\r\n'
    "Connection: keep-alive\r\n"
    "\r\n"
).encode()
RESPONSE_HEADERS = [
    ("Content-Type", "text/calendar; charset=utf-8"),
    ("ETag", 'W/"246b99ba3d836dc5f68bd8e5a74ba5ef334ab7e4"'),
    ("Vary", "Accept-Encoding"),
    ("Content-Encoding", "gzip"),
    ("Content-Length", "38812"),
    ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
]


class _Socket:
    """What gunicorn's environ and response keep of the client's socket: nothing is sent here."""

    def sendall(self, data: bytes) -> None:  # pragma: no cover (never called: nothing is written)
        raise AssertionError("the bench writes no response")


def request_parsed(cfg: Config):
    """The request, its response (headers started, body sent) and its WSGI environ, as gunicorn builds them."""
    request = next(iter(RequestParser(cfg, iter([RAW_REQUEST]), ("127.0.0.1", 51234))))
    response, environ = wsgi.create(request, _Socket(), ("127.0.0.1", 51234), ("127.0.0.1", 8000), cfg)
    response.start_response("200 OK", RESPONSE_HEADERS)
    response.sent = 38812
    return request, response, environ


def line_of(logger_class: type[Logger], cfg: Config, request, response, environ) -> str:
    """The access-log line ``logger_class`` writes for the request."""
    logger = logger_class(cfg)
    return cfg.access_log_format % logger.atoms_wrapper_class(
        logger.atoms(response, request, environ, datetime.timedelta(microseconds=1234))
    )


def microseconds_per_line(logger: Logger, lines: int, request, response, environ) -> float:
    elapsed = datetime.timedelta(microseconds=1234)
    return milliseconds_per_call(lambda: logger.access(response, request, environ, elapsed), lines) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--lines", type=int, default=20000)
    args = parser.parse_args()

    cfg = Config()
    cfg.set("accesslog", "/dev/null")
    cfg.set("errorlog", "/dev/null")
    request, response, environ = request_parsed(cfg)
    theirs = line_of(Logger, cfg, request, response, environ)
    ours = line_of(RedactingLogger, cfg, request, response, environ)
    if TOKEN not in theirs or STATUS_TOKEN not in theirs or TOKEN in ours or STATUS_TOKEN in ours:
        raise SystemExit(f"unexpected lines:\n  gunicorn: {theirs}\n  ours:     {ours}")
    print(f"gunicorn's line: {theirs}\nour line:        {ours}\n")

    loggers = {"gunicorn's Logger (baseline)": Logger(cfg), "RedactingLogger (production)": RedactingLogger(cfg)}
    times: dict[str, list[float]] = {name: [] for name in loggers}
    for _ in range(args.rounds):
        for name, logger in loggers.items():
            times[name].append(microseconds_per_line(logger, args.lines, request, response, environ))
    baseline = times["gunicorn's Logger (baseline)"]
    rows = []
    for name, values in times.items():
        ratios = [value / base for value, base in zip(values, baseline, strict=True)]
        rows.append(
            [
                name,
                f"{statistics.median(values):.1f}",
                f"{min(values):.1f}-{max(values):.1f}",
                f"{statistics.median(ratios):.2f}",
                f"{min(ratios):.2f}-{max(ratios):.2f}",
            ]
        )
    title = (
        f"One access-log line, {args.rounds} rounds of {args.lines} lines each (into /dev/null): "
        "microseconds per line, median and range; ratio to gunicorn's logger in the same round"
    )
    print(table(["logger", "us/line", "range", "ratio", "ratio range"], rows, title=title))


if __name__ == "__main__":
    main()
