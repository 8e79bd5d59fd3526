from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kb.api.serializers import HtmlUrlField, OptionalUrlField, link, named, self_link

from ..models import Passage, Quote, Source, Stance

QUOTE_ID = "pk"


# -- evidence ---------------------------------------------------------------------

# The API address of a record supporting passages: (view name, lookup field).
# Models without an address of their own (benefits, relations) are shown
# inside their program's / vendor's record.
RECORD_ROUTES = {
    "vendor": ("api-vendor-detail", "slug"),
    "person": ("api-person-detail", "slug"),
    "program": ("api-program-detail", "slug"),
    "tier": ("api-tier-detail", "pk"),
    "programevent": ("api-event-detail", "slug"),
    "focusarea": ("api-focusarea-detail", "slug"),
    "partner": ("api-partner-detail", "slug"),
    "membership": ("api-membership-detail", "pk"),
    "quote": ("api-quote-detail", "pk"),
}


def _absolute(request, url):
    return request.build_absolute_uri(url) if request is not None else url


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "description": _("Who makes the claim according to the source: a person or a vendor."),
        "properties": {
            "type": {"type": "string", "enum": ["person", "vendor"]},
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
        },
    }
)
class ClaimedByField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, passage):
        claimant = passage.claimed_by
        if claimant is None or not claimant.is_published:
            return None
        kind = "person" if passage.claimed_by_person_id else "vendor"
        url = reverse(f"api-{kind}-detail", kwargs={"slug": claimant.slug})
        return {
            "type": kind,
            "slug": claimant.slug,
            "name": str(claimant),
            "url": _absolute(self.context.get("request"), url),
        }


@extend_schema_field(OpenApiTypes.URI)
class PassageHtmlUrlField(serializers.Field):
    """The passage highlighted on its source's page (``/sources/<slug>/#passage-<id>``)."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, passage):
        return _absolute(self.context.get("request"), passage.get_absolute_url())


class EvidenceSerializer(serializers.ModelSerializer):
    """A passage as a record shows it: the words, where they come from, what
    field they support, the stance and who makes the claim."""

    url = serializers.HyperlinkedIdentityField(view_name="api-passage-detail", lookup_field="pk")
    html_url = PassageHtmlUrlField(help_text=_("The passage highlighted on its source's page."))
    source = link("source")
    source_title = serializers.CharField(source="source.title", read_only=True)
    claimed_by = ClaimedByField()
    anchored = serializers.SerializerMethodField(
        help_text=_("False when the source's text was edited and the words are no longer in it.")
    )

    class Meta:
        model = Passage
        fields = [
            "url",
            "html_url",
            "id",
            "source",
            "source_title",
            "exact",
            "prefix",
            "suffix",
            "field",
            "stance",
            "claim",
            "claimed_by",
            "note",
            "anchored",
        ]

    def get_anchored(self, passage) -> bool:
        return not passage.is_orphaned


def evidence():
    """A record's passages (prefetched with ``sources.models.passages_prefetch``)."""
    return EvidenceSerializer(many=True, read_only=True)


@extend_schema_field(
    {
        "type": "object",
        "description": _("The record the passage supports."),
        "properties": {
            "type": {"type": "string", "description": _("Its kind: program, tier, vendor, programevent...")},
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "html_url": {"type": "string", "format": "uri"},
            "url": {"type": "string", "format": "uri", "nullable": True},
        },
    }
)
class RecordField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, passage):
        target = passage.target
        request = self.context.get("request")
        kind = passage.content_type.model
        route = RECORD_ROUTES.get(kind)
        api_url = None
        if route is not None:
            view_name, lookup = route
            api_url = _absolute(request, reverse(view_name, kwargs={lookup: getattr(target, lookup)}))
        return {
            "type": kind,
            "id": target.pk,
            "name": str(target),
            "html_url": _absolute(request, target.get_absolute_url()),
            "url": api_url,
        }


class PassageSerializer(EvidenceSerializer):
    """A passage with the record it supports and its offsets in the source's text."""

    record = RecordField()

    class Meta(EvidenceSerializer.Meta):
        fields = [*EvidenceSerializer.Meta.fields, "record", "start", "end"]


class AnnotationSerializer(serializers.BaseSerializer):
    """A passage as a W3C Web Annotation (https://www.w3.org/TR/annotation-model/):
    the target is the source's text with a TextQuoteSelector and a
    TextPositionSelector; the body links to the record the passage supports."""

    def to_representation(self, passage):
        request = self.context.get("request")
        target = passage.target
        body = [
            {
                "type": "SpecificResource",
                "source": _absolute(request, target.get_absolute_url()),
                "purpose": "linking" if passage.stance == Stance.SUPPORTS else "questioning",
            }
        ]
        if passage.field:
            body.append({"type": "TextualBody", "value": passage.field, "purpose": "tagging"})
        if passage.claim:
            body.append({"type": "TextualBody", "value": passage.claim, "purpose": "describing", "language": "en"})
        if passage.note:
            body.append({"type": "TextualBody", "value": passage.note, "purpose": "commenting", "language": "en"})
        selector = [
            {"type": "TextQuoteSelector", "exact": passage.exact, "prefix": passage.prefix, "suffix": passage.suffix}
        ]
        if passage.start is not None and not passage.is_orphaned:
            selector.append({"type": "TextPositionSelector", "start": passage.start, "end": passage.end})
        return {
            "id": _absolute(request, reverse("api-passage-detail", kwargs={"pk": passage.pk})),
            "type": "Annotation",
            "motivation": "linking",
            "created": passage.created_at.isoformat(),
            "modified": passage.updated_at.isoformat(),
            "body": body,
            "target": {
                "source": _absolute(request, passage.source.get_absolute_url()),
                "language": passage.source.language,
                "selector": selector,
            },
        }


# -- records ---------------------------------------------------------------------


class SourceSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("source")
    html_url = HtmlUrlField()
    source_url = OptionalUrlField(source="url", help_text=_("The article itself, when online."))
    quotes = serializers.HyperlinkedRelatedField(
        view_name="api-quote-detail", many=True, read_only=True, source="published_quotes"
    )

    class Meta:
        model = Source
        fields = [
            "url",
            "html_url",
            "slug",
            "title",
            "outlet",
            "language",
            "published_on",
            "source_url",
            "summary",
            "seed_file",
            "text_public",
            "text",
            "quotes",
        ]

    text = serializers.SerializerMethodField(
        help_text=_("The document's text, when it is public (null otherwise); passages are always public.")
    )

    def get_text(self, source) -> str | None:
        return source.text if source.text_public and source.text else None


class QuoteSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("quote", QUOTE_ID)
    html_url = HtmlUrlField()
    person = link("person")
    person_slug = named("person", "slug")
    person_name = named("person", "name")
    source = link("source")
    source_slug = named("source", "slug")
    source_title = named("source", "title")
    program = link("program", allow_null=True)
    program_slug = named("program", "slug")
    program_name = named("program", "name")
    vendor = link("vendor", allow_null=True)
    vendor_slug = named("vendor", "slug")
    vendor_name = named("vendor", "name")
    passages = evidence()

    class Meta:
        model = Quote
        fields = [
            "url",
            "html_url",
            "id",
            "person",
            "person_slug",
            "person_name",
            "text",
            "language",
            "source",
            "source_slug",
            "source_title",
            "program",
            "program_slug",
            "program_name",
            "vendor",
            "vendor_slug",
            "vendor_name",
            "said_on",
            "context",
            "wording",
            "wording_note",
            "passages",
        ]
