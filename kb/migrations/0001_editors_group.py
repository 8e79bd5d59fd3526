from django.db import migrations

# The Editors group as it was when this migration was written (a migration
# keeps its own copy: later models get their rights from knowledge.roles,
# which syncs the group from the apps' registrations after every migrate).
EDITORS_GROUP = "Editors"
KNOWLEDGE_MODELS = {
    "vendors": ["vendor", "person", "vendorrelation"],
    "programs": ["program", "tier", "benefit", "focusarea", "programevent"],
    "partners": ["partner", "membership"],
    "sources": ["source", "quote"],
}
EDITOR_ACTIONS = ["add", "change", "view"]


def create_editors(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app, codename=f"{action}_{model}")
        for app, models in KNOWLEDGE_MODELS.items()
        for model in models
        for action in EDITOR_ACTIONS
    )


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("vendors", "0001_initial"),
        ("programs", "0002_initial"),
        ("partners", "0003_initial"),
        ("sources", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
