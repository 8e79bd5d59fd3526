from django.apps import AppConfig


class KbConfig(AppConfig):
    """The framework every knowledge app builds on (never imports one)."""

    name = "kb"
    verbose_name = "Knowledge base"

    def ready(self):
        from .caching import connect_signals

        # Every save, delete and many-to-many change of a knowledge record
        # bumps the knowledge stamp (kb/caching.py).
        connect_signals()
