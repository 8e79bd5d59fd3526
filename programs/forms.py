"""The compare page's input, read by a form rather than by hand."""

import re

from django import forms
from django.utils.translation import gettext as _

from .models import Program

COMPARE_MIN, COMPARE_MAX = 2, 4
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")


class SlugListField(forms.Field):
    """Every ``p`` of the query string: stripped, capped at 200 characters,
    blanks and repeats dropped, in the order given."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        slugs = []
        for slug in value or ():
            slug = str(slug).strip()[:200]
            if slug and slug not in slugs:
                slugs.append(slug)
        return slugs


class CompareForm(forms.Form):
    """``?p=slug&p=slug``: two to four published programs.

    Errors are form-wide (``non_field_errors()``) and do not hide what can be
    shown: with one unknown identifier among three, the two others are still
    found. After ``is_valid()``: ``requested`` (the well-formed identifiers),
    ``programs`` (found, in the order asked, with what the comparison shows
    prefetched: ``ProgramQuerySet.for_compare``) and ``comparable`` (two to
    four of them, and no more than four asked)."""

    p = SlugListField(required=False)

    requested: list
    programs: list
    comparable = False

    def clean(self):
        slugs = self.cleaned_data.get("p") or []
        bad = [s for s in slugs if not SLUG_RE.fullmatch(s)]
        self.requested = [s for s in slugs if s not in bad]
        self.programs = []
        if len(self.requested) > COMPARE_MAX:
            self.add_error(
                None,
                _("Pick at most %(max)s programs to compare; you picked %(n)s.")
                % {"max": COMPARE_MAX, "n": len(self.requested)},
            )
            return self.cleaned_data
        found = {p.slug: p for p in Program.objects.for_compare().filter(slug__in=self.requested)}
        unknown = [s for s in self.requested if s not in found] + ["…" if "\x00" in s else s for s in bad]
        if unknown:
            self.add_error(
                None, _("No published program has the identifier: %(slugs)s.") % {"slugs": ", ".join(unknown)}
            )
        self.programs = [found[s] for s in self.requested if s in found]
        if len(self.programs) < COMPARE_MIN:
            self.add_error(None, _("Pick two to four programs to compare."))
        self.comparable = len(self.programs) >= COMPARE_MIN
        return self.cleaned_data

    @property
    def can_add(self):
        """Room for one more program (fewer than four found)."""
        return len(self.programs) < COMPARE_MAX
