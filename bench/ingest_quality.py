"""Extraction quality and time on the three seed articles.

    .venv/bin/python bench/ingest_quality.py   # prints and writes bench/ingest-quality.md

Each article is extracted with an empty knowledge base (nothing to match),
after one warm-up run (the spaCy pipeline is loaded once per process), and
compared with knowledge.yaml (see knowledge/ingest/quality.py)."""

import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from knowledge.ingest import nlp  # noqa: E402
from knowledge.ingest.quality import evaluate, table  # noqa: E402

started = time.perf_counter()
nlp.pipeline("fr")
load = time.perf_counter() - started
result = evaluate()
text = "\n".join(
    [
        "# Ingestion: extraction quality on the seed articles",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
        f"Loading the French pipeline: {load:.1f} s (once per process).",
        "",
        table(result),
        "",
        "Missed (known to the shipped knowledge, not found):",
        "",
        *[f"- {slug} {kind}: {item}" for slug, kind, item in result["misses"]],
        "",
    ]
)
print(text)
(ROOT / "bench" / "ingest-quality.md").write_text(text, encoding="utf-8")
