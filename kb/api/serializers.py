"""Serializer fields every app's API shares.

- ``HtmlUrlField``: the absolute URL of the record's public HTML page.
- ``link`` / ``links``: hyperlinks to other API records; a link to a draft
  is ``null`` (the draft itself answers 404), so drafts never leak.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.URI)
class HtmlUrlField(serializers.Field):
    """The public HTML page of the record (``get_absolute_url()``), absolute."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        url = value.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class OptionalUrlField(serializers.URLField):
    """A web address that may be unknown: ``null`` rather than ``""``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None


class PublishedHyperlinkedRelatedField(serializers.HyperlinkedRelatedField):
    """A hyperlink that is ``null`` when the target is an unpublished draft."""

    def to_representation(self, value):
        if getattr(value, "is_published", True) is False:
            return None
        return super().to_representation(value)


def link(name, lookup_field="slug", **kwargs):
    """A read-only hyperlink to the API record ``name`` (``vendor``, ``tier``...)."""
    kwargs.setdefault("read_only", True)
    if kwargs.get("allow_null"):
        return PublishedHyperlinkedRelatedField(view_name=f"api-{name}-detail", lookup_field=lookup_field, **kwargs)
    return serializers.HyperlinkedRelatedField(view_name=f"api-{name}-detail", lookup_field=lookup_field, **kwargs)


def links(name, source, lookup_field="slug"):
    """Hyperlinks to many API records, read from a prefetched (published) list."""
    return serializers.HyperlinkedRelatedField(
        view_name=f"api-{name}-detail", lookup_field=lookup_field, many=True, read_only=True, source=source
    )


def self_link(name, lookup_field="slug"):
    return serializers.HyperlinkedIdentityField(view_name=f"api-{name}-detail", lookup_field=lookup_field)


def sources_links():
    """Links to the record's ``sources`` (the field of that name); the view
    prefetches only the published ones (``sources.models.published_sources()``)."""
    return serializers.HyperlinkedRelatedField(
        view_name="api-source-detail", lookup_field="slug", many=True, read_only=True
    )


@extend_schema_field({"type": "string", "nullable": True})
class RelatedValueField(serializers.Field):
    """One attribute (``slug``, ``name``) of a related record, beside its link,
    so a table of records needs no second request to be read: ``null`` when
    there is none or it is a draft."""

    def __init__(self, attr, **kwargs):
        self.attr = attr
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        if getattr(value, "is_published", True) is False:
            return None
        return getattr(value, self.attr)


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class RelatedValuesField(serializers.Field):
    """One attribute of each of many related records (read from a prefetched
    list of published records), in the order of their links."""

    def __init__(self, attr, **kwargs):
        self.attr = attr
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        items = value.all() if hasattr(value, "all") else value
        return [getattr(item, self.attr) for item in items]


def named(source, attr):
    """``<link>_slug`` / ``<link>_name`` of a related record."""
    return RelatedValueField(attr, source=source)


def named_many(source, attr):
    """``<links>_slugs`` / ``<links>_names`` of many related records."""
    return RelatedValuesField(attr, source=source)
