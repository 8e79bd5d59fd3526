from kb.api.views import ID_REGEX, KBReadOnlyViewSet

from ..filtersets import MembershipFilterSet, PartnerFilterSet
from ..models import Membership, Partner
from .serializers import MembershipSerializer, PartnerSerializer


class PartnerViewSet(KBReadOnlyViewSet):
    """Companies in the programs (resellers, integrators...), with their memberships."""

    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet

    def get_queryset(self):
        return self.ordered(Partner.objects.for_api())


class MembershipViewSet(KBReadOnlyViewSet):
    """A partner holding a tier of a program, addressed by id (``/api/memberships/<id>/``)."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    lookup_field = "pk"
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        return self.ordered(Membership.objects.for_api())
