"""What the site search looks in among vendors and people (registered in
``VendorsConfig.ready()``)."""

from django.utils.translation import gettext_lazy as _

from kb.search import SearchKind

from .models import Person, Vendor

KINDS = [
    SearchKind(
        "vendors",
        _("Vendors"),
        lambda: Vendor.objects.published(),
        ("name",),
        ("summary", "description", "headquarters"),
        order=40,
    ),
    SearchKind(
        "people",
        _("People"),
        lambda: Person.objects.published().select_related("employer"),
        ("name",),
        ("title",),
        order=50,
    ),
]
