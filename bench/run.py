"""The benchmark of the public pages, the admin and the exports. See bench/README.md.

For each engine (SQLite, PostgreSQL) and size (1k and 100k memberships) it
builds a database (shipped knowledge + synthetic data), serves it with
gunicorn (``bench.wsgi``) on 127.0.0.1 and measures, per address, the median
and p95 latency of sequential requests in three modes:

- **cold**: a gunicorn started with the server-side caches off
  (``KB_HTTP_CACHE=0``, ``KB_FRAGMENT_CACHE_SECONDS=0``): every request renders
  the page in full, as the first visitor after a staff save does;
- **after a save**: the caches on, and a save of one record of every knowledge
  model (``/__bench__/save/``) before each timed request;
- **warm**: the caches on, the same address again and again;

next to two floors served by the same gunicorn worker: the **true floor**
(``/__bench__/floor/``: a Django view with no middleware and no database) and
the **middleware floor** (``/__bench__/bare/``: the same view behind every
middleware). Also: SQL queries per page (Django's test client, caches off),
Datasette's table page of the same rows on the same SQLite file, the admin's
changelists, the admin's export of every membership and the public exports
of every list, and throughput (wrk) cold and warm.

Timings on a shared machine are noisy: what counts are the ratios to the
floors measured in the same run. Traffic only ever goes to 127.0.0.1, every
loop is bounded, every server started is stopped.
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
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
SIZES = {
    "small": {"programs": 100, "partners": 200, "memberships": 1000},
    "large": {"programs": 10000, "partners": 20000, "memberships": 100000},
}
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DB_PREFIX = os.environ.get("BENCH_PG_DB", "kb_bench")  # databases <prefix>_small, <prefix>_large
# Ports the benchmark may listen on (gunicorn, Datasette): "first-last".
PORTS = os.environ.get("BENCH_PORTS", "8130-8139")
COLD_ENV = {"KB_HTTP_CACHE": "0", "KB_FRAGMENT_CACHE_SECONDS": "0"}
WARM_ENV = {"KB_HTTP_CACHE": "1", "KB_FRAGMENT_CACHE_SECONDS": "600"}
FLOOR, MW_FLOOR, SAVE = "/__bench__/floor/", "/__bench__/bare/", "/__bench__/save/"
# gunicorn's own default (README's production command): a request over 30 s
# kills the worker. The client waits a little longer, to see that happen.
GUNICORN_TIMEOUT = 30
REQUEST_TIMEOUT = GUNICORN_TIMEOUT + 5
MAX_SECONDS_PER_URL = 20.0
MIN_SAMPLES = 5


def free_port():
    first, last = (int(x) for x in PORTS.split("-"))
    for port in range(first, last + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in BENCH_PORTS={PORTS}")


def run(cmd, env, **kw):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, text=True, **kw)


def wait_for(port, path="/", timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
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
        try:
            wait_for(port, probe)
        except Exception:
            self.stop()
            raise

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def gunicorn(env, workers, extra_env):
    """README's production command (``--timeout`` is gunicorn's default, 30 s)."""
    port = free_port()
    cmd = [str(BIN / "gunicorn"), "bench.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    cmd += ["--log-level", "warning", "--timeout", str(GUNICORN_TIMEOUT)]
    return Server(cmd, {**env, **extra_env}, port, FLOOR)


class Client:
    """One keep-alive connection; reconnects after errors and ``Connection: close``."""

    def __init__(self, port, headers=None):
        self.port, self.headers = port, dict(headers or {})
        self.conn = None

    def request(self, path, method="GET", body=None, headers=None, timeout=REQUEST_TIMEOUT):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        self.conn.timeout = timeout
        try:
            self.conn.request(method, path, body=body, headers={**self.headers, **(headers or {})})
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.getheader("connection", "").lower() == "close":
            self.close()
        return response, data

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def summary(times, status, bytes_=None):
    if not times:
        return {"median_ms": None, "p95_ms": None, "status": status, "samples": 0}
    times = sorted(times)
    out = {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 2),
        "status": status,
        "samples": len(times),
    }
    if bytes_ is not None:
        out["bytes"] = bytes_
    return out


def measure(port, path, n, headers=None, before=None, warm_up=2, max_seconds=None):
    """Median and p95 (ms) of ``n`` sequential GETs on one keep-alive
    connection, after ``warm_up`` untimed ones (process warm-up: templates
    compiled, connections open; with the caches on, the first answer stored).
    ``before(client)`` runs before each request (untimed): the save of the
    after-save mode. Fewer samples (at least MIN_SAMPLES) when a page takes
    more than ``max_seconds`` in all."""
    max_seconds = MAX_SECONDS_PER_URL if max_seconds is None else max_seconds
    client = Client(port, headers)
    times, status, size = [], None, None
    started = time.monotonic()
    for i in range(n + warm_up):
        if len(times) >= MIN_SAMPLES and time.monotonic() - started > max_seconds:
            break
        if before is not None:
            before(client)
        start = time.perf_counter()
        try:
            response, data = client.request(path)
        except TimeoutError:
            status = f"timeout (>{REQUEST_TIMEOUT} s)"
            break
        except (OSError, http.client.HTTPException) as exc:
            status = f"error: {type(exc).__name__}"
            continue
        elapsed = (time.perf_counter() - start) * 1000
        status, size = response.status, len(data)
        if i >= warm_up:
            times.append(elapsed)
    client.close()
    return summary(times, status, size)


def saver(model=None):
    path = SAVE + (f"?model={model}" if model else "")

    def before(client):
        response, _data = client.request(path)
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status}")

    return before


def throughput(port, path, seconds, connections=4):
    """Requests per second and errors for ``path`` with wrk (``-t2 -c4``)."""
    wrk = shutil.which("wrk")
    if not wrk:
        return None
    url = f"http://127.0.0.1:{port}{path}"
    out = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", f"{REQUEST_TIMEOUT}s", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    return {"requests": total, "rps": rps, "errors": errors}


# -- what is measured --------------------------------------------------------------


def public_urls(info, dbname):
    """(label, path, Datasette peer path or None) of the public pages."""
    pp, ap, ep = info["programs_per_page"], info["partners_per_page"], info["events_per_page"]
    deep_programs = max(1, info["programs"] // pp // 2)
    deep_partners = max(1, info["partners"] // ap // 2)
    deep_events = max(1, info["events"] // ep // 2)
    compare = "&".join(f"p={slug}" for slug in info["compare"])
    ds = f"/{dbname}" if dbname else None
    return [
        ("home", "/", None),
        ("vendors list", "/vendors/", None),
        ("programs list", "/programs/", ds and f"{ds}/programs_program?_size={pp}"),
        ("programs list, deep page", f"/programs/?page={deep_programs}", None),
        (
            "programs list, filtered",
            "/programs/?status=active",
            ds and f"{ds}/programs_program?status=active&_size={pp}",
        ),
        ("programs list, filtered+sorted", "/programs/?status=active&route=indirect&sort=-announced", None),
        ("partners list", "/partners/", ds and f"{ds}/partners_partner?_size={ap}"),
        ("partners list, deep page", f"/partners/?page={deep_partners}", None),
        (
            "partners list, filtered",
            "/partners/?country=France",
            ds and f"{ds}/partners_partner?country=France&_size={ap}",
        ),
        ("partners list, by program", f"/partners/?program={info['program']}", None),
        ("sources list", "/sources/", None),
        ("timeline", "/timeline/", None),
        ("timeline, deep page", f"/timeline/?page={deep_events}", None),
        ("timeline, filtered", "/timeline/?kind=launch", None),
        ("vendor page", f"/vendors/{info['vendor']}/", None),
        ("program page", f"/programs/{info['program']}/", None),
        ("tier page", f"/programs/{info['program']}/{info['tier']}/", None),
        ("partner page", f"/partners/{info['partner']}/", None),
        ("person page", f"/people/{info['person']}/", None),
        ("source page", f"/sources/{info['source']}/", None),
        ("event page", f"/programs/events/{info['event']}/", None),
        ("compare", f"/programs/compare/?{compare}", None),
        ("search", "/search/?q=cloud+partner", None),
        ("API programs", "/api/programs/", None),
    ]


def export_urls():
    """Every public list's export, unfiltered (CSV and JSON)."""
    lists = ["/vendors/", "/programs/", "/partners/", "/sources/", "/timeline/"]
    return [(f"export {path.strip('/')} {fmt}", f"{path}?export={fmt}") for path in lists for fmt in ("csv", "json")]


