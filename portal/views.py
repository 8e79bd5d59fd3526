"""The pages that span every app: the home page and the site search."""

from django.views.generic import TemplateView

from kb.search import clean_query, search
from programs.models import Program, ProgramEvent
from vendors.models import Vendor


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["vendors"] = Vendor.objects.published().filter(programs__is_published=True).distinct()
        ctx["programs"] = Program.objects.published().with_related()[:50]
        ctx["program_count"] = Program.objects.published().count()
        ctx["events"] = (
            ProgramEvent.objects.published()
            .select_related("program", "vendor")
            .filter(start_date__isnull=False)
            .order_by("-start_date", "title", "pk")[:10]
        )
        return ctx


class SearchView(TemplateView):
    template_name = "portal/search.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        raw = self.request.GET.get("q", "")
        query = clean_query(raw)
        ctx["query"] = query
        ctx["too_long"] = len(raw) > len(query) + 50
        ctx["groups"] = search(query) if query else []
        ctx["total"] = sum(total for _kind, total, _rows in ctx["groups"])
        return ctx
