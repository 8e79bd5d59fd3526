"""python manage.py ingest: sources created once, candidates printed, JSON
shaped as documented, bad files reported without stopping the others."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sources.models import Source

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("ingest", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_dry_run_prints_candidates_and_creates_nothing(seed_copy):
    path = seed_copy()
    text = path.read_text(encoding="utf-8")
    out, _ = run(path, "--json", "--dry-run")
    data = json.loads(out)
    assert Source.objects.count() == 0
    (source,) = data["sources"]
    assert source["status"] == "dry-run" and source["slug"] is None and source["language"] == "fr"
    kinds = {c["kind"] for c in data["candidates"]}
    assert {"person", "organisation", "place", "program", "tier", "focus_area", "quote", "date", "figure"} <= kinds
    for c in data["candidates"]:
        assert set(c) >= {"kind", "text", "start", "end", "passage", "match", "value"}
        assert text[c["start"] : c["end"]] == c["text"] == c["passage"]["exact"]
        assert c["match"] is None  # an empty knowledge base
    quotes = [c for c in data["candidates"] if c["kind"] == "quote"]
    assert {q["value"]["speaker"] for q in quotes} == {"Bruno Dutriaux"}
    focus = {c["value"]["name"] for c in data["candidates"] if c["kind"] == "focus_area"}
    assert "Cloud computing" in focus  # "le cloud", though no focus area is recorded yet
    span = next(c for c in data["candidates"] if c["text"].startswith("Dans un horizon"))
    assert span["value"]["duration"] == "P18M/P24M"


def test_creates_a_source_once(seed_copy):
    path = seed_copy()
    out, _ = run(path)
    source = Source.objects.get()
    assert source.text == path.read_text(encoding="utf-8").strip() and not source.is_published
    assert source.ingestion.candidates.filter(kind="person").exists()
    assert f"Created source {source.slug}" in out
    out, _ = run(path, "--json")
    again = json.loads(out)
    assert Source.objects.count() == 1
    assert again["sources"][0]["status"] == "duplicate" and again["sources"][0]["slug"] == source.slug
    assert again["candidates"] == []


def test_a_loaded_article_is_refused_naming_its_source(loaded_knowledge, seed_copy):
    out, _ = run(seed_copy(as_name="cpp-again.txt"))
    assert "art-002" in out
    assert not Source.objects.filter(ingestion__isnull=False).exists()


def test_matches_the_knowledge_base(loaded_knowledge, tmp_path):
    path = tmp_path / "news.txt"
    path.write_text(
        "Cisco étend son Cloud Partner Program (CPP). « Le cloud se fera avec nos partenaires », a déclaré "
        "Bruno Dutriaux à Paris. Les partenaires Builder auront des remises. Ses services managés aussi.",
        encoding="utf-8",
    )
    data = json.loads(run(path, "--json", "--dry-run")[0])
    matches = {(c["kind"], c["match"]) for c in data["candidates"] if c["match"]}
    assert {("organisation", "cisco"), ("program", "cpp"), ("person", "bruno-dutriaux"), ("tier", "builder")} <= matches
    # focus areas, in French or English, whatever the case and accents
    assert {("focus_area", "cloud-computing"), ("focus_area", "managed-services")} <= matches


def test_english_text(tmp_path):
    path = tmp_path / "news.html"
    path.write_text(
        "<html><head><title>Acme partner news</title></head><body><article><p>Acme Corp launched its Acme Cloud "
        "Partner Program in Boston on 12 May 2011, with three levels: Silver, Gold and Platinum. "
        '"We grow only with our partners," said Jane Smith, vice president of channels at Acme Corp.</p>'
        "</article></body></html>",
        encoding="utf-8",
    )
    data = json.loads(run(path, "--json", "--dry-run", "--language", "en")[0])
    by_kind = {}
    for c in data["candidates"]:
        by_kind.setdefault(c["kind"], []).append(c)
    assert data["sources"][0]["title"] == "Acme partner news"
    assert {"Silver", "Gold", "Platinum"} <= {c["text"] for c in by_kind["tier"]}
    assert by_kind["quote"][0]["value"]["speaker"] == "Jane Smith"
    assert any(c["value"].get("start") == "2011-05-12" for c in by_kind["date"])
    assert "Boston" in {c["text"] for c in by_kind["place"]}


def test_bad_files_are_reported_and_the_others_ingested(seed_copy, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    good = seed_copy()
    err = StringIO()
    with pytest.raises(CommandError, match="2 of 3"):
        call_command("ingest", str(empty), str(missing), str(good), "--json", stdout=StringIO(), stderr=err)
    assert "No text could be extracted from “empty.txt”" in err.getvalue() and "missing.txt" in err.getvalue()
    assert Source.objects.count() == 1