# -- one engine and size ---------------------------------------------------------------


def prepare(engine, size, workdir, env_base, reuse=False):
    """Create the database, migrate, load the knowledge and the synthetic data.
    With ``reuse``, a database left by an earlier ``--reuse`` run is only
    migrated (new indexes) and analysed, not rebuilt."""
    if engine == "sqlite":
        path = workdir / f"{size}.sqlite3"
        url = f"sqlite:///{path}"
        exists = reuse and path.exists()
        if not exists:
            path.unlink(missing_ok=True)
    else:
        path = None
        name = f"{PG_DB_PREFIX}_{size}"
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
                ["psql", f"{PG_ADMIN_URL}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"],
                check=True,
            )
            subprocess.run(["psql", f"{PG_ADMIN_URL}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    env = {**env_base, "DATABASE_URL": url}
    start = time.monotonic()
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    generated = None
    if not exists:
        run([PYTHON, "manage.py", "load_knowledge"], env, stdout=subprocess.DEVNULL)
        gen_start = time.monotonic()
        run(
            [PYTHON, "manage.py", "generate_demo_data", "--yes", "--no-progress"]
            + [f"--{k}={v}" for k, v in SIZES[size].items()],
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
    return env, path, generated


def probe(env, *args, timeout=None):
    out = run([PYTHON, "bench/probe.py", *args], env, capture_output=True, timeout=timeout).stdout
    return json.loads(out.strip().splitlines()[-1])


def floors(port, n):
    return {
        "true floor": measure(port, FLOOR, n, warm_up=5),
        "middleware floor": measure(port, MW_FLOOR, n, warm_up=5),
    }


def merge_floor(a, b):
    """Two floor measurements of one server (start and end of its session): the mean of their medians."""
    return {
        **a,
        "median_ms": round((a["median_ms"] + b["median_ms"]) / 2, 3),
        "p95_ms": max(a["p95_ms"], b["p95_ms"]),
        "samples": a["samples"] + b["samples"],
        "medians": [a["median_ms"], b["median_ms"]],
    }


def admin_export(port, cookie, model_path):
    """The admin's export of every row of a model as CSV (the export form
    posted as a browser does): seconds, status, bytes."""
    client = Client(port, {"Cookie": cookie})
    path = f"/admin/{model_path}/export/"
    response, data = client.request(path)
    if response.status != 200:
        return {"status": response.status, "seconds": None}
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', data)
    csrf = None
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("csrftoken="):
            csrf = value.split(";", 1)[0]
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1).decode() if token else "", "format": "0"})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{port}{path}"}
    if csrf:
        headers["Cookie"] = f"{cookie}; {csrf}"
    start = time.perf_counter()
    try:
        response, data = client.request(path, "POST", body, headers, timeout=REQUEST_TIMEOUT + 30)
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        status, data = f"error: {type(exc).__name__}", b""
    seconds = round(time.perf_counter() - start, 2)
    client.close()
    lines = data.count(b"\n")
    return {"status": status, "seconds": seconds, "bytes": len(data), "lines": lines}


