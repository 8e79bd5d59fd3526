"""The filter backend of every API list: the app's own FilterSet (the one the
HTML list uses), plus a check that refuses query parameters it does not know.

django-filter already answers an invalid value with a 400 naming the
parameter; this backend does the same for an unknown parameter (a typo such as
``?vendr=cisco`` would otherwise silently return the unfiltered list)."""

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

UNKNOWN_PARAMETER = _("Unknown query parameter. Allowed parameters: {allowed}.")
NO_PARAMETER = _("Unknown query parameter: this address takes none.")
NOT_A_BOOLEAN = _("Enter true or false.")
BOOLEAN_VALUES = {"", "true", "false", "True", "False", "1", "0"}


def allowed_parameters(view, filterset=None):
    """Query parameters ``view`` accepts for the current action."""
    allowed = {settings.REST_FRAMEWORK.get("URL_FORMAT_OVERRIDE", "format")}
    if getattr(view, "action", None) != "list":
        return allowed
    if filterset is not None:
        allowed.update(filterset.filters)
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        allowed.update(
            name
            for name in (
                getattr(paginator, "page_query_param", None),
                getattr(paginator, "page_size_query_param", None),
            )
            if name
        )
    return allowed


def check_parameters(request, view, filterset=None):
    allowed = allowed_parameters(view, filterset)
    unknown = sorted(set(request.query_params) - allowed)
    if not unknown:
        return
    public = sorted(allowed - {"format"})
    message = format_lazy(UNKNOWN_PARAMETER, allowed=", ".join(public)) if public else NO_PARAMETER
    raise ValidationError({name: [message] for name in unknown})


def check_booleans(request, filterset):
    """A yes/no filter (``?current=true``) given anything but true/false is a
    400: django-filter alone would read it as "no filter" and return everything."""
    errors = {
        name: [NOT_A_BOOLEAN]
        for name, field in filterset.filters.items()
        if isinstance(field, BooleanFilter)
        and any(value not in BOOLEAN_VALUES for value in request.query_params.getlist(name))
    }
    if errors:
        raise ValidationError(errors)


class KBFilterBackend(DjangoFilterBackend):
    """Applies the view's ``filterset_class`` on lists; refuses unknown
    parameters on lists and detail pages alike."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            check_parameters(request, view)
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        check_parameters(request, view, filterset)
        if filterset is not None:
            check_booleans(request, filterset)
        return super().filter_queryset(request, queryset, view)
