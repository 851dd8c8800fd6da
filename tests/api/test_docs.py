"""The OpenAPI description and the interactive docs: complete, valid, and served from here."""

import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings_and_validates(tmp_path):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Outreach Scheduler API"


def test_every_operation_documents_examples_and_its_errors(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            success = next(code for code in responses if code.startswith("2"))
            content = responses[success].get("content", {}).get("application/json", {})
            if success != "204" and not content.get("examples"):
                missing.append(f"{method.upper()} {path}: response example")
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            if operation.get("requestBody") and not body.get("examples"):
                missing.append(f"{method.upper()} {path}: request example")
            for code in (c for c in responses if c.startswith("4")):
                error = responses[code]["content"]["application/json"]
                assert error["schema"] == {"$ref": "#/components/schemas/Error"}, (path, method, code)
                if not error.get("examples"):
                    missing.append(f"{method.upper()} {path}: {code} example")
            assert "429" in responses, (path, method)
    assert missing == []
    assert len([op for item in schema["paths"].values() for op in item]) == 39


def test_docs_load_nothing_from_elsewhere(client):
    page = client.get("/api/docs/")

    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources == [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js",
        "/api/docs/?script=",
    ]
    script = client.get("/api/docs/?script=")
    assert (script.status_code, script["Content-Type"]) == (200, "application/javascript")
    assert '"validatorUrl": null' in script.text
    assert "https://" not in page.text + script.text
    for source in sources:
        assert client.get(source).status_code == 200, source
