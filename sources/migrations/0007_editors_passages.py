from django.db import migrations


def grant_passages(apps, schema_editor):
    """Editors add, change and view passages like every knowledge record."""
    from kb.roles import sync_editors_group

    sync_editors_group(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0006_source_text_passages"),
        ("kb", "0001_editors_group"),
        ("programs", "0005_derived_dates_disputed_route"),
        ("partners", "0005_perf_indexes"),
        ("vendors", "0004_perf_indexes"),
    ]

    operations = [migrations.RunPython(grant_passages, migrations.RunPython.noop)]
