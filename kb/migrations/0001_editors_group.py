from django.db import migrations


def create_editors(apps, schema_editor):
    from kb.roles import sync_editors_group

    sync_editors_group(apps)


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


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
