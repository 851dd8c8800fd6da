"""Configuration that cannot lie: each process starts on the settings it says, with the public address
its links need, or refuses to start and says why. Each case runs in a fresh process, as a deployment would."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from config.site_url import MSG_SITE_URL_INVALID, MSG_SITE_URL_MISSING

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION = {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "outreach.example.org"}
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; print(s.SETTINGS_MODULE, s.SITE_URL)"
)


def clean_environment(**env) -> dict:
    """This process's environment without any setting a test here decides, plus ``env``."""
    decided = ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "SITE_URL", "ALLOWED_HOSTS")
    return {**{k: v for k, v in os.environ.items() if k not in decided}, **env}


def run(command: list[str], **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=ROOT, env=clean_environment(**env), capture_output=True, text=True, timeout=120, check=False
    )


def last_error_line(result: subprocess.CompletedProcess) -> str:
    return result.stderr.strip().splitlines()[-1]


# --- Production needs SITE_URL ------------------------------------------------------------------


def test_production_refuses_to_start_without_site_url():
    result = run(
        [sys.executable, "manage.py", "check"], DJANGO_SETTINGS_MODULE="config.settings.production", **PRODUCTION
    )

    assert result.returncode == 1
    assert last_error_line(result) == f"django.core.exceptions.ImproperlyConfigured: {MSG_SITE_URL_MISSING}"


def test_production_refuses_a_site_url_without_scheme():
    result = run(
        [sys.executable, "manage.py", "check"],
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SITE_URL="outreach.example.org",
        **PRODUCTION,
    )

    assert result.returncode == 1
    expected = MSG_SITE_URL_INVALID % "outreach.example.org"
    assert last_error_line(result) == f"django.core.exceptions.ImproperlyConfigured: {expected}"


def test_production_links_point_at_site_url():
    result = run(
        [sys.executable, "-c", PRINT_SETTINGS],
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SITE_URL="https://outreach.example.org/",
        **PRODUCTION,
    )

    assert result.stdout.strip() == "config.settings.production https://outreach.example.org"


# --- Which settings each process uses -----------------------------------------------------------


def test_celery_app_defaults_to_production_settings():
    code = f"import config.celery; {PRINT_SETTINGS}"
    result = run([sys.executable, "-c", code], SITE_URL="https://x.org", **PRODUCTION)

    assert result.stdout.strip() == "config.settings.production https://x.org"


def test_celery_worker_without_settings_refuses_to_start_instead_of_using_development_links():
    result = run([sys.executable, "-m", "celery", "-A", "config", "report"], **PRODUCTION)

    assert result.returncode != 0
    assert last_error_line(result) == f"django.core.exceptions.ImproperlyConfigured: {MSG_SITE_URL_MISSING}"


def test_dockerfile_build_step_loads_the_production_settings():
    dockerfile = (ROOT / "Dockerfile").read_text()
    settings_module = re.search(r"DJANGO_SETTINGS_MODULE=(\S+)", dockerfile).group(1)
    build_step = re.search(r"^RUN ((?:\w+=\S+ )+)python manage.py collectstatic", dockerfile, re.M).group(1)
    build_env = dict(word.split("=", 1) for word in shlex.split(build_step))

    result = run([sys.executable, "-c", PRINT_SETTINGS], DJANGO_SETTINGS_MODULE=settings_module, **build_env)

    assert settings_module == "config.settings.production"
    assert (result.returncode, result.stderr) == (0, "")


def test_compose_runs_production_settings_and_requires_secret_key_and_site_url():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environments = {name: service.get("environment", {}) for name, service in compose["services"].items()}
    app = {name: env for name, env in environments.items() if name in ("web", "worker", "beat")}

    assert sorted(app) == ["beat", "web", "worker"]
    for env in app.values():
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
        assert env["SITE_URL"].startswith("${SITE_URL:?")


def test_compose_redis_evicts_only_keys_that_expire():
    """Redis is the cache and the Celery broker: under memory pressure only the cache's keys (which
    all expire, tests/common/test_cache.py) may go, never a queued task."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    words = shlex.split(compose["services"]["redis"]["command"])

    assert words[words.index("--maxmemory-policy") + 1] == "volatile-lru"
    assert words[words.index("--maxmemory") + 1] == "256mb"


def test_env_example_names_site_url_and_ci_checks_deployment_with_it():
    example = (ROOT / ".env.example").read_text()
    ci = (ROOT / ".ci" / "run").read_text()

    assert re.search(r"^SITE_URL=https://\S+$", example, re.M)
    deploy_check = ci[ci.index('section "deployment checks') : ci.index("check --deploy")]
    assert "SITE_URL=https://outreach.example.org" in deploy_check


# --- make run, make worker, make beat ------------------------------------------------------------


def make_command(target: str, *args: str, marker: str) -> str:
    """The command ``make <target> <args>`` would run (its line containing ``marker``), without running it."""
    result = subprocess.run(
        ["make", "-n", target, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    (line,) = [line for line in result.stdout.splitlines() if marker in line]
    return line


def settings_in(command: str, **env) -> str:
    """What Django's settings are in the environment ``command`` gives the program it starts (the
    program is swapped for Python printing the settings module and SITE_URL)."""
    environment_part = command[: command.index(".venv/bin/")]
    probe = f"{environment_part}.venv/bin/python -c {shlex.quote(PRINT_SETTINGS)}"
    result = subprocess.run(
        ["sh", "-c", probe], cwd=ROOT, env=clean_environment(**env), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_make_run_on_another_port_makes_links_point_at_that_port():
    command = make_command("run", "PORT=8101", marker="manage.py runserver 127.0.0.1:8101")

    assert settings_in(command) == "config.settings.local http://127.0.0.1:8101"
    assert settings_in(command, SITE_URL="https://outreach.example.org") == (
        "config.settings.local https://outreach.example.org"
    )


def test_make_worker_and_beat_use_development_settings_and_the_same_address():
    for target, marker in (("worker", " worker --loglevel INFO"), ("beat", " beat --loglevel INFO")):
        command = make_command(target, "PORT=8101", "HOST=localhost", marker=marker)

        assert settings_in(command) == "config.settings.local http://localhost:8101"
