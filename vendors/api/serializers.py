from rest_framework import serializers

from kb.api.serializers import HtmlUrlField, OptionalUrlField, link, links, self_link, sources_links
from sources.api.serializers import evidence

from ..models import Person, Vendor, VendorRelation


class RelationSerializer(serializers.ModelSerializer):
    """``vendor`` ``kind`` ``other_vendor`` (e.g. Cisco competes with HP)."""

    vendor = link("vendor")
    other_vendor = link("vendor")
    passages = evidence()

    class Meta:
        model = VendorRelation
        fields = ["vendor", "kind", "other_vendor", "summary", "passages"]


class VendorSerializer(serializers.HyperlinkedModelSerializer):
    website = OptionalUrlField()
    url = self_link("vendor")
    html_url = HtmlUrlField()
    programs = links("program", "published_programs")
    people = links("person", "published_people")
    relations = RelationSerializer(many=True, read_only=True, source="published_relations")
    reverse_relations = RelationSerializer(many=True, read_only=True, source="published_reverse_relations")
    sources = sources_links()
    passages = evidence()

    class Meta:
        model = Vendor
        fields = [
            "url",
            "html_url",
            "slug",
            "name",
            "summary",
            "description",
            "website",
            "headquarters",
            "fiscal_year_start_month",
            "programs",
            "people",
            "relations",
            "reverse_relations",
            "sources",
            "passages",
        ]


class PersonSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("person")
    html_url = HtmlUrlField()
    employer = link("vendor", allow_null=True)
    sources = sources_links()
    passages = evidence()

    class Meta:
        model = Person
        fields = ["url", "html_url", "slug", "name", "title", "employer", "sources", "passages"]
