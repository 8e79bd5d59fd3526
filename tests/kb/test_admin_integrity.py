"""What a tester broke in the admin: deletes that leave a program without a
vendor, unreadable delete confirmations, half-done bulk actions, and the
edit-conflict message escaped twice."""

import io

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from knowledge.roles import EDITORS_GROUP
from programs.models import Program
from tests.factories import ProgramFactory, SourceFactory, VendorFactory
from utilities.testing import form_data
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


def delete_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])


def test_deleting_the_only_vendor_of_a_program_is_refused_naming_the_program(admin_client):
    cisco = VendorFactory(name="Cisco")
    ProgramFactory(name="Cisco Partner Program", acronym="CPP", vendors=[cisco])

    page = admin_client.get(delete_url(cisco))
    content = page.content.decode()
    assert "Program: Cisco Partner Program (CPP) would have no vendors left" in content
    assert "would require deleting the following protected related objects" in content
    assert 'name="post"' not in content  # no confirm button

    admin_client.post(delete_url(cisco), {"post": "yes"})
    assert Vendor.objects.filter(pk=cisco.pk).exists()
    assert list(Program.objects.get().vendors.all()) == [cisco]


def test_a_vendor_sharing_its_programs_can_be_deleted_with_readable_names(admin_client):
    hp, microsoft = VendorFactory(name="HP"), VendorFactory(name="Microsoft")
    ProgramFactory(name="Frontline", vendors=[hp, microsoft])

    page = admin_client.get(delete_url(hp)).content.decode()
    assert "object (" not in page  # no "Program_vendors object (7)"
    assert "Frontline – HP" in page
    assert admin_client.post(delete_url(hp), {"post": "yes"}).status_code == 302
    assert not Vendor.objects.filter(pk=hp.pk).exists()
    assert list(Program.objects.get().vendors.all()) == [microsoft]


def test_bulk_delete_of_vendors_refuses_what_would_orphan_a_program(admin_client):
    hp, microsoft = VendorFactory(name="HP"), VendorFactory(name="Microsoft")
    ProgramFactory(name="Frontline", vendors=[hp, microsoft])
    url = reverse("admin:vendors_vendor_changelist")
    data = {"action": "delete_selected", "_selected_action": [hp.pk, microsoft.pk]}

    page = admin_client.post(url, data).content.decode()
    assert "Frontline would have no vendors left" in page
    admin_client.post(url, {**data, "post": "yes"})
    assert Vendor.objects.count() == 2


def test_a_bulk_action_that_fails_half_way_changes_nothing(editor_client, monkeypatch):
    programs = [ProgramFactory(name=f"Program {i:02}") for i in range(6)]
    calls = {"n": 0}
    original = Program.save

    def failing_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("the worker dies here")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Program, "save", failing_save)
    data = {"action": "make_draft", "_selected_action": [p.pk for p in programs], "post": "yes"}
    with pytest.raises(RuntimeError):
        editor_client.post(reverse("admin:programs_program_changelist"), data)
    assert calls["n"] == 4
    assert Program.objects.drafts().count() == 0  # all or nothing


def test_edit_conflict_message_escapes_values_once(editor_client, db, django_user_model):
    vendor = VendorFactory(name="Cisco", headquarters="San Jose")
    vendor.sources.add(SourceFactory())  # nothing is published without a source
    url = reverse("admin:vendors_vendor_change", args=[vendor.pk])
    mine = form_data(editor_client.get(url))
    other = django_user_model.objects.create_user("alice", password="pw-alice-123", is_staff=True)
    other.groups.add(Group.objects.get(name=EDITORS_GROUP))
    theirs_client = Client()
    theirs_client.force_login(other)
    theirs = form_data(theirs_client.get(url))
    theirs["headquarters"] = "<x> & co"
    assert theirs_client.post(url, theirs).status_code == 302

    page = editor_client.post(url, mine).content.decode()
    assert "San Jose → &lt;x&gt; &amp; co" in page
    assert "&amp;lt;" not in page and "&amp;amp;" not in page


# -- withdrawing a program's last published vendor -----------------------------------


def test_unpublishing_the_last_published_vendor_of_a_program_is_refused(admin_client):
    cisco = VendorFactory(name="Cisco")
    cisco.sources.add(SourceFactory())
    ProgramFactory(name="Cisco Partner Program", acronym="CPP", vendors=[cisco])
    url = reverse("admin:vendors_vendor_change", args=[cisco.pk])
    data = form_data(admin_client.get(url))
    data.pop("is_published")  # the box unticked

    page = admin_client.post(url, data)
    assert page.status_code == 200
    assert "it is the last published vendor of: Cisco Partner Program (CPP)" in page.content.decode()
    assert Vendor.objects.get(pk=cisco.pk).is_published


def test_a_vendor_whose_programs_keep_another_published_vendor_can_be_unpublished(admin_client):
    hp, microsoft = VendorFactory(name="HP"), VendorFactory(name="Microsoft")
    ProgramFactory(name="Frontline", vendors=[hp, microsoft])
    ProgramFactory(name="Draft program", vendors=[hp], is_published=False)  # a draft needs no public vendor
    url = reverse("admin:vendors_vendor_change", args=[hp.pk])
    data = form_data(admin_client.get(url))
    data.pop("is_published")

    assert admin_client.post(url, data).status_code == 302
    assert not Vendor.objects.get(pk=hp.pk).is_published


def test_bulk_unpublish_keeps_the_last_published_vendor_and_withdraws_the_others(admin_client):
    hp, microsoft, serena = VendorFactory(name="HP"), VendorFactory(name="Microsoft"), VendorFactory(name="Serena")
    ProgramFactory(name="Frontline", vendors=[hp, microsoft])
    url = reverse("admin:vendors_vendor_changelist")
    data = {"action": "make_draft", "_selected_action": [hp.pk, microsoft.pk, serena.pk], "post": "yes"}

    page = admin_client.post(url, data, follow=True).content.decode()
    assert "Not unpublished, because a published record would have none of them left" in page
    assert "Program Frontline (vendors)" in page
    assert set(Vendor.objects.published().values_list("name", flat=True)) == {"HP", "Microsoft"}


def test_an_import_that_unpublishes_the_last_published_vendor_is_refused_on_its_line(admin_client):
    cisco = VendorFactory(name="Cisco", slug="cisco")
    cisco.sources.add(SourceFactory())
    ProgramFactory(name="Cisco Partner Program", acronym="CPP", vendors=[cisco])
    upload = io.BytesIO(b"slug,name,is_published\ncisco,Cisco,0\n")
    upload.name = "vendors.csv"

    response = admin_client.post(reverse("admin:vendors_vendor_import"), {"resource": "0", "import_file": upload})
    messages = [msg for row in response.context["preview_rows"] for _column, msg, _value in row["issues"]]
    assert any("last published vendor of: Cisco Partner Program (CPP)" in msg for msg in messages), messages
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert Vendor.objects.get(pk=cisco.pk).is_published
