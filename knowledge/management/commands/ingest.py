"""python manage.py ingest PATH... [--dry-run] [--json] [--language fr|en]

Creates a Source per file (.txt, .html, .pdf) with its extracted candidates,
ready for review in the admin; with --dry-run creates nothing. Prints the
candidates; with --json, one JSON document:

    {"sources": [{"file", "slug", "title", "language", "outlet", "published_on",
                  "content_hash", "status", "message", "review_url"}],
     "candidates": [{"source", "kind", "text", "start", "end", "passage", "match", "value"}]}

A file whose text is already a source is skipped, naming that source, so
running the command twice creates nothing new. A file that cannot be read
is reported and the others go on; the exit status is then 1.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from tqdm import tqdm

from knowledge.ingest.candidates import passage
from knowledge.ingest.documents import DocumentError
from knowledge.ingest.gazetteer import Gazetteer
from knowledge.ingest.nlp import SUPPORTED_LANGUAGES
from knowledge.ingest.service import DuplicateSource, ingest_document


class Command(BaseCommand):
    help = "Ingest documents: a Source per file and the candidates extracted from it, for review in the admin."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--dry-run", action="store_true", help="Extract and print; create nothing.")
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")
        parser.add_argument("--language", choices=sorted(SUPPORTED_LANGUAGES), help="Skip language detection.")

    def handle(self, *args, paths, dry_run=False, json=False, language=None, **options):
        as_json = json
        sources, candidates, failed = [], [], 0
        gazetteer = Gazetteer.from_database()
        files = [Path(p) for p in paths]
        bar = tqdm(files, desc="ingest", unit="file", disable=len(files) < 2, file=sys.stderr)
        for path in bar:
            entry = {"file": str(path), "slug": None, "title": None, "language": None, "outlet": None}
            try:
                data = path.read_bytes()
            except OSError as exc:
                failed += 1
                entry.update(status="error", message=f"{path}: {exc.strerror or exc}")
                sources.append(entry)
                self._say(as_json, entry["message"], error=True)
                continue
            try:
                result = ingest_document(path.name, data, language=language, dry_run=dry_run, gazetteer=gazetteer)
            except DuplicateSource as exc:
                entry.update(status="duplicate", message=str(exc), slug=exc.source.slug, title=exc.source.title)
                sources.append(entry)
                self._say(as_json, str(exc))
                continue
            except DocumentError as exc:
                failed += 1
                entry.update(status="error", message=str(exc))
                sources.append(entry)
                self._say(as_json, str(exc), error=True)
                continue
            doc = result.document
            entry.update(
                slug=result.source.slug if result.source else None,
                title=doc.title,
                language=doc.language,
                outlet=doc.outlet or None,
                published_on=doc.published_on.isoformat() if doc.published_on else None,
                content_hash=doc.content_hash,
                status="dry-run" if dry_run else ("extracted" if result.candidates else result.ingestion.status),
                message="",
            )
            if result.ingestion:
                entry["review_url"] = reverse("admin:knowledge_ingestion_review", args=[result.ingestion.pk])
            sources.append(entry)
            for c in result.candidates:
                candidates.append(
                    {
                        "source": entry["slug"] or entry["file"],
                        "kind": c.kind,
                        "text": c.text,
                        "start": c.start,
                        "end": c.end,
                        "passage": passage(doc.text, c.start, c.end),
                        "match": c.match,
                        "model": c.model,
                        "value": c.value,
                    }
                )
            if not as_json:
                self._print(entry, result.candidates, dry_run)
        if as_json:
            self.stdout.write(_json_dumps({"sources": sources, "candidates": candidates}))
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) could not be ingested.")

    def _say(self, as_json, message, error=False):
        if error:
            self.stderr.write(message)
        elif not as_json:
            self.stdout.write(message)

    def _print(self, entry, candidates, dry_run):
        verb = "Would create" if dry_run else "Created"
        target = f" {entry['slug']}" if entry["slug"] else ""
        self.stdout.write(
            f"{verb} source{target}: {entry['title']} [{entry['language']}], {len(candidates)} candidates"
        )
        for c in candidates:
            match = f" -> {c.match}" if c.match else ""
            self.stdout.write(f"  {c.kind:<12} {c.start:>6}-{c.end:<6} {c.text[:70]!r}{match}")
        if entry.get("review_url"):
            self.stdout.write(f"  review: {entry['review_url']}")


def _json_dumps(data):
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
