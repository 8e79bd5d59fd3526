"""What the site search looks in among quotes and sources (registered in
``SourcesConfig.ready()``)."""

from django.utils.translation import gettext_lazy as _

from kb.search import SearchKind

from .models import Quote, Source

KINDS = [
    SearchKind(
        "quotes",
        _("Quotes"),
        lambda: Quote.objects.published().select_related("person", "source"),
        ("text",),
        ("context",),
        order=70,
    ),
    SearchKind(
        "sources",
        _("Sources"),
        lambda: Source.objects.published(),
        ("title",),
        ("outlet", "summary"),
        order=90,
    ),
]
