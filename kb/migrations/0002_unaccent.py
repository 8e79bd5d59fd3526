"""PostgreSQL only: the ``unaccent`` extension and a ``kb_search`` text-search
configuration (simple + unaccent) used by the site search. No-op on SQLite."""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'kb_search') THEN
    CREATE TEXT SEARCH CONFIGURATION kb_search (COPY = simple);
    ALTER TEXT SEARCH CONFIGURATION kb_search
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
  END IF;
END $$;
"""

BACKWARD = "DROP TEXT SEARCH CONFIGURATION IF EXISTS kb_search;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("kb", "0001_editors_group")]

    operations = [migrations.RunPython(forward, backward)]
