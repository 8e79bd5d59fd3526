from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from kb.models import published_sources
from programs.models import Program, ProgramEvent
from sources.models import Quote

from .models import Person, Vendor, VendorRelation


class VendorListView(ListView):
    template_name = "vendors/vendor_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Vendor.objects.published()


class VendorDetailView(DetailView):
    template_name = "vendors/vendor_detail.html"

    def get_queryset(self):
        return Vendor.objects.published().prefetch_related(
            published_sources(),
            Prefetch("programs", queryset=Program.objects.published()),
            Prefetch("people", queryset=Person.objects.published()),
            Prefetch(
                "relations",
                queryset=VendorRelation.objects.published()
                .select_related("other_vendor")
                .prefetch_related(published_sources()),
            ),
            Prefetch(
                "reverse_relations",
                queryset=VendorRelation.objects.published()
                .select_related("vendor")
                .prefetch_related(published_sources()),
            ),
            Prefetch("events", queryset=ProgramEvent.objects.published().prefetch_related(published_sources())),
            Prefetch("quotes", queryset=Quote.objects.published().select_related("person", "source")),
        )


class PersonDetailView(DetailView):
    template_name = "vendors/person_detail.html"

    def get_queryset(self):
        return (
            Person.objects.published()
            .select_related("employer")
            .prefetch_related(
                published_sources(),
                Prefetch("quotes", queryset=Quote.objects.published().select_related("source", "program")),
            )
        )
