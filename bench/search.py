"""Benchmark of the site search (kb.search), cold: server-side caches off
(``CACHE_URL=dummy://``, ``KB_HTTP_CACHE=0``), at two sizes, on SQLite and
PostgreSQL. Figures go to bench/README.md ("Search" section).

    .venv/bin/python bench/search.py                       # both engines, both sizes
    .venv/bin/python bench/search.py --engines sqlite --sizes small --repeat 3
    .venv/bin/python bench/search.py --reuse               # keep the databases

Sizes are the perf benchmark's (bench/run.py): ``small`` 100 programs, 200
partners, 1,000 memberships; ``large`` 10,000 programs, 20,000 partners,
100,000 memberships, plus the shipped knowledge. Databases:
``bench/.work/search-<size>.sqlite3`` and PostgreSQL ``kb_search_bench_<size>``
on ``BENCH_PG_URL`` (default ``postgres://postgres@127.0.0.1:5432``).

For each query of ``QUERIES`` (what an analyst types: names, words of the
field in both languages, typos, several words, and the 100-word query),
``--repeat`` timed runs after one warm-up, each in two ways: ``search()``
alone (the SQL and loading the records shown) and the whole page through
Django's test client (view, template, middlewares). Printed: median and p95
over all runs, the slowest query, and the 100-word query's cost next to an
8-word one's.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
PYTHON = sys.executable
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
SIZES = {
    "small": {"programs": 100, "partners": 200, "memberships": 1000},
    "large": {"programs": 10000, "partners": 20000, "memberships": 100000},
}
EIGHT = "cloud partner program gold builder cisco france security"
HUNDRED = " ".join((EIGHT.split() * 13)[:100])  # 100 words (the page gets its first 200 characters)
LETTERS = " ".join("abcdefghij" * 10)  # 100 one-letter words
QUERIES = [
    "cisco",
    "Microsoft",
    "Chambers",
    "services managés",
    "managed services",
    "qualifications",
    "embauche",
    "partenaires cloud",
    "juillet 2010",
    "Proctor Frontline",
    "cpp builder",
    "Mircosoft",
    "Menzionne",
    "marque blanche",
    "discounted hardware",
    "l’année fiscale",
    "gold",
    "builder",
    "nimbus cloud",
    "apex partner program",
    "security",
    "martin",
    "france integration",
    "platinum tier",
    "zenith",
    "Nimbsu",
    "synthetic",
    EIGHT,
    HUNDRED,
    LETTERS,
]


def prepare(engine, size, reuse):
    WORK.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-search-only-" + "x" * 40,
        "ALLOWED_HOSTS": "testserver",
    }
    if engine == "sqlite":
        path = WORK / f"search-{size}.sqlite3"
        exists = reuse and path.exists()
        if not exists:
            path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        name = f"kb_search_bench_{size}"
        url = f"{PG_ADMIN_URL}/{name}"
        check = subprocess.run(
            ["psql", f"{PG_ADMIN_URL}/postgres", "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
            capture_output=True,
            text=True,
            check=True,
        )
        exists = reuse and check.stdout.strip() == "1"
        if not exists:
            subprocess.run(
                [
                    "psql",
                    f"{PG_ADMIN_URL}/postgres",
                    "-qc",
                    f"DROP DATABASE IF EXISTS {name}",
                    "-c",
                    f"CREATE DATABASE {name}",
                ],
                check=True,
            )
    env["DATABASE_URL"] = url
    start = time.monotonic()
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    if not exists:
        subprocess.run(
            [PYTHON, "manage.py", "load_knowledge"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )
        args = [f"--{k}={v}" for k, v in SIZES[size].items()]
        subprocess.run(
            [PYTHON, "manage.py", "generate_demo_data", "--yes", "--no-progress", *args],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    # The index as this code builds it (a reused database may hold an older one).
    t = time.monotonic()
    subprocess.run(
        [PYTHON, "manage.py", "rebuild_search_index"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
    )
    rebuilt = time.monotonic() - t
    if engine == "postgresql":
        subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)
    state = "reused" if exists else "built"
    print(f"  {engine}/{size}: ready in {time.monotonic() - start:.0f}s ({state}; index rebuilt in {rebuilt:.0f}s)")
    return env, rebuilt


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def measure(repeat):
    """Child process: the database is DATABASE_URL; prints one JSON line."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kb.models import SearchEntry
    from kb.search import clean_query, search

    client = Client()
    per_query = {}
    for q in QUERIES:
        search(q)
        client.get("/search/", {"q": clean_query(q)}, secure=True)
        fn, page = [], []
        for _ in range(repeat):
            t = time.perf_counter()
            results = search(q)
            fn.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            response = client.get("/search/", {"q": clean_query(q)}, secure=True)
            page.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (q, response.status_code)
        with CaptureQueriesContext(connection) as ctx:
            search(q)
        per_query[q] = {
            "search_ms": fn,
            "page_ms": page,
            "results": results.total,
            "sql": len(ctx.captured_queries),
        }
    print(json.dumps({"entries": SearchEntry.objects.count(), "queries": per_query}))


