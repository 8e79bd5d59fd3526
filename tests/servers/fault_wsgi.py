"""The app, for fault tests: the production WSGI application, plus a trap
that stops a chosen operation half-way so that the test can SIGKILL the
worker at that very moment.

``KB_FAULT_PATH``: the trap is armed in requests whose path contains it;
``KB_FAULT_MODEL`` (``programs.Program``) and ``KB_FAULT_AFTER`` (n): at the
n-th save of that model in such a request, the worker writes its pid to
``KB_FAULT_MARK`` and waits (for the kill)."""

import os
import threading
import time
from pathlib import Path

from django.db.models.signals import post_save

from config.wsgi import application as django_application  # sets Django up

_state = threading.local()
PATH = os.environ.get("KB_FAULT_PATH", "")
MODEL = os.environ.get("KB_FAULT_MODEL", "")
AFTER = int(os.environ.get("KB_FAULT_AFTER", "1"))
MARK = os.environ.get("KB_FAULT_MARK", "")


def _trap(sender, **kwargs):
    if not getattr(_state, "armed", False) or sender._meta.label != MODEL:
        return
    _state.saves = getattr(_state, "saves", 0) + 1
    if _state.saves == AFTER:
        Path(MARK).write_text(str(os.getpid()))
        time.sleep(600)  # until the test kills this worker


post_save.connect(_trap, weak=False, dispatch_uid="kb-fault-trap")


def application(environ, start_response):
    _state.armed = bool(PATH) and PATH in environ.get("PATH_INFO", "") and environ.get("REQUEST_METHOD") == "POST"
    _state.saves = 0
    return django_application(environ, start_response)
