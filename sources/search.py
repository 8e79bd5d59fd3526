"""What of this app the site search finds (see kb.search): sources by their
titles, quotes by their words and by who said them, about what."""

from django.utils.translation import gettext_lazy as _

from kb.search import SearchKind, register

from .models import Quote, Source


def register_kinds():
    register(
        SearchKind(
            key="quotes",
            label=_("Quotes"),
            model=Quote,
            order=70,
            queryset=lambda: Quote.objects.published().select_related("person", "source", "program", "vendor"),
            show=lambda q: {
                "title": q.person.name,
                "url": q.get_absolute_url(),
                "text": q.text,
                "lang": q.language,
                "quote": True,
            },
            titles=("text",),
            body=("context",),
            related=("person.name", "program.name", "program.acronym", "vendor.name", "source.title"),
            depends={
                "vendors.Person": "person",
                "programs.Program": "program",
                "vendors.Vendor": "vendor",
                "sources.Source": "source",
            },
        )
    )
    register(
        SearchKind(
            key="sources",
            label=_("Sources"),
            model=Source,
            order=90,
            queryset=lambda: Source.objects.published(),
            show=lambda s: {"title": s.title, "meta": [s.outlet], "text": s.summary},
            names=("title",),
            titles=("outlet",),
            body=("summary",),
        )
    )
