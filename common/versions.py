"""Data versions: one counter per scope, moved by every write to what the scope's pages show.

A page or feed is cached, and its ETag made, under the versions of the scopes it reads
(``versions_current``): one read of a four-row table, whatever the number of bookings, tells whether
a stored copy is current. Each app names its models' scopes once, in its AppConfig.ready()
(``versions_track``): any save or delete of such a model, and any change to one of its
many-to-many relations, moves the counters in the same transaction. Tracking whole models
rather than fields means a field added later is covered without anyone remembering it.
``QuerySet.update()`` and ``bulk_create()`` send no signals: a service that uses them calls
``version_bump`` itself (tests/common/test_versions.py lists the models each scope tracks).

A counter moves with its write (in the same transaction) or after it, never before: a reader
that sees the new version then sees the new data too. Writes made outside the application (SQL
typed into the database) move nothing: what they change shows once the scope next moves.
"""

from collections.abc import Iterable

from django.apps import apps
from django.db import InterfaceError, OperationalError, connection, models
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

# What the public catalog shows: presentations, audiences, languages.
CATALOG = "catalog"
# Requests, their windows and proposals, bookings and presenters: the feeds, /events/, the staff pages.
SCHEDULE = "schedule"
# Host evaluations and survey answers: the reports.
OUTCOMES = "outcomes"
# Who may open a private feed: the feed links and the users (calendars.selectors.links).
ACCESS = "access"
SCOPES = (CATALOG, SCHEDULE, OUTCOMES, ACCESS)

# model -> the scopes it moves (what versions_track registered; read by the tests).
TRACKED: dict[type[models.Model], tuple[str, ...]] = {}


def _table() -> type[models.Model]:
    """common.models.DataVersion, looked up by name: the apps register their models with this
    module from AppConfig.ready(), which runs before models may be imported by module."""
    return apps.get_model("common", "DataVersion")


def version_bump(*scopes: str) -> None:
    """Move the counters of ``scopes``, in the current transaction (a rollback undoes it)."""
    DataVersion = _table()
    now = timezone.now()
    for scope in scopes:
        if not DataVersion.objects.filter(scope=scope).update(version=F("version") + 1, changed_at=now):
            DataVersion.objects.bulk_create(
                [DataVersion(scope=scope, version=0, changed_at=now)], ignore_conflicts=True
            )
            DataVersion.objects.filter(scope=scope).update(version=F("version") + 1, changed_at=now)


def versions_current(scopes: Iterable[str]) -> str:
    """The versions of ``scopes`` as one string for a cache key or an ETag: one query of a four-row table."""
    scopes = tuple(scopes)
    return versions_join(versions_read(scopes), scopes)


def versions_read(scopes: Iterable[str]) -> dict[str, str]:
    """Each of ``scopes``'s version as text, read in one query (one snapshot): for a caller that
    files different things under different scopes from the same read (``versions_join``).

    Read with a plain cursor rather than the ORM: it runs for every stored page or feed served,
    and building the query and the model instances cost more than the query itself. The time of
    the last change is part of the text, its digits as the database writes them as text (it tells
    apart two databases whose counters happen to match, after a restore say; read as text, it
    costs no date parsing); only equality matters.
    """
    # Every scope's row (the table holds one per scope, four): cheaper for PostgreSQL to read whole
    # than to look up by key, and the same text whatever is asked.
    query = f"SELECT scope, version, CAST(changed_at AS TEXT) FROM {_table()._meta.db_table}"  # noqa: S608 (the model's table name)
    rows = {scope: (version, changed_at) for scope, version, changed_at in _fetch_checking_connection(query)}
    parts = {}
    for scope in scopes:
        row = rows.get(scope)
        parts[scope] = f"{scope}{row[0]}.{''.join(filter(str.isdigit, str(row[1])))}" if row else f"{scope}0"
    return parts


def versions_join(parts: dict[str, str], scopes: Iterable[str]) -> str:
    """The versions of ``scopes``, read by ``versions_read``, as one string (the same whatever their order)."""
    return "-".join(parts[scope] for scope in sorted(set(scopes)))


def _fetch(query: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchall()


def _fetch_checking_connection(query: str) -> list[tuple]:
    """The rows of ``query``; when it is the request's first use of a kept connection, it is also
    the connection's health check (CONN_HEALTH_CHECKS).

    Django checks a kept connection with a ``SELECT 1`` before a request's first query; for a
    stored page, whose only query is this one, that doubles the round trips. So this query takes
    the check's place: on a connection that turns out to be gone (the server restarted, say) it
    closes it and asks once more on a new one, which is what the check would have done. Inside a
    transaction, or on a connection already checked, Django's own rules apply unchanged.
    """
    if (
        connection.connection is None
        or not connection.health_check_enabled
        or connection.health_check_done
        or connection.in_atomic_block
    ):
        return _fetch(query)
    connection.health_check_done = True
    try:
        return _fetch(query)
    except (InterfaceError, OperationalError):
        connection.close()
        return _fetch(query)


def versions_track(model: type[models.Model], *scopes: str) -> None:
    """Move ``scopes`` whenever a ``model`` row is saved or deleted or one of its m2m relations changes."""
    TRACKED[model] = scopes

    def moved(**kwargs) -> None:
        if kwargs.get("raw"):  # loaddata: the fixture's data, not a change someone made
            return
        version_bump(*scopes)

    def m2m_moved(action: str, **kwargs) -> None:
        if action in ("post_add", "post_remove", "post_clear"):
            version_bump(*scopes)

    uid = f"versions:{model._meta.label}"
    post_save.connect(moved, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(moved, sender=model, weak=False, dispatch_uid=uid)
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        m2m_changed.connect(m2m_moved, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}")
        if through._meta.auto_created:
            TRACKED[through] = scopes
            post_save.connect(moved, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}")
            post_delete.connect(moved, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}")
