from rest_framework import serializers

from kb.api.serializers import HtmlUrlField, OptionalUrlField, link, self_link, sources_links
from sources.api.serializers import evidence

from ..models import Membership, Partner

MEMBERSHIP_ID = "pk"


class MembershipSummarySerializer(serializers.ModelSerializer):
    url = self_link("membership", MEMBERSHIP_ID)
    tier = link("tier", "pk")
    program = link("program")

    class Meta:
        model = Membership
        fields = ["url", "id", "tier", "program", "tier_kind", "since", "until"]


class PartnerSerializer(serializers.HyperlinkedModelSerializer):
    website = OptionalUrlField()
    url = self_link("partner")
    html_url = HtmlUrlField()
    memberships = MembershipSummarySerializer(many=True, read_only=True, source="published_memberships")
    sources = sources_links()
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
            "passages",
        ]


class MembershipSerializer(serializers.HyperlinkedModelSerializer):
    url = self_link("membership", MEMBERSHIP_ID)
    html_url = HtmlUrlField()
    partner = link("partner")
    tier = link("tier", "pk")
    program = link("program")
    sources = sources_links()
    passages = evidence()

    class Meta:
        model = Membership
        fields = [
            "url",
            "html_url",
            "id",
            "partner",
            "tier",
            "program",
            "tier_kind",
            "since",
            "until",
            "sources",
            "passages",
        ]
