"""Staff roles. The "Editors" group may add, change and view every knowledge
model (and see its history) but may not delete anything nor manage users.
Which models those are, the apps register (``kb.registry``); the group is
synced after every ``migrate``, so a new knowledge model's rights follow."""

from kb.registry import registry

EDITORS_GROUP = "Editors"


def editor_codenames():
    """[(app label, codename)] of the Editors' permissions."""
    return list(registry.editor_permissions)


def sync_editors_group(apps):
    """Create or update the Editors group with exactly its rights.
    ``apps`` is the migration app registry (or django.apps.apps)."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        if apps is global_apps:
            create_permissions(app_config, verbosity=0)
        else:  # a migration state's app configs have no models module
            app_config.models_module = True
            create_permissions(app_config, verbosity=0, apps=apps)
            app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    perms = []
    for app, codename in editor_codenames():
        model_name = codename.split("_", 1)[1]
        try:
            apps.get_model(app, model_name)
        except LookupError:  # migrated to a state before that model existed
            continue
        perms.append(Permission.objects.get(content_type__app_label=app, codename=codename))
    group.permissions.set(perms)
    return group


def sync_editors_after_migrate(sender, apps=None, **kwargs):
    """``post_migrate`` (sent by ``migrate`` with its app registry, and by
    ``flush`` without one): the Editors group gets the rights on every
    knowledge model, including models added after the group was first created."""
    from django.apps import apps as global_apps

    sync_editors_group(apps or global_apps)
