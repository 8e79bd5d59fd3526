"""Load test: anonymous browsing plus concurrent admin saves. See bench/README.md, "Load".

    .venv/bin/python bench/load.py                       # SQLite copy in a temp dir, 60 s
    .venv/bin/python bench/load.py --duration 20 --browsers 4 --editors 3
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/kb_load

It prepares a database (a copy of --sqlite-file, or a fresh one with the
shipped knowledge; with --database-url, that PostgreSQL database, which it
migrates and fills: give it a scratch database, never production), serves it
with gunicorn on 127.0.0.1 in production settings (DEBUG off, collected
static files) and for --duration seconds drives it with:

- browsers: threads fetching public pages (home, lists, every record page,
  searches, filters, exports, a few missing pages) as anonymous visitors;
- editors: two or more staff users, signed in through the admin login form,
  who each repeatedly open the admin change form of the same few records and
  save it with a new summary, as a browser would (every field of the form
  posted back, including the hidden ``_version`` of optimistic locking).
  A save refused because someone else saved first is a *conflict*: expected
  and counted, not an error.

At the end it checks the database: every accepted save is in the record's
history exactly once, no refused save was written, no two accepted saves were
based on the same version (that would be a silently overwritten edit), and
the record's final value is the last accepted save. It prints requests,
errors (5xx or connection errors), conflicts and lost/corrupted writes, as
text and as JSON (--json FILE); the exit status is 1 if any error or lost
write was seen.

Traffic only goes to 127.0.0.1, every loop stops at the deadline.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookies
import json
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CONFLICT_TEXT = "so your changes were not saved"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- a minimal browser --------------------------------------------------------------


class Browser:
    """One visitor: a keep-alive connection to 127.0.0.1 and a cookie jar."""

    def __init__(self, port, timeout=30):
        self.port = port
        self.timeout = timeout
        self.cookies = {}
        self.conn = None

    def _connect(self):
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            if self.conn is None:
                self._connect()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A keep-alive connection the server closed: reconnect once.
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, response.getheader("Location"), data.decode("utf-8", "replace")

    def post_form(self, path, fields, referer):
        body = urlencode(fields, doseq=True)
        return self.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": referer},
        )


class FormParser(HTMLParser):
    """What a browser would submit from the form with the given id: inputs,
    checked boxes, selected options, textareas (submit buttons left out)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.select = None
        self.textarea = None
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = name
            self.text = []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            value = "".join(self.text)
            self.fields.append((self.textarea, value[1:] if value.startswith("\n") else value))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


def form_fields(html, form_id):
    parser = FormParser(form_id)
    parser.feed(html)
    return parser.fields


# -- the run --------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.errors = 0
        self.error_samples = []
        self.by_status = {}
        self.saves_accepted = 0
        self.conflicts = 0
        self.saves_refused_other = 0
        self.refused_samples = []
        self.accepted = []  # (record pk, value, based-on version)
        self.refused = []  # values of refused saves

    def count(self, status, what):
        with self.lock:
            self.requests += 1
            self.by_status[status] = self.by_status.get(status, 0) + 1
            if status >= 500 or status == 0:
                self.errors += 1
                if len(self.error_samples) < 20:
                    self.error_samples.append(f"{status} {what}")


def browse(port, urls, deadline, stats, seed):
    rng = random.Random(seed)
    browser = Browser(port)
    while time.monotonic() < deadline:
        url = rng.choice(urls)
        try:
            status, _, _ = browser.request("GET", url)
        except Exception as error:  # connection refused/reset, timeout
            status = 0
            url = f"{url} ({type(error).__name__}: {error})"
            browser = Browser(port)
        stats.count(status, url)


