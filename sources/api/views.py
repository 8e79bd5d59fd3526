from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from kb.api.pagination import KBPagination
from kb.api.views import ID_REGEX, KBReadOnlyViewSet

from ..filtersets import PassageFilterSet, QuoteFilterSet, SourceFilterSet
from ..models import Passage, Quote, Source, evidenced_models, passages_prefetch
from .serializers import AnnotationSerializer, PassageSerializer, QuoteSerializer, SourceSerializer


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
        return self.ordered(
            Quote.objects.published()
            .select_related("person", "source", "program", "vendor")
            .prefetch_related(passages_prefetch())
        )


class WebAnnotationRenderer(JSONRenderer):
    """``Accept: application/ld+json``: passages as W3C Web Annotations."""

    media_type = "application/ld+json"
    format = "jsonld"


ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


class PassagesPagination(KBPagination):
    """JSON: the usual page; JSON-LD: a W3C ``AnnotationPage`` of an
    ``AnnotationCollection`` (https://www.w3.org/TR/annotation-model/#annotation-page)."""

    def get_paginated_response(self, data):
        if getattr(self.request.accepted_renderer, "format", None) != WebAnnotationRenderer.format:
            return super().get_paginated_response(data)
        page = self.page
        collection = self.request.build_absolute_uri(self.request.path)
        query = self.request.GET.copy()
        query.pop(self.page_query_param, None)
        if query:
            collection += "?" + query.urlencode()
        body = {
            "@context": ANNO_CONTEXT,
            "id": self.request.build_absolute_uri(),
            "type": "AnnotationPage",
            "partOf": {"id": collection, "type": "AnnotationCollection", "total": page.paginator.count},
            "startIndex": page.start_index() - 1 if page.paginator.count else 0,
            "items": data,
        }
        if self.get_next_link():
            body["next"] = self.get_next_link()
        if self.get_previous_link():
            body["prev"] = self.get_previous_link()
        return Response(body)

    def get_paginated_response_schema(self, schema):
        """The OpenAPI schema of a page: the usual one for JSON, an
        ``AnnotationPage`` for the JSON-LD media type (its items are
        ``ANNOTATION_LD``), so that ``?format=jsonld`` answers what is documented."""
        if schema.get("items") is not ANNOTATION_LD:
            return super().get_paginated_response_schema(schema)
        return {
            "type": "object",
            "description": _("A W3C Web Annotation page (AnnotationPage) of passages."),
            "properties": {
                "@context": {"type": "string", "enum": [ANNO_CONTEXT]},
                "id": {"type": "string", "format": "uri"},
                "type": {"type": "string", "enum": ["AnnotationPage"]},
                "partOf": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "format": "uri"},
                        "type": {"type": "string", "enum": ["AnnotationCollection"]},
                        "total": {"type": "integer"},
                    },
                    "required": ["id", "type", "total"],
                },
                "startIndex": {"type": "integer"},
                "next": {"type": "string", "format": "uri"},
                "prev": {"type": "string", "format": "uri"},
                "items": schema,
            },
            "required": ["@context", "id", "type", "partOf", "startIndex", "items"],
        }


ANNOTATION_LD = {
    "type": "object",
    "description": _(
        "A W3C Web Annotation: the target is the source's text with a TextQuoteSelector and a "
        "TextPositionSelector; the body links to the record the passage supports."
    ),
    "properties": {
        "id": {"type": "string", "format": "uri"},
        "type": {"type": "string", "enum": ["Annotation"]},
        "motivation": {"type": "string"},
        "body": {"type": "array", "items": {"type": "object"}},
        "target": {"type": "object"},
    },
    "required": ["id", "type", "target"],
}
# One annotation on its own carries the JSON-LD context (in a page, the page does).
ANNOTATION_LD_DOCUMENT = {
    **ANNOTATION_LD,
    "properties": {"@context": {"type": "string", "enum": [ANNO_CONTEXT]}, **ANNOTATION_LD["properties"]},
    "required": ["@context", *ANNOTATION_LD["required"]],
}


@extend_schema_view(
    list=extend_schema(
        responses={
            (200, "application/json"): PassageSerializer(many=True),
            # An array of annotations, which PassagesPagination documents as
            # the AnnotationPage it answers.
            (200, "application/ld+json"): OpenApiResponse(ANNOTATION_LD),
        }
    ),
    retrieve=extend_schema(
        responses={
            (200, "application/json"): PassageSerializer,
            (200, "application/ld+json"): OpenApiResponse(ANNOTATION_LD_DOCUMENT),
        }
    ),
)
class PassageViewSet(KBReadOnlyViewSet):
    """The evidence: passages quoted word for word from the sources, each with
    the record (and field) it supports, its stance and who makes the claim.
    With ``Accept: application/ld+json`` the same as W3C Web Annotations."""

    serializer_class = PassageSerializer
    filterset_class = PassageFilterSet
    pagination_class = PassagesPagination
    renderer_classes = [JSONRenderer, WebAnnotationRenderer]
    lookup_field = "pk"
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no database needed
            return Passage.objects.none()
        return self.ordered(Passage.objects.public().with_related().prefetch_related(target_prefetch()))

    def jsonld(self):
        return getattr(getattr(self.request, "accepted_renderer", None), "format", None) == "jsonld"

    def get_serializer_class(self):
        return AnnotationSerializer if self.jsonld() else PassageSerializer

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if self.jsonld():
            response.data = {"@context": ANNO_CONTEXT, **response.data}
        return response


def target_prefetch():
    """The records passages support, one query per kind of record, with what
    their addresses need (a tier's program, a quote's person...)."""
    return GenericPrefetch("target", [model._default_manager.select_related() for model in evidenced_models()])
