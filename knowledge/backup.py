"""Backup and restore of the whole knowledge base (records, their history,
staff users and groups, the admin log) as one Django fixture in YAML,
gzip-compressed (``.yaml.gz``). YAML rather than JSON because Django's JSON
encoder cuts timestamps to milliseconds; YAML keeps them to the microsecond,
so history comes back exactly as it was.

Natural keys are used wherever a model has them (users, groups, permissions,
content types), so a backup loads into any fresh database whatever ids its
migrations gave those rows. Left out: what the database rebuilds itself
(content types, permissions), sessions, and login-lockout records (axes).
Works the same on SQLite and PostgreSQL (``DATABASE_URL``)."""

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import override_settings

from kb import search_index
from kb.caching import bulk_changed, current

# The search index is derived from the records: rebuilt after a restore.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "axes", "kb.searchentry", "kb.searchterm"]


def backup(path, database=DEFAULT_DB_ALIAS):
    """Write everything but ``EXCLUDE`` to ``path`` (``.yaml.gz``)."""
    if not str(path).endswith((".yaml.gz", ".yaml")):
        raise ValueError(f"A backup file name ends with .yaml.gz: {path}")
    call_command(
        "dumpdata",
        format="yaml",
        natural_foreign=True,
        natural_primary=True,
        exclude=EXCLUDE,
        output=str(path),
        database=database,
        indent=None,
        verbosity=0,
    )


def restore(path, database=DEFAULT_DB_ALIAS):
    """Replace the database's content with the backup at ``path``, in one
    transaction: if the file cannot be loaded, nothing changes."""
    with transaction.atomic(using=database):
        before = current() if database == DEFAULT_DB_ALIAS else None
        connection = connections[database]
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with pending deferred-constraint checks
            # (rows written earlier in the same transaction): run them now.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, database=database, verbosity=0)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        ContentType.objects.clear_cache()
        # loaddata sets many-to-many links after saving, and simple_history
        # would record each as a new version: the backup already holds the
        # history, so recording is off while it loads.
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(path), database=database, verbosity=0)
        # The backup holds an older knowledge stamp: move it past every ETag
        # and Last-Modified given out before the restore.
        if database == DEFAULT_DB_ALIAS:
            bulk_changed(after=before)
            search_index.rebuild()
    ContentType.objects.clear_cache()
