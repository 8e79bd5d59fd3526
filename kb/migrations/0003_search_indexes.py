"""PostgreSQL only: GIN expression indexes for the site search (kb.search).
Each expression is exactly the weighted SearchVector kb.search builds for that
table (names weight A, other text weight B), so the planner uses the index.
No-op on SQLite. Superseded by migration 0005 (``kb_searchentry``), which
drops these indexes: the search no longer reads the records' tables, so the
field lists here stay as they were when this migration ran."""

from django.db import migrations

SEARCH_FIELDS = {
    "programs_program": (
        ("name", "acronym"),
        ("summary", "description", "scope", "launch_window", "rollout_notes"),
    ),
    "programs_tier": (("name",), ("summary", "requirements", "benefits_text")),
    "programs_benefit": (("title",), ("description",)),
    "vendors_vendor": (("name",), ("summary", "description", "headquarters")),
    "vendors_person": (("name",), ("title",)),
    "programs_programevent": (("title",), ("description", "place", "date_text")),
    "sources_quote": (("text",), ("context",)),
    "partners_partner": (("name",), ("description", "country")),
    "sources_source": (("title",), ("outlet", "summary")),
}


def vector(fields, weight):
    text = " || ' ' || ".join(f"COALESCE({f}, '')" for f in fields)
    return f"setweight(to_tsvector('kb_search'::regconfig, {text}), '{weight}')"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (names, texts) in SEARCH_FIELDS.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_kb_search ON {table} "
            f"USING gin (({vector(names, 'A')} || {vector(texts, 'B')}))"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCH_FIELDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_kb_search")


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0002_unaccent"),
        ("programs", "0003_version"),
        ("vendors", "0003_version"),
        ("sources", "0004_version"),
        ("partners", "0004_version"),
    ]

    operations = [migrations.RunPython(forward, backward)]
