"""Who gets into the admin, and what they can do there.

- Login lockout (django-axes): 5 failed sign-ins for one user name from one
  address lock that pair out, with a clear page; other addresses and other
  user names are not affected; a superuser unlocks (admin or command).
- Staff with view permission only see no edit controls and get 403 on the
  edit URLs; staff with no permission get 403 everywhere but the index."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from programs.models import Program
from tests.factories import ProgramFactory
from utilities.testing import form_data

pytestmark = pytest.mark.django_db

PASSWORD = "pw-editor-123"  # the conftest editor's


def sign_in(client, username, password, ip):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
    )


def fail(client, ip, times, username="editor"):
    return [sign_in(client, username, "wrong-password", ip).status_code for _ in range(times)]


def test_a_correct_password_signs_in(client, editor):
    response = sign_in(client, "editor", PASSWORD, "10.0.0.1")
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_five_failures_lock_the_user_out_from_that_address(client, editor):
    statuses = fail(client, "10.0.0.1", 5)
    assert statuses[:4] == [200, 200, 200, 200]  # the login form again, with its error
    assert statuses[4] == 429
    # Now even the right password is refused, with a clear page.
    response = sign_in(client, "editor", PASSWORD, "10.0.0.1")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in locked" in page
    assert "after 5 failed sign-in attempts" in page
    assert "try again in 60 minutes" in page
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_name_and_address(client, editor, django_user_model):
    django_user_model.objects.create_user("alice", password="pw-alice-123", is_staff=True)
    fail(client, "10.0.0.1", 5)
    # The same user from another address signs in.
    other = Client()
    assert sign_in(other, "editor", PASSWORD, "10.0.0.2").status_code == 302
    # Another user from the locked address signs in.
    assert sign_in(Client(), "alice", "pw-alice-123", "10.0.0.1").status_code == 302


def test_a_successful_sign_in_resets_the_count(client, editor):
    fail(client, "10.0.0.1", 4)
    assert sign_in(client, "editor", PASSWORD, "10.0.0.1").status_code == 302
    client.logout()
    assert fail(client, "10.0.0.1", 4) == [200] * 4
    assert sign_in(client, "editor", PASSWORD, "10.0.0.1").status_code == 302


def test_the_unlock_command_lets_the_user_back_in(client, editor):
    fail(client, "10.0.0.1", 5)
    call_command("axes_reset_username", "editor")
    assert sign_in(client, "editor", PASSWORD, "10.0.0.1").status_code == 302


def test_a_superuser_unlocks_in_the_admin(client, editor, admin_client):
    from axes.models import AccessAttempt

    fail(client, "10.0.0.1", 5)
    attempt = AccessAttempt.objects.get(username="editor")
    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "10.0.0.1" in listing.content.decode()
    response = admin_client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert sign_in(client, "editor", PASSWORD, "10.0.0.1").status_code == 302


def test_editors_cannot_see_or_clear_lockouts(editor_client):
    assert editor_client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


# -- permissions ------------------------------------------------------------------


@pytest.fixture
def viewer(django_user_model):
    user = django_user_model.objects.create_user("viewer", password="pw-viewer-123", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_program"))
    return user


@pytest.fixture
def program():
    return ProgramFactory(name="Frontline", slug="frontline")


def urls(program):
    return {
        "add": reverse("admin:programs_program_add"),
        "change": reverse("admin:programs_program_change", args=[program.pk]),
        "delete": reverse("admin:programs_program_delete", args=[program.pk]),
        "import": reverse("admin:programs_program_import"),
        "history": reverse("admin:programs_program_history", args=[program.pk]),
        "changelist": reverse("admin:programs_program_changelist"),
    }


def test_view_only_staff_see_no_edit_controls(client, viewer, program):
    client.force_login(viewer)
    page = client.get(urls(program)["changelist"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Frontline" in html
    assert urls(program)["add"] not in html  # no "Add program" button
    assert urls(program)["import"] not in html  # no "Import" button
    # Export is reading, so it stays; no action that changes anything.
    for action in ("delete_selected", "make_published", "make_draft", "add_focus_areas", "add_sources"):
        assert f'value="{action}"' not in html, action
    change = client.get(urls(program)["change"])
    assert change.status_code == 200
    html = change.content.decode()
    assert 'name="_save"' not in html
    assert 'name="_continue"' not in html
    assert urls(program)["delete"] not in html
    assert 'name="name"' not in html  # fields are shown read-only, not as inputs


def test_view_only_staff_get_403_on_edit_urls(client, viewer, program):
    client.force_login(viewer)
    u = urls(program)
    assert client.get(u["add"]).status_code == 403
    assert client.post(u["add"], {"name": "New", "slug": "new"}).status_code == 403
    assert client.post(u["change"], {"name": "Renamed", "slug": "frontline"}).status_code == 403
    assert client.get(u["delete"]).status_code == 403
    assert client.post(u["delete"], {"post": "yes"}).status_code == 403
    assert client.get(u["import"]).status_code == 403
    program.refresh_from_db()
    assert program.name == "Frontline"
    assert Program.objects.count() == 1


def test_view_only_staff_cannot_revert_history(client, admin_client, viewer, program):
    program.name = "Frontline 2"
    program.save()
    record = program.history.order_by("history_date").first()
    url = reverse("admin:programs_program_simple_history", args=[program.pk, record.history_id])
    revert = form_data(admin_client.get(url))  # what a full revert form posts
    assert revert["name"] == "Frontline"
    client.force_login(viewer)
    assert client.get(url).status_code == 200  # may look at the old version
    assert client.post(url, revert).status_code == 403  # but not revert to it
    program.refresh_from_db()
    assert program.name == "Frontline 2"


def test_staff_without_permissions_get_403(client, django_user_model, program):
    user = django_user_model.objects.create_user("nobody", password="pw-nobody-123", is_staff=True)
    client.force_login(user)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "have permission to view or edit anything" in index.content.decode()
    for name, url in urls(program).items():
        assert client.get(url).status_code == 403, name
    assert client.post(urls(program)["change"], {"name": "X", "slug": "x"}).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, program):
    for url in urls(program).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
