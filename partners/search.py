"""What of this app the site search finds (see kb.search): partners."""

from django.utils.translation import gettext_lazy as _

from kb.search import SearchKind, choice_labels, register

from .models import Partner


def register_kinds():
    register(
        SearchKind(
            key="partners",
            label=_("Partners"),
            model=Partner,
            order=80,
            queryset=lambda: Partner.objects.published(),
            show=lambda p: {"title": p.name, "meta": [p.get_kind_display(), p.country], "text": p.description},
            names=("name",),
            titles=(choice_labels("kind"),),
            body=("description", "country"),
        )
    )
