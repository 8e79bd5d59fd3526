"""How much of a text serves as evidence: its sentences, and which of them
no highlighted span touches.

Sentences come from pysbd (rule-based sentence boundary detection, with
French and English rules: abbreviations such as « M. » or « S.A. » do not end
a sentence), with their offsets in the text.
"""

from dataclasses import dataclass
from functools import lru_cache

import pysbd

SUPPORTED = {"fr", "en", "de", "es", "it", "nl"}


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@lru_cache(maxsize=8)
def _segmenter(language):
    return pysbd.Segmenter(language=language if language in SUPPORTED else "en", clean=False, char_span=True)


@lru_cache(maxsize=64)
def sentences(text, language="fr"):
    """The sentences of ``text`` (tuple of Sentence, offsets into ``text``,
    surrounding white space left out)."""
    found = []
    for part in _segmenter(language).segment(text):
        raw = text[part.start : part.end]
        stripped = raw.strip()
        if not stripped:
            continue
        start = part.start + (len(raw) - len(raw.lstrip()))
        found.append(Sentence(start, start + len(stripped), stripped))
    return tuple(found)


@dataclass(frozen=True)
class Coverage:
    total: int
    covered: int
    uncovered: tuple  # Sentence, in text order

    @property
    def percent(self):
        return round(100 * self.covered / self.total) if self.total else 0


def coverage(text, spans, language="fr"):
    """Which sentences of ``text`` at least one (start, end) span overlaps."""
    spans = sorted((s, e) for s, e in spans if e > s)
    all_sentences = sentences(text, language)
    uncovered = tuple(sent for sent in all_sentences if not any(s < sent.end and e > sent.start for s, e in spans))
    return Coverage(len(all_sentences), len(all_sentences) - len(uncovered), uncovered)
