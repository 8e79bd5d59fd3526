from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from .models import Membership, Partner


class PartnerListView(ListView):
    template_name = "partners/partner_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Partner.objects.published()


class PartnerDetailView(DetailView):
    template_name = "partners/partner_detail.html"

    def get_queryset(self):
        return Partner.objects.published().prefetch_related(
            "sources",
            Prefetch(
                "memberships",
                queryset=Membership.objects.published().select_related("tier", "program").prefetch_related("sources"),
            ),
        )
