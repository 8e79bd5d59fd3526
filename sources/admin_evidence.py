"""Evidence in the admin: passages on every knowledge record, the source text
with its passages highlighted, adding a passage by selecting (or pasting) the
words, the "Needs evidence" list, and no publishing without a source.

- ``PassageInline``: a record's passages, on its change page (generic inline).
- ``EvidenceRequiredMixin``: for the admins of publishable records: saving
  one as published with no source and no passage is refused with a message,
  in the form and in the bulk "publish" action.
- ``SourceTextForm``: the Source form: paste the text, or upload a .txt,
  .html or .pdf file (utilities.documents); a bad upload is a form error
  naming the problem, and nothing is saved.
- ``SourceEvidenceViews``: the views SourceAdmin adds: the text with its
  passages where staff select words to add a passage
  (``<id>/passages/add/``), and "Needs evidence" (``needs-evidence/``).
"""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.admin import GenericStackedInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kb.admin import VersionedInlineMixin, VersionedModelForm
from kb.translation import is_language_column
from utilities import anchoring
from utilities.documents import DocumentError, extract_document

from .evidence import field_label, source_text_context
from .models import Passage, Source, Stance, evidenced_models


def upload_max_bytes():
    return int(getattr(settings, "SOURCE_UPLOAD_MAX_SIZE", 10 * 1024 * 1024))


def field_choices(model):
    """("", the record as a whole) and every field of ``model`` a passage
    may be about."""
    choices = [("", _("the record as a whole"))]
    for f in model._meta.get_fields():
        if f.auto_created or not getattr(f, "editable", False) or f.name in ("id", "version", "is_published"):
            continue
        if is_language_column(f):  # a passage is about "summary", in whichever language
            continue
        if f.name in ("sources", "passages", "slug"):
            continue
        choices.append((f.name, capfirst(f.verbose_name)))
    return choices


# -- a record's passages --------------------------------------------------------


class PassageInlineForm(VersionedModelForm):
    check_unchanged = False

    class Meta:
        model = Passage
        fields = "__all__"
        widgets = {"exact": forms.Textarea(attrs={"rows": 2})}


