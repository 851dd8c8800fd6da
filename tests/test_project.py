"""Project-level promises: production configuration, the starter catalog, the development mail folder."""

import ast
import email
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command

from common.mail import EmlFileBackend
from outreach.models import Audience, Language, Presentation

ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_python(
        "import django; django.setup()", DJANGO_SETTINGS_MODULE="config.settings.production", ALLOWED_HOSTS="x.org"
    )

    assert result.returncode == 1
    assert "ImproperlyConfigured: Set the SECRET_KEY environment variable" in result.stderr


def test_production_debug_is_off_by_default():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.TIME_ZONE)",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="x.org",
        SITE_URL="https://x.org",
    )

    assert result.stdout.strip() == "False America/Chicago"


def test_production_reads_services_from_environment():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_HOST)",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="x.org",
        SITE_URL="https://x.org",
        DATABASE_URL="postgres://u:p@db:5432/outreach",
        REDIS_URL="redis://cache:6379/0",
        EMAIL_URL="smtp+tls://user:pw@mail.example.org:587",
    )

    assert result.stdout.strip() == "django.db.backends.postgresql redis://cache:6379/0 False mail.example.org"


@pytest.mark.django_db
def test_starter_catalog_loads_once_and_keeps_staff_edits():
    call_command("load_catalog")
    Presentation.objects.filter(slug="safe-harbor").update(
        title_en="Safe Harbor (edited by staff)", title_es="Safe Harbor (editado)", title_so=None
    )

    call_command("load_catalog")

    assert Presentation.objects.count() == 9
    assert (Audience.objects.count(), Language.objects.count()) == (11, 4)
    safe_harbor = Presentation.objects.get(slug="safe-harbor")
    assert (safe_harbor.title_en, safe_harbor.title_es) == ("Safe Harbor (edited by staff)", "Safe Harbor (editado)")
    # a translation still missing is filled in from the starter catalog
    assert safe_harbor.title_so == "Safe Harbor: Habka Minnesota ee dhallinyarada galmada lagu dhibaateeyay"
    assert Language.objects.get(code="hmn").name_hmn == "Lus Hmoob"
    assert Presentation.objects.get(slug="labor-and-sex-trafficking").description_so is None  # shown in English
    schools = Presentation.objects.get(slug="recognize-respond-schools")
    assert list(schools.audiences.values_list("slug", flat=True)) == ["educators"]
    assert sorted(schools.languages.values_list("code", flat=True)) == ["en", "es"]


def test_eml_backend_writes_one_file_per_message(tmp_path):
    message = EmailMultiAlternatives("Hello", "Plain body", "from@example.org", ["to@example.org"])
    message.attach_alternative("<p>HTML body</p>", "text/html")

    sent = EmlFileBackend(file_path=tmp_path).send_messages([message, message])

    files = sorted(tmp_path.glob("*.eml"))
    assert (sent, len(files)) == (2, 2)
    parsed = email.message_from_bytes(files[0].read_bytes())
    assert (parsed["Subject"], parsed["To"], parsed.get_content_type()) == (
        "Hello",
        "to@example.org",
        "multipart/alternative",
    )


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


# --- The layout: imports run one way ------------------------------------------------------------

APPS = ("common", "config", "accounts", "outreach", "scheduling", "calendars", "outcomes")


def _project_modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            name = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
            modules[name] = path
    return modules


def _imports(path: Path, name: str, modules: dict[str, Path]) -> tuple[set[str], list[tuple[int, str]]]:
    """(project modules imported at module level, [(line, module) imported inside a function or class])."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def resolve(target: str) -> str | None:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        return target or None

    tree = ast.parse(path.read_text())
    top_level = {id(node) for node in tree.body} | {
        id(inner) for node in tree.body if isinstance(node, ast.If | ast.Try) for inner in node.body
    }
    imported, nested = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found = {m for m in map(resolve, targets) if m and m != name}
        if id(node) in top_level:
            imported |= found
        else:
            nested += [(node.lineno, m) for m in sorted(found)]
    return imported, nested


def test_no_module_imports_another_in_a_circle():
    modules = _project_modules()
    graph = {name: _imports(path, name, modules)[0] for name, path in modules.items()}
    circles, state = [], {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                circles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])

    assert circles == []


def test_no_project_import_hides_inside_a_function():
    modules = _project_modules()
    nested = {
        f"{name}:{line}": target for name, path in modules.items() for line, target in _imports(path, name, modules)[1]
    }

    assert nested == {}


def test_only_the_lifecycle_package_imports_its_own_modules():
    """The request lifecycle is one service: code outside scheduling/services/review/ imports what the
    package exports (``scheduling.services.review``), never one of its modules."""
    package = "scheduling.services.review"
    inside = ROOT / "scheduling" / "services" / "review"
    submodules = {path.stem for path in inside.glob("*.py")} - {"__init__"}
    offenders = []
    for top in (*APPS, "tests", "bench"):
        for path in (ROOT / top).rglob("*.py"):
            if path.is_relative_to(inside):
                continue
            relative = path.relative_to(ROOT)
            parts = relative.with_suffix("").parts
            current = ".".join(parts[:-1])  # the package a relative import starts from
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    targets = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    base = node.module or ""
                    if node.level:
                        anchor = current.split(".")[: len(current.split(".")) - node.level + 1]
                        base = ".".join([*anchor, base] if base else anchor)
                    targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
                else:
                    continue
                bad = [t for t in targets if t.startswith(f"{package}.") and t.split(".")[3] in submodules]
                offenders += [f"{relative}:{node.lineno} {target}" for target in bad]

    assert submodules >= {"rules", "requests", "proposals", "bookings"}
    assert offenders == []
