"""Long documents are extracted by an RQ worker on Redis (database 3 of the
local server in tests, or $INGEST_TEST_REDIS_URL); the review page shows the
progress meanwhile. Without a queue URL (development, the other tests) the
extraction runs inline."""

import os

import pytest
from django.urls import reverse

from knowledge.ingest.service import ingest_document
from knowledge.models import IngestionStatus

from .conftest import CPP, SEEDS

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
REDIS_URL = os.environ.get("INGEST_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


@pytest.fixture
def queue(settings):
    import django_rq
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not answering at {REDIS_URL}", pytrace=False)
        pytest.skip(f"Redis is not answering at {REDIS_URL}")
    settings.INGEST_QUEUE_URL = REDIS_URL
    settings.INGEST_BACKGROUND_CHARS = 1000
    q = django_rq.get_queue("ingest", is_async=True, connection=connection)
    q.empty()
    yield q
    q.empty()


def test_a_long_document_is_extracted_in_the_background(queue, admin_client):
    from rq import SimpleWorker

    text = (SEEDS / CPP).read_bytes()
    result = ingest_document("cpp.txt", text)
    ingestion = result.ingestion
    ingestion.refresh_from_db()
    assert ingestion.status == IngestionStatus.QUEUED and ingestion.job_id and result.candidates == []
    assert queue.count == 1
    page = admin_client.get(reverse("admin:knowledge_ingestion_review", args=[ingestion.pk])).content.decode()
    assert "<progress" in page and 'http-equiv="refresh"' in page

    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    ingestion.refresh_from_db()
    assert ingestion.status == IngestionStatus.DONE and ingestion.progress == 100
    assert ingestion.candidates.filter(kind="quote").count() == 2
    page = admin_client.get(reverse("admin:knowledge_ingestion_review", args=[ingestion.pk])).content.decode()
    assert "<progress" not in page and "Bruno Dutriaux" in page


def test_a_short_document_is_extracted_at_once(queue):
    short = "Cisco lance son Cloud Partner Program partout dans le monde, annonce Bruno Dutriaux."
    result = ingest_document("short.txt", short.encode())
    assert result.ingestion.status == IngestionStatus.DONE and queue.count == 0 and result.candidates
