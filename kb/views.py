"""Shared view machinery for the public pages.

``FilteredListView``: a list driven by one FilterSet (the same one the export
and the API use), with pagination that never 404s on odd input, sortable
columns (``sort``), facet counts computed with one aggregate query per facet,
and ``?export=csv`` / ``xlsx`` / ``json`` of exactly the filtered rows
(writers in ``kb/exports.py``).
"""

from django.db.models import Count, Prefetch
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.translation import gettext
from django.views.generic import ListView

from utilities.spreadsheets import csv_safe

from . import exports
from .caching import StampCachedCountPaginator, StampCachedFacetsMixin, mark_not_canonical
from .exports import EXPORT_FORMATS, ExportColumn, joined

FACET_LIMIT = 15  # choices shown per facet over open-ended values (vendors, programs, countries)


class Facet:
    """Counts per value of one filter, among the rows matching every *other*
    filter (so each count is what ticking that choice would add).

    ``path`` is the value to group on (``status``, ``vendors__slug``);
    ``label_path`` an optional display column (``vendors__name``); choices of
    static ``choices`` filters are listed even at zero.

    ``links``: for a value reached through other rows, ``callable(ids)`` giving
    those rows (``Quote.objects.published().filter(person__in=ids)``), with
    ``path``/``label_path`` relative to them; ``owner`` is their field pointing
    back at the listed record (counted once per value)."""

    def __init__(
        self,
        param,
        path,
        label_path=None,
        empty_value=None,
        counter=None,
        limit=None,
        only=None,
        links=None,
        owner=None,
        unfiltered_counter=None,
    ):
        self.param = param
        self.links, self.owner = links, owner
        self.only = only or {}  # e.g. {"vendors__is_published": True}: drafts are no facet value
        self.limit = limit
        self.path = path
        self.label_path = label_path
        self.empty_value = empty_value  # the filter value that means "blank"
        self.counter = counter  # custom: callable(ids_queryset) -> [(value, label, n)]
        # When no other filter applies: callable(limit, selected) -> rows like
        # ``values(path, label_path, n)``, e.g. from counts maintained on save.
        self.unfiltered_counter = unfiltered_counter

    def counts(self, model, ids, selected=(), unfiltered=None):
        """[(value, label, count)]; with ``limit``, the most frequent values
        plus the selected ones (a facet over 10,000 programs stays short).

        ``unfiltered``: when no other filter applies, the queryset of every
        listed row (``published()``): counted directly, without the
        ``pk IN (...)`` subquery, and a column of the row itself with a plain
        ``COUNT(*)`` (no join can repeat a row); or, with
        ``unfiltered_counter``, not counted at all. Values reached through
        ``links`` are always counted through the listed ids."""
        if self.counter:
            return self.counter(ids, limit=self.limit, selected=selected)
        fields = [self.path] + ([self.label_path] if self.label_path else [])
        if self.links is not None:
            unfiltered = None
            base, counted = self.links(ids).filter(**self.only), Count(self.owner, distinct=True)
        elif unfiltered is not None:
            local = "__" not in self.path and not self.label_path
            base = unfiltered.order_by().filter(**self.only)
            counted = Count("pk") if local else Count("pk", distinct=True)
        else:
            base, counted = model.objects.filter(pk__in=ids, **self.only), Count("pk", distinct=True)
        precounted = unfiltered is not None and self.unfiltered_counter is not None
        if precounted:
            rows = self.unfiltered_counter(limit=self.limit, selected=selected)
        else:
            rows = base.values(*fields).annotate(n=counted).order_by("-n", *fields)
            rows = list(rows[: self.limit]) if self.limit else list(rows)
        if self.limit and not precounted:
            missing = set(selected) - {str(r[self.path]) for r in rows}
            if missing:
                rows += list(
                    base.filter(**{f"{self.path}__in": missing}).values(*fields).annotate(n=counted).order_by(*fields)
                )
        out = []
        for row in rows:
            value = row[self.path]
            if value is None:
                continue
            if value == "":
                if self.empty_value is None:
                    continue
                value = self.empty_value
            out.append((str(value), row[self.label_path] if self.label_path else None, row["n"]))
        if self.limit:
            out.sort(key=lambda r: str(r[1] or r[0]).lower())
        return out


# Re-exported for the apps' list views (the export machinery is in kb/exports.py).
__all__ = ["ExportColumn", "Facet", "FilteredListView", "csv_safe", "joined"]


