"""Staff roles. The "Editors" group may add, change and view every knowledge
model (and see its history) but may not delete anything nor manage users."""

EDITORS_GROUP = "Editors"

KNOWLEDGE_MODELS = {
    "vendors": ["vendor", "person", "vendorrelation"],
    "programs": ["program", "tier", "benefit", "focusarea", "programevent"],
    "partners": ["partner", "membership"],
    "sources": ["source", "quote"],
}
EDITOR_ACTIONS = ["add", "change", "view"]


def editor_codenames():
    return [
        (app, f"{action}_{model}")
        for app, models in KNOWLEDGE_MODELS.items()
        for model in models
        for action in EDITOR_ACTIONS
    ]


def sync_editors_group(apps):
    """Create or update the Editors group with exactly its rights.
    ``apps`` is the migration app registry (or django.apps.apps)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    perms = []
    for app, codename in editor_codenames():
        perms.append(Permission.objects.get(content_type__app_label=app, codename=codename))
    group.permissions.set(perms)
    return group


def sync_editors_after_migrate(sender, apps, **kwargs):
    """``post_migrate``: the Editors group gets the rights on every knowledge
    model, including models added after the group was first created."""
    sync_editors_group(apps)
