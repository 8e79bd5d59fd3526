"""Keeps the search index (``kb.SearchEntry``, ``kb.SearchTerm``) in step
with the records the apps declare in their ``search.py``.

- Every save, delete and many-to-many change of a declared model re-indexes
  that record, and the records that show its name (``SearchKind.depends``:
  renaming a person re-indexes their quotes). Only what the kind's
  ``queryset`` returns (public records) is indexed; the rest is removed.
- ``deferred()`` collects the changes of a block (the knowledge loader, a
  restore) and re-indexes them once at its end.
- ``rebuild()`` (``manage.py rebuild_search_index``) indexes everything again;
  ``generate_demo_data`` and ``restore`` call it (bulk writes send no signals).
"""

import threading
from collections import Counter, defaultdict
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

from utilities.textsearch import index_text, plain_text, words

from .search import dependencies, get_kind, kinds

BATCH = 1000
_state = threading.local()


# -- documents --------------------------------------------------------------------


def _values(obj, spec):
    """The strings an attribute path or callable gives for ``obj``."""
    if callable(spec):
        value = spec(obj)
        return [str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v]
    current = [obj]
    for part in spec.split("."):
        nxt = []
        for item in current:
            value = getattr(item, part, None)
            if value is None:
                continue
            if hasattr(value, "all") and callable(value.all):
                nxt.extend(value.all())
            else:
                nxt.append(value)
        current = nxt
    return [str(v) for v in current if v not in (None, "")]


def document(kind, obj):
    """The four columns of ``obj``'s entry, as plain text, in every site
    language (a text without its translation counts once). The words of the
    record's passages (the sources' own words about it) join its related
    text, so "embauche" finds what the article says with that word."""
    doc = {}
    for column in ("names", "titles", "body", "related"):
        # Every language's text (kb.translation): a French reader finds the
        # record by its French words, an English one by its English words.
        values = []
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                values.extend(v for spec in getattr(kind, column) for v in _values(obj, spec) if v not in values)
        doc[column] = " ".join(values)
    if kind.has_evidence():
        doc["related"] = " ".join([doc["related"], *(p.exact for p in obj.passages.all())])
    return doc


def display(kind, obj):
    """What a result shows, in every site language (``SearchKind.show``)."""
    out = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            shown = kind.show(obj)
        out[code] = {
            "title": str(shown.get("title") or obj),
            "url": str(shown.get("url") or obj.get_absolute_url()),
            "meta": [str(m) for m in shown.get("meta", ()) if m],
            "text": str(shown.get("text") or ""),
            "lang": shown.get("lang") or "",
            "quote": bool(shown.get("quote")),
        }
    return out


def _feed():
    return plain_text if connection.vendor == "postgresql" else index_text


def _entries(kind, objects):
    from .models import SearchEntry

    feed = _feed()
    entries, vocabulary = [], Counter()
    objects = list(objects)
    if kind.accept is not None:
        objects = kind.accept(objects)
    for obj in objects:
        doc = document(kind, obj)
        entries.append(
            SearchEntry(
                kind=kind.key, object_id=obj.pk, display=display(kind, obj), **{c: feed(t) for c, t in doc.items()}
            )
        )
        vocabulary.update({w for text in doc.values() for w in words(text) if 2 < len(w) <= 100 and not w.isdigit()})
    return entries, vocabulary


def _write(entries, vocabulary):
    from .models import SearchEntry, SearchTerm

    SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
    if vocabulary:
        SearchTerm.objects.bulk_create(
            [SearchTerm(word=w, documents=n) for w, n in vocabulary.items()], batch_size=BATCH, ignore_conflicts=True
        )


def reindex(kind, pks):
    """Index again the records of ``kind`` with these primary keys (removing
    those that are gone or not public any more)."""
    from .models import SearchEntry

    pks = list(pks)
    if not pks:
        return
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind.key, object_id__in=pks).delete()
        objects = []
        for i in range(0, len(pks), BATCH):
            objects.extend(kind.index_queryset().filter(pk__in=pks[i : i + BATCH]))
        _write(*_entries(kind, objects))


