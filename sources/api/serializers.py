from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kb.api.serializers import HtmlUrlField, OptionalUrlField, link, named, self_link

from ..models import Quote, Source

QUOTE_ID = "pk"


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
            "quotes",
        ]


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
        ]
