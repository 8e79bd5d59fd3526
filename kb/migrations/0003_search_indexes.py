"""PostgreSQL only: GIN expression indexes for the site search (kb.search).
Each expression is exactly the weighted SearchVector kb.search builds for the
registered search kind of that table (names weight A, other text weight B),
so the planner uses the index; the fields come from the apps' registrations
(``<app>/search.py``), not from a copy here. No-op on SQLite.

A later change to a kind's fields needs a migration of its own that runs
``kb.search.create_search_indexes(schema_editor, replace=True)``."""

from django.db import migrations


def forward(apps, schema_editor):
    from kb.search import create_search_indexes

    create_search_indexes(schema_editor)


def backward(apps, schema_editor):
    from kb.search import drop_search_indexes

    drop_search_indexes(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0002_unaccent"),
        ("programs", "0003_version"),
        ("vendors", "0003_version"),
        ("sources", "0004_version"),
        ("partners", "0004_version"),
    ]

    operations = [migrations.RunPython(forward, backward)]