def summarise(engine, size, data):
    qs = data["queries"]
    fn = [v for q in qs.values() for v in q["search_ms"]]
    page = [v for q in qs.values() for v in q["page_ms"]]
    slowest = max(qs, key=lambda q: statistics.median(qs[q]["page_ms"]))
    return {
        "engine": engine,
        "size": size,
        "entries": data["entries"],
        "search_median": round(statistics.median(fn), 1),
        "search_p95": round(p95(fn), 1),
        "page_median": round(statistics.median(page), 1),
        "page_p95": round(p95(page), 1),
        "slowest": slowest[:40],
        "slowest_page_median": round(statistics.median(qs[slowest]["page_ms"]), 1),
        "eight_words_ms": round(statistics.median(qs[EIGHT]["search_ms"]), 1),
        "hundred_words_ms": round(statistics.median(qs[HUNDRED]["search_ms"]), 1),
        "hundred_letters_ms": round(statistics.median(qs[LETTERS]["search_ms"]), 2),
        "max_sql_queries": max(q["sql"] for q in qs.values()),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--sizes", default="small,large")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "search.json"))
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.measure:
        return measure(opts.repeat)
    rows, raw = [], {}
    for engine in opts.engines.split(","):
        for size in opts.sizes.split(","):
            env, rebuilt = prepare(engine, size, opts.reuse)
            env.update(CACHE_URL="dummy://", KB_HTTP_CACHE="0")
            out = subprocess.run(
                [PYTHON, __file__, "--measure", "--repeat", str(opts.repeat)],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            data = json.loads(out.strip().splitlines()[-1])
            raw[f"{engine}/{size}"] = data
            rows.append({**summarise(engine, size, data), "index_rebuild_s": round(rebuilt)})
            print("   ", json.dumps(rows[-1]), flush=True)
    Path(opts.out).parent.mkdir(parents=True, exist_ok=True)
    Path(opts.out).write_text(json.dumps({"rows": rows, "raw": raw}, indent=1))
    print(
        "\n| engine | size | entries | search() median / p95 ms | page median / p95 ms | slowest page (median ms) "
        "| 8 words ms | 100 words ms | 100 one-letter words ms | SQL queries (max) | index rebuild s |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(
            f"| {r['engine']} | {r['size']} | {r['entries']:,} | {r['search_median']} / {r['search_p95']} "
            f"| {r['page_median']} / {r['page_p95']} | {r['slowest']} ({r['slowest_page_median']}) "
            f"| {r['eight_words_ms']} | {r['hundred_words_ms']} | {r['hundred_letters_ms']} "
            f"| {r['max_sql_queries']} | {r['index_rebuild_s']} |"
        )


if __name__ == "__main__":
    main()
