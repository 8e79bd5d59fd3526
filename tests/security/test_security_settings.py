"""Production settings (DJANGO_DEBUG=0): `check --deploy` is clean, the
process refuses to start without a real secret key, and the admin's path
comes from ADMIN_URL. Each runs manage.py in a subprocess with a production
environment, as a deployment would."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test starts a Django process

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-" + "x9Q!mZ7#pL2@vB8$nR4%tW6^yH1&cJ5*" * 2


def run(args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET_KEY", "SECURE_", "ADMIN_URL"))}
    base.update({"DJANGO_DEBUG": "0", "ALLOWED_HOSTS": "kb.example.com", **env})
    base = {k: v for k, v in base.items() if v is not None}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_has_no_issue_in_production():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_check_deploy_is_clean_behind_a_tls_proxy_too():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        SECRET_KEY=STRONG_KEY,
        SECURE_PROXY_SSL_HEADER="1",
        SECURE_HSTS_PRELOAD="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_production_settings_values():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.ALLOWED_HOSTS, list(s.SECURE_PROXY_SSL_HEADER or [])]))"
    )
    result = run(
        ["-c", code],
        SECRET_KEY=STRONG_KEY,
        SECURE_PROXY_SSL_HEADER="1",
        ALLOWED_HOSTS="kb.example.com,www.kb.example.com",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '[false, true, 31536000, true, true, true, ["kb.example.com", "www.kb.example.com"], '
        '["HTTP_X_FORWARDED_PROTO", "https"]]'
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run(["manage.py", "check"], SECRET_KEY=None)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_with_the_development_key():
    dev_key = "django-insecure-local-development-key-do-not-use-in-production"
    result = run(["manage.py", "check"], SECRET_KEY=dev_key)
    assert result.returncode != 0
    assert "must not be the development default" in result.stderr


def test_admin_path_comes_from_admin_url():
    code = (
        "import django; django.setup(); from django.urls import reverse, resolve, Resolver404\n"
        "print(reverse('admin:index'))\n"
        "try:\n    resolve('/admin/'); print('old path still served')\n"
        "except Resolver404:\n    print('old path gone')\n"
    )
    result = run(["-c", code], DJANGO_DEBUG="1", ADMIN_URL="/staff-7f3a/", DJANGO_SETTINGS_MODULE="config.settings")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/staff-7f3a/", "old", "path", "gone"]


def test_debug_is_off_unless_asked_for():
    code = "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT)"
    result = run(["-c", code], DJANGO_DEBUG=None, SECRET_KEY=STRONG_KEY, DJANGO_SETTINGS_MODULE="config.settings")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_make_run_and_the_tests_ask_for_debug():
    """`make run` (and what it runs first: migrate, load) has DJANGO_DEBUG=1;
    the test settings too, while production gets it off by default (above)."""
    result = subprocess.run(
        ["make", "-n", "-p", "run"], cwd=ROOT, env={"PATH": os.environ["PATH"]}, capture_output=True, text=True
    )
    assert "\nrun: DJANGO_DEBUG = 1\n" in result.stdout
    assert os.environ.get("DJANGO_DEBUG") == "1"  # set by config.test_settings
