from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kb.api.serializers import HtmlUrlField, OptionalUrlField, link, self_link

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
    source = link("source")
    program = link("program", allow_null=True)
    vendor = link("vendor", allow_null=True)

    class Meta:
        model = Quote
        fields = [
            "url",
            "html_url",
            "id",
            "person",
            "text",
            "language",
            "source",
            "program",
            "vendor",
            "said_on",
            "context",
        ]
