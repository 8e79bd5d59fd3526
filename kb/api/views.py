"""The base of every app's read-only API viewset."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets
from rest_framework.exceptions import NotFound

SLUG_REGEX = r"[-a-zA-Z0-9_]+"
ID_REGEX = r"[0-9]{1,18}"


class KBReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail, GET only (any write method is a 405 for everyone).

    ``get_queryset()`` of each subclass starts from ``.published()`` so drafts
    never show, and loads related records up front (the list's query count is
    pinned in tests/kb/test_api.py). Lists are in the model's default order with
    the primary key as the last tie-breaker, so pages never overlap."""

    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX

    def ordered(self, queryset):
        return queryset.order_by(*queryset.model._meta.ordering, "pk")

    def get_object(self):
        # Django's get_object_or_404 says "No Program matches the given query."
        # in English whatever the language; answer with the documented message.
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(_("No published record at this address.")) from exc
