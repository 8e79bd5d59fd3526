"""Candidate benefits: what a program gives its partners, by the words
articles use for them ("remises ... sur le matériel", "un financement
particulier ... pour réaliser une infrastructure de cloud", "campagnes
marketing communes", "nouvelles rémunérations", "discounts", "training").

Beyond the eight kinds the command's JSON promises, ``benefit`` candidates
let the review screen create a program's benefits with their passage."""

import re

from .candidates import Candidate
from .textmap import Normalised

# (benefit kind, pattern on the normalised text); the match runs to the end of its clause
RULES = [
    ("discount", r"\bremises?\b|\brabais\b|\bdiscounts?\b|\breductions? (?:sur|de)\b"),
    ("financing", r"\bfinancements?\b|\bfinancing\b|\bfunding\b|\bfonds\b"),
    (
        "co-marketing",
        r"\bcampagnes? (?:de )?marketing\b|\bco-?marketing\b|\bmarketing (?:communs?|conjoint)|\bjoint marketing\b|\bmdf\b",
    ),
    ("compensation", r"\bremunerations?\b|\bcompensation\b|\brebates?\b|\bincentives?\b|\bcommissions?\b"),
    ("training", r"\bformations?\b|\btraining\b"),
    ("support", r"\baccompagnement\b|\bassistance technique\b|\btechnical support\b"),
    ("services", r"\bcollaborative services\b|\bservices collaboratifs\b"),
]
_CLAUSE_END = re.compile(r"[.;:!?\n]|,(?! notamment)|\bou (?=lancer|de |des |pour )|\bor\b")


def find_benefits(text, programs):
    n = Normalised(text)
    found = []
    for kind, pattern in RULES:
        for m in re.finditer(pattern, n.norm):
            # from the clause's start (after the last punctuation) to its end
            clause_start = max(n.norm.rfind(p, 0, m.start()) for p in (".", ";", ":", "\n", ",", " ou "))
            clause_start = 0 if clause_start < 0 else clause_start + 1
            if n.norm[clause_start : clause_start + 3] == "ou ":
                clause_start += 3
            stop = _CLAUSE_END.search(n.norm, m.end())
            clause_end = stop.start() if stop else len(n.norm)
            start, end = n.span(clause_start, clause_end)
            while start < end and text[start] in ' «"“':
                start += 1
            while end > start and text[end - 1] in ' »"”':
                end -= 1
            if end - start > 200 or any(c.start < end and start < c.end for c in found):
                continue
            words = text[start:end]
            before = [p for p in programs if p.start < start]
            program = before[-1] if before else None
            value = {
                "kind": kind,
                "title": words[:1].upper() + words[1:],
                "program": (program.value.get("name") or program.value.get("description")) if program else None,
                "program_match": program.match if program else None,
            }
            found.append(Candidate("benefit", words, start, end, value=value, score=60))
    return sorted(found, key=lambda c: c.start)
