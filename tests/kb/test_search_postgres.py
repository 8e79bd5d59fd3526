"""PostgreSQL only: the site search uses full-text search with unaccent and
its GIN indexes (kb migrations 0002 and 0003)."""

import pytest
from django.db import connection

from kb.search import _search_postgres, kinds, search
from tests.factories import ProgramFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search"),
]


def test_full_text_search_is_accent_insensitive_and_ranks_names_first():
    ProgramFactory(name="Programme compétence", summary="")
    ProgramFactory(name="Other", description="Une compétence rare")
    groups = search("COMPETENCE")
    programs = next(rows for kind, _n, rows in groups if kind.key == "programs")
    assert [p.name for p in programs] == ["Programme compétence", "Other"]


@pytest.mark.parametrize("kind", kinds(), ids=lambda k: k.key)
def test_each_kind_uses_its_gin_index(kind):
    # Only the text condition (no published filter), and no sequential or
    # plain index scans: a bitmap scan of the GIN index is then the only way.
    model = kind.queryset().model
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = _search_postgres(kind, "cloud", queryset=model.objects.all()).explain()
    assert "_kb_search" in plan, plan
