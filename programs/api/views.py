from kb.api.views import ID_REGEX, KBReadOnlyViewSet
from sources.models import passages_prefetch

from ..filtersets import EventFilterSet, ProgramFilterSet, TierFilterSet
from ..models import FocusArea, Program, ProgramEvent, Tier
from .serializers import EventSerializer, FocusAreaSerializer, ProgramSerializer, TierSerializer


class ProgramViewSet(KBReadOnlyViewSet):
    """Partner programs with their vendors, tiers (levels and designations), benefits and sources."""

    serializer_class = ProgramSerializer
    filterset_class = ProgramFilterSet

    def get_queryset(self):
        return self.ordered(Program.objects.for_api())


class TierViewSet(KBReadOnlyViewSet):
    """Tiers of the programs, addressed by id (``/api/tiers/<id>/``): a
    *level* is one rung of a ladder, a *designation* combines with others."""

    serializer_class = TierSerializer
    filterset_class = TierFilterSet
    lookup_field = "pk"
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        return self.ordered(Tier.objects.for_api())


class EventViewSet(KBReadOnlyViewSet):
    """Events of the timeline (announcements, launches, conferences...), dated as precisely as the sources allow."""

    serializer_class = EventSerializer
    filterset_class = EventFilterSet

    def get_queryset(self):
        # The timeline's order: undated events last, in the order the sources tell them.
        return ProgramEvent.objects.for_api().chronological()


class FocusAreaViewSet(KBReadOnlyViewSet):
    """Focus areas (cloud, unified communications...); filter programs with ``/api/programs/?focus_area=<slug>``."""

    serializer_class = FocusAreaSerializer
    filterset_class = None

    def get_queryset(self):
        return self.ordered(FocusArea.objects.published().prefetch_related(passages_prefetch()))
