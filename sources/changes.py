"""The sources app's records in the change log (``/changes/``, kb/changes.py)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator

from kb.changes import ChangeKind, slug_url
from kb.translation import from_values

from .models import Quote, Source


def _program_ids_of_vendors(vendors):
    """The programs the vendors run now, reached through the quote's program
    field (programs sit above sources and are never imported here)."""
    program = Quote._meta.get_field("program").related_model
    return program.vendors.through.objects.filter(vendor__in=vendors).values("program_id")


def change_kinds():
    return [
        ChangeKind(
            "source",
            Source,
            ("title", "outlet", "language", "published_on", "url", "summary"),
            title=lambda d: from_values(d, "title"),
            url=slug_url("sources:detail"),
            order=110,
            extra={"slug": "slug"},
        ),
        ChangeKind(
            "quote",
            Quote,
            ("person", "text", "language", "source", "program", "vendor", "said_on", "context"),
            title=lambda d: str(Truncator(f"{d['person']}: « {d['text']} »").chars(80)),
            url=lambda d, pk: reverse("people:detail", kwargs={"slug": d["_person_slug"]}) + f"#quote-{pk}",
            order=120,
            extra={"_person_slug": "person__slug"},
            labels={"person": "name", "source": "title", "program": "name", "vendor": "name"},
            for_vendor=lambda vendors: Q(vendor__in=vendors) | Q(program__in=_program_ids_of_vendors(vendors)),
            for_program=lambda programs: Q(program__in=programs),
        ),
    ]
