"""The pages that span every app: the home page and the site search."""

from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from kb.search import MAX_QUERY_LENGTH, clean_query, search
from programs.models import Program, ProgramEvent
from vendors.models import Vendor


class HomeView(TemplateView):
    template_name = "portal/home.html"
    cache_depends_on = ("vendors", "programs", "sources")
    cache_query_params = ()

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
    """``/search/?q=``: every kind of public record, grouped by kind with
    counts (kb.search). The only parameter is ``q``: any other parameter, or a
    ``q`` with extra spaces or control characters, is redirected to the
    canonical address, so variants of one search share one cached answer."""

    template_name = "portal/search.html"
    cache_query_params = ("q",)  # every kind of record: depends on every save

    def get(self, request, *args, **kwargs):
        values = request.GET.getlist("q")
        raw = values[0] if values else ""
        query = clean_query(raw)
        if set(request.GET) - {"q"} or len(values) > 1 or raw != query or (values and not query):
            target = request.path + (f"?{urlencode({'q': query})}" if query else "")
            return HttpResponseRedirect(target)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = clean_query(self.request.GET.get("q", ""))
        results = search(query) if query else None
        results = results if results and results.query else None
        ctx.update(
            query=query,
            results=results,
            groups=results.groups if results else [],
            total=results.total if results else 0,
            too_long=len(query) >= MAX_QUERY_LENGTH,
        )
        return ctx


@require_safe
def robots_txt(request):
    """Every public page may be crawled; the sitemap lists them. (The admin's
    address is not named: it is configurable so as not to be advertised.)"""
    lines = ["User-agent: *", "Allow: /", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
