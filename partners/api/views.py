from django.db.models import Prefetch

from kb.api.serializers import published_sources
from kb.api.views import ID_REGEX, KBReadOnlyViewSet
from sources.models import passages_prefetch

from ..filtersets import MembershipFilterSet, PartnerFilterSet
from ..models import Membership, Partner
from .serializers import MembershipSerializer, PartnerSerializer


class PartnerViewSet(KBReadOnlyViewSet):
    """Companies in the programs (resellers, integrators...), with their memberships."""

    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet

    def get_queryset(self):
        memberships = (
            Membership.objects.published().select_related("program", "tier").order_by("program__name", "since", "pk")
        )
        return self.ordered(
            Partner.objects.published().prefetch_related(
                Prefetch("memberships", queryset=memberships, to_attr="published_memberships"),
                published_sources(),
                passages_prefetch(),
            )
        )


class MembershipViewSet(KBReadOnlyViewSet):
    """A partner holding a tier of a program, addressed by id (``/api/memberships/<id>/``)."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    lookup_field = "pk"
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        return self.ordered(
            Membership.objects.published()
            .select_related("partner", "program", "tier")
            .prefetch_related(published_sources(), passages_prefetch())
        )
