"""Real app servers for the tests: a PostgreSQL database of their own
(migrated like a deployment would), gunicorn processes started with the
production settings, a Redis cache shared between them.

Where (environment):

- ``LIVE_DATABASE_URL``: the PostgreSQL database the servers use; created
  afresh (dropped first). Default: the server of ``DATABASE_URL`` when it is
  PostgreSQL, else postgres://postgres@127.0.0.1:5432, and the name
  ``<TEST_DATABASE_NAME or test_kb>_live``;
- ``TEST_REDIS_URL``: the shared cache (default redis://127.0.0.1:6379/0);
  every run uses a key prefix of its own and removes its keys at the end;
- ``TEST_SERVER_PORTS``: ``first-last`` ports to take free ones from
  (default: any free port the system gives).

With ``CI=true`` a missing PostgreSQL or Redis is a failure, otherwise the
tests are skipped with the reason.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "live-admin-pw-8u3k"
SECRET = "live-test-secret-key-" + "x" * 40


def unavailable(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the server tests must run)")
    pytest.skip(reason)


def live_database_url():
    if os.environ.get("LIVE_DATABASE_URL"):
        return os.environ["LIVE_DATABASE_URL"]
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        base = "postgres://postgres@127.0.0.1:5432/postgres"
    name = (os.environ.get("TEST_DATABASE_NAME") or "test_kb") + "_live"
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, "", ""))


def pg_connect(url, dbname=None):
    import psycopg2

    parts = urlsplit(url)
    conn = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname=dbname or parts.path.lstrip("/"),
        connect_timeout=5,
    )
    conn.autocommit = True
    return conn


def recreate_database(url):
    import psycopg2

    name = urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise ValueError(f"unexpected database name {name!r}")
    try:
        admin = pg_connect(url, dbname="postgres")
    except psycopg2.OperationalError as exc:
        unavailable(f"PostgreSQL is not answering for the server tests: {exc}")
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
    admin.close()


def drop_database(url):
    name = urlsplit(url).path.lstrip("/")
    admin = pg_connect(url, dbname="postgres")
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        unavailable(f"Redis is not answering at {url}: {exc}")
    return url


def free_port():
    span = os.environ.get("TEST_SERVER_PORTS", "")
    candidates = range(0, 1)
    if span:
        first, _, last = span.partition("-")
        candidates = range(int(first), int(last or first) + 1)
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in {span}")


class Site:
    """One deployment: its database, cache and static files; servers of it
    are started with ``server()``."""

    def __init__(self, tmp_path):
        self.database_url = live_database_url()
        self.cache_url = redis_url()
        self.prefix = f"kbtest-{uuid.uuid4().hex[:12]}"
        self.static_root = tmp_path / "static"
        self.servers = []
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "SECRET_KEY", "SECURE_", "DATABASE_URL", "CACHE_", "KB_FAULT"))
        }
        self.env.update(
            {
                "DJANGO_DEBUG": "0",
                "SECRET_KEY": SECRET,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DATABASE_URL": self.database_url,
                "CACHE_URL": self.cache_url,
                "CACHE_KEY_PREFIX": self.prefix,
                "STATIC_ROOT": str(self.static_root),
                # Plain HTTP on the loopback: no TLS proxy in front here.
                "SECURE_SSL_REDIRECT": "0",
                "SESSION_COOKIE_SECURE": "0",
                "CSRF_COOKIE_SECURE": "0",
                "LANGUAGE_COOKIE_SECURE": "0",
                "SECURE_HSTS_SECONDS": "0",
                "AXES_FAILURE_LIMIT": "50",
                "PYTHONUNBUFFERED": "1",
            }
        )

    def manage(self, *args, **env):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def set_up(self):
        recreate_database(self.database_url)
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        self.manage(
            "createsuperuser",
            "--noinput",
            "--username",
            "admin",
            "--email",
            "admin@example.com",
            DJANGO_SUPERUSER_PASSWORD=ADMIN_PASSWORD,
        )
        return self

    def server(self, app="config.wsgi:application", workers=2, **env):
        server = Server(self, app=app, workers=workers, env=env)
        self.servers.append(server)
        return server.start()

    def sql(self, query, params=()):
        conn = pg_connect(self.database_url)
        try:
            with conn.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall() if cursor.description else None
        finally:
            conn.close()

    def tear_down(self):
        for server in self.servers:
            server.stop()
        import redis

        client = redis.Redis.from_url(self.cache_url)
        keys = list(client.scan_iter(f"{self.prefix}:*"))
        if keys:
            client.delete(*keys)
        try:
            drop_database(self.database_url)
        except Exception:  # noqa: BLE001 - best effort: the next run drops it anyway
            pass


class Server:
    """One gunicorn app server (a master and its workers)."""

    def __init__(self, site, app, workers, env):
        self.site, self.app, self.workers, self.extra_env = site, app, workers, env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        log = open(self.site.static_root.parent / f"gunicorn-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                self.app,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "120",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env={**self.site.env, **self.extra_env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.log_path = log.name
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {Path(self.log_path).read_text()[-3000:]}")
            try:
                if requests.get(self.url + "/health/", timeout=30).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not become healthy: {Path(self.log_path).read_text()[-3000:]}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self):
        return Path(self.log_path).read_text()


class Staff:
    """A signed-in staff member's browser: CSRF token and session cookie."""

    def __init__(self, username="admin", password=ADMIN_PASSWORD):
        self.session = requests.Session()
        self.username, self.password = username, password

    def csrf(self):
        return self.session.cookies.get("csrftoken")

    def login(self, server):
        self.session.get(server.url + "/admin/login/", timeout=30)
        response = self.session.post(
            server.url + "/admin/login/?next=/admin/",
            data={"username": self.username, "password": self.password, "csrfmiddlewaretoken": self.csrf()},
            headers={"Referer": server.url + "/admin/login/"},
            timeout=30,
        )
        assert response.url.endswith("/admin/"), response.text[:2000]
        return self

    def get(self, server, path, **kwargs):
        return self.session.get(server.url + path, timeout=60, **kwargs)

    def post(self, server, path, data=None, files=None, **kwargs):
        data = {**(data or {}), "csrfmiddlewaretoken": self.csrf()}
        return self.session.post(
            server.url + path, data=data, files=files, headers={"Referer": server.url + path}, timeout=120, **kwargs
        )


def hidden_inputs(html, form_class=None):
    """name -> value of the hidden inputs of the page (or of one form)."""
    if form_class:
        match = re.search(rf'<form[^>]*class="{form_class}"[^>]*>(.*?)</form>', html, re.S)
        html = match.group(1) if match else ""
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="hidden"' not in tag:
            continue
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            import html as html_lib

            fields[name.group(1)] = html_lib.unescape(value.group(1)) if value else ""
    return fields