def rebuild(stdout=None):
    """Index every declared record again; returns {kind key: entries}."""
    from .models import SearchEntry, SearchTerm

    counts = {}
    vocabulary = Counter()
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchTerm.objects.all().delete()
        for kind in kinds():
            n = 0
            pks = list(kind.queryset().order_by("pk").values_list("pk", flat=True))
            for i in range(0, len(pks), BATCH):
                entries, vocab = _entries(kind, kind.index_queryset().filter(pk__in=pks[i : i + BATCH]))
                _write(entries, ())
                vocabulary.update(vocab)
                n += len(entries)
            counts[kind.key] = n
            if stdout:
                stdout.write(f"{kind.key}: {n}")
        _write([], vocabulary)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO kb_searchentry_fts(kb_searchentry_fts) VALUES ('optimize')")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE kb_searchentry")
            cursor.execute("ANALYZE kb_searchterm")
    return counts


# -- signals ----------------------------------------------------------------------


def _dependents(model):
    """[(kind, lookup)] of the kinds showing ``model``'s records."""
    label = model._meta.label
    return [(k, lookup) for k in kinds() for other, lookup in k.depends.items() if other == label]


def _own_kinds(model):
    return [k for k in kinds() if k.model is model]


def _affected(model, pks, instance=None):
    """{kind: set of pks} to re-index after records of ``model`` changed."""
    out = defaultdict(set)
    if instance is not None:
        for records in dependencies(model):
            for other, pk in records(instance):
                for kind in _own_kinds(other):
                    out[kind].add(pk)
    for kind in _own_kinds(model):
        out[kind].update(pks)
    for kind, lookup in _dependents(model):
        out[kind].update(
            kind.model._default_manager.filter(**{f"{lookup}__in": list(pks)}).values_list("pk", flat=True)
        )
    return out


def _apply(affected):
    pending = getattr(_state, "pending", None)
    for kind, pks in affected.items():
        if not pks:
            continue
        if pending is not None:
            pending[kind.key].update(pks)
        else:
            reindex(kind, pks)


def _watched(model):
    # A migration's historical model (its own app registry) is never indexed:
    # the tables the index reads may not exist yet at that point of the graph.
    if model._meta.apps is not apps:
        return False
    return bool(_own_kinds(model) or _dependents(model) or dependencies(model))


def _on_save(sender, instance, raw=False, **kwargs):
    if raw or not _watched(sender):
        return
    _apply(_affected(sender, {instance.pk}, instance))


def _on_delete(sender, instance, **kwargs):
    if not _watched(sender):
        return
    from .models import SearchEntry

    for kind in _own_kinds(sender):
        SearchEntry.objects.filter(kind=kind.key, object_id=instance.pk).delete()
    affected = _affected(sender, {instance.pk}, instance)
    _apply({k: v - {instance.pk} if k.model is sender else v for k, v in affected.items()})


def _on_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    affected = _affected(type(instance), {instance.pk}) if _watched(type(instance)) else {}
    if pk_set and _watched(model):
        for kind, pks in _affected(model, set(pk_set)).items():
            affected.setdefault(kind, set()).update(pks)
    _apply(affected)


def connect_signals():
    post_save.connect(_on_save, dispatch_uid="kb-search-save")
    post_delete.connect(_on_delete, dispatch_uid="kb-search-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="kb-search-m2m")


@contextmanager
def deferred():
    """Collect the re-indexing a block causes and do it once, at its end."""
    if getattr(_state, "pending", None) is not None:  # nested: the outer block does it
        yield
        return
    _state.pending = defaultdict(set)
    try:
        yield
        pending = _state.pending
    finally:
        _state.pending = None
    for key, pks in pending.items():
        kind = get_kind(key)
        if kind:
            reindex(kind, pks)


def rebuild_if_empty(**kwargs):
    """After ``migrate``: index existing records once when the index is new."""
    from .models import SearchEntry

    try:
        if SearchEntry.objects.exists():
            return
        if any(k.queryset().exists() for k in kinds()):
            rebuild()
    except Exception:  # a database migrated only part of the way: the command rebuilds it later
        return


def installed():
    return apps.is_installed("kb")
