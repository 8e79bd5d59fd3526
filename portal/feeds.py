"""Atom feeds of the recent changes (Django's syndication framework): every
change, a vendor's (its own record, people, relations, programs and what
hangs off them) and a program's. Linked from the pages with
``<link rel="alternate" type="application/atom+xml">``."""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from programs.models import Program
from vendors.models import Vendor

from .changes import ChangeLog

FEED_SIZE = 50


@dataclass
class Target:
    """What a feed is about (``record``: None, a vendor or a program) and
    the absolute address of the changes page (the base of entry ids). The
    one Feed instance serves every request, so nothing request-specific is
    kept on it."""

    record: object
    base: str


class ChangesFeed(Feed):
    feed_type = Atom1Feed
    item_guid_is_permalink = False

    @property
    def language(self):
        return translation.get_language()

    def get_record(self, slug):
        return None

    def get_object(self, request, slug=None):
        return Target(self.get_record(slug), request.build_absolute_uri(reverse("changes:list")))

    def changelog(self, record):
        return ChangeLog()

    def items(self, target):
        changes = self.changelog(target.record)[:FEED_SIZE]
        for change in changes:
            change.feed_id = f"{target.base}#{change.guid}"
        return changes

    def title(self, target):
        return _("Changes to the partner-program knowledge base")

    def subtitle(self, target):
        return _("What changed in the published knowledge, field by field, newest first.")

    def link(self, target):
        return reverse("changes:list")

    def item_title(self, change):
        title = f"{capfirst(change.kind.label)}: {change.title}"
        # The messages outside f-strings, where xgettext finds them.
        state = _("deleted") if change.deleted else _("new record") if change.created else None
        return f"{title} ({state})" if state else title

    def item_description(self, change):
        return render_to_string("portal/change_fields.html", {"change": change})

    def item_link(self, change):
        """The record's page; a deleted record's entry on the changes page."""
        return change.url or f"{reverse('changes:list')}#{change.guid}"

    def item_guid(self, change):
        return change.feed_id

    def item_pubdate(self, change):
        return change.date

    def item_updateddate(self, change):
        return change.date


class VendorChangesFeed(ChangesFeed):
    def get_record(self, slug):
        return get_object_or_404(Vendor.objects.published(), slug=slug)

    def changelog(self, vendor):
        return ChangeLog(vendors=[vendor.pk])

    def title(self, target):
        return _("Changes of %(name)s") % {"name": target.record.name}

    def link(self, target):
        return reverse("changes:list") + f"?vendor={target.record.slug}"


class ProgramChangesFeed(ChangesFeed):
    def get_record(self, slug):
        return get_object_or_404(Program.objects.published(), slug=slug)

    def changelog(self, program):
        return ChangeLog(programs=[program.pk])

    def title(self, target):
        return _("Changes of %(name)s") % {"name": target.record}

    def link(self, target):
        return reverse("changes:list") + f"?program={target.record.slug}"
