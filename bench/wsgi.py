"""WSGI entry point of benchmark runs (``gunicorn bench.wsgi``), never used in
production. It serves the project as ``config.wsgi`` does, plus the *true
floor*: ``/__bench__/floor/`` is answered by a Django handler built with no
middleware at all, whose view touches no database. Both handlers live in the
same process, so the floor and the pages are served by the same gunicorn
worker under the same load.

The other benchmark addresses (``/__bench__/bare/``, the middleware floor, and
``/__bench__/save/``) are ordinary views of ``bench.urls``, behind the whole
middleware stack."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

FLOOR_PATH = "/__bench__/floor/"

project = get_wsgi_application()


class NoMiddlewareHandler(WSGIHandler):
    """Django's own request handling (request object, URL resolution, the
    view, the response) with an empty middleware chain."""

    def load_middleware(self, is_async=False):
        with override_settings(MIDDLEWARE=[]):
            super().load_middleware(is_async)


floor = NoMiddlewareHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO") == FLOOR_PATH:
        return floor(environ, start_response)
    return project(environ, start_response)
