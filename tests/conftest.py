import os

import pytest
from django.conf import settings


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"database engine: {engine}"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: every test database starts its
    knowledge stamp afresh, so cached fragments must not outlive a test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_sessionstart(session):
    # Under CI a PostgreSQL run must really be on PostgreSQL: a DATABASE_URL
    # that silently fell back to SQLite would hide engine-specific failures.
    url = os.environ.get("DATABASE_URL", "")
    if os.environ.get("CI") == "true" and url.startswith("postgres"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture
def editor(db, django_user_model):
    from django.contrib.auth.models import Group

    from knowledge.roles import EDITORS_GROUP

    user = django_user_model.objects.create_user("editor", password="pw-editor-123", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
