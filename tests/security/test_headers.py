"""Security headers on every kind of response: public pages (every one the
resolver knows), the admin (login, index, list, forms, history, import),
errors (400, 403, 404, 405, 429 lockout, 500) and redirects."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import ProgramFactory
from tests.public_urls import REDIRECTS, public_urls

pytestmark = pytest.mark.django_db


def assert_secure_headers(response, what):
    csp = response.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives.get("default-src") == ["'self'"], (what, csp)
    assert directives.get("script-src") == ["'self'"], (what, csp)
    assert directives.get("style-src") == ["'self'"], (what, csp)
    assert directives.get("frame-ancestors") == ["'none'"], (what, csp)
    assert directives.get("object-src") == ["'none'"], (what, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, (what, csp)
    assert response.get("X-Content-Type-Options") == "nosniff", what
    assert response.get("Referrer-Policy") == "same-origin", what
    assert response.get("X-Frame-Options") == "DENY", what
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", what


def test_every_public_page(client, public_world):
    urls = public_urls()
    assert len(urls) >= 10
    assert "health" in dict(urls)  # the load balancers' health check has the same headers
    for name, url in urls:
        response = client.get(url)
        assert response.status_code == (302 if name in REDIRECTS else 200), url
        assert_secure_headers(response, url)


def test_admin_pages(client, admin_client):
    program = ProgramFactory()
    program.name = "Renamed"
    program.save()
    record = program.history.order_by("history_date").first()
    pages = {
        "login": (client, reverse("admin:login")),
        "index": (admin_client, reverse("admin:index")),
        "changelist": (admin_client, reverse("admin:programs_program_changelist")),
        "change form": (admin_client, reverse("admin:programs_program_change", args=[program.pk])),
        "add form": (admin_client, reverse("admin:programs_program_add")),
        "history": (admin_client, reverse("admin:programs_program_history", args=[program.pk])),
        "revert form": (
            admin_client,
            reverse("admin:programs_program_simple_history", args=[program.pk, record.history_id]),
        ),
        "import": (admin_client, reverse("admin:programs_program_import")),
        "deleted": (admin_client, reverse("admin:programs_program_deleted")),
        "lockouts": (admin_client, reverse("admin:axes_accessattempt_changelist")),
    }
    for what, (c, url) in pages.items():
        response = c.get(url)
        assert response.status_code == 200, what
        assert_secure_headers(response, what)


def test_redirect_to_the_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert_secure_headers(response, "redirect")


def test_error_pages(client, django_user_model):
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404
    assert_secure_headers(not_found, "404")

    record_not_found = client.get(reverse("programs:detail", args=["no-such-program"]))
    assert record_not_found.status_code == 404
    assert_secure_headers(record_not_found, "404 record")

    bad = client.get("/programs/?q=a%00b")
    assert bad.status_code == 400
    assert_secure_headers(bad, "400")

    not_allowed = client.post("/programs/")
    assert not_allowed.status_code == 405
    assert_secure_headers(not_allowed, "405")

    csrf = Client(enforce_csrf_checks=True).post(reverse("admin:login"), {"username": "x", "password": "y"})
    assert csrf.status_code == 403
    assert_secure_headers(csrf, "403 csrf")

    staff = django_user_model.objects.create_user("nobody", password="pw-nobody-123", is_staff=True)
    forbidden_client = Client()
    forbidden_client.force_login(staff)
    forbidden = forbidden_client.get(reverse("admin:programs_program_changelist"))
    assert forbidden.status_code == 403
    assert_secure_headers(forbidden, "403 permission")


def test_lockout_page(client, editor):
    for _ in range(5):
        response = client.post(reverse("admin:login"), {"username": "editor", "password": "wrong"})
    assert response.status_code == 429
    assert_secure_headers(response, "429 lockout")


@override_settings(ROOT_URLCONF="tests.urls_boom")
def test_server_error_page():
    client = Client(raise_request_exception=False)
    response = client.get("/__boom__/")
    assert response.status_code == 500
    assert_secure_headers(response, "500")
