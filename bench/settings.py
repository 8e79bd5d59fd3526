"""Settings for benchmark runs: the project's own settings plus a bare view
(the framework's floor) at /__bench__/bare/. Never used in production."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
