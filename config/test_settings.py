"""Settings for the test suite (pyproject.toml, DJANGO_SETTINGS_MODULE).

The development settings (``DJANGO_DEBUG=1`` unless the environment says
otherwise: the development secret key, local host names, no HTTPS redirect);
pytest-django still runs each test with ``DEBUG = False``, as Django's test
runner does, so error pages and templates behave as in production. Passwords
are hashed with a fast hasher: test users are made by the hundred."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
