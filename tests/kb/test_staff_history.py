"""History: every record's history page shows who changed what and when,
field by field, and can revert to any version; deleted records can be found
and restored."""

import pytest
from django.urls import reverse

from partners.models import Partner
from programs.models import Program
from tests.factories import FocusAreaFactory, PartnerFactory, ProgramFactory, SourceFactory, VendorFactory
from utilities.testing import form_data

pytestmark = pytest.mark.django_db


def url(obj, view, *args):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk, *args])


def edit(client, obj, **changes):
    data = form_data(client.get(url(obj, "change")))
    data.update(changes)
    response = client.post(url(obj, "change"), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_history_page_shows_who_changed_what_field_by_field(editor_client):
    cloud = FocusAreaFactory(name="Cloud", slug="cloud")
    program = ProgramFactory(name="Frontline", slug="frontline", status="announced")
    program.sources.add(SourceFactory())  # nothing is published without a source
    edit(editor_client, program, status="launching", focus_areas=[str(cloud.pk)], scope_fr="Monde")
    page = editor_client.get(url(program, "history")).content.decode()
    assert "editor" in page  # who
    assert "<strong>Status:</strong>" in page
    assert "announced\n" in page and "launching" in page  # choice labels, old and new
    assert "<strong>Focus areas:</strong>" in page and "Cloud" in page
    assert "<strong>Scope [fr]:</strong>" in page and "Monde" in page  # the language edited
    assert "<strong>Scope [en]:</strong>" not in page
    assert "Version" not in page and "Updated at" not in page  # bookkeeping fields are not shown as changes


def test_revert_to_an_older_version_including_sources(editor_client):
    first, second = SourceFactory(title="LMI", slug="lmi"), SourceFactory(title="CRN", slug="crn")
    program = ProgramFactory(name="Frontline", slug="frontline", summary="v1")
    program.sources.set([first])
    v1 = program.history.first()  # after the sources were set
    edit(editor_client, program, summary_en="v2", sources=[str(second.pk)])
    edit(editor_client, program, summary_en="v3")
    program.refresh_from_db()
    assert (program.summary, list(program.sources.all())) == ("v3", [second])

    revert = editor_client.get(url(program, "simple_history", v1.history_id))
    assert revert.status_code == 200
    form = revert.context["adminform"].form
    assert form["summary_en"].value() == "v1"
    assert [str(pk) for pk in form["sources"].value()] == [str(first.pk)]
    response = editor_client.post(url(program, "simple_history", v1.history_id), form_data(revert))
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.summary == "v1"
    assert list(program.sources.all()) == [first]
    assert program.history.first().history_user.username == "editor"


def test_deleted_record_can_be_found_and_restored(admin_client, editor_client):
    source = SourceFactory(title="LMI", slug="lmi")
    partner = PartnerFactory(name="Globex", slug="globex", country="France")
    partner.sources.set([source])
    pk = partner.pk
    # A superuser deletes it (Editors cannot delete).
    assert admin_client.post(url(partner, "delete"), {"post": "yes"}).status_code == 302
    assert not Partner.objects.filter(pk=pk).exists()

    changelist = editor_client.get(reverse("admin:partners_partner_changelist")).content.decode()
    deleted_url = reverse("admin:partners_partner_deleted")
    assert deleted_url in changelist
    listing = editor_client.get(deleted_url)
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Globex" in page and "admin" in page  # what, and who deleted it
    restore_url = listing.context["rows"][0]["restore_url"]

    form_page = editor_client.get(restore_url)
    assert form_page.status_code == 200
    assert "Restore Globex" in form_page.content.decode()
    assert editor_client.post(restore_url, form_data(form_page)).status_code == 302
    restored = Partner.objects.get(pk=pk)
    assert (restored.name, restored.country) == ("Globex", "France")
    assert list(restored.sources.all()) == [source]
    assert editor_client.get(deleted_url).context["rows"] == []
    # The deletion and the restore are both in its history.
    types = list(restored.history.order_by("history_date").values_list("history_type", flat=True))
    assert "-" in types and types[-1] != "-"


def test_restore_refused_when_the_slug_was_taken_meanwhile(admin_client):
    partner = PartnerFactory(name="Globex", slug="globex")
    admin_client.post(url(partner, "delete"), {"post": "yes"})
    PartnerFactory(name="Globex again", slug="globex")
    listing = admin_client.get(reverse("admin:partners_partner_deleted"))
    restore_url = listing.context["rows"][0]["restore_url"]
    response = admin_client.post(restore_url, form_data(admin_client.get(restore_url)))
    assert response.status_code == 200
    assert "Partner with this Slug already exists." in response.content.decode()
    assert Partner.objects.count() == 1


def test_restore_needs_the_right_to_add(client, django_user_model, admin_client):
    from django.contrib.auth.models import Permission

    partner = PartnerFactory(name="Globex", slug="globex")
    admin_client.post(url(partner, "delete"), {"post": "yes"})
    restore_url = admin_client.get(reverse("admin:partners_partner_deleted")).context["rows"][0]["restore_url"]
    user = django_user_model.objects.create_user("changer", password="pw-changer-123", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_partner", "change_partner"]))
    client.force_login(user)
    assert client.get(reverse("admin:partners_partner_deleted")).status_code == 200
    assert client.get(restore_url).status_code == 403


def test_deleted_list_renders_for_every_model(admin_client):
    from django.contrib import admin

    VendorFactory()
    for model, model_admin in admin.site._registry.items():
        if hasattr(model_admin, "deleted_view"):
            name = f"admin:{model._meta.app_label}_{model._meta.model_name}_deleted"
            assert admin_client.get(reverse(name)).status_code == 200, model


def test_history_of_a_deleted_record_is_readable(admin_client):
    program = ProgramFactory(name="Old program", slug="old")
    pk = program.pk
    history_url = url(program, "history")
    admin_client.post(url(program, "delete"), {"post": "yes"})
    assert not Program.objects.filter(pk=pk).exists()
    page = admin_client.get(history_url)
    assert page.status_code == 200
    assert "Deleted" in page.content.decode()
