from django.db import migrations


def grant_passages(apps, schema_editor):
    """Editors add, change and view passages like every knowledge record.
    (Kept as it was written: later models get their rights from
    knowledge.roles, which syncs the group after every migrate.)"""
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("sources")
    config.models_module = True
    create_permissions(config, verbosity=0, apps=apps)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="sources", codename__in=["add_passage", "change_passage", "view_passage"]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0006_source_text_passages"),
        ("kb", "0001_editors_group"),
        ("programs", "0005_derived_dates_disputed_route"),
        ("partners", "0005_perf_indexes"),
        ("vendors", "0004_perf_indexes"),
    ]

    operations = [migrations.RunPython(grant_passages, migrations.RunPython.noop)]
