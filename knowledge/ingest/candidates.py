"""The candidate: one thing found in a text, with its passage."""

from dataclasses import asdict, dataclass, field

KINDS = ("person", "organisation", "place", "program", "tier", "focus_area", "quote", "date", "figure", "benefit")
CONTEXT = 32  # characters of prefix/suffix kept with a passage (W3C TextQuoteSelector)


def passage(text, start, end, context=CONTEXT):
    """The W3C TextQuoteSelector + TextPositionSelector of ``text[start:end]``."""
    return {
        "exact": text[start:end],
        "prefix": text[max(0, start - context) : start],
        "suffix": text[end : end + context],
        "start": start,
        "end": end,
    }


@dataclass
class Candidate:
    """``kind`` one of ``KINDS``; ``text`` the exact words, ``text == source[start:end]``;
    ``match`` the slug of an existing record (and ``model`` its ``app_label.model``) or None;
    ``value`` the normalised value (a dict; see README "Ingestion")."""

    kind: str
    text: str
    start: int
    end: int
    value: dict = field(default_factory=dict)
    match: str | None = None
    model: str | None = None
    score: float = 0.0  # 0..100: how confident the rule or the match is

    def key(self):
        """What makes two mentions the same thing (for grouping in review)."""
        if self.match:
            return (self.kind, self.model, self.match)
        name = self.value.get("name") or self.value.get("text") or self.text
        return (self.kind, None, str(name).casefold())

    def as_dict(self, source_text):
        data = asdict(self)
        data["passage"] = passage(source_text, self.start, self.end)
        return data
