"""Side-by-side benchmark of the public pages. See bench/README.md.

For each engine (SQLite, PostgreSQL) and size (1k and 100k memberships) it
builds a database (shipped knowledge + synthetic data), serves it with
gunicorn on 127.0.0.1 and measures, per URL, the median and p95 latency over a
fixed number of sequential requests, next to:

- a bare Django view (the framework's floor) served by the same process;
- Django admin's changelist for the same rows (logged in);
- Datasette serving the same SQLite file (table page with the same filter);

then prints one table (and writes it as JSON): URL, median, p95, ratio to the
bare view, ratio to Datasette where comparable, growth from the small to the
large size, SQL queries per page. Finally a throughput figure (requests per
second and errors) for a program page and the program list, with as many
gunicorn workers as cores, driven by wrk (or a bounded Python load loop).

Traffic only ever goes to 127.0.0.1; every loop is bounded.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SIZES = {
    "small": {"programs": 100, "partners": 200, "memberships": 1000},
    "large": {"programs": 10000, "partners": 20000, "memberships": 100000},
}
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, env, **kw):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, text=True, **kw)


def wait_for(port, path="/", timeout=60, headers=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path, headers=headers or {})
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server on port {port} did not answer within {timeout}s")


class Server:
    def __init__(self, cmd, env, port, probe="/"):
        self.port = port
        self.proc = subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        wait_for(port, probe)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def gunicorn(env, workers):
    port = free_port()
    cmd = [
        str(Path(PYTHON).parent / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--timeout",
        str(REQUEST_TIMEOUT + 5),  # frees the worker soon after the client gave up
    ]
    return Server(cmd, env, port, "/__bench__/bare/")


MAX_SECONDS_PER_URL = 20.0
MIN_SAMPLES = 5
# One request slower than this is reported as a timeout and the URL skipped;
# gunicorn's own --timeout (a little longer) then restarts the busy worker.
REQUEST_TIMEOUT = 30


def measure(port, path, n, headers=None, revalidate=False):
    """Median and p95 (ms) of ``n`` sequential GETs on one keep-alive connection
    (fewer, but at least MIN_SAMPLES, when a page takes more than
    MAX_SECONDS_PER_URL in all: ``samples`` says how many).
    ``revalidate``: first fetch the page's ETag, then time conditional GETs
    (If-None-Match), as a browser's repeat visit does."""
    headers = dict(headers or {})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    if revalidate:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.getheader("ETag"):
            headers["If-None-Match"] = response.getheader("ETag")
    times, status = [], None
    started = time.monotonic()
    warm_up = 3  # requests not timed (fewer when a page takes over a second)
    for _ in range(n + 3):
        if len(times) >= MIN_SAMPLES and time.monotonic() - started > MAX_SECONDS_PER_URL:
            break
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
        except TimeoutError:
            conn.close()
            status = f"timeout (>{REQUEST_TIMEOUT} s)"
            time.sleep(REQUEST_TIMEOUT / 5)  # let gunicorn restart the worker
            break
        except (OSError, http.client.HTTPException) as exc:  # reported, not fatal
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
            status = f"error: {type(exc).__name__}"
            continue
        elapsed = (time.perf_counter() - start) * 1000
        status = response.status
        if response.getheader("connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        if warm_up:
            warm_up = 0 if elapsed > 1000 else warm_up - 1
        else:
            times.append(elapsed)
    conn.close()
    if not times:
        return {"median_ms": 0.0, "p95_ms": 0.0, "status": status, "samples": 0}
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 2),
        "status": status,
        "samples": len(times),
    }


