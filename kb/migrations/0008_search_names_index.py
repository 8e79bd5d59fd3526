"""PostgreSQL: a GIN index on the names part of the search vector (weight A,
``ts_filter(vector, '{a}')``, with the kind first, as ``kb_searchentry_vector``),
for the search's names branch (``kb.search.NAMES_VECTOR`` spells the same
expression). Through the whole vector with the ":A" label, the names branch
read every row holding the word anywhere and dropped it on recheck. SQLite:
nothing (its FTS5 table names the column in the MATCH)."""

from django.db import migrations

FORWARD = "CREATE INDEX IF NOT EXISTS kb_searchentry_names ON kb_searchentry USING gin (kind, ts_filter(vector, '{a}'))"
BACKWARD = "DROP INDEX IF EXISTS kb_searchentry_names"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("kb", "0007_knowledge_stamp_tags")]

    operations = [migrations.RunPython(forward, backward)]
