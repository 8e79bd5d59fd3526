"""Shared fixtures.

- ``shipped_knowledge`` (session-scoped): the shipped knowledge
  (``knowledge/data/knowledge.yaml``) loaded once for the whole run, for the
  tests that read it. It is loaded inside a transaction that stays open until
  the end of the session and is then rolled back; each test still runs in its
  own savepoint, so what a test writes is undone after it. The tests that ask
  for it run after every other non-transactional test (see
  ``pytest_collection_modifyitems``), so the others still start from an empty
  database. Tests that check the loader itself load it on their own.
- ``public_world`` (session-scoped, on top of ``shipped_knowledge``): the
  shipped knowledge plus ``tests.public_urls.build_world``'s partner and
  drafts of every kind (the pages' sample world), built once in a savepoint
  of the session's transaction. Its users run after the other users of the
  shipped knowledge; it returns the drafts.
- ``editor`` / ``editor_client``: a staff user in the Editors group.
- Every test starts with an empty cache.

The test settings are ``config.test_settings`` (DEBUG asked for, as ``make
run`` does; a fast password hasher). ``pytest -m "not slow"`` leaves out the
browser, fuzz, schema and subprocess tests.
"""

import os

import pytest
from django.conf import settings
from django.db import transaction

SHIPPED = "shipped_knowledge"
WORLD = "public_world"


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


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request through
    LocaleMiddleware leaves its language active in the thread afterwards (a
    French page, then a label read outside a request, would read French)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


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


_shipped = {}  # the open transaction holding the session's knowledge (and the world's savepoint)


@pytest.fixture(scope="session")
def shipped_knowledge(request, django_db_setup, django_db_blocker):
    from knowledge.loader import load_knowledge

    unblocked = django_db_blocker.unblock()
    unblocked.__enter__()
    atomic = transaction.atomic()
    atomic.__enter__()
    _shipped.update(unblocked=unblocked, atomic=atomic, shipped_def=request._fixturedef)
    load_knowledge()


@pytest.fixture(scope="session")
def public_world(request, shipped_knowledge):
    from tests.public_urls import build_world

    atomic = transaction.atomic()
    atomic.__enter__()
    _shipped.update(world=atomic, world_def=request._fixturedef, drafts=build_world(load=False))
    return _shipped["drafts"]


def _uses(item, name):
    return name in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After the last test that uses ``public_world``, then after the last
    that uses ``shipped_knowledge`` (and after the test's own savepoint is
    rolled back): roll the world's savepoint back, then the session's
    knowledge, before the transactional tests, which need the database as
    migrations left it."""
    # A test that asks for them at run time only (``request.getfixturevalue``)
    # is not seen by the ordering below: the fixture's cached value is then
    # dropped with its data, so a later user builds it again.
    if "world" in _shipped and (nextitem is None or not _uses(nextitem, WORLD)):
        transaction.set_rollback(True)
        _shipped.pop("world").__exit__(None, None, None)
        _shipped.pop("drafts")
        _shipped.pop("world_def").cached_result = None
    if "atomic" in _shipped and (nextitem is None or not _uses(nextitem, SHIPPED)):
        transaction.set_rollback(True)
        _shipped.pop("atomic").__exit__(None, None, None)
        _shipped.pop("unblocked").__exit__(None, None, None)
        _shipped.pop("shipped_def").cached_result = None


def _transactional(item):
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
        or {"transactional_db", "live_server"} & set(fixtures)
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The users of ``shipped_knowledge`` last among the non-transactional
    tests (pytest-django has already put the transactional ones last), in
    their collected order, those of ``public_world`` after the others: the
    session's knowledge is then loaded once, after every test that expects an
    empty database has run, and the world once on top of it."""
    users = [i for i in items if _uses(i, SHIPPED) and not _transactional(i)]
    if not users:
        return
    users.sort(key=lambda i: _uses(i, WORLD))  # stable: collected order within each group
    chosen = set(map(id, users))
    rest = [i for i in items if id(i) not in chosen]
    cut = next((n for n, i in enumerate(rest) if _transactional(i)), len(rest))
    items[:] = rest[:cut] + users + rest[cut:]
