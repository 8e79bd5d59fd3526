"""The records' descriptive text in English and French (django-modeltranslation).

Each domain app lists its translated fields in its ``translation.py`` (found by
modeltranslation at start-up, before the admin) with ``translate()``:

- ``summary`` becomes ``summary_en`` and ``summary_fr`` in the table, edited
  side by side in the admin; reading ``record.summary`` gives the reader's
  language, else the other one (``MODELTRANSLATION_FALLBACK_LANGUAGES``), and
  the ``translated`` template tag marks such a fallback with its ``lang``;
- the model's history (django-simple-history) is registered here, after the
  translated fields exist, so that each language's text is kept and can be
  reverted (simple-history's documented way with modeltranslation); the
  history leaves the original column out (it holds whichever language was
  active at the save), so a diff says "summary [fr]" changed.

Quotes are not translated: they stay in their original language.
"""

import simple_history
from django.conf import settings
from django.utils import translation
from modeltranslation.translator import TranslationOptions, translator
from modeltranslation.utils import build_localized_fieldname


def translate(model, fields, required=(), history=None):
    """Register ``fields`` of ``model`` as translated; ``required``: those the
    default language must fill (the model requires them); ``history``: the
    model's ``HistoricalRecords`` options (e.g. ``m2m_fields``), or None for no
    history."""
    options = type(
        f"{model.__name__}TranslationOptions",
        (TranslationOptions,),
        {"fields": tuple(fields), "required_languages": {settings.MODELTRANSLATION_DEFAULT_LANGUAGE: tuple(required)}},
    )
    translator.register(model, options)
    if history is not None:
        # The history keeps each language's column; the original column
        # (whichever language was active when it was saved) is left out.
        excluded = [*history.get("excluded_fields", ()), *fields]
        simple_history.register(model, **{**history, "excluded_fields": excluded})


def translated_fields(model):
    """The names of ``model``'s translated fields (empty when it has none)."""
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except Exception:  # NotRegistered
        return ()


def is_language_column(field):
    """True for ``summary_fr`` and its like: one language's column of a
    translated field (evidence is about the field, ``summary``)."""
    return hasattr(field, "translated_field")


def languages():
    return [code for code, _name in settings.LANGUAGES]


def reading_order():
    """The languages in the order a reader gets them: theirs, then the others."""
    current = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return [current] + [code for code in languages() if code != current]


def localized_fields(model, names):
    """``names`` with each translated field replaced by its columns, one per
    language (``summary`` -> ``summary_en``, ``summary_fr``)."""
    translated = translated_fields(model)
    out = []
    for name in names:
        out.extend([localized(name, code) for code in languages()] if name in translated else [name])
    return tuple(out)


def from_values(values, name):
    """A translated field's text from a mapping of columns (``summary_en``,
    ``summary_fr``, ...) in the reader's language, else the other one."""
    for code in reading_order():
        value = values.get(localized(name, code))
        if value not in (None, ""):
            return value
    return values.get(name) or ""


def localized(name, language):
    """``summary``, ``fr`` -> ``summary_fr``."""
    return build_localized_fieldname(name, language)


def shown_language(obj, name):
    """The language of the text ``obj.<name>`` shows the reader: theirs, the
    other one when theirs is missing (fallback), or None (not translated, or
    empty)."""
    if name not in translated_fields(type(obj)):
        return None
    for code in reading_order():
        value = getattr(obj, localized(name, code), None)
        if value not in (None, ""):
            return code
    return None


def fallback_language(obj, name):
    """The language of ``obj.<name>`` when it is not the reader's (their
    translation is missing), else None."""
    shown = shown_language(obj, name)
    current = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return shown if shown and shown != current else None


def in_language(obj, name, language):
    """``obj.<name>`` as the reader of ``language`` sees it (with fallback)."""
    with translation.override(language):
        return getattr(obj, name)
