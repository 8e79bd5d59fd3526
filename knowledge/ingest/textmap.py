"""Regular expressions run on the normalised text (lower case, no accents),
with offsets mapped back to the original text."""

import re

from utilities.text import normalize_with_map


class Normalised:
    def __init__(self, text):
        self.text = text
        self.norm, self._index = normalize_with_map(text)

    def span(self, start, end):
        """Original offsets of the normalised ``[start:end]``."""
        if end <= start:
            return self._index[start], self._index[start]
        return self._index[start], self._index[end - 1] + 1

    def finditer(self, pattern, flags=0):
        """(match, start, end) with the match's original offsets."""
        for m in re.finditer(pattern, self.norm, flags):
            start, end = self.span(m.start(), m.end())
            yield m, start, end

    def group_span(self, m, group):
        return self.span(m.start(group), m.end(group))


def paragraphs(text):
    """(start, end) of each paragraph (blank-line or newline separated)."""
    spans, start = [], 0
    for m in re.finditer(r"\n", text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def sentence_start(text, pos, floor=0):
    """Offset of the start of the sentence holding ``pos``."""
    i = pos - 1
    while i > floor:
        if text[i] in ".!?\n" and (i + 1 >= len(text) or text[i + 1] in ' \n\u00a0«"“'):
            return i + 1
        i -= 1
    return floor


def sentence_end(text, pos):
    m = re.compile(r"[.!?](?=\s|$)|\n").search(text, pos)
    return m.end() if m else len(text)
