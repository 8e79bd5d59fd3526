"""The text written before it had two languages is the English text
(the shipped knowledge was English): copied to the ``_en`` columns, in the
records and in their history. The French columns stay empty until translated
(the knowledge loader fills the shipped ones)."""

from django.db import migrations
from django.db.models import F

FIELDS = {
    "Source": ("title", "summary"),
}


def copy_to_english(apps, schema_editor):
    for name, fields in FIELDS.items():
        for model_name in (name, f"Historical{name}"):
            model = apps.get_model("sources", model_name)
            model.objects.update(**{f"{field}_en": F(field) for field in fields})


def copy_back(apps, schema_editor):
    for name, fields in FIELDS.items():
        for model_name in (name, f"Historical{name}"):
            model = apps.get_model("sources", model_name)
            for field in fields:
                model.objects.filter(**{f"{field}_en__isnull": False}).update(**{field: F(f"{field}_en")})


class Migration(migrations.Migration):
    dependencies = [("sources", "0009_text_in_english_and_french")]

    operations = [migrations.RunPython(copy_to_english, copy_back)]
