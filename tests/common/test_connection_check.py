"""A stored page's only query doubles as the kept connection's health check.

With persistent connections (CONN_MAX_AGE) and CONN_HEALTH_CHECKS, Django asks ``SELECT 1`` on a
kept connection before a request's first query. The data versions' query takes that check's
place: a stored page costs one round trip, and a connection the server dropped in the meantime
is replaced, the page answered, as the check would have done. Between two test requests the end
of a request is played by ``close_if_unusable_or_obsolete`` (the test client leaves it out).
"""

import psycopg
import pytest
from django.db import connection, connections, transaction
from django.test import Client

from common.versions import CATALOG, versions_current

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kept_connection(monkeypatch) -> list[str]:
    """The default connection kept between requests and health-checked, as in production; the
    checks Django runs itself, in order."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    connection.close()
    checks: list[str] = []
    wrapper = type(connections["default"])
    is_usable = wrapper.is_usable
    monkeypatch.setattr(wrapper, "is_usable", lambda self: checks.append("SELECT 1") or is_usable(self))
    yield checks
    connection.close()


def next_request() -> None:
    connection.close_if_unusable_or_obsolete()


def dropped_by_the_server() -> None:
    """The server ends the connection's session (as a restart or an idle timeout would)."""
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_stored_page_on_a_kept_connection_runs_no_separate_check(kept_connection, presentation):
    client = Client()
    built = client.get("/presentations/")
    next_request()

    again = client.get("/presentations/")

    assert (built.status_code, again.status_code) == (200, 200)
    assert again.content == built.content
    assert kept_connection == []


def test_stored_page_answers_after_the_server_dropped_the_kept_connection(kept_connection, presentation):
    client = Client()
    built = client.get("/presentations/")
    pid = connection.connection.info.backend_pid
    next_request()
    dropped_by_the_server()

    again = client.get("/presentations/")

    assert again.status_code == 200
    assert again.content == built.content
    assert connection.connection.info.backend_pid != pid


def test_other_pages_keep_djangos_check(kept_connection, presentation):
    client = Client()
    client.get("/presentations/")
    next_request()

    form = client.get(f"/presentations/{presentation.slug}/request/")

    assert form.status_code == 200
    assert kept_connection == ["SELECT 1"]


def test_versions_inside_a_transaction_are_read_as_usual(kept_connection):
    versions_current([CATALOG])
    next_request()
    with transaction.atomic():
        inside = versions_current([CATALOG])

    assert inside == versions_current([CATALOG])
    assert kept_connection == ["SELECT 1"]
