"""Staff roles. The "Editors" group may add, change and view every knowledge
model (and see its history) but may not delete anything nor manage users."""

EDITORS_GROUP = "Editors"

KNOWLEDGE_MODELS = {
    "vendors": ["vendor", "person", "vendorrelation"],
    "programs": ["program", "tier", "benefit", "focusarea", "programevent"],
    "partners": ["partner", "membership"],
    "sources": ["source", "quote", "passage"],
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
        # A model a later migration creates has no permission yet: that
        # migration calls this again (e.g. sources' "editors_passages").
        perm = Permission.objects.filter(content_type__app_label=app, codename=codename).first()
        if perm is not None:
            perms.append(perm)
    group.permissions.set(perms)
    return group
