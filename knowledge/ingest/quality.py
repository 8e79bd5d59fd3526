"""Measured quality: the candidates of a seed article against the shipped
knowledge (``knowledge.yaml``), per kind: recall (share of the known facts
found) and precision (share of the distinct candidates that are known facts).

Candidates are compared as distinct things (one per person, program, quote...),
not per mention. The shipped knowledge is the reference: a true thing it does
not hold counts against precision ("Georges Bush" is named but has no record).
"""

import re
import time
from pathlib import Path

import yaml
from django.conf import settings
from rapidfuzz import fuzz

from utilities.text import normalize

from .extract import extract
from .gazetteer import key

KINDS = ("person", "organisation", "place", "program", "tier", "focus_area", "quote", "date", "figure")
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "both": 2}


def knowledge_file():
    return Path(settings.BASE_DIR) / "knowledge" / "data" / "knowledge.yaml"


def seeds_dir():
    return Path(settings.KNOWLEDGE_SEEDS_DIR)


def _cites(record, slug):
    return slug in (record.get("sources") or []) or record.get("source") == slug


def _quoted(text):
    return [m.group(1) for m in re.finditer(r'\("([^"]+)"\)', text or "")]


def _numbers(text):
    """Figures stated in the knowledge's English text: (min, max) tuples."""
    out = set()
    text = text or ""
    for m in re.finditer(r"\b(\d+) to (\d+)\b(?! months| years| weeks| days)", text):
        out.add((int(m.group(1)), int(m.group(2))))
    for m in re.finditer(r"\b(?:fewer|less|more) than (\d+)", text):
        out.add((int(m.group(1)), int(m.group(1))))
    for m in re.finditer(
        r"\b(two|three|four|five|six|\d+) (?:partnership )?(levels|qualifications|designations|elements|branding)", text
    ):
        n = NUMBER_WORDS.get(m.group(1)) or int(m.group(1))
        out.add((n, n))
    return out


