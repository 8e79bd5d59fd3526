"""The partners app's records in the change log (``/changes/``, kb/changes.py)."""

from django.db.models import Q
from django.urls import reverse

from kb.changes import ChangeKind, slug_url
from programs.changes import program_ids_of_vendors

from .models import Membership, Partner


def change_kinds():
    return [
        ChangeKind(
            "partner",
            Partner,
            ("name", "country", "kind", "website", "description"),
            title=lambda d: d["name"],
            url=slug_url("partners:detail"),
            order=90,
            extra={"slug": "slug"},
        ),
        ChangeKind(
            "membership",
            Membership,
            ("partner", "tier", "since", "until"),
            title=lambda d: f"{d['partner']} – {d['_program']} {d['tier']}",
            url=lambda d, pk: reverse("partners:detail", kwargs={"slug": d["_partner_slug"]}),
            order=100,
            extra={"_program": "program__name", "_partner_slug": "partner__slug"},
            labels={"partner": "name", "tier": "name"},
            for_vendor=lambda vendors: Q(program__in=program_ids_of_vendors(vendors)),
            for_program=lambda programs: Q(program__in=programs),
        ),
    ]
