from kb.api.views import KBReadOnlyViewSet
<<<<<<< HEAD
from programs.models import Program
from sources.models import passages_prefetch
=======
>>>>>>> layers

from ..filtersets import PersonFilterSet, VendorFilterSet
from ..models import Person, Vendor
from .serializers import PersonSerializer, VendorSerializer


class VendorViewSet(KBReadOnlyViewSet):
    """Vendors (companies), with their published programs, people, relations and sources."""

    serializer_class = VendorSerializer
    filterset_class = VendorFilterSet

    def get_queryset(self):
<<<<<<< HEAD
        relations = (
            VendorRelation.objects.published()
            .select_related("vendor", "other_vendor")
            .prefetch_related(passages_prefetch())
        )
        return self.ordered(
            Vendor.objects.published().prefetch_related(
                Prefetch("programs", queryset=Program.objects.published(), to_attr="published_programs"),
                Prefetch("people", queryset=Person.objects.published(), to_attr="published_people"),
                Prefetch("relations", queryset=relations, to_attr="published_relations"),
                Prefetch("reverse_relations", queryset=relations, to_attr="published_reverse_relations"),
                published_sources(),
                passages_prefetch(),
            )
        )
=======
        return self.ordered(Vendor.objects.for_api())
>>>>>>> layers


class PersonViewSet(KBReadOnlyViewSet):
    """People the sources quote or name, with their employer."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet

    def get_queryset(self):
<<<<<<< HEAD
        return self.ordered(
            Person.objects.published()
            .select_related("employer")
            .prefetch_related(published_sources(), passages_prefetch())
        )
=======
        return self.ordered(Person.objects.for_api())
>>>>>>> layers
