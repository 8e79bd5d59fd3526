"""Forms of the ingestion screens: the upload, and the review of one candidate."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kb.models import DatePrecision, Language
from utilities.controls import multi_line, single_line

from .ingest.documents import max_bytes


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_("A .txt, .html or .pdf file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.text,.html,.htm,.pdf"}),
    )
    text = forms.CharField(
        label=_("Or paste the text"), required=False, widget=forms.Textarea(attrs={"rows": 8, "cols": 80})
    )
    title = forms.CharField(
        label=_("Title"), required=False, max_length=300, help_text=_("Taken from the document when empty.")
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Detect from the text")), *Language.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_control_characters(self)

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if not upload and not text:
            raise forms.ValidationError(_("Choose a file or paste a text."))
        if upload and upload.size > max_bytes():
            from django.template.defaultfilters import filesizeformat

            raise forms.ValidationError(
                _("%(name)s is %(size)s, over the limit of %(limit)s.")
                % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes())}
            )
        return data


def refuse_control_characters(form):
    """Text fields refuse control characters, as every admin form does
    (``kb.admin.add_control_character_validator``): a text area keeps tab and
    line breaks, a one-line field nothing."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField):
            rule = multi_line if isinstance(field.widget, forms.Textarea) else single_line
            if rule not in field.validators:
                field.validators.append(rule)


def _choices(objects, empty=True):
    out = [("", "—")] if empty else []
    return out + [(str(o.pk), str(o)) for o in objects]


def versioned(value, obj):
    """A choice's value that also carries the record's version as the page
    shows it (``"12@3"``), so accepting into that record can refuse it when it
    changed meanwhile (the admin's optimistic locking)."""
    version = getattr(obj, "version", None)
    return f"{value}@{version}" if version is not None else str(value)


def unversioned(value):
    """``"12@3"`` -> ``("12", 3)``; a value without a version -> ``(value, None)``."""
    head, sep, tail = str(value).rpartition("@")
    if sep and tail.isdigit():
        return head, int(tail)
    return str(value), None


class VersionedChoiceField(forms.ChoiceField):
    """A choice of record whose values carry the version shown (``versioned``):
    a value naming a listed record at another version is still valid, so that
    accepting into it is refused as a conflict, with what changed."""

    def valid_value(self, value):
        if super().valid_value(value):
            return True
        wanted, _version = unversioned(value)
        return any(unversioned(k)[0] == wanted for k, _label in self.choices if k)


class CandidateForm(forms.Form):
    """The reviewable fields of one candidate; which ones depend on its kind.
    ``choices`` holds the select lists, computed once per page."""

    FIELDS = {
        "organisation": ["name"],
        "person": ["name", "employer"],
        "program": ["name", "acronym", "vendor"],
        "tier": ["name", "tier_kind", "program"],
        "focus_area": ["name", "program"],
        "benefit": ["title", "benefit_kind", "program"],
        "quote": ["person", "program", "vendor", "language"],
        "date": [
            "title",
            "event_kind",
            "program",
            "vendor",
            "start_date",
            "end_date",
            "precision",
            "place",
            "date_text",
        ],
        "figure": ["levels", "program", "record"],
        "place": ["record"],
    }

    record_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=200)
    acronym = forms.CharField(label=_("Acronym"), max_length=30, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    employer = forms.ChoiceField(label=_("Employer"), required=False)
    vendor = forms.ChoiceField(label=_("Vendor"), required=False)
    program = forms.ChoiceField(label=_("Program"), required=False)
    person = forms.ChoiceField(label=_("Said by"), required=False)
    record = VersionedChoiceField(label=_("Evidence for"), required=False)
    tier_kind = forms.ChoiceField(label=_("Kind"), required=False)
    benefit_kind = forms.ChoiceField(label=_("Kind"), required=False)
    event_kind = forms.ChoiceField(label=_("Kind"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    precision = forms.ChoiceField(label=_("Precision"), choices=DatePrecision.choices, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    date_text = forms.CharField(label=_("As the source words it"), max_length=300, required=False)
    levels = forms.BooleanField(label=_("Number of levels of the program"), required=False)
    merge_with = VersionedChoiceField(label=_("Or merge with an existing record"), required=False)

    def __init__(self, *args, kind, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.choices = choices
        keep = {"record_version", "merge_with", *self.FIELDS.get(kind, [])}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name, field in self.fields.items():
            if isinstance(field, forms.ChoiceField) and name in choices:
                field.choices = choices[name]
        if kind in ("figure", "place"):
            del self.fields["merge_with"]
        elif "merge_with" in self.fields:
            self.fields["merge_with"].choices = choices.get(f"merge:{kind}", [("", "—")])
        if "name" in self.fields and kind in ("figure", "place"):
            self.fields["name"].required = False
        refuse_control_characters(self)

    def clean(self):
        data = super().clean()
        objects = self.choices["objects"]
        for name in ("employer", "vendor", "program", "person", "record", "merge_with"):
            value = data.get(name)
            if name in ("record", "merge_with"):
                value, data[f"{name}_shown_version"] = unversioned(value or "")
            if value:
                key = f"merge:{self.kind}" if name == "merge_with" else name
                data[name] = objects.get((key, value))
                if data[name] is None:
                    self.add_error(name, _("Choose one of the records listed."))
            else:
                data[name] = None
        if data.get("merge_with") is not None:
            for name in ("name", "title"):
                if name in self.errors:
                    del self.errors[name]  # merging needs no new name
        return data

    def seen_version(self):
        """The version of the record this candidate is accepted into, as the
        review page showed it: the record chosen to merge with (or to be
        evidence for), else the record it matched; None when not known."""
        data = self.cleaned_data
        for name in ("merge_with", "record"):
            if data.get(name) is not None:
                return data.get(f"{name}_shown_version")
        return data.get("record_version")

    def keep_input_at(self, obj):
        """After a conflict: the input kept, now based on ``obj``'s latest
        version, so accepting again is a deliberate decision (as in the admin)."""
        self.data = self.data.copy()
        for name in ("merge_with", "record"):
            if self.cleaned_data.get(name) is not None:
                value, _version = unversioned(self.data.get(self.add_prefix(name), ""))
                self.data[self.add_prefix(name)] = versioned(value, obj)
                return
        self.data[self.add_prefix("record_version")] = obj.version