def throughput(port, path, seconds, connections=4):
    """Requests per second and errors for ``path``: wrk when installed,
    otherwise a bounded thread pool of keep-alive clients."""
    wrk = shutil.which("wrk")
    url = f"http://127.0.0.1:{port}{path}"
    if wrk:
        out = subprocess.run(
            [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        total = int(re.search(r"(\d+) requests in", out).group(1))
        errors = 0
        if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
            errors += int(m.group(1))
        if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
            errors += sum(int(x) for x in m.groups())
        return {"tool": "wrk", "requests": total, "rps": rps, "errors": errors}

    deadline = time.monotonic() + seconds

    def worker(_):
        done = errors = 0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                errors += response.status >= 400
            except OSError:
                errors += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            done += 1
        return done, errors

    with ThreadPoolExecutor(connections) as pool:
        results = list(pool.map(worker, range(connections)))
    total = sum(r[0] for r in results)
    return {"tool": "python", "requests": total, "rps": round(total / seconds, 1), "errors": sum(r[1] for r in results)}


def urls_for(info, dbname):
    """(label, our path, Datasette peer path or None)."""
    # Rows per page of the public lists, read from the views: the Datasette
    # peer is asked for as many rows; the deep page is the middle one.
    pp, ap = info["programs_per_page"], info["partners_per_page"]
    deep_programs = max(1, info["programs"] // pp // 2)
    deep_partners = max(1, info["partners"] // ap // 2)
    compare = "&".join(f"p={slug}" for slug in info["compare"])
    return [
        ("bare view", "/__bench__/bare/", None),
        ("home", "/", None),
        ("vendors list", "/vendors/", None),
        ("programs list", "/programs/", f"/{dbname}/programs_program?_size={pp}"),
        ("programs list, deep page", f"/programs/?page={deep_programs}", None),
        ("programs list, filtered", "/programs/?status=active", f"/{dbname}/programs_program?status=active&_size={pp}"),
        ("programs list, filtered+sorted", "/programs/?status=active&route=indirect&sort=-announced", None),
        ("partners list", "/partners/", f"/{dbname}/partners_partner?_size={ap}"),
        ("partners list, deep page", f"/partners/?page={deep_partners}", None),
        (
            "partners list, filtered",
            "/partners/?country=France",
            f"/{dbname}/partners_partner?country=France&_size={ap}",
        ),
        ("sources list", "/sources/", None),
        ("timeline", "/timeline/", None),
        ("timeline, filtered", "/timeline/?kind=launch", None),
        ("vendor page", f"/vendors/{info['vendor']}/", None),
        ("program page", f"/programs/{info['program']}/", None),
        ("program page, revalidated (304)", f"/programs/{info['program']}/", None),
        ("tier page", f"/programs/{info['program']}/{info['tier']}/", None),
        ("partner page", f"/partners/{info['partner']}/", None),
        ("person page", f"/people/{info['person']}/", None),
        ("source page", f"/sources/{info['source']}/", None),
        ("event page", f"/programs/events/{info['event']}/", None),
        ("compare", f"/programs/compare/?{compare}", None),
        ("search", "/search/?q=cloud+partner", None),
        ("export csv, filtered", "/programs/?status=active&route=indirect&export=csv", None),
        ("admin programs changelist", "/admin/programs/program/?status__exact=active", None),
        ("admin partners changelist", "/admin/partners/partner/?country=France", None),
    ]


def prepare(engine, size, workdir, env_base, reuse=False):
    """Create the database, migrate, load the knowledge and the synthetic data.
    With ``reuse``, a database left by an earlier ``--reuse`` run is only
    migrated (new indexes) and analysed, not rebuilt."""
    if engine == "sqlite":
        path = workdir / f"{size}.sqlite3"
        url = f"sqlite:///{path}"
        exists = path.exists()
        if not reuse:
            path.unlink(missing_ok=True)
            exists = False
    else:
        name = f"kb_bench_{size}"
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
    env = {**env_base, "DATABASE_URL": url}
    start = time.monotonic()
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    generated = None
    if not exists:
        run([PYTHON, "manage.py", "load_knowledge"], env, stdout=subprocess.DEVNULL)
        sizes = SIZES[size]
        gen_start = time.monotonic()
        run(
            [PYTHON, "manage.py", "generate_demo_data", "--yes", "--no-progress"]
            + [f"--{k}={v}" for k, v in sizes.items()],
            env,
            stdout=subprocess.DEVNULL,
        )
        generated = round(time.monotonic() - gen_start, 1)
    if engine == "sqlite":
        run([PYTHON, "-c", f"import sqlite3; c = sqlite3.connect({str(path)!r}); c.execute('ANALYZE'); c.close()"], env)
    else:
        subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)
    note = f"synthetic data generated in {generated}s" if generated is not None else "reused"
    print(f"  {engine}/{size}: database ready in {time.monotonic() - start:.0f}s ({note})", flush=True)
    return env, (path if engine == "sqlite" else None), generated


def probe(env, *args, timeout=None):
    out = run([PYTHON, "bench/probe.py", *args], env, capture_output=True, timeout=timeout).stdout
    return json.loads(out.strip().splitlines()[-1])


def bench_one(engine, size, workdir, env_base, n, do_throughput, seconds, reuse=False):
    env, sqlite_path, generated = prepare(engine, size, workdir, env_base, reuse)
    info = probe(env, "setup")
    dbname = sqlite_path.stem if sqlite_path else None
    urls = urls_for(info, dbname)

    def key(label, path):
        return f"304:{path}" if "revalidated" in label else path

    counts = {}
    for label, url, _peer in urls:  # one process per URL, so that a pathological page cannot stall the run
        if url.startswith("/__bench__"):
            continue
        try:
            counts.update(probe(env, "queries", key(label, url), timeout=2 * REQUEST_TIMEOUT))
        except subprocess.TimeoutExpired:
            counts[key(label, url)] = {"queries": None, "status": "timeout"}
    cookie = {"Cookie": f"sessionid={info['session']}"}
    rows = []
    server = gunicorn(env, workers=1)
    datasette = None
    try:
        if sqlite_path:
            port = free_port()
            datasette = Server(
                [str(Path(PYTHON).parent / "datasette"), "serve", str(sqlite_path), "--port", str(port)],
                env,
                port,
                f"/{dbname}.json",
            )
        for label, path, peer in urls:
            headers = cookie if path.startswith("/admin/") else None
            result = {
                "engine": engine,
                "size": size,
                "label": label,
                "url": path,
                **measure(server.port, path, n, headers, revalidate="revalidated" in label),
            }
            result["queries"] = counts.get(key(label, path), {}).get("queries")
            if peer and datasette:
                peer_result = measure(datasette.port, peer, n)
                result["datasette_url"] = peer
                result["datasette_median_ms"] = peer_result["median_ms"]
                result["datasette_status"] = peer_result["status"]
            rows.append(result)
            flag = "" if result["status"] in (200, 304) else "   <-- not 200"
            print(f"    {label:<34} {result['median_ms']:>8.2f} ms  (status {result['status']}){flag}", flush=True)
    finally:
        server.stop()
        if datasette:
            datasette.stop()
    tput = []
    if do_throughput:
        workers = os.cpu_count() or 2
        server = gunicorn(env, workers=workers)
        try:
            for label, path in [("program page", f"/programs/{info['program']}/"), ("programs list", "/programs/")]:
                t = throughput(server.port, path, seconds)
                tput.append({"engine": engine, "size": size, "label": label, "workers": workers, **t})
                print(f"    throughput {label}: {t['rps']} req/s, {t['errors']} errors", flush=True)
        finally:
            server.stop()
    return rows, tput, {"engine": engine, "size": size, "generate_seconds": generated, **SIZES[size]}


def ok(row):
    return row["status"] in (200, 304)


def table(rows, tput):
    bare = {(r["engine"], r["size"]): r["median_ms"] for r in rows if r["label"] == "bare view"}
    small = {(r["engine"], r["label"]): r for r in rows if r["size"] == "small"}
    lines = [
        "| engine | size | page | status | n | median ms | p95 ms | × bare | × Datasette | growth small→large "
        "| queries |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        ratio = r["median_ms"] / bare[(r["engine"], r["size"])]
        r["ratio_bare"] = round(ratio, 2)
        ds = ""
        if r.get("datasette_median_ms") and ok(r):
            r["ratio_datasette"] = round(r["median_ms"] / r["datasette_median_ms"], 2)
            ds = f"{r['ratio_datasette']:.2f}"
        growth = ""
        base = small.get((r["engine"], r["label"]))
        if r["size"] == "large" and base and ok(r) and ok(base):
            r["growth"] = round(r["median_ms"] / base["median_ms"], 2)
            growth = f"{r['growth']:.2f}"
        queries = "" if r["queries"] is None else str(r["queries"])
        status = str(r["status"]) if ok(r) else f"**{r['status']}**"
        label = r["label"] if ok(r) else f"~~{r['label']}~~ (no such page here)"
        lines.append(
            f"| {r['engine']} | {r['size']} | {label} | {status} | {r.get('samples', '')} "
            f"| {r['median_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{ratio:.1f} | {ds} | {growth} | {queries} |"
        )
    if tput:
        lines += [
            "",
            "| engine | size | page | workers | tool | requests | req/s | errors |",
            "| --- | --- | --- | ---: | --- | ---: | ---: | ---: |",
        ]
        for t in tput:
            lines.append(
                f"| {t['engine']} | {t['size']} | {t['label']} | {t['workers']} | {t['tool']} | {t['requests']} | "
                f"{t['rps']:.0f} | {t['errors']} |"
            )
    datasette_rows = [r for r in rows if r.get("datasette_median_ms")]
    if datasette_rows:
        lines += [
            "",
            "Datasette peers (median ms): "
            + "; ".join(f"{r['size']} {r['label']}: {r['datasette_median_ms']:.1f}" for r in datasette_rows),
        ]
    return "\n".join(lines)


def main():
    global MAX_SECONDS_PER_URL
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--sizes", default="small,large", help="comma-separated: small (1k), large (100k memberships)")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per URL (after 3 warm-ups)")
    parser.add_argument("--throughput-seconds", type=int, default=10)
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--quick", action="store_true", help="10 requests per URL, 3 s of throughput")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the databases in bench/.work (and kb_bench_* on PostgreSQL) and reuse them next time",
    )
    parser.add_argument(
        "--max-seconds-per-url",
        type=float,
        default=MAX_SECONDS_PER_URL,
        help="stop timing a URL after this long (at least 5 samples are kept)",
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "latest.json"))
    args = parser.parse_args()
    if args.quick:
        args.requests, args.throughput_seconds = 10, 3
    MAX_SECONDS_PER_URL = args.max_seconds_per_url

    started = time.monotonic()
    if args.reuse:
        workdir = ROOT / "bench" / ".work"
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    static_root = workdir / "static"
    env_base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env_base)
    rows, tput, datasets = [], [], []
    for engine in args.engines.split(","):
        for size in args.sizes.split(","):
            print(f"== {engine} / {size}", flush=True)
            r, t, d = bench_one(
                engine,
                size,
                workdir,
                env_base,
                args.requests,
                not args.no_throughput and size == "large",
                args.throughput_seconds,
                reuse=args.reuse,
            )
            rows += r
            tput += t
            datasets.append(d)
    text = table(rows, tput)
    print()
    print(text)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": commit.stdout.strip(),
        "cpu_count": os.cpu_count(),
        "requests_per_url": args.requests,
        "throughput_seconds": args.throughput_seconds,
        "datasets": datasets,
        "wall_seconds": round(time.monotonic() - started),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"meta": meta, "rows": rows, "throughput": tput, "table": text}, indent=2))
    print(f"\nwritten to {out} ({meta['wall_seconds']} s in all)")
    if not args.reuse:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
