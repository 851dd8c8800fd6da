"""Private links stay out of the logs the stack writes by default: gunicorn's access log (as the
Dockerfile and compose run it) and the development server's request log under DEBUG, read from
real processes' output. The Celery worker's log is in tests/scheduling/test_worker_logs.py."""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from common.logging import redact
from config.gunicorn import RedactedAtoms, RedactingLogger
from tests.scheduling.conftest import _stop, free_port, wait_for

CREATE_REQUEST = (
    "from tests.factories import PresentationRequestFactory; "
    "print('TOKEN=' + PresentationRequestFactory(contact_email='dana@example.net').token)"
)


def _fetch(url: str, *, method: str = "GET", headers: dict | None = None) -> int:
    """The status code of an http:// request to the server on loopback."""
    body = b"" if method == "POST" else None
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=body)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


class Site:
    """A SQLite database file with one submitted request, and the environment to serve it."""

    def __init__(self, directory: Path) -> None:
        self.environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"sqlite:///{directory / 'site.sqlite3'}",
            "ALLOWED_HOSTS": "127.0.0.1",
            "PYTHONUNBUFFERED": "1",
        }
        self.environment.pop("REDIS_URL", None)
        self.run("migrate", "--noinput", "-v0")
        output = self.run("shell", "-c", CREATE_REQUEST)
        self.token = next(line[6:] for line in output.splitlines() if line.startswith("TOKEN="))

    def run(self, *arguments: str) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=settings.BASE_DIR,
            env=self.environment,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    return Site(tmp_path_factory.mktemp("site"))


def _serve(command: list[str], *, environment: dict, log_path: Path, port: int) -> subprocess.Popen:
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT
        )

    def answers() -> bool:
        if process.poll() is not None:
            pytest.fail(f"The server exited with {process.returncode}.\n{log_path.read_text()}", pytrace=False)
        try:
            return _fetch(f"http://127.0.0.1:{port}/healthz") == 200
        except OSError:
            return False

    wait_for(answers, what=f"{command[1]} on port {port}", timeout=120, details=log_path.read_text)
    return process


def _visit_private_pages(base: str, token: str) -> list[int]:
    """The status page, its API and an action posted without a CSRF cookie."""
    return [
        _fetch(f"{base}/requests/{token}/?lang=es"),
        _fetch(f"{base}/api/v1/requests/{token}/"),
        _fetch(f"{base}/requests/{token}/withdraw/", method="POST"),
    ]


def _read_until(log_path: Path, text: str) -> str:
    wait_for(lambda: text in log_path.read_text(), what=f"{text!r} in the log", timeout=60, details=log_path.read_text)
    return log_path.read_text()


def test_gunicorn_access_log_redacts_the_status_link(site, tmp_path):
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket"]
    server = _serve(command, environment=site.environment, log_path=log_path, port=port)
    try:
        statuses = _visit_private_pages(f"http://127.0.0.1:{port}", site.token)
        referer = f"http://127.0.0.1:{port}/requests/{site.token}/"
        statuses.append(_fetch(f"http://127.0.0.1:{port}/healthz?from=status", headers={"Referer": referer}))
        log = _read_until(log_path, "/healthz?from=status")
    finally:
        _stop(server)

    assert statuses == [200, 200, 403, 200]
    assert site.token not in log
    assert '"GET /requests/[redacted]/?lang=es HTTP/1.1" 200 ' in log
    assert '"GET /api/v1/requests/[redacted]/ HTTP/1.1" 200 ' in log
    assert '"POST /requests/[redacted]/withdraw/ HTTP/1.1" 403 ' in log
    assert f'"http://127.0.0.1:{port}/requests/[redacted]/"' in log


def test_access_log_fields_are_redacted_whatever_the_format_reads():
    """The fields a format names are redacted as they are read, then their quotes escaped as gunicorn
    escapes them; a field the request does not have prints "-"."""
    token = "Zx9_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7"
    atoms = {
        "h": "127.0.0.1",
        "r": f"GET /calendar/staff/{token}.ics HTTP/1.1",
        "U": f"/requests/{token}/",
        "s": "200",
        "B": 512,
        "{referer}i": f'http://127.0.0.1:8000/requests/{token}/?lang=es&note="hi"',
        "{x-request-note}i": f"ref {token}",
        "{path_info}e": f"/evaluation/12.{token}/",
    }
    log_format = (
        '%(h)s "%(r)s" %(U)s %(s)s %(B)s "%({Referer}i)s" "%({X-Request-Note}i)s" %({PATH_INFO}e)s %({X-Absent}i)s'
    )

    line = log_format % RedactedAtoms(atoms)

    assert line == (
        '127.0.0.1 "GET /calendar/staff/[redacted].ics HTTP/1.1" /requests/[redacted]/ 200 512 '
        '"http://127.0.0.1:8000/requests/[redacted]/?lang=es&note=\\"hi\\"" "ref [redacted]" /evaluation/[redacted]/ -'
    )
    assert RedactingLogger.atoms_wrapper_class is RedactedAtoms


def test_development_server_log_under_debug_redacts_the_status_link(site, tmp_path):
    port = free_port()
    log_path = tmp_path / "runserver.log"
    environment = {**site.environment, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DEBUG": "1"}
    command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    server = _serve(command, environment=environment, log_path=log_path, port=port)
    try:
        statuses = _visit_private_pages(f"http://127.0.0.1:{port}", site.token)
        log = _read_until(log_path, "POST /requests/[redacted]/withdraw/")
    finally:
        _stop(server)

    assert statuses == [200, 200, 403]
    assert site.token not in log
    assert '"GET /requests/[redacted]/?lang=es HTTP/1.1" 200 ' in log
    assert "Forbidden (CSRF cookie not set.): /requests/[redacted]/withdraw/" in log


def test_redact_keeps_the_shape_of_every_private_link():
    token = "Zx9_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7"

    assert redact(f"GET /requests/{token}/withdraw/?lang=so") == "GET /requests/[redacted]/withdraw/?lang=so"
    assert redact(f"/calendar/presenter/{token}.ics") == "/calendar/presenter/[redacted].ics"
    assert redact(f"/calendar/staff/{token}.ics") == "/calendar/staff/[redacted].ics"
    assert redact(f"/evaluation/12.{token}/") == "/evaluation/[redacted]/"
    assert redact("/survey/12-abcdefgh/qr.svg?lang=es") == "/survey/[redacted]/qr.svg?lang=es"
    assert redact(f"/api/v1/requests/{token}/cancel/") == "/api/v1/requests/[redacted]/cancel/"
    assert redact("/feeds/?token=abc123&page=2") == "/feeds/?token=[redacted]&page=2"
    assert redact(f"args: ['{token}']") == "args: ['[redacted]']"
    assert redact("task 5f0e7c1e-2b6a-4c8d-9e0f-1a2b3c4d5e6f succeeded") == (
        "task 5f0e7c1e-2b6a-4c8d-9e0f-1a2b3c4d5e6f succeeded"
    )
    assert redact("GET /presentations/human-trafficking-101/ 200") == "GET /presentations/human-trafficking-101/ 200"
