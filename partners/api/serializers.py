from rest_framework import serializers

from kb.api.serializers import HtmlUrlField, OptionalUrlField, link, named, named_many, self_link, sources_links
from sources.api.serializers import evidence

from ..models import Membership, Partner

MEMBERSHIP_ID = "pk"


class MembershipSummarySerializer(serializers.ModelSerializer):
    url = self_link("membership", MEMBERSHIP_ID)
    tier = link("tier", "pk")
    tier_slug = named("tier", "slug")
    tier_name = named("tier", "name")
    program = link("program")
    program_slug = named("program", "slug")
    program_name = named("program", "name")

    class Meta:
        model = Membership
        fields = [
            "url",
            "id",
            "tier",
            "tier_slug",
            "tier_name",
            "program",
            "program_slug",
            "program_name",
            "tier_kind",
            "since",
            "until",
        ]


class PartnerSerializer(serializers.HyperlinkedModelSerializer):
    website = OptionalUrlField()
    url = self_link("partner")
    html_url = HtmlUrlField()
    memberships = MembershipSummarySerializer(many=True, read_only=True, source="published_memberships")
    sources = sources_links()
    source_slugs = named_many("sources", "slug")
    source_titles = named_many("sources", "title")
    passages = evidence()

    class Meta:
        model = Partner
        fields = [
            "url",
            "html_url",
            "slug",
            "name",
            "country",
            "kind",
            "website",
            "description",
            "memberships",
            "sources",
            "source_slugs",
            "source_titles",
            "passages",
        ]


class MembershipSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("membership", MEMBERSHIP_ID)
    html_url = HtmlUrlField()
    partner = link("partner")
    partner_slug = named("partner", "slug")
    partner_name = named("partner", "name")
    tier = link("tier", "pk")
    tier_slug = named("tier", "slug")
    tier_name = named("tier", "name")
    program = link("program")
    program_slug = named("program", "slug")
    program_name = named("program", "name")
    sources = sources_links()
    source_slugs = named_many("sources", "slug")
    source_titles = named_many("sources", "title")
    passages = evidence()

    class Meta:
        model = Membership
        fields = [
            "url",
            "html_url",
            "id",
            "partner",
            "partner_slug",
            "partner_name",
            "tier",
            "tier_slug",
            "tier_name",
            "program",
            "program_slug",
            "program_name",
            "tier_kind",
            "since",
            "until",
            "sources",
            "source_slugs",
            "source_titles",
            "passages",
        ]