def reference(source_slug, data, text):
    """What the shipped knowledge says the article holds, per kind."""
    ref = {kind: [] for kind in KINDS}
    norm_text = normalize(text)
    for p in data.get("people", []):
        if _cites(p, source_slug):
            ref["person"].append(p["name"])
    for v in data.get("vendors", []):
        if _cites(v, source_slug):
            ref["organisation"].append(v["name"])
            if v.get("headquarters") and normalize(v["headquarters"]) in norm_text:
                ref["place"].append(v["headquarters"])
    focus_names = {f["slug"]: f["name"] for f in data.get("focus_areas", [])}
    for f in data.get("focus_areas", []):
        if any(e.get("source") == source_slug for e in f.get("evidence") or []):
            ref["focus_area"].append(f["name"])
    figures = set()
    for prog in data.get("programs", []):
        if not _cites(prog, source_slug):
            continue
        ref["focus_area"] += [focus_names[s] for s in prog.get("focus_areas") or [] if s in focus_names]
        ref["program"].append(
            {"name": prog["name"], "acronym": prog.get("acronym"), "unnamed": "not stated" in prog["name"]}
        )
        for t in prog.get("tiers", []):
            ref["tier"].append(t["name"])
        ref["date"] += [{"phrase": q} for q in _quoted(prog.get("launch_window"))]
        if prog.get("levels_announced"):
            figures.add((prog["levels_announced"], prog["levels_announced"]))
        for field in ("summary", "description", "rollout_notes"):
            figures |= _numbers(prog.get(field))
    for e in data.get("events", []):
        if not _cites(e, source_slug):
            continue
        if e.get("place"):
            ref["place"].append(e["place"])
        if e.get("start_date"):
            ref["date"].append(
                {
                    "start": str(e["start_date"]),
                    "end": str(e.get("end_date") or e["start_date"]),
                    "text": e.get("date_text", ""),
                }
            )
        ref["date"] += [{"phrase": q} for q in _quoted(e.get("date_text"))]
        figures |= _numbers(e.get("title")) | _numbers(e.get("description"))
    for v in data.get("vendors", []) + data.get("sources", []):
        if v.get("slug") == source_slug or _cites(v, source_slug):
            figures |= _numbers(v.get("summary")) | _numbers(v.get("description"))
    french = {2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six"}
    ref["figure"] = sorted(
        f for f in figures if re.search(rf"(?<!\d){f[0]}(?!\d)", text) or french.get(f[0], "@") in norm_text
    )
    people = {p["slug"]: p["name"] for p in data.get("people", [])}
    for q in data.get("quotes", []):
        if q.get("source") == source_slug:
            ref["quote"].append({"text": " ".join(q["text"].split()), "speaker": people.get(q["person"])})
    # one reference item per distinct date phrase / place
    ref["place"] = sorted(set(ref["place"]))
    ref["focus_area"] = sorted(set(ref["focus_area"]))
    seen, dates = set(), []
    for d in ref["date"]:
        k = tuple(sorted(d.items()))
        if k not in seen:
            seen.add(k)
            dates.append(d)
    ref["date"] = dates
    return ref


def _same_name(a, b):
    a, b = key(a), key(b)
    return bool(a) and (a == b or (min(len(a), len(b)) > 4 and fuzz.ratio(a, b) >= 90))


def _matches(kind, cand, item):
    v = cand.value
    if kind in ("person", "organisation", "tier", "focus_area"):
        return _same_name(v.get("name") or cand.text, item)
    if kind == "place":
        return _same_name(v.get("name") or cand.text, item) or _same_name(cand.text, item)
    if kind == "program":
        if item["unnamed"]:
            return bool(v.get("unnamed"))
        names = [v.get("name") or "", v.get("acronym") or ""]
        return any(
            _same_name(n, item["name"]) or (item["acronym"] and key(n) == key(item["acronym"])) for n in names if n
        )
    if kind == "quote":
        a, b = normalize(" ".join(cand.text.split())).strip(" ."), normalize(item["text"]).strip(" .")
        same_text = fuzz.ratio(a, b) >= 90 or (min(len(a), len(b)) > 20 and fuzz.partial_ratio(a, b) >= 95)
        return same_text and bool(v.get("speaker")) and _same_name(v["speaker"], item["speaker"] or "")
    if kind == "date":
        if "phrase" in item:
            a, b = normalize(cand.text), normalize(item["phrase"])
            return a in b or b in a or fuzz.partial_ratio(a, b) >= 90 and min(len(a), len(b)) >= 8
        if v.get("start") == item["start"] and (v.get("end") or v["start"]) == item["end"]:
            return True
        return bool(v.get("fiscal_year")) and v["fiscal_year"] in item.get("text", "")
    if kind == "figure":
        low = v.get("min", v.get("value"))
        high = v.get("max", v.get("value"))
        return (low, high) == tuple(item)
    return False


def _distinct(candidates, kind):
    """One candidate per distinct thing."""
    out, seen = [], set()
    for c in candidates:
        if c.kind != kind:
            continue
        if kind == "quote":
            k = normalize(c.text)
        elif kind in ("date", "figure"):
            k = repr(sorted((a, str(b)) for a, b in c.value.items() if a not in ("derived",))) + normalize(c.text) * (
                kind == "date"
            )
        elif kind == "program" and c.value.get("unnamed"):
            k = "unnamed"
        else:
            k = key(c.value.get("name") or c.text)
        if k not in seen:
            seen.add(k)
            out.append(c)
    return out


def evaluate(data=None, seeds=None):
    """{kind: {tp_ref, n_ref, tp_cand, n_cand, recall, precision}} over the
    three seed articles, plus per-article timings, with an empty gazetteer."""
    data = data or yaml.safe_load(knowledge_file().read_text(encoding="utf-8"))
    seeds = Path(seeds or seeds_dir())
    totals = {k: {"tp_ref": 0, "n_ref": 0, "tp_cand": 0, "n_cand": 0} for k in KINDS}
    timings, misses = {}, []
    for source in data["sources"]:
        text = (seeds / source["seed_file"]).read_text(encoding="utf-8")
        extract(text, source.get("language", "fr"))  # warm up: the pipeline is loaded once per process
        started = time.perf_counter()
        candidates = extract(text, source.get("language", "fr"))
        timings[source["slug"]] = time.perf_counter() - started
        ref = reference(source["slug"], data, text)
        for kind in KINDS:
            distinct = _distinct(candidates, kind)
            t = totals[kind]
            t["n_ref"] += len(ref[kind])
            t["n_cand"] += len(distinct)
            for item in ref[kind]:
                if any(_matches(kind, c, item) for c in distinct):
                    t["tp_ref"] += 1
                else:
                    misses.append((source["slug"], kind, item))
            t["tp_cand"] += sum(1 for c in distinct if any(_matches(kind, c, item) for item in ref[kind]))
    for t in totals.values():
        t["recall"] = t["tp_ref"] / t["n_ref"] if t["n_ref"] else None
        t["precision"] = t["tp_cand"] / t["n_cand"] if t["n_cand"] else None
    return {"kinds": totals, "timings": timings, "misses": misses}


def table(result):
    """The figures as a Markdown table."""

    def pct(x):
        return "–" if x is None else f"{x:.2f}"

    lines = ["| kind | recall | precision | found / known | right / candidates |", "| --- | --- | --- | --- | --- |"]
    for kind, t in result["kinds"].items():
        lines.append(
            f"| {kind} | {pct(t['recall'])} | {pct(t['precision'])} | {t['tp_ref']} / {t['n_ref']} | {t['tp_cand']} / {t['n_cand']} |"
        )
    lines.append("")
    lines.append("| article | extraction time (s, pipeline loaded) |")
    lines.append("| --- | --- |")
    for slug, seconds in result["timings"].items():
        lines.append(f"| {slug} | {seconds:.3f} |")
    return "\n".join(lines)