def bench_one(engine, size, workdir, env_base, args):
    env, sqlite_path, generated = prepare(engine, size, workdir, env_base, args.reuse)
    info = probe(env, "setup")
    dbname = sqlite_path.stem if sqlite_path else None
    pages = public_urls(info, dbname)
    exports = export_urls()
    admin = [(f"admin {label}", path) for label, path in info["changelists"]]
    n = args.requests
    cold_env = {**env, **COLD_ENV}

    counts = {}
    for _label, url, _peer in pages:  # one process per URL: a pathological page cannot stall the run
        try:
            counts.update(probe(cold_env, "queries", url, timeout=3 * REQUEST_TIMEOUT))
        except subprocess.TimeoutExpired:
            counts[url] = {"queries": None, "status": "timeout"}
    cookie = f"sessionid={info['session']}"
    rows = []

    def row(kind, label, path, **data):
        r = {"engine": engine, "size": size, "kind": kind, "label": label, "url": path, **data}
        r["queries"] = counts.get(path, {}).get("queries")
        rows.append(r)
        cold = data.get("cold", {})
        print(f"    {label:<36} cold {cold.get('median_ms')} ms ({cold.get('status')})", flush=True)
        return r

    # Cold: caches off. Floors at the start and at the end of the session.
    with gunicorn(env, 1, COLD_ENV) as server:
        first = floors(server.port, 4 * n)
        cold = {label: measure(server.port, path, n) for label, path, _peer in pages}
        cold_exports = {label: measure(server.port, path, max(3, n // 5), max_seconds=60) for label, path in exports}
        cold_admin = {
            label: measure(server.port, path, max(5, n // 2), headers={"Cookie": cookie}) for label, path in admin
        }
        export_all = None
        if size == "large" or args.sizes == "small":
            export_all = admin_export(server.port, cookie, "partners/membership")
        last = floors(server.port, 4 * n)
    cold_floors = {k: merge_floor(first[k], last[k]) for k in first}

    # Caches on: after a save, then warm.
    with gunicorn(env, 1, WARM_ENV) as server:
        first = floors(server.port, 4 * n)
        after = {label: measure(server.port, path, n, before=saver()) for label, path, _peer in pages}
        warm = {label: measure(server.port, path, n) for label, path, _peer in pages}
        last = floors(server.port, 4 * n)
    warm_floors = {k: merge_floor(first[k], last[k]) for k in first}

    peers = {}
    if sqlite_path:
        port = free_port()
        cmd = [str(BIN / "datasette"), "serve", str(sqlite_path), "--port", str(port), "--host", "127.0.0.1"]
        with Server(cmd, env, port, f"/{dbname}.json") as ds:
            for label, _path, peer in pages:
                if peer:
                    peers[label] = {"url": peer, **measure(ds.port, peer, n)}

    for label in ("true floor", "middleware floor"):
        path = FLOOR if label == "true floor" else MW_FLOOR
        row("floor", label, path, cold=cold_floors[label], warm=warm_floors[label])
    for label, path, _peer in pages:
        row(
            "page", label, path, cold=cold[label], after_save=after[label], warm=warm[label], datasette=peers.get(label)
        )
    for label, path in exports:
        row("export", label, path, cold=cold_exports[label])
    for label, path in admin:
        row("admin", label, path, cold=cold_admin[label])
    if export_all:
        rows.append(
            {
                "engine": engine,
                "size": size,
                "kind": "admin export",
                "label": "admin export, every membership (CSV)",
                "url": "/admin/partners/membership/export/",
                **export_all,
            }
        )
        print(f"    admin export of every membership: {export_all}", flush=True)

    tput = []
    if args.throughput_seconds and size == "large" and shutil.which("wrk"):
        workers = os.cpu_count() or 2
        targets = [
            ("program page", f"/programs/{info['program']}/"),
            ("programs list", "/programs/"),
            ("partners list", "/partners/"),
        ]
        for mode, extra in (("cold", COLD_ENV), ("warm", WARM_ENV)):
            with gunicorn(env, workers, extra) as server:
                for label, path in targets:
                    t = throughput(server.port, path, args.throughput_seconds)
                    tput.append({"engine": engine, "size": size, "mode": mode, "label": label, "workers": workers, **t})
                    print(f"    throughput {mode} {label}: {t['rps']} req/s, {t['errors']} errors", flush=True)
    dataset = {"engine": engine, "size": size, "generate_seconds": generated, **SIZES[size], **info["counts"]}
    return rows, tput, dataset


# -- the table ---------------------------------------------------------------------------


def fmt(x, digits=1):
    return "" if x is None else f"{x:.{digits}f}"


def ok(status):
    return status in (200, 304)


def analyse(rows):
    """Ratios: × true floor and × middleware floor (same server, same run), ×
    Datasette, growth small→large (cold medians)."""
    floor = {}
    for r in rows:
        if r["kind"] == "floor":
            floor[(r["engine"], r["size"], r["label"])] = r["cold"]["median_ms"]
    small = {(r["engine"], r["label"]): r for r in rows if r["size"] == "small"}
    for r in rows:
        cold = r.get("cold")
        if not cold or cold.get("median_ms") is None:
            continue
        key = (r["engine"], r["size"])
        r["x_floor"] = round(cold["median_ms"] / floor[(*key, "true floor")], 1)
        r["x_mw_floor"] = round(cold["median_ms"] / floor[(*key, "middleware floor")], 1)
        peer = r.get("datasette")
        if peer and peer.get("median_ms") and ok(cold["status"]):
            r["x_datasette"] = round(cold["median_ms"] / peer["median_ms"], 2)
        base = small.get((r["engine"], r["label"]))
        if r["size"] == "large" and base and base.get("cold", {}).get("median_ms") and ok(cold["status"]):
            r["growth"] = round(cold["median_ms"] / base["cold"]["median_ms"], 2)


def table(rows, tput):
    analyse(rows)
    small = {(r["engine"], r["label"]): r for r in rows if r["size"] == "small"}
    sizes = {r["size"] for r in rows}
    show = "large" if "large" in sizes else "small"
    shown = "100k" if show == "large" else "1k"
    lines = [
        f"| engine | page | status | queries | cold ms 1k | cold ms {shown} | cold p95 | × true floor | × mw floor "
        "| after save ms | warm ms | × Datasette | growth 1k→100k |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        if r["size"] != show or r["kind"] == "admin export":
            continue
        cold = r["cold"]
        base = small.get((r["engine"], r["label"]), {}).get("cold", {})
        status = str(cold["status"]) if ok(cold["status"]) else f"**{cold['status']}**"
        lines.append(
            f"| {r['engine']} | {r['label']} | {status} | {'' if r.get('queries') is None else r['queries']} "
            f"| {fmt(base.get('median_ms'))} | {fmt(cold['median_ms'])} | {fmt(cold['p95_ms'])} "
            f"| {fmt(r.get('x_floor'))} | {fmt(r.get('x_mw_floor'))} "
            f"| {fmt((r.get('after_save') or {}).get('median_ms'))} | {fmt((r.get('warm') or {}).get('median_ms'))} "
            f"| {fmt(r.get('x_datasette'), 2)} | {fmt(r.get('growth'), 2)} |"
        )
    exports = [r for r in rows if r["kind"] == "admin export"]
    if exports:
        lines += [
            "",
            "| engine | size | admin export | status | seconds | bytes | lines |",
            "| --- | --- | --- | --- | ---: | ---: | ---: |",
        ]
        for r in exports:
            lines.append(
                f"| {r['engine']} | {r['size']} | {r['label']} | {r['status']} | {fmt(r.get('seconds'), 2)} "
                f"| {r.get('bytes', '')} | {r.get('lines', '')} |"
            )
    if tput:
        lines += [
            "",
            "| engine | mode | page | workers | requests | req/s | errors |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: |",
        ]
        for t in tput:
            lines.append(
                f"| {t['engine']} | {t['mode']} | {t['label']} | {t['workers']} | {t['requests']} | "
                f"{t['rps']:.0f} | {t['errors']} |"
            )
    peers = [r for r in rows if r.get("datasette") and r["size"] == show]
    if peers:
        lines += [
            "",
            "Datasette's table page, same rows (median ms): "
            + "; ".join(f"{r['label']}: {fmt(r['datasette']['median_ms'])}" for r in peers),
        ]
    return "\n".join(lines)


def budgets(rows):
    """Which budgets hold (large size): a list of lines for the README."""
    out = []
    for engine in sorted({r["engine"] for r in rows if r["size"] == "large"}):
        pages = [r for r in rows if r["engine"] == engine and r["size"] == "large" and r["kind"] == "page"]
        over40 = [f"{r['label']} ×{r['x_floor']}" for r in pages if r.get("x_floor") is not None and r["x_floor"] > 40]
        growth = [f"{r['label']} {r['growth']}" for r in pages if r.get("growth") is not None and r["growth"] > 1.5]
        ds = [f"{r['label']} {r['x_datasette']}" for r in pages if r.get("x_datasette") is not None]
        admin = [
            f"{r['label']} {r['cold']['median_ms']:.0f} ms"
            for r in rows
            if r["engine"] == engine and r["size"] == "large" and r["kind"] == "admin" and r["cold"]["median_ms"] > 300
        ]
        out.append(
            f"{engine}: pages over 40× the true floor: {', '.join(over40) or 'none'}; growth over 1.5: "
            f"{', '.join(growth) or 'none'}; × Datasette: {', '.join(ds) or 'n/a'}; admin changelists over 300 ms: "
            f"{', '.join(admin) or 'none'}"
        )
    return out


def main():
    global MAX_SECONDS_PER_URL
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--sizes", default="small,large", help="comma-separated: small (1k), large (100k memberships)")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per address and mode")
    parser.add_argument("--throughput-seconds", type=int, default=10, help="each wrk run; 0: no throughput")
    parser.add_argument("--quick", action="store_true", help="8 requests per address, 3 s of throughput")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the databases in bench/.work (and <BENCH_PG_DB>_* on PostgreSQL) and reuse them next time",
    )
    parser.add_argument("--max-seconds-per-url", type=float, default=MAX_SECONDS_PER_URL)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "latest.json"))
    args = parser.parse_args()
    if args.quick:
        args.requests, args.throughput_seconds = 8, 3
    MAX_SECONDS_PER_URL = args.max_seconds_per_url

    started = time.monotonic()
    load_before = os.getloadavg()
    if args.reuse:
        workdir = Path(os.environ.get("BENCH_WORKDIR", ROOT / "bench" / ".work"))
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="kb-bench-"))
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
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
        "CACHE_URL": "locmem://",  # per process, as the README's default
    }
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env_base)
    rows, tput, datasets = [], [], []
    try:
        for engine in args.engines.split(","):
            for size in args.sizes.split(","):
                print(f"== {engine} / {size}  (load {os.getloadavg()[0]:.1f})", flush=True)
                r, t, d = bench_one(engine, size, workdir, env_base, args)
                rows += r
                tput += t
                datasets.append(d)
    finally:
        if not args.reuse:
            shutil.rmtree(workdir, ignore_errors=True)
    text = table(rows, tput)
    verdicts = budgets(rows)
    print()
    print(text)
    print("\n".join(verdicts))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
    )
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": commit.stdout.strip() + ("+changes" if dirty.stdout.strip() else ""),
        "cpu_count": os.cpu_count(),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "requests_per_url": args.requests,
        "throughput_seconds": args.throughput_seconds,
        "datasets": datasets,
        "wall_seconds": round(time.monotonic() - started),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"meta": meta, "rows": rows, "throughput": tput, "table": text, "budgets": verdicts}, indent=1)
    )
    print(f"\nwritten to {out} ({meta['wall_seconds']} s in all; load {meta['load_before']} -> {meta['load_after']})")


if __name__ == "__main__":
    main()
