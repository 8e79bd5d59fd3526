"""Ingesting a document: a Source with its text, and the candidates to review.

``ingest_document()`` is what the admin upload form and the ``ingest``
command call. Extraction runs inline unless a queue is configured and the
document is long (``settings.INGEST_QUEUE_URL``, ``INGEST_BACKGROUND_CHARS``):
then an RQ worker runs ``run_extraction`` and the review page shows its
progress.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .candidates import passage
from .documents import Document, DocumentError, read_document
from .extract import extract
from .gazetteer import Gazetteer
from .review import group_key, unique_slug

log = logging.getLogger(__name__)
CHUNK = 8000  # characters per extraction step (progress is reported between steps)
CHANGE_REASON = "ingest"


class DuplicateSource(DocumentError):
    def __init__(self, source, filename=""):
        self.source = source
        super().__init__(
            _("%(name)s: this text is already in the knowledge base as the source “%(source)s” (%(slug)s).")
            % {"name": filename or _("The text"), "source": source.title, "slug": source.slug}
        )


@dataclass
class IngestResult:
    document: Document
    source: object = None  # sources.Source, None on a dry run
    ingestion: object = None
    candidates: list = field(default_factory=list)  # ingest.Candidate (dry run or inline extraction)


def find_duplicate(text):
    from sources.models import Source

    from .documents import content_hash

    return Source.objects.filter(content_hash=content_hash(text)).first()


def ingest_document(filename, data, *, language=None, user=None, dry_run=False, gazetteer=None, title=""):
    """Read, refuse duplicates, create the Source (a draft until something of
    it is accepted) and extract its candidates. Raises ``DocumentError``
    (including ``DuplicateSource``) with a message; nothing is created then."""
    from sources.models import Source

    from ..models import Ingestion, IngestionStatus

    doc = read_document(filename, data, language=language)
    if title:
        doc.title = title.strip()[:300]
    duplicate = find_duplicate(doc.text)
    if duplicate:
        raise DuplicateSource(duplicate, filename)
    if dry_run:
        gazetteer = gazetteer if gazetteer is not None else Gazetteer.from_database()
        return IngestResult(doc, candidates=extract(doc.text, doc.language, gazetteer, doc.published_on))
    with transaction.atomic():
        source = Source(
            title=doc.title[:300] or filename,
            slug=unique_slug(Source, doc.title or filename, max_length=80),
            outlet=doc.outlet[:200],
            language=doc.language,
            published_on=doc.published_on,
            url=doc.url[:200],
            text=doc.text,
            is_published=False,
        )
        source._change_reason = CHANGE_REASON
        source.full_clean(exclude=["url"] if not doc.url else None)
        source.save()
        ingestion = Ingestion.objects.create(
            source=source,
            filename=(filename or "")[:255],
            document_type=doc.kind,
            metadata={k: v for k, v in {"author": doc.author, **doc.metadata}.items() if v},
            created_by=user if user and user.is_authenticated else None,
        )
    result = IngestResult(doc, source, ingestion)
    if settings.INGEST_QUEUE_URL and len(doc.text) > settings.INGEST_BACKGROUND_CHARS:
        enqueue(ingestion)
    else:
        result.candidates = run_extraction(ingestion.pk, gazetteer=gazetteer)
    ingestion.refresh_from_db()
    if ingestion.status == IngestionStatus.FAILED:
        log.warning("extraction of %s failed: %s", source, ingestion.message)
    return result


def enqueue(ingestion):
    import django_rq
    import redis

    connection = redis.Redis.from_url(settings.INGEST_QUEUE_URL)
    queue = django_rq.get_queue("ingest", is_async=True, connection=connection)
    job = queue.enqueue("knowledge.ingest.service.run_extraction", ingestion.pk)
    if job is not None:  # None when django-rq enqueues at the end of the current transaction
        type(ingestion).objects.filter(pk=ingestion.pk).update(job_id=job.id)
    return job


def chunks(text, size=CHUNK):
    """(start, end) pieces of about ``size`` characters, cut between paragraphs."""
    start, out = 0, []
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            end = cut + 1 if cut > 0 else end
        out.append((start, end))
        start = end
    return out


def run_extraction(ingestion_id, gazetteer=None):
    """Extract the candidates of an ingested source and store them (the work
    of the background job, or done inline). Returns the candidates."""
    from ..models import ExtractedCandidate, Ingestion, IngestionStatus

    ingestion = Ingestion.objects.select_related("source").get(pk=ingestion_id)
    source = ingestion.source
    Ingestion.objects.filter(pk=ingestion_id).update(status=IngestionStatus.RUNNING, progress=0, message="")
    try:
        gazetteer = gazetteer if gazetteer is not None else Gazetteer.from_database()
        text = source.text
        found = []
        pieces = chunks(text)
        for i, (start, end) in enumerate(pieces):
            for c in extract(text[start:end], source.language, gazetteer, source.published_on):
                c.start, c.end = c.start + start, c.end + start
                found.append(c)
            Ingestion.objects.filter(pk=ingestion_id).update(progress=int(100 * (i + 1) / len(pieces)))
        versions = _versions(found)
        rows = []
        for c in found:
            p = passage(text, c.start, c.end)
            rows.append(
                ExtractedCandidate(
                    ingestion=ingestion,
                    kind=c.kind,
                    text=c.text,
                    start=c.start,
                    end=c.end,
                    prefix=p["prefix"],
                    suffix=p["suffix"],
                    value=c.value,
                    score=c.score,
                    match_model=c.model or "",
                    match_slug=c.match or "",
                    match_version=versions.get((c.model, c.match)),
                    group=group_key(c.kind, c.value, c.text, c.model or "", c.match or ""),
                )
            )
        with transaction.atomic():
            ExtractedCandidate.objects.filter(ingestion=ingestion, status="pending").delete()
            ExtractedCandidate.objects.bulk_create(rows)
            Ingestion.objects.filter(pk=ingestion_id).update(
                status=IngestionStatus.DONE, progress=100, finished_at=timezone.now()
            )
        return found
    except Exception as exc:
        log.exception("extraction of ingestion %s failed", ingestion_id)
        Ingestion.objects.filter(pk=ingestion_id).update(
            status=IngestionStatus.FAILED, message=str(exc)[:2000], finished_at=timezone.now()
        )
        raise


def _versions(found):
    """The version of each matched record, so accepting into it later can
    refuse when it changed meanwhile."""
    from django.apps import apps

    wanted = {}
    for c in found:
        if c.model and c.match:
            wanted.setdefault(c.model, set()).add(c.match)
    versions = {}
    for label, slugs in wanted.items():
        model = apps.get_model(label)
        for slug, version in model._default_manager.filter(slug__in=slugs).values_list("slug", "version"):
            versions[(label, slug)] = version
    return versions
