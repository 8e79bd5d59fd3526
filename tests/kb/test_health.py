"""/health/ for load balancers: database, cache and migrations, as JSON;
503 naming what fails; never cached; answered over plain HTTP too."""

import pytest
from django.core.cache import cache

from kb import health

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "migrations": "ok"}}
    assert "no-store" in response["Cache-Control"]
    assert not response.has_header("ETag")
    assert client.post("/health/").status_code == 405


def test_a_failing_cache_is_a_503_naming_it(client, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *a, **k: None)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "failing", "migrations": "ok"}


def test_unapplied_migrations_are_a_503(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", lambda self, targets: [("app", "0099")])
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failing"


def test_a_database_error_is_a_503_not_a_500(client, monkeypatch):
    def broken():
        raise RuntimeError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "failing"
