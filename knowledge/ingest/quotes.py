"""Quotations and their speakers.

A quotation is text between « », “ ” or "" inside one paragraph that is a
sentence's worth of words (five or more), or shorter but next to a reporting
verb ("a affirmé « We compete with HP »"). Its speaker is, in this order:
the person named right after it behind a reporting verb ("», note Bruno
Dutriaux"); the last person named before it in its sentence; the last person
named earlier in its paragraph ("il a ajouté, « ... »").
"""

import re

from utilities.text import normalize

from .candidates import Candidate
from .textmap import paragraphs, sentence_start

PAIRS = [("«", "»"), ("“", "”"), ('"', '"'), ("„", "“")]
VERBS = (
    # French: past, present and infinitive forms of the common reporting verbs
    r"a (?:declare|affirme|ajoute|explique|indique|precise|souligne|estime|confie|assure|reconnu|lance|martele|rappele|"
    r"rappelle|commente|poursuit|conclu|note|dit|avance|insiste|observe|ajoute|souligne)|declare|affirme|ajoute|"
    r"explique|indique|precise|souligne|estime|confie|assure|reconnait|lance|martele|rappelle|commente|poursuit|"
    r"conclut|note|dit|avance|insiste|observe|selon|d'apres|pour|de declarer|d'affirmer|d'ajouter|"
    r"declarer|affirmer|ajouter|expliquer|"
    # English
    r"said|says|say|told|tells|added|adds|explained|explains|noted|notes|stated|states|according to|declared|"
    r"claimed|claims|argued|argues|insisted|commented|remarked|asserted|affirmed|continued|concluded|observed"
)
_VERB_AFTER = re.compile(rf"^\s*[,.;:]?\s*(?:{VERBS})\b")
_VERB_BEFORE = re.compile(rf"\b(?:{VERBS})\b[^.!?«»]{{0,80}}$")


def find_quotes(text, persons):
    """``persons``: person candidates (sorted by start). Returns quote candidates;
    ``value`` has ``text``, ``speaker`` (a name or None), ``speaker_match``
    (a person's slug or None) and ``speaker_rule``."""
    norm = normalize(text)
    if len(norm) != len(text):  # keep offsets exact: fall back to lower()
        norm = text.lower()
    found = []
    for p_start, p_end in paragraphs(text):
        para = text[p_start:p_end]
        for opener, closer in PAIRS:
            pattern = re.escape(opener) + r"([^" + re.escape(opener + closer) + r"\n]+?)" + re.escape(closer)
            for m in re.finditer(pattern, para):
                inner = m.group(1)
                lead = len(inner) - len(inner.lstrip())
                trail = len(inner) - len(inner.rstrip())
                start = p_start + m.start(1) + lead
                end = p_start + m.end(1) - trail
                if end <= start:
                    continue
                words = len(re.findall(r"\w+", text[start:end]))
                q_open, q_close = p_start + m.start(), p_start + m.end()
                after = norm[q_close : q_close + 60]
                sent = sentence_start(text, q_open, p_start)
                before = norm[sent:q_open]
                verb_after = bool(_VERB_AFTER.search(after))
                verb_before = bool(_VERB_BEFORE.search(before))
                if words < 5 and not ((verb_after or verb_before) and words >= 2):
                    continue
                speaker, rule = _speaker(text, persons, q_open, q_close, p_start, sent, verb_after, norm)
                value = {
                    "text": text[start:end],
                    "speaker": speaker.value.get("name") if speaker else None,
                    "speaker_match": speaker.match if speaker else None,
                    "speaker_rule": rule,
                }
                found.append(Candidate("quote", text[start:end], start, end, value=value, score=80 if speaker else 40))
    found.sort(key=lambda c: c.start)
    # A straight-quote pair that lies inside a « » quotation is part of it.
    kept = []
    for c in found:
        if any(
            k.start <= c.start and c.end <= k.end and k is not c for k in found if (k.end - k.start) > (c.end - c.start)
        ):
            continue
        kept.append(c)
    return kept


def _speaker(text, persons, q_open, q_close, p_start, sent, verb_after, norm):
    if verb_after:
        end = min(len(text), q_close + 120)
        stop = re.compile(r"[.!?]\s|«|\n").search(text, q_close + 1, end)
        end = stop.start() if stop else end
        for p in persons:
            if q_close <= p.start < end:
                return p, "named after the quotation"
    in_sentence = [p for p in persons if sent <= p.start and p.end <= q_open]
    if in_sentence:
        return in_sentence[-1], "named before it in the sentence"
    earlier = [p for p in persons if p_start <= p.start and p.end <= q_open]
    if earlier:
        return earlier[-1], "named earlier in the paragraph"
    return None, ""