class PassageFormSet(BaseGenericInlineFormSet):
    """A change form posted without the passages rows (a script, a page
    opened before the passages were there) leaves the passages as they are,
    instead of failing on the missing management form."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if self.is_bound and f"{self.prefix}-TOTAL_FORMS" not in self.data:
            data = self.data.copy()
            data.update({f"{self.prefix}-TOTAL_FORMS": "0", f"{self.prefix}-INITIAL_FORMS": "0"})
            self.data = data


class PassageInline(VersionedInlineMixin, GenericStackedInline):
    """A record's passages: paste the exact words of the source (checked
    against its text, with the words before them when they occur twice)."""

    model = Passage
    form = PassageInlineForm
    formset = PassageFormSet
    extra = 0
    show_change_link = True
    autocomplete_fields = ("source", "claimed_by_person", "claimed_by_vendor")
    readonly_fields = ("anchor_status",)
    fields = (
        ("source", "field"),
        "exact",
        ("prefix", "suffix"),
        ("stance", "claim"),
        ("claimed_by_person", "claimed_by_vendor"),
        "note",
        "anchor_status",
    )
    verbose_name = gettext_lazy("passage (evidence)")
    verbose_name_plural = gettext_lazy("passages (evidence): the words of the sources behind this record")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get("field")
        if field is not None:
            formset.form.base_fields["field"] = forms.ChoiceField(
                label=field.label, choices=field_choices(self.parent_model), required=False, help_text=field.help_text
            )
        return formset

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


def _posted_passages(request, obj):
    """How many passages the record will have once this POST is saved:
    the inline rows with words, less those ticked for deletion."""
    prefix = "sources-passage-content_type-object_id"
    data = request.POST
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except ValueError:
        total = 0
    count = 0
    for i in range(min(total, 1000)):
        if data.get(f"{prefix}-{i}-DELETE"):
            continue
        if (data.get(f"{prefix}-{i}-exact") or "").strip() or data.get(f"{prefix}-{i}-id"):
            count += 1
    if total == 0 and obj is not None and obj.pk:
        count = obj.passages.count()
    return count


class EvidenceRequiredMixin:
    """A published record cites a source: the admin refuses to publish one
    with no source and no passage (form and bulk action). Adds the passages
    inline."""

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        return inlines if PassageInline in inlines else [*inlines, PassageInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class EvidenceForm(form):
            def clean(self):
                cleaned = super().clean()
                if not cleaned.get("is_published"):
                    return cleaned
                sources = cleaned.get("sources") if "sources" in self.fields else None
                has_sources = bool(sources) if sources is not None else bool(obj and obj.sources.exists())
                if has_sources or _posted_passages(request, obj):
                    return cleaned
                self.add_error(
                    "is_published" if "is_published" in self.fields else None,
                    _(
                        "This record cites no source at all (no source and no passage), so it cannot be "
                        "published. Add a source or a passage with the words of the source, or untick "
                        "“published” to keep it as a draft."
                    ),
                )
                return cleaned

        EvidenceForm.__name__ = form.__name__
        return form if not hasattr(form, "base_fields") or "is_published" not in form.base_fields else EvidenceForm

    def unpublishable(self, queryset):
        """The records of ``queryset`` that cite nothing (bulk "publish")."""
        counted = queryset.annotate(
            n_sources=Count("sources", distinct=True), n_passages=Count("passages", distinct=True)
        )
        return list(counted.filter(n_sources=0, n_passages=0))


# -- the Source form --------------------------------------------------------------


class SourceTextForm(VersionedModelForm):
    """The Source form, with the text pasted or taken from an uploaded file."""

    upload = forms.FileField(
        label=gettext_lazy("or upload the document"),
        required=False,
        help_text=gettext_lazy(
            "A .txt (UTF-8), .html (its main text is kept, without menus and footers) or .pdf file with a text "
            "layer. Its text replaces the text above."
        ),
    )

    class Meta:
        model = Source
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        size = _("At most %(size)s.") % {"size": filesizeformat(upload_max_bytes())}
        self.fields["upload"].help_text = f"{self.fields['upload'].help_text} {size}"
        # The title may come from the uploaded document: required only when
        # there is none (checked in clean()).
        self.title_fields = [name for name in ("title", "title_en", "title_fr") if name in self.fields]
        self.required_titles = [name for name in self.title_fields if self.fields[name].required]
        for name in self.required_titles:
            self.fields[name].required = False

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        limit = upload_max_bytes()
        if upload.size > limit:
            raise ValidationError(
                _("“%(name)s” is %(size)s; the limit is %(limit)s.")
                % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_big",
            )
        try:
            return extract_document(upload.name, upload.read(), max_size=limit)
        except DocumentError as exc:
            raise ValidationError(str(exc), code="unreadable") from exc

    def clean(self):
        cleaned = super().clean()
        extracted = cleaned.get("upload")
        if extracted:
            cleaned["text"] = extracted.text
            self.instance.text = extracted.text
            if "url" in self.fields and not cleaned.get("url") and extracted.url.startswith(("http://", "https://")):
                cleaned["url"] = extracted.url[:200]
            if "outlet" in self.fields and not cleaned.get("outlet") and extracted.sitename:
                cleaned["outlet"] = extracted.sitename[:200]
            # What the document says of itself fills what staff left empty.
            if self.required_titles and not any(cleaned.get(n) for n in self.title_fields) and extracted.title:
                cleaned[self.required_titles[0]] = extracted.title[:300]
            if "published_on" in self.fields and not cleaned.get("published_on") and extracted.date:
                try:
                    cleaned["published_on"] = dt.date.fromisoformat(extracted.date[:10])
                except ValueError:
                    pass  # a date the document gives in another form: left for staff
        for name in self.required_titles:
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, forms.Field.default_error_messages["required"])
        return cleaned


# -- adding a passage from the source's text ----------------------------------------


def _record_key(obj):
    return f"{obj._meta.label_lower}:{obj.pk}"


def record_choices():
    """Every record a passage may support, grouped by model."""
    groups = []
    for model in sorted(evidenced_models(), key=lambda m: str(m._meta.verbose_name_plural)):
        queryset = model._default_manager.select_related()
        rows = [(_record_key(o), str(o)) for o in queryset[:2000]]
        if rows:
            groups.append((capfirst(model._meta.verbose_name_plural), sorted(rows, key=lambda r: r[1].lower())))
    return [("", "---------"), *groups]


def record_from_key(key):
    label, _sep, pk = (key or "").partition(":")
    try:
        model = ContentType.objects.get_by_natural_key(*label.split(".", 1)).model_class()
    except (ContentType.DoesNotExist, TypeError, ValueError):
        return None
    if model not in evidenced_models() or not pk.isdigit():
        return None
    return model._default_manager.filter(pk=int(pk)).first()


class PassageFromTextForm(forms.Form):
    """A passage of one source: the words (selected in the text, or pasted),
    the record and field they support, the claim."""

    record = forms.ChoiceField(label=gettext_lazy("supports the record"))
    field = forms.CharField(
        label=gettext_lazy("field"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("The attribute of the record, e.g. route_to_market; empty for the record as a whole."),
    )
    exact = forms.CharField(
        label=gettext_lazy("exact words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=False,
        help_text=gettext_lazy("Select them in the text above, or paste them here, word for word."),
    )
    prefix = forms.CharField(
        label=gettext_lazy("words before"),
        required=False,
        strip=False,
        max_length=200,
        help_text=gettext_lazy("Needed only when the words occur more than once in the text."),
    )
    suffix = forms.CharField(label=gettext_lazy("words after"), required=False, strip=False, max_length=200)
    start = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    end = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    stance = forms.ChoiceField(label=gettext_lazy("stance"), choices=Stance.choices, initial=Stance.SUPPORTS)
    claim = forms.CharField(label=gettext_lazy("claim"), required=False, max_length=200)
    note = forms.CharField(label=gettext_lazy("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["record"].choices = record_choices()
        person = Passage._meta.get_field("claimed_by_person")
        vendor = Passage._meta.get_field("claimed_by_vendor")
        self.fields["claimed_by_person"] = person.formfield(required=False)
        self.fields["claimed_by_vendor"] = vendor.formfield(required=False)

    def clean(self):
        cleaned = super().clean()
        target = record_from_key(cleaned.get("record"))
        if cleaned.get("record") and target is None:
            self.add_error("record", _("There is no such record."))
        exact = cleaned.get("exact") or ""
        if not exact.strip():
            return cleaned
        text = self.source.text or ""
        start, end = cleaned.get("start"), cleaned.get("end")
        passage = Passage(
            source=self.source,
            exact=exact,
            prefix=cleaned.get("prefix") or "",
            suffix=cleaned.get("suffix") or "",
            field=cleaned.get("field") or "",
            stance=cleaned.get("stance") or Stance.SUPPORTS,
            claim=cleaned.get("claim") or "",
            claimed_by_person=cleaned.get("claimed_by_person"),
            claimed_by_vendor=cleaned.get("claimed_by_vendor"),
            note=cleaned.get("note") or "",
        )
        if target is not None:
            passage.target = target
        if start is not None and end is not None and 0 <= start < end <= len(text) and text[start:end] == exact:
            # Words selected in the text: their offsets say exactly which occurrence.
            found = anchoring.selector_from_offsets(text, start, end)
            passage.exact, passage.prefix, passage.suffix = found.exact, found.prefix, found.suffix
            passage.start, passage.end = found.start, found.end
        try:
            passage.full_clean()
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        cleaned["passage"] = passage
        return cleaned


class SourceEvidenceViews:
    """Mixed into SourceAdmin: the highlighted text on the change page, the
    page to add passages by selecting words, and "Needs evidence"."""

    add_passage_template = "admin/sources/source/add_passage.html"
    needs_evidence_template = "admin/sources/needs_evidence.html"

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        urls = [
            path(
                "<path:object_id>/passages/add/",
                self.admin_site.admin_view(self.add_passage_view),
                name="{}_{}_add_passage".format(*info),
            ),
            path("needs-evidence/", self.admin_site.admin_view(self.needs_evidence_view), name="needs_evidence"),
        ]
        return urls + super().get_urls()

    @admin.display(description=gettext_lazy("text, with its passages highlighted"))
    def text_with_passages(self, obj):
        from django.template.loader import render_to_string

        if obj is None or not obj.pk:
            return "—"
        passages = list(
            obj.passages.select_related("content_type", "claimed_by_person", "claimed_by_vendor").order_by(
                "start", "pk"
            )
        )
        ctx = source_text_context(obj, passages, public_only=False)
        ctx.update(
            {
                "source": obj,
                "add_url": reverse("admin:sources_source_add_passage", args=[obj.pk]),
                "selectable": False,
            }
        )
        return render_to_string("admin/sources/source/text_with_passages.html", ctx)

    def add_passage_view(self, request, object_id):
        source = self.get_object(request, unquote(object_id))
        if source is None:
            raise Http404(_("There is no such source."))
        if not self.has_view_or_change_permission(request, source):
            raise PermissionDenied
        can_add = request.user.has_perm("sources.add_passage")
        form = None
        if request.method == "POST":
            if not can_add:
                raise PermissionDenied
            form = PassageFromTextForm(request.POST, source=source)
            if form.is_valid():
                passage = form.cleaned_data["passage"]
                passage._change_reason = _("Added from the source's text")
                with transaction.atomic():
                    passage.save()
                messages.success(
                    request,
                    _("Passage added: %(words)s, supporting %(record)s.")
                    % {"words": passage, "record": passage.target},
                )
                url = reverse("admin:sources_source_add_passage", args=[source.pk])
                return HttpResponseRedirect(f"{url}#passage-{passage.pk}")
        elif can_add:
            initial = {k: request.GET[k] for k in ("record", "field") if k in request.GET}
            form = PassageFromTextForm(initial=initial, source=source)
        passages = list(
            source.passages.select_related("content_type", "claimed_by_person", "claimed_by_vendor").order_by(
                "start", "pk"
            )
        )
        ctx = source_text_context(source, passages, public_only=False)
        context = {
            **self.admin_site.each_context(request),
            **ctx,
            "title": _("Passages of “%(source)s”") % {"source": source},
            "subtitle": None,
            "opts": self.model._meta,
            "original": source,
            "source": source,
            "form": form,
            "selectable": bool(form is not None and source.text),
            "media": self.media + (form.media if form else forms.Media()),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.add_passage_template, context)

    def needs_evidence_view(self, request):
        if not request.user.is_staff or not request.user.has_perm("sources.view_passage"):
            raise PermissionDenied
        sections = needs_evidence()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Needs evidence"),
            "sections": sections,
            "total_records": sum(len(s["records"]) for s in sections),
            "total_fields": sum(len(s["fields"]) for s in sections),
            "opts": self.model._meta,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.needs_evidence_template, context)


def needs_evidence():
    """Published records with no passage at all, and stated fields with no
    passage of their own, per model: Wikidata's "citation needed".

    The rule is the model's own (``EvidencedMixin.unevidenced``: its
    ``evidence_fields`` that hold a value), the one the shipped knowledge is
    checked against (tests/knowledge/test_shipped_evidence.py): a record's
    name, parent and links are covered by its passages as a whole; prose the
    staff write and bookkeeping columns are not statements."""
    sections = []
    for model in sorted(evidenced_models(), key=lambda m: str(m._meta.verbose_name_plural)):
        manager = model._default_manager
        queryset = manager.published() if hasattr(manager, "published") else manager.all()
        records, fields = [], []
        ct = ContentType.objects.get_for_model(model)
        for obj in queryset.prefetch_related("passages"):
            missing = obj.unevidenced()
            if not missing:
                continue
            admin_url = reverse(f"admin:{ct.app_label}_{ct.model}_change", args=[obj.pk])
            if "" in missing:
                records.append({"object": obj, "admin_url": admin_url})
                continue
            for name in missing:
                fields.append({"object": obj, "field": field_label(model, name), "admin_url": admin_url})
        if records or fields:
            sections.append({"model": capfirst(model._meta.verbose_name_plural), "records": records, "fields": fields})
    return sections
