"""URLs of benchmark runs: the project's, plus

- ``/__bench__/floor/``: the true floor (no database), served without
  middleware by ``bench.wsgi``;
- ``/__bench__/bare/``: the same view behind the whole middleware stack (the
  middleware floor);
- ``/__bench__/save/``: a save of one published record of every knowledge
  model (``Model.save()``: the signals, history rows and stamp bumps of a
  staff save), so the next request is the first visit after a save.
  ``?model=partners.partner`` saves that model only.
"""

from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import include, path
from django.views.decorators.cache import never_cache


def bare(request):
    """The cheapest Django response: no database, no template."""
    return HttpResponse(b"ok", content_type="text/plain")


def saved_models(label=None):
    from kb.registry import registry

    models = list(registry.knowledge_models)  # what the apps register (kb.registry)
    if label:
        models = [m for m in models if m._meta.label_lower == label]
    return models


@never_cache
def save(request):
    models = saved_models(request.GET.get("model"))
    if not models:
        return HttpResponseBadRequest(b"unknown model", content_type="text/plain")
    saved = []
    for model in models:
        manager = model._default_manager
        if hasattr(manager, "published"):
            manager = manager.published()
        obj = manager.order_by("pk").first()
        if obj is not None:
            obj.save()
            saved.append(model._meta.label_lower)
    return HttpResponse(" ".join(saved).encode(), content_type="text/plain")


urlpatterns = [
    path("__bench__/floor/", bare),
    path("__bench__/bare/", bare),
    path("__bench__/save/", save),
    path("", include("config.urls")),
]
