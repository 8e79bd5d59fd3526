from rest_framework import serializers

from kb.api.serializers import HtmlUrlField, OptionalUrlField, link, links, named, named_many, self_link, sources_links
from sources.api.serializers import evidence

from ..models import Person, Vendor, VendorRelation


class RelationSerializer(serializers.ModelSerializer):
    """``vendor`` ``kind`` ``other_vendor`` (e.g. Cisco competes with HP)."""

    vendor = link("vendor")
    vendor_slug = named("vendor", "slug")
    vendor_name = named("vendor", "name")
    other_vendor = link("vendor")
    other_vendor_slug = named("other_vendor", "slug")
    other_vendor_name = named("other_vendor", "name")

    passages = evidence()

    class Meta:
        model = VendorRelation
        fields = [
            "vendor",
            "vendor_slug",
            "vendor_name",
            "kind",
            "other_vendor",
            "other_vendor_slug",
            "other_vendor_name",
            "summary",
            "passages",
        ]


class VendorSerializer(serializers.HyperlinkedModelSerializer):
    website = OptionalUrlField()
    url = self_link("vendor")
    html_url = HtmlUrlField()
    programs = links("program", "published_programs")
    program_slugs = named_many("published_programs", "slug")
    program_names = named_many("published_programs", "name")
    people = links("person", "published_people")
    person_slugs = named_many("published_people", "slug")
    person_names = named_many("published_people", "name")
    relations = RelationSerializer(many=True, read_only=True, source="published_relations")
    reverse_relations = RelationSerializer(many=True, read_only=True, source="published_reverse_relations")
    sources = sources_links()
    source_slugs = named_many("sources", "slug")
    source_titles = named_many("sources", "title")
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
            "program_slugs",
            "program_names",
            "people",
            "person_slugs",
            "person_names",
            "relations",
            "reverse_relations",
            "sources",
            "source_slugs",
            "source_titles",
            "passages",
        ]


class PersonSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("person")
    html_url = HtmlUrlField()
    employer = link("vendor", allow_null=True)
    employer_slug = named("employer", "slug")
    employer_name = named("employer", "name")
    sources = sources_links()
    source_slugs = named_many("sources", "slug")
    source_titles = named_many("sources", "title")

    passages = evidence()

    class Meta:
        model = Person
        fields = [
            "url",
            "html_url",
            "slug",
            "name",
            "title",
            "employer",
            "employer_slug",
            "employer_name",
            "sources",
            "source_slugs",
            "source_titles",
            "passages",
        ]
