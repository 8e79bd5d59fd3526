from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from kb.models import published_sources
from sources.models import Quote

from .models import Program, ProgramEvent, Tier


class ProgramListView(ListView):
    template_name = "programs/program_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Program.objects.published().with_related()


class ProgramDetailView(DetailView):
    template_name = "programs/program_detail.html"

    def get_queryset(self):
        return (
            Program.objects.published()
            .with_ladder()
            .prefetch_related(
                Prefetch("events", queryset=ProgramEvent.objects.published().prefetch_related(published_sources())),
                Prefetch("quotes", queryset=Quote.objects.published().select_related("person", "source")),
            )
        )


class TierDetailView(DetailView):
    template_name = "programs/tier_detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Tier.objects.published().select_related("program").prefetch_related(published_sources(), "benefits"),
            program__slug=self.kwargs["program_slug"],
            slug=self.kwargs["slug"],
        )


class EventDetailView(DetailView):
    template_name = "programs/event_detail.html"

    def get_queryset(self):
        return (
            ProgramEvent.objects.published().select_related("program", "vendor").prefetch_related(published_sources())
        )