def sign_in(port, admin, username, password, stats):
    browser = Browser(port)
    status, _, _ = browser.request("GET", f"/{admin}login/")
    stats.count(status, "login form")
    token = browser.cookies.get("csrftoken", "")
    status, location, _ = browser.post_form(
        f"/{admin}login/",
        {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": f"/{admin}"},
        referer=f"http://127.0.0.1:{port}/{admin}login/",
    )
    stats.count(status, "login")
    if status != 302:
        raise RuntimeError(f"{username} could not sign in (HTTP {status})")
    return browser


def edit(port, admin, browser, editor, records, deadline, stats, seed):
    """Open a record's change form, think a little, save it with a new summary."""
    rng = random.Random(seed)
    n = 0
    while time.monotonic() < deadline:
        pk = rng.choice(records)
        path = f"/{admin}vendors/vendor/{pk}/change/"
        try:
            status, _, html = browser.request("GET", path)
            stats.count(status, f"GET {path}")
            if status != 200:
                continue
            fields = form_fields(html, "vendor_form")
            version = dict(fields).get("_version")
            n += 1
            value = f"load {editor} #{n} {secrets.token_hex(4)}"
            fields = [(k, v) for k, v in fields if k != "summary"] + [("summary", value), ("_save", "Save")]
            time.sleep(rng.uniform(0, 0.05))  # the time it takes to type
            status, location, body = browser.post_form(path, fields, referer=f"http://127.0.0.1:{port}{path}")
            stats.count(status, f"POST {path}")
        except Exception as error:
            stats.count(0, f"{path} ({type(error).__name__}: {error})")
            continue
        with stats.lock:
            if status == 302:
                stats.saves_accepted += 1
                stats.accepted.append((pk, value, int(version)))
            elif status == 200 and CONFLICT_TEXT in body:
                stats.conflicts += 1
                stats.refused.append((pk, value))
            elif status < 500:
                stats.saves_refused_other += 1
                stats.refused.append((pk, value))
                errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', body, re.S)
                if len(stats.refused_samples) < 5:
                    stats.refused_samples.append(f"{status} {path}: {errors[:3]}")


def django(env, code):
    """Run Python code with Django set up against the load database; returns its stdout."""
    script = "import django, json; django.setup()\n" + code
    result = subprocess.run(
        [PYTHON, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=False, timeout=600
    )
    if result.returncode:
        raise SystemExit(f"setup step failed:\n{result.stderr}")
    return result.stdout


SETUP = """
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from knowledge.roles import EDITORS_GROUP
from vendors.models import Vendor
group = Group.objects.get(name=EDITORS_GROUP)
User = get_user_model()
for i in range(1, {editors} + 1):
    user, _ = User.objects.get_or_create(username=f"load-editor-{{i}}", defaults={{"is_staff": True}})
    user.set_password("{password}")
    user.is_staff = True
    user.save()
    user.groups.add(group)
urls = set()
for model in apps.get_models():
    if not hasattr(model, "get_absolute_url"):
        continue
    qs = model._default_manager.all()
    if hasattr(qs, "published"):
        qs = qs.published()
    for obj in qs.order_by("pk")[:200]:
        try:
            urls.add(obj.get_absolute_url())
        except Exception:
            pass
records = list(Vendor.objects.order_by("pk").values_list("pk", flat=True)[:{records}])
print(json.dumps({{"urls": sorted(urls), "records": records}}))
"""

VERIFY = """
from vendors.models import Vendor
accepted = json.loads({accepted!r})
refused = json.loads({refused!r})
report = {{"lost": [], "corrupted": []}}
for pk in sorted({{a[0] for a in accepted}} | {{r[0] for r in refused}}):
    vendor = Vendor.objects.get(pk=pk)
    history = list(vendor.history.order_by("history_date", "history_id").values_list("summary", "version"))
    values = [h[0] for h in history]
    mine = [a for a in accepted if a[0] == pk]
    for _, value, based_on in mine:
        if values.count(value) != 1:
            n = values.count(value)
            report["lost"].append(f"vendor {{pk}}: accepted save {{value!r}} is in history {{n}} times")
    for _, value in (r for r in refused if r[0] == pk):
        if value in values:
            report["corrupted"].append(f"vendor {{pk}}: refused save {{value!r}} was written")
    bases = [a[2] for a in mine]
    if len(bases) != len(set(bases)):
        report["lost"].append(f"vendor {{pk}}: two accepted saves were based on the same version")
    if mine:
        last = max(mine, key=lambda a: a[2])
        if vendor.summary != last[1]:
            report["lost"].append(
                f"vendor {{pk}}: final summary {{vendor.summary!r}} is not the last accepted {{last[1]!r}}"
            )
        if values[-1] != vendor.summary:
            report["corrupted"].append(f"vendor {{pk}}: history does not end with the record's value")
print(json.dumps(report))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--browsers", type=int, default=6, help="anonymous browsing threads (default 6)")
    parser.add_argument("--editors", type=int, default=3, help="staff users saving concurrently (>= 2, default 3)")
    parser.add_argument("--records", type=int, default=2, help="vendors the editors all edit (default 2)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="gunicorn workers")
    parser.add_argument("--sqlite-file", help="SQLite database to copy (default: a fresh one with the knowledge)")
    parser.add_argument("--database-url", help="PostgreSQL scratch database to migrate, fill and use")
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args()
    if args.editors < 2:
        parser.error("--editors must be at least 2")

    tmp = Path(tempfile.mkdtemp(prefix="kb-load-"))
    admin = "admin/"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "DATABASE_URL", "ADMIN_URL"))}
    if args.database_url:
        database_url, engine = args.database_url, "postgresql"
    else:
        db = tmp / "db.sqlite3"
        if args.sqlite_file:
            shutil.copy(args.sqlite_file, db)
        database_url, engine = f"sqlite:///{db}", "sqlite"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on loopback: no HTTPS redirect, cookies over HTTP.
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "STATIC_ROOT": str(tmp / "static"),
            "ADMIN_URL": admin,
            "LOG_LEVEL": "ERROR",
        }
    )
    password = secrets.token_urlsafe(16)
    print(f"== preparing the {engine} database in {tmp if engine == 'sqlite' else database_url}", flush=True)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([PYTHON, "manage.py", "load_knowledge"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    setup = json.loads(django(env, SETUP.format(editors=args.editors, password=password, records=args.records)))
    records = setup["records"]
    urls = setup["urls"] + [
        "/",
        "/vendors/",
        "/programs/",
        "/partners/",
        "/sources/",
        "/programs/?q=cloud",
        "/programs/?status=active&sort=-name",
        "/programs/?export=csv",
        "/programs/?export=json",
        "/search/?q=Cisco",
        "/timeline/",
        "/programs/no-such-program/",
        "/no-such-page/",
    ]

    port = free_port()
    server_log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    stats = Stats()
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                Browser(port, timeout=5).request("GET", "/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        editors = [sign_in(port, admin, f"load-editor-{i}", password, stats) for i in range(1, args.editors + 1)]
        print(
            f"== {args.duration:.0f} s: {args.browsers} browsers, {args.editors} editors on vendors {records}, "
            f"{args.workers} gunicorn workers, 127.0.0.1:{port}",
            flush=True,
        )
        started = time.monotonic()
        deadline = started + args.duration
        threads = [
            threading.Thread(target=browse, args=(port, urls, deadline, stats, i)) for i in range(args.browsers)
        ] + [
            threading.Thread(target=edit, args=(port, admin, browser, i + 1, records, deadline, stats, 1000 + i))
            for i, browser in enumerate(editors)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        server_log.close()

    verify = json.loads(
        django(
            env,
            VERIFY.format(
                accepted=json.dumps(stats.accepted), refused=json.dumps([[pk, v] for pk, v in stats.refused])
            ),
        )
    )
    log_tail = [line for line in (tmp / "gunicorn.log").read_text().splitlines() if "Not Found" not in line][-20:]
    if engine == "sqlite" or not stats.errors:
        shutil.rmtree(tmp, ignore_errors=True)

    result = {
        "engine": engine,
        "duration_s": round(elapsed, 1),
        "browsers": args.browsers,
        "editors": args.editors,
        "workers": args.workers,
        "requests": stats.requests,
        "requests_per_s": round(stats.requests / elapsed, 1),
        "errors": stats.errors,
        "saves_accepted": stats.saves_accepted,
        "conflicts_refused": stats.conflicts,
        "saves_refused_other": stats.saves_refused_other,
        "lost_writes": len(verify["lost"]),
        "corrupted_writes": len(verify["corrupted"]),
        "by_status": {str(k): v for k, v in sorted(stats.by_status.items())},
    }
    print(json.dumps(result, indent=2))
    for line in stats.error_samples + stats.refused_samples + verify["lost"] + verify["corrupted"]:
        print("  ", line)
    if stats.errors:
        print("== server log (last lines)")
        print("\n".join(log_tail))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    failed = stats.errors or verify["lost"] or verify["corrupted"] or stats.saves_refused_other
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
