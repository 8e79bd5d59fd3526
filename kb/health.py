"""``/health/``: the health check for load balancers and monitors.

200 ``{"status": "ok", ...}`` when this app server can serve: the database
answers, the cache (the shared Redis when several servers run) stores and
returns a value, and every migration is applied; otherwise 503 with the
failing checks named. Nothing about the data is revealed.

A small view rather than django-health-check: three checks, a JSON answer, no
templates or extra URLs to keep under the Content-Security-Policy, and no
dependency to keep in step with Django.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

#: Once every migration is applied, a running server does not check again
#: (migrations are not unapplied under a running server).
_migrations_applied = False


def check_database():
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def check_cache():
    key, value = f"kb:health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


def check_migrations():
    global _migrations_applied
    if not _migrations_applied:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        _migrations_applied = not plan
    return _migrations_applied


CHECKS = {"database": check_database, "cache": check_cache, "migrations": check_migrations}


@require_safe
@never_cache
def health(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "failing"
        except Exception:  # a health check reports, it does not raise
            logger.exception("health check %s failed", name)
            results[name] = "failing"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse({"status": "ok" if healthy else "failing", "checks": results}, status=200 if healthy else 503)
