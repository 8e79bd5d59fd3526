from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public pages that span every app: home, search, language switching,
    and the composition of the public URLs."""

    name = "portal"
    verbose_name = "Portal"
