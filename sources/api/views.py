from kb.api.views import ID_REGEX, KBReadOnlyViewSet

from ..filtersets import QuoteFilterSet, SourceFilterSet
from ..models import Quote, Source
from .serializers import QuoteSerializer, SourceSerializer


class SourceViewSet(KBReadOnlyViewSet):
    """The articles every fact cites."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet

    def get_queryset(self):
        return self.ordered(Source.objects.for_api())


class QuoteViewSet(KBReadOnlyViewSet):
    """What people said, in the original language, as a source reports it (addressed by id)."""

    serializer_class = QuoteSerializer
    filterset_class = QuoteFilterSet
    lookup_field = "pk"
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        return self.ordered(Quote.objects.published().select_related("person", "source", "program", "vendor"))
