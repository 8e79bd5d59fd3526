"""What of this app the site search finds (see kb.search): vendors, people
(and their employer's name), relations between vendors."""

from django.utils.translation import gettext_lazy as _

from kb.search import SearchKind, choice_labels, register

from .models import Person, Vendor, VendorRelation


def register_kinds():
    register(
        SearchKind(
            key="vendors",
            label=_("Vendors"),
            model=Vendor,
            order=40,
            queryset=lambda: Vendor.objects.published(),
            show=lambda v: {"title": v.name, "text": v.summary or v.description},
            names=("name",),
            body=("summary", "description", "headquarters"),
        )
    )
    register(
        SearchKind(
            key="people",
            label=_("People"),
            model=Person,
            order=50,
            queryset=lambda: Person.objects.published().select_related("employer"),
            show=lambda p: {"title": p.name, "meta": [p.title, p.employer.name if p.employer else ""]},
            names=("name",),
            titles=("title",),
            related=("employer.name",),
            depends={"vendors.Vendor": "employer"},
        )
    )
    register(
        SearchKind(
            key="relations",
            label=_("Relations between vendors"),
            model=VendorRelation,
            order=95,
            queryset=lambda: VendorRelation.objects.published().select_related("vendor", "other_vendor"),
            show=lambda r: {
                "title": f"{r.vendor.name} {r.get_kind_display()} {r.other_vendor.name}",
                "url": r.vendor.get_absolute_url(),
                "text": r.summary,
            },
            names=("vendor.name", "other_vendor.name"),
            titles=(choice_labels("kind"),),
            body=("summary",),
            depends={"vendors.Vendor": "vendor"},
        )
    )
