"""Measured quality: the three seed articles, extracted with no knowledge to
match against, compared with the shipped knowledge. The figures are printed
(run with -s) and kept in bench/ingest-quality.md (``bench/ingest_quality.py``)."""

from knowledge.ingest.quality import evaluate, table

MIN_RECALL = {"person": 0.9, "organisation": 0.9, "quote": 0.9}


def test_recall_of_people_organisations_and_quotes_on_the_seed_articles():
    result = evaluate()
    print("\n" + table(result))
    for kind, minimum in MIN_RECALL.items():
        figures = result["kinds"][kind]
        assert figures["n_ref"] > 0, kind
        assert figures["recall"] >= minimum, (kind, figures, [m for m in result["misses"] if m[1] == kind])
    # every kind is found at all, and is mostly right
    for kind, figures in result["kinds"].items():
        assert figures["tp_ref"] > 0 and figures["precision"] >= 0.5, (kind, figures)