class FilteredListView(StampCachedFacetsMixin, ListView):
    filterset_class = None
    paginate_by = 50
    # COUNT(*) of the filtered rows and the facet counts are cached under the
    # knowledge stamp (kb/caching.py): one computation per filter per staff save.
    paginator_class = StampCachedCountPaginator
    facets: list = []
    columns: list = []  # [(label, sort key or None)] for the table head
    export_columns: list = []
    export_name = "export"
    api_list = None  # URL name of the same list in the API ("api-program-list")
    page_title = ""
    # Kinds of record the page shows (kb.caching): a save of another kind
    # leaves the cached page in place. None: every save invalidates it.
    cache_depends_on = None

    @classmethod
    def cache_query_params(cls):
        """The parameters the page reads (the server-side cache key ignores the others)."""
        return {*cls.filterset_class.base_filters, "page", "export", "sep"}

    def base_queryset(self):
        """Published rows, unfiltered, with what the rows need prefetched."""
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.filterset = self.filterset_class(request.GET or None, queryset=self.base_queryset(), request=request)
        if self.filterset.is_bound and not self.filterset.is_valid():
            mark_not_canonical(request)  # the page with its error messages is not kept
        export = request.GET.get("export")
        if export:
            if export not in EXPORT_FORMATS:
                return HttpResponseBadRequest(
                    exports.unknown_format_message(), content_type="text/plain; charset=utf-8"
                )
            if export == "csv" and exports.separator(request) is None:
                return HttpResponseBadRequest(
                    exports.unknown_separator_message(), content_type="text/plain; charset=utf-8"
                )
            if self.filterset.is_bound and not self.filterset.is_valid():
                lines = [f"{name}: {' '.join(errs)}" for name, errs in self.filterset.errors.items()]
                return HttpResponseBadRequest(
                    gettext("Some filters are not valid; fix them before exporting.") + "\n" + "\n".join(lines),
                    content_type="text/plain; charset=utf-8",
                )
            return self.export(export)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.filterset.qs

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        raw = self.request.GET.get("page")
        page = paginator.get_page(raw)  # clamps abc / 99999 / -1
        if raw is not None and raw != str(page.number):
            mark_not_canonical(self.request)  # ?page=abc shows page 1: not kept under its own address
        return paginator, page, page.object_list, page.has_other_pages()

    def facet_data(self):
        model = self.filterset._meta.model
        data = self.request.GET
        form = self.filterset.form
        result = []
        for facet in self.facets:
            others = data.copy()
            for key in (facet.param, "page", "sort", "export"):
                others.pop(key, None)
            fs = self.filterset_class(others or None, queryset=self.base_queryset_for_facets(), request=self.request)
            selected = {v for v in data.getlist(facet.param) if v and "\x00" not in v and len(v) <= 200}
            filtered = any(v for key in others for v in others.getlist(key))
            unfiltered = None if filtered else self.base_queryset_for_facets()
            counts = facet.counts(model, fs.qs.values("pk"), selected, unfiltered=unfiltered)
            field = form.fields[facet.param]
            static = getattr(field, "choices", None) if not hasattr(field, "queryset") else None
            choices = []
            if static:
                by_value = {v: n for v, _label, n in counts}
                for value, label in static:
                    value = str(value)
                    if value == "":
                        continue
                    choices.append(
                        {"value": value, "label": label, "count": by_value.get(value, 0), "selected": value in selected}
                    )
            else:
                seen = set()
                for value, label, n in counts:
                    seen.add(value)
                    choices.append({"value": value, "label": label or value, "count": n, "selected": value in selected})
                for value in sorted(selected - seen):
                    if value and facet.param not in self.filterset.errors:
                        choices.append({"value": value, "label": value, "count": 0, "selected": True})
            result.append({"param": facet.param, "label": field.label, "choices": choices})
        return result

    def base_queryset_for_facets(self):
        """Facets only need primary keys: no prefetching."""
        return self.filterset._meta.model.objects.published()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filterset"] = self.filterset
        ctx["filter_errors"] = self.filterset.errors if self.filterset.is_bound else {}
        ctx["facets"] = self.cached_facet_data()
        ctx["columns"] = self.columns
        facet_params = {f.param for f in self.facets}
        ctx["extra_filter_names"] = [n for n in self.filterset.form.fields if n not in facet_params | {"q", "sort"}]
        ctx["current_sort"] = self.request.GET.get("sort", "") if "sort" not in ctx["filter_errors"] else ""
        ctx["result_count"] = ctx["paginator"].count
        ctx["is_filtered"] = any(k not in ("page", "sort") and v for k, v in self.request.GET.items())
        ctx["page_title"] = self.page_title
        ctx["meta_description"] = gettext(
            "%(title)s of the partner-program knowledge base, each with its sources: "
            "filter, sort, export as CSV, XLSX or JSON, or read them from the API."
        ) % {"title": self.page_title}
        ctx["api_url"] = self.api_url()
        return ctx

    def api_url(self):
        """This list in the API: the same filters and sort (the API takes the
        same FilterSet), without the page's own parameters."""
        if not self.api_list:
            return None
        params = self.request.GET.copy()
        for key in list(params):
            if key not in self.filterset.filters or key in self.filterset.errors:
                del params[key]
        query = params.urlencode()
        return reverse(self.api_list) + (f"?{query}" if query else "")

    # -- export ---------------------------------------------------------------

    def export_queryset(self, qs):
        """The filtered rows, plus what only the export needs: the published
        sources of each row (the ``sources`` column)."""
        seen = {getattr(lookup, "prefetch_to", lookup) for lookup in qs._prefetch_related_lookups}
        if "sources" not in seen and any(f.name == "sources" for f in qs.model._meta.many_to_many):
            # Source is reached through the field: the framework imports no app.
            source = qs.model._meta.get_field("sources").related_model
            qs = qs.prefetch_related(Prefetch("sources", queryset=source.objects.published()))
        return qs

    def export_objects(self):
        qs = self.export_queryset(self.filterset.qs)
        yield from qs.iterator(chunk_size=2000)

    def export_rows(self):
        """Rows of JSON/CSV values (dates in ISO), for code that wants lists."""
        for obj in self.export_objects():
            yield [col.value(obj) for col in self.export_columns]

    def export(self, fmt):
        name, columns, request = self.export_name, self.export_columns, self.request
        if fmt == "json":
            return exports.json_response(request, columns, self.export_objects(), name)
        if fmt == "xlsx":
            return exports.xlsx_response(request, columns, self.export_objects(), name, self.page_title or name)
        return exports.csv_response(request, columns, self.export_objects(), name, sep=exports.separator(request))
