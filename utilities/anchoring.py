"""Anchoring a quotation in a text, the way W3C Web Annotation selectors do.

A passage is described twice (https://www.w3.org/TR/annotation-model/#selectors):

- a **TextQuoteSelector**: the ``exact`` words, with a ``prefix`` and a
  ``suffix`` of context (about 32 characters each) so that a phrase the text
  repeats still designates one place;
- a **TextPositionSelector**: ``start`` and ``end`` offsets (Python string
  indices, ``text[start:end] == exact``).

:func:`anchor` finds the words in a text the way the Hypothesis client
re-anchors an annotation after a page changed: every occurrence of the exact
words is a candidate, scored by how much of the prefix and suffix surrounds it,
ties broken by closeness to the old position. Matching forgives what a person
retyping a quotation changes without meaning to (runs of spaces, non-breaking
spaces, straight or curly apostrophes and quotation marks), and the anchor
always returns the text's own words, so what is stored is verbatim.

Pure functions on strings: nothing here knows about models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXT_LENGTH = 32

# Characters a person copying a quotation by hand swaps freely.
_EQUIVALENT = {
    "'": "'’‘ʼ´`",
    '"': '"“”«»„',
    "-": "-‐‑‒–—",
}
_FOLD = {char: key for key, chars in _EQUIVALENT.items() for char in chars}
_SPACE = re.compile(r"\s+")


class AnchoringError(ValueError):
    """The words cannot be anchored in the text."""


class EmptyQuote(AnchoringError):
    def __init__(self):
        super().__init__("the passage has no words")


class QuoteNotFound(AnchoringError):
    def __init__(self, exact):
        self.exact = exact
        super().__init__(f"the words {exact!r} are not in the text")


class AmbiguousQuote(AnchoringError):
    def __init__(self, exact, count):
        self.exact = exact
        self.count = count
        super().__init__(f"the words {exact!r} occur {count} times in the text; give a prefix or a suffix")


@dataclass(frozen=True)
class Anchor:
    """Where a passage sits in one text: both selectors at once."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int

    def quote_selector(self) -> dict:
        return {"type": "TextQuoteSelector", "exact": self.exact, "prefix": self.prefix, "suffix": self.suffix}

    def position_selector(self) -> dict:
        return {"type": "TextPositionSelector", "start": self.start, "end": self.end}


def fold(text: str) -> str:
    """``text`` with look-alike punctuation made equal and whitespace runs as
    one space (for comparing context, not for storing)."""
    return _SPACE.sub(" ", "".join(_FOLD.get(char, char) for char in text))


def _pattern(exact: str) -> re.Pattern:
    """A regex for ``exact`` that tolerates spacing and punctuation variants."""
    parts = []
    for token in _SPACE.split(exact.strip()):
        pieces = []
        for char in token:
            key = _FOLD.get(char)
            pieces.append("[" + re.escape(_EQUIVALENT[key]) + "]" if key else re.escape(char))
        parts.append("".join(pieces))
    return re.compile(r"\s+".join(parts))


def selector_from_offsets(text: str, start: int, end: int, context: int = CONTEXT_LENGTH) -> Anchor:
    """The selectors of ``text[start:end]`` (e.g. words a person selected)."""
    if not (0 <= start < end <= len(text)):
        raise AnchoringError(f"offsets {start}-{end} are outside the text (0-{len(text)})")
    return Anchor(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        start=start,
        end=end,
    )


def _common_suffix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        count += 1
    return count


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def candidates(text: str, exact: str) -> list[tuple[int, int]]:
    """Offsets of every occurrence of ``exact`` in ``text`` (variants forgiven)."""
    if not exact or not exact.strip():
        return []
    return [(m.start(), m.end()) for m in _pattern(exact).finditer(text)]


def anchor(
    text: str,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    context: int = CONTEXT_LENGTH,
) -> Anchor:
    """Anchor ``exact`` in ``text``; raise :class:`AnchoringError` if it cannot be.

    ``prefix``/``suffix`` choose among repeated occurrences (the one with the
    most matching context wins); ``start`` (the old position) breaks ties and,
    without context, picks the occurrence closest to where the words were.
    Several equally good occurrences and nothing to choose between them is
    :class:`AmbiguousQuote`: the caller must say which.
    """
    if not exact or not exact.strip():
        raise EmptyQuote()
    found = candidates(text, exact)
    if not found:
        raise QuoteNotFound(exact.strip())
    if len(found) == 1:
        begin, finish = found[0]
        return selector_from_offsets(text, begin, finish, context)
    want_prefix, want_suffix = fold(prefix), fold(suffix)

    def context_score(span):
        begin, finish = span
        before = fold(text[max(0, begin - 4 * max(len(prefix), 1)) : begin])
        after = fold(text[finish : finish + 4 * max(len(suffix), 1)])
        score = 0
        if want_prefix:
            score += _common_suffix(before, want_prefix)
        if want_suffix:
            score += _common_prefix(after, want_suffix)
        return score

    scored = sorted(
        ((context_score(span), -abs(span[0] - start) if start is not None else 0, span) for span in found),
        reverse=True,
    )
    best, runner_up = scored[0], scored[1]
    if best[:2] == runner_up[:2]:
        raise AmbiguousQuote(exact.strip(), len(found))
    begin, finish = best[2]
    return selector_from_offsets(text, begin, finish, context)


def try_anchor(text: str, exact: str, prefix: str = "", suffix: str = "", start: int | None = None) -> Anchor | None:
    """:func:`anchor`, or ``None`` when the words cannot be anchored."""
    try:
        return anchor(text, exact, prefix, suffix, start)
    except AnchoringError:
        return None


def reanchor(new_text: str, old: Anchor) -> Anchor | None:
    """Where a passage anchored in an older version of a text sits in the new
    one: first at the same position with the same words and context, else by
    its quote and context (closest to the old position). ``None`` when the
    words are gone: the caller flags the passage, never drops it."""
    if new_text[old.start : old.end] == old.exact:
        same = selector_from_offsets(new_text, old.start, old.end)
        if same.prefix.endswith(old.prefix[-8:]) and same.suffix.startswith(old.suffix[:8]):
            return same
    try:
        return anchor(new_text, old.exact, old.prefix, old.suffix, old.start)
    except AmbiguousQuote:
        # Equally good places and none closer: keep the first after the old position.
        spans = candidates(new_text, old.exact)
        after = [span for span in spans if span[0] >= old.start] or spans
        return selector_from_offsets(new_text, *after[0])
    except AnchoringError:
        return None
