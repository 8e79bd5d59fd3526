"""The vendors app's records in the change log (``/changes/``, kb/changes.py)."""

from django.db.models import Q
from django.urls import reverse

from kb.changes import ChangeKind, slug_url

from .models import Person, Vendor, VendorRelation


def change_kinds():
    return [
        ChangeKind(
            "vendor",
            Vendor,
            ("name", "summary", "description", "website", "headquarters", "fiscal_year_start_month"),
            title=lambda d: d["name"],
            url=slug_url("vendors:detail"),
            order=10,
            extra={"slug": "slug"},
            for_vendor=lambda vendors: Q(id__in=vendors),
        ),
        ChangeKind(
            "person",
            Person,
            ("name", "title", "employer"),
            title=lambda d: d["name"],
            url=slug_url("people:detail"),
            order=20,
            extra={"slug": "slug"},
            labels={"employer": "name"},
            for_vendor=lambda vendors: Q(employer__in=vendors),
        ),
        ChangeKind(
            "vendorrelation",
            VendorRelation,
            ("vendor", "kind", "other_vendor", "summary"),
            title=lambda d: f"{d['vendor']} – {d['other_vendor']}",
            url=lambda d, pk: reverse("vendors:detail", kwargs={"slug": d["_vendor_slug"]}) + f"#relation-{pk}",
            order=30,
            extra={"_vendor_slug": "vendor__slug"},
            labels={"vendor": "name", "other_vendor": "name"},
            for_vendor=lambda vendors: Q(vendor__in=vendors) | Q(other_vendor__in=vendors),
        ),
    ]
