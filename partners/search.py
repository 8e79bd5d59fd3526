"""What the site search looks in among partners (registered in
``PartnersConfig.ready()``)."""

from django.utils.translation import gettext_lazy as _

from kb.search import SearchKind

from .models import Partner

KINDS = [
    SearchKind(
        "partners",
        _("Partners"),
        lambda: Partner.objects.published(),
        ("name",),
        ("description", "country"),
        order=80,
    ),
]
