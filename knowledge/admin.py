"""Admin screens of ingestion: upload a document (file or pasted text), then
review what was extracted from it: the text with the candidates highlighted
by kind, and beside it one line per thing found, to accept (creating or
linking its record, with its passage), edit before accepting, merge with an
existing record, or reject. Works without JavaScript."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import CandidateForm, UploadForm, _choices, versioned
from .ingest.documents import DocumentError
from .ingest.review import KIND_MODELS, ReviewError, accept, accepted_records, defaults, model_for, reject
from .ingest.service import ingest_document
from .models import CandidateKind, CandidateStatus, ExtractedCandidate, Ingestion, IngestionStatus


def highlighted(text, candidates):
    """The text as HTML, each candidate a <mark> (nested: a quote holds the
    names in it; partly overlapping ones are left out)."""
    spans = sorted(candidates, key=lambda c: (c.start, -c.end))
    events, stack, kept = [], [], []
    for c in spans:
        while stack and stack[-1].end <= c.start:
            stack.pop()
        if stack and c.end > stack[-1].end:
            continue
        stack.append(c)
        kept.append(c)
    # a span holding others is a <mark> (links cannot nest); the others link to their line in the list
    holders = {id(c) for c in kept for o in kept if o is not c and c.start <= o.start and o.end <= c.end}
    for c in kept:
        events.append((c.start, 1, -c.end, c))
        events.append((c.end, 0, -c.start, c))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    out, pos = [], 0
    for offset, opening, _order, c in events:
        out.append(escape(text[pos:offset]))
        pos = offset
        tag = "mark" if id(c) in holders else "a"
        if opening:
            out.append(
                format_html(
                    '<{} {}id="c-{}" class="ingest-mark kind-{} status-{}" title="{}">',
                    tag,
                    format_html('href="#g-{}" ', c.group_anchor) if tag == "a" else "",
                    c.pk,
                    c.kind,
                    c.status,
                    c.get_kind_display(),
                )
            )
        else:
            out.append(mark_safe(f"</{tag}>"))
    out.append(escape(text[pos:]))
    return mark_safe("".join(str(x) for x in out))


def review_choices(ingestion):
    """Select lists for the review forms, computed once per page."""
    from programs.models import BenefitKind, EventKind, Program, TierKind
    from vendors.models import Person, Vendor

    vendors = list(Vendor.objects.order_by("name"))
    programs = list(Program.objects.order_by("name"))
    people = list(Person.objects.order_by("name"))
    accepted = accepted_records(ingestion)
    objects = {}
    for name, items in (("employer", vendors), ("vendor", vendors), ("program", programs), ("person", people)):
        for o in items:
            objects[(name, str(o.pk))] = o
    record_choices = [("", "—")]
    for (label, pk), o in accepted.items():
        objects[("record", f"{label}:{pk}")] = o
        record_choices.append((versioned(f"{label}:{pk}", o), f"{o._meta.verbose_name}: {o}"))
    choices = {
        "employer": _choices(vendors),
        "vendor": _choices(vendors),
        "program": _choices(programs),
        "person": _choices(people),
        "record": record_choices,
        "tier_kind": TierKind.choices,
        "benefit_kind": BenefitKind.choices,
        "event_kind": EventKind.choices,
        "objects": objects,
    }
    for kind, label in KIND_MODELS.items():
        if not label or kind in ("quote", "date", "benefit"):
            continue
        model = model_for(kind)
        items = list(model._default_manager.all()[:500])
        # each option carries the record's version as shown, for the optimistic locking
        choices[f"merge:{kind}"] = [("", "—"), *((versioned(o.pk, o), str(o)) for o in items)]
        for o in items:
            objects[(f"merge:{kind}", str(o.pk))] = o
    return choices


@admin.register(Ingestion)
class IngestionAdmin(admin.ModelAdmin):
    list_display = ["source_link", "status", "progress", "pending", "accepted", "created_at", "created_by"]
    list_filter = ["status", "document_type"]
    search_fields = ["source__title", "filename"]
    list_select_related = ["source", "created_by"]
    readonly_fields = ["source", "status", "progress", "message", "filename", "document_type", "metadata"]
    upload_template = "admin/knowledge/upload.html"
    review_template = "admin/knowledge/review.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_pending=Count("candidates", filter=Q(candidates__status=CandidateStatus.PENDING)),
                n_accepted=Count("candidates", filter=Q(candidates__status=CandidateStatus.ACCEPTED)),
            )
        )

    @admin.display(description=gettext_lazy("source"), ordering="source__title")
    def source_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:knowledge_ingestion_review", args=[obj.pk]), obj.source
        )

    @admin.display(description=gettext_lazy("to review"), ordering="n_pending")
    def pending(self, obj):
        return obj.n_pending

    @admin.display(description=gettext_lazy("accepted"), ordering="n_accepted")
    def accepted(self, obj):
        return obj.n_accepted

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<int:pk>/review/", self.admin_site.admin_view(self.review_view), name=f"{info[0]}_{info[1]}_review"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:knowledge_ingestion_review", args=[object_id]))

    # --- upload --------------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload, language = form.cleaned_data["file"], form.cleaned_data["language"] or None
            try:
                name, data = (upload.name, upload.read()) if upload else ("", form.cleaned_data["text"])
                result = ingest_document(
                    name, data, language=language, user=request.user, title=form.cleaned_data["title"]
                )
            except DocumentError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("“%(source)s” ingested: %(count)s candidates to review.")
                    % {"source": result.source, "count": len(result.candidates)},
                )
                return HttpResponseRedirect(reverse("admin:knowledge_ingestion_review", args=[result.ingestion.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": _("Ingest a document"),
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.upload_template, context)

    # --- review --------------------------------------------------------------

    def review_view(self, request, pk):
        ingestion = get_object_or_404(Ingestion.objects.select_related("source"), pk=pk)
        if not self.has_view_permission(request, ingestion):
            raise PermissionDenied
        bound = None
        if request.method == "POST":
            if not self.has_change_permission(request, ingestion):
                raise PermissionDenied
            response, bound = self._review_post(request, ingestion)
            if response:
                return response
        return self._review_page(request, ingestion, bound)

    def _review_post(self, request, ingestion):
        try:
            candidate = ingestion.candidates.get(pk=int(request.POST.get("candidate", "")))
        except (ValueError, ExtractedCandidate.DoesNotExist):
            messages.error(request, _("That candidate is not part of this document (reload the page)."))
            return HttpResponseRedirect(request.path), None
        anchor = candidate.pk
        if candidate.group:
            anchor = ingestion.candidates.filter(group=candidate.group).values_list("pk", flat=True).first()
        back = HttpResponseRedirect(f"{request.path}#g-{anchor}")
        action = request.POST.get("action")
        if action == "reject":
            reject(candidate, request.user)
            messages.info(request, _("Rejected: %(text)s") % {"text": candidate.text[:80]})
            return back, None
        if action != "accept":
            messages.error(request, _("Unknown action."))
            return back, None
        label = KIND_MODELS.get(candidate.kind)
        if label:
            app, model = label.split(".")
            if not request.user.has_perm(f"{app}.add_{model}") and not request.user.has_perm(f"{app}.change_{model}"):
                raise PermissionDenied
        form = CandidateForm(
            request.POST, prefix=f"c{candidate.pk}", kind=candidate.kind, choices=review_choices(ingestion)
        )
        if not form.is_valid():
            return None, (candidate.pk, form)
        data = form.cleaned_data
        try:
            obj = accept(
                candidate, request.user, data, existing=data.get("merge_with"), seen_version=form.seen_version()
            )
        except ReviewError as exc:
            if exc.record is not None:  # a conflict: the input is kept, based on the latest version
                form.keep_input_at(exc.record)
            for line in exc.messages:
                form.add_error(None, line)
            return None, (candidate.pk, form)
        messages.success(
            request,
            format_html(
                _("Accepted as {model} “{record}”."),
                model=obj._meta.verbose_name,
                record=obj,
            ),
        )
        return back, None

    def _review_page(self, request, ingestion, bound=None):
        source = ingestion.source
        candidates = list(ingestion.candidates.all())
        groups, order = {}, []
        for c in candidates:
            gid = c.group or f"#{c.pk}"
            if gid not in groups:
                groups[gid] = []
                order.append(gid)
            groups[gid].append(c)
        for gid in order:
            for c in groups[gid]:
                c.group_anchor = groups[gid][0].pk
        choices = review_choices(ingestion) if ingestion.status == IngestionStatus.DONE else {}
        rows = []
        for gid in order:
            mentions = groups[gid]
            first = next((m for m in mentions if m.status == CandidateStatus.PENDING), mentions[0])
            row = {"candidate": first, "mentions": mentions, "kind": first.kind}
            if first.status == CandidateStatus.PENDING and choices:
                if bound and bound[0] == first.pk:
                    row["form"] = bound[1]
                else:
                    initial = {k: (v.pk if hasattr(v, "pk") else v) for k, v in defaults(first).items()}
                    if first.match_slug and model_for(first.kind):
                        live = model_for(first.kind)._default_manager.filter(slug=first.match_slug).first()
                        if live is not None:
                            initial["record_version"] = live.version
                            row["matched"] = live
                            row["matched_url"] = reverse(
                                f"admin:{live._meta.app_label}_{live._meta.model_name}_change", args=[live.pk]
                            )
                    row["form"] = CandidateForm(
                        initial=initial, prefix=f"c{first.pk}", kind=first.kind, choices=choices
                    )
            elif first.record_id:
                row["record"] = first.record
            rows.append(row)
        counts = {s: sum(1 for r in rows if r["candidate"].status == s) for s in CandidateStatus.values}
        kinds = [(k, label, sum(1 for r in rows if r["kind"] == k)) for k, label in CandidateKind.choices]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Review: %(source)s") % {"source": source},
            "ingestion": ingestion,
            "source": source,
            "text_html": highlighted(source.text, candidates) if candidates else source.text,
            "rows": rows,
            "counts": counts,
            "kinds": [k for k in kinds if k[2]],
            "refresh": ingestion.status in (IngestionStatus.QUEUED, IngestionStatus.RUNNING),
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.review_template, context)
