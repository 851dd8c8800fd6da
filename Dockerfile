# One image for the web server, the Celery worker and the scheduler (docker-compose.yml).
# It installs the runtime lock alone (requirements.txt, every package pinned with its hashes);
# .dockerignore keeps the tests, the benchmarks and the development tools out.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Production settings need a secret, a host and the public address to load; collectstatic uses none of them.
RUN SECRET_KEY=build ALLOWED_HOSTS=build SITE_URL=https://build.invalid python manage.py collectstatic --noinput \
    && useradd --system --home /app outreach \
    && mkdir -p /app/var && chown -R outreach /app/var
USER outreach

EXPOSE 8000
# /healthz answers once the app reaches its database. The request names the first of ALLOWED_HOSTS as
# its Host, so the check passes when the site is configured for its public name only. Python's urllib,
# since the slim image has no curl. docker-compose.yml gives the worker and beat checks of their own.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; host = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': host if host not in ('', '*') else 'localhost'}), timeout=3)"]
# config/gunicorn.py: 0.0.0.0:8000, three workers, the access log on standard output with private links redacted.
CMD ["gunicorn", "config.wsgi", "-c", "config/gunicorn.py"]
