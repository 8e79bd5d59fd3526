from rest_framework import serializers

from kb.api.serializers import HtmlUrlField, link, links, named, named_many, self_link, sources_links
from sources.api.serializers import evidence

from ..models import Benefit, FocusArea, Program, ProgramEvent, Tier

TIER_ID = "pk"


class TierSummarySerializer(serializers.ModelSerializer):
    url = self_link("tier", TIER_ID)
    html_url = HtmlUrlField()

    class Meta:
        model = Tier
        fields = ["url", "html_url", "id", "slug", "name", "kind", "rank"]


class BenefitSerializer(serializers.ModelSerializer):
    tier = link("tier", TIER_ID, allow_null=True)
    tier_slug = named("tier", "slug")
    tier_name = named("tier", "name")
    sources = sources_links()
    source_slugs = named_many("sources", "slug")
    source_titles = named_many("sources", "title")

    passages = evidence()

    class Meta:
        model = Benefit
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "tier",
            "tier_slug",
            "tier_name",
            "sources",
            "source_slugs",
            "source_titles",
            "passages",
        ]


class ProgramSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("program")
    html_url = HtmlUrlField()
    vendors = links("vendor", "published_vendors")
    vendor_slugs = named_many("published_vendors", "slug")
    vendor_names = named_many("published_vendors", "name")
    focus_area_names = named_many("focus_areas", "name")
    focus_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    tiers = TierSummarySerializer(many=True, read_only=True)
    benefits = BenefitSerializer(many=True, read_only=True)
    sources = sources_links()
    source_slugs = named_many("sources", "slug")
    source_titles = named_many("sources", "title")
    passages = evidence()

    class Meta:
        model = Program
        fields = [
            "url",
            "html_url",
            "slug",
            "name",
            "acronym",
            "vendors",
            "vendor_slugs",
            "vendor_names",
            "status",
            "focus_areas",
            "focus_area_names",
            "route_to_market",
            "scope",
            "summary",
            "description",
            "announced_on",
            "announced_precision",
            "launch_window",
            "launch_start",
            "launch_end",
            "launch_derived",
            "launch_derivation",
            "rollout_notes",
            "levels_announced",
            "tiers",
            "benefits",
            "sources",
            "source_slugs",
            "source_titles",
            "passages",
        ]


class TierSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("tier", TIER_ID)
    html_url = HtmlUrlField()
    program = link("program")
    program_slug = named("program", "slug")
    program_name = named("program", "name")
    sources = sources_links()
    source_slugs = named_many("sources", "slug")
    source_titles = named_many("sources", "title")
    passages = evidence()

    class Meta:
        model = Tier
        fields = [
            "url",
            "html_url",
            "id",
            "program",
            "program_slug",
            "program_name",
            "slug",
            "name",
            "kind",
            "rank",
            "summary",
            "requirements",
            "benefits_text",
            "sources",
            "source_slugs",
            "source_titles",
            "passages",
        ]


class EventSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("event")
    html_url = HtmlUrlField()
    program = link("program", allow_null=True)
    program_slug = named("program", "slug")
    program_name = named("program", "name")
    vendor = link("vendor", allow_null=True)
    vendor_slug = named("vendor", "slug")
    vendor_name = named("vendor", "name")
    sources = sources_links()
    source_slugs = named_many("sources", "slug")
    source_titles = named_many("sources", "title")
    passages = evidence()

    class Meta:
        model = ProgramEvent
        fields = [
            "url",
            "html_url",
            "slug",
            "title",
            "kind",
            "program",
            "program_slug",
            "program_name",
            "vendor",
            "vendor_slug",
            "vendor_name",
            "start_date",
            "end_date",
            "precision",
            "date_text",
            "date_derived",
            "date_derivation",
            "place",
            "description",
            "sources",
            "source_slugs",
            "source_titles",
            "passages",
        ]


class FocusAreaSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("focusarea")
    html_url = HtmlUrlField()
    passages = evidence()

    class Meta:
        model = FocusArea
        fields = ["url", "html_url", "slug", "name", "passages"]
