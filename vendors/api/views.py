from kb.api.views import KBReadOnlyViewSet

from ..filtersets import PersonFilterSet, VendorFilterSet
from ..models import Person, Vendor
from .serializers import PersonSerializer, VendorSerializer


class VendorViewSet(KBReadOnlyViewSet):
    """Vendors (companies), with their published programs, people, relations and sources."""

    serializer_class = VendorSerializer
    filterset_class = VendorFilterSet

    def get_queryset(self):
        return self.ordered(Vendor.objects.for_api())


class PersonViewSet(KBReadOnlyViewSet):
    """People the sources quote or name, with their employer."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet

    def get_queryset(self):
        return self.ordered(Person.objects.for_api())
