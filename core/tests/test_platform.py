"""Health, readiness, security headers, error shape, structured request logs."""

import json
import logging

import pytest
from django.test import Client

from core import health
from core.exceptions import DomainError
from core.money import Money

pytestmark = pytest.mark.django_db


def test_healthz_is_ok():
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_database_cache_broker_and_storage():
    response = Client().get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "storage"}
    assert all(check["ok"] for check in body["checks"].values())


def test_readyz_reports_a_failing_dependency_with_503(monkeypatch):
    def broken() -> None:
        raise ConnectionError("broker down")

    monkeypatch.setitem(health.CHECKS, "broker", broken)

    response = Client().get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"] == {
        "ok": False,
        "error": "ConnectionError: broker down",
        "ms": pytest.approx(0, abs=50),
    }
    assert body["checks"]["database"]["ok"] is True


def test_security_headers_on_pages():
    response = Client().get("/")

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp


def test_api_docs_and_schema_are_served_without_a_cdn():
    client = Client()
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert b"/api/auth/login" in schema.content
    assert docs.status_code == 200
    assert b"drf_spectacular_sidecar" in docs.content  # Swagger UI from our own static files


def test_cors_allows_configured_origins_on_the_api(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.wans.example"]

    response = Client().options(
        "/api/auth/login", HTTP_ORIGIN="https://app.wans.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )

    assert response["Access-Control-Allow-Origin"] == "https://app.wans.example"


def test_site_404_is_a_page():
    response = Client().get("/no-such-page")

    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_each_request_logs_one_structured_line(caplog):
    with caplog.at_level(logging.INFO, logger="wans.request"):
        Client().get("/healthz", REMOTE_ADDR="203.0.113.9")

    records = [r for r in caplog.records if r.name == "wans.request"]
    assert len(records) == 1
    record = records[0]
    assert (record.method, record.path, record.status, record.user_id, record.ip) == (
        "GET",
        "/healthz",
        200,
        None,
        "203.0.113.9",
    )
    assert record.duration_ms >= 0


def test_json_formatter_writes_one_object_per_line():
    from core.logging import JsonFormatter

    record = logging.makeLogRecord({"name": "wans.request", "msg": "request", "levelname": "INFO", "status": 200})

    line = JsonFormatter().format(record)

    assert "\n" not in line
    assert json.loads(line)["status"] == 200


def test_domain_error_body():
    error = DomainError("Nope.", code="nope", http_status=409, fields={"x": ["bad"]})

    assert error.as_body() == {"error": {"code": "nope", "message": "Nope.", "fields": {"x": ["bad"]}}}


def test_money_adds_within_a_currency_and_formats():
    assert (Money(1500, "PGK") + Money(250, "PGK")).format() == "PGK 17.50"
    with pytest.raises(ValueError, match="cannot combine"):
        Money(1, "PGK") + Money(1, "USD")
    with pytest.raises(TypeError):
        Money(1.5, "PGK")
