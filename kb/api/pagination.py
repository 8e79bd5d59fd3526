"""Page-number pagination shared by every API list.

``page`` (1-based) and ``page_size`` (1..MAX_PAGE_SIZE) must be positive
integers: anything else is a 400 naming the parameter; a page past the last
one is a 404."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _positive_int(request, name):
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isascii() or not raw.isdigit() or int(raw[:18]) < 1:
        raise ValidationError({name: [_("Enter a whole number of 1 or more.")]})
    if len(raw) > 18:
        if name == "page":
            raise NotFound(_("Invalid page: there is no page {page_number}.").format(page_number=raw[:18] + "…"))
        return MAX_PAGE_SIZE
    return int(raw)


class KBPagination(PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_query_description = _("A page number within the paginated result set (1 is the first page).")
    page_size_query_description = format_lazy(_("Number of results per page (at most {max})."), max=MAX_PAGE_SIZE)
    invalid_page_message = _("Invalid page: there is no page {page_number}.")

    def get_page_size(self, request):
        size = _positive_int(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        _positive_int(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
