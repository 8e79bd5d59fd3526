from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from .models import Quote, Source


class SourceListView(ListView):
    template_name = "sources/source_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Source.objects.published()


class SourceDetailView(DetailView):
    template_name = "sources/source_detail.html"

    def get_queryset(self):
        return Source.objects.published().prefetch_related(
            Prefetch("quotes", queryset=Quote.objects.published().select_related("person", "program", "vendor")),
        )
