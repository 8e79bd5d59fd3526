from rest_framework import serializers

from kb.api.serializers import HtmlUrlField, link, links, self_link, sources_links
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
    sources = sources_links()
    passages = evidence()

    class Meta:
        model = Benefit
        fields = ["id", "kind", "title", "description", "tier", "sources", "passages"]


class ProgramSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("program")
    html_url = HtmlUrlField()
    vendors = links("vendor", "published_vendors")
    focus_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    tiers = TierSummarySerializer(many=True, read_only=True)
    benefits = BenefitSerializer(many=True, read_only=True)
    sources = sources_links()
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
            "status",
            "focus_areas",
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
            "passages",
        ]


class TierSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("tier", TIER_ID)
    html_url = HtmlUrlField()
    program = link("program")
    sources = sources_links()
    passages = evidence()

    class Meta:
        model = Tier
        fields = [
            "url",
            "html_url",
            "id",
            "program",
            "slug",
            "name",
            "kind",
            "rank",
            "summary",
            "requirements",
            "benefits_text",
            "sources",
            "passages",
        ]


class EventSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("event")
    html_url = HtmlUrlField()
    program = link("program", allow_null=True)
    vendor = link("vendor", allow_null=True)
    sources = sources_links()
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
            "vendor",
            "start_date",
            "end_date",
            "precision",
            "date_text",
            "date_derived",
            "date_derivation",
            "place",
            "description",
            "sources",
            "passages",
        ]


class FocusAreaSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("focusarea")
    html_url = HtmlUrlField()
    passages = evidence()

    class Meta:
        model = FocusArea
        fields = ["url", "html_url", "slug", "name", "passages"]
