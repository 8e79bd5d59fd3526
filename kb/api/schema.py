"""OpenAPI schema generation (drf-spectacular): every GET documents its error
responses, so clients (and schemathesis) know a 400 or 404 can come back."""

from django.utils.translation import gettext_lazy as _
from django_filters import ModelMultipleChoiceFilter
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_field

from kb.filtersets import YearFilter

# ``year=2010`` filters a date column by its year: document it as an integer
# (drf-spectacular would otherwise guess a date from the model field).
extend_schema_field({"type": "integer", "minimum": 1, "maximum": 9999})(YearFilter)
# ``vendor=cisco``: related records are chosen by slug (repeat for "any of").
extend_schema_field(
    {
        "type": "string",
        "description": _("Slug of a published record; repeat the parameter for any of several."),
    }
)(ModelMultipleChoiceFilter)

VALIDATION_ERROR = {
    "type": "object",
    "description": _("One entry per refused query parameter: its name and the reasons."),
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
NOT_FOUND = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}


class KBAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method != "GET":
            return responses
        responses.setdefault(
            "400",
            self._get_response_for_code(
                OpenApiResponse(
                    VALIDATION_ERROR, description=_("Unknown query parameter or invalid value (named in the body).")
                ),
                "400",
            ),
        )
        description = (
            _("Page past the last one.") if self._is_list_view() else _("No published record at this address.")
        )
        responses.setdefault(
            "404", self._get_response_for_code(OpenApiResponse(NOT_FOUND, description=description), "404")
        )
        return responses
