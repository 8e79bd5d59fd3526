from rest_framework import serializers

from kb.api.serializers import HtmlUrlField, link, links, self_link, sources_links

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

    class Meta:
        model = Benefit
        fields = ["id", "kind", "title", "description", "tier", "sources"]


class ProgramSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("program")
    html_url = HtmlUrlField()
    vendors = links("vendor", "published_vendors")
    focus_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    tiers = TierSummarySerializer(many=True, read_only=True)
    benefits = BenefitSerializer(many=True, read_only=True)
    sources = sources_links()

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
            "rollout_notes",
            "levels_announced",
            "tiers",
            "benefits",
            "sources",
        ]


class TierSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("tier", TIER_ID)
    html_url = HtmlUrlField()
    program = link("program")
    sources = sources_links()

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
        ]


class EventSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("event")
    html_url = HtmlUrlField()
    program = link("program", allow_null=True)
    vendor = link("vendor", allow_null=True)
    sources = sources_links()

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
            "place",
            "description",
            "sources",
        ]


class FocusAreaSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("focusarea")
    html_url = HtmlUrlField()

    class Meta:
        model = FocusArea
        fields = ["url", "html_url", "slug", "name"]
