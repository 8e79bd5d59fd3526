"""No lost edits: when two people open the same record and both save, the
second save is refused with what changed meanwhile, instead of silently
overwriting the first."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from knowledge.roles import EDITORS_GROUP
from programs.models import Program, TierKind
from tests.factories import ProgramFactory, SourceFactory, TierFactory, VendorFactory
from utilities.testing import form_data
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_editor_client(db, django_user_model):
    user = django_user_model.objects.create_user("alice", password="pw-alice-123", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client = Client()
    client.force_login(user)
    return client


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_second_concurrent_save_is_refused_with_what_changed(editor_client, other_editor_client):
    vendor = VendorFactory(name="Cisco", slug="cisco", headquarters="San Jose")
    vendor.sources.add(SourceFactory())  # nothing is published without a source
    url = change_url(vendor)
    # Both open the form.
    mine = form_data(editor_client.get(url))
    theirs = form_data(other_editor_client.get(url))
    assert mine["_version"] == theirs["_version"] == "1"

    # Alice saves first.
    theirs["headquarters"] = "San José, California"
    assert other_editor_client.post(url, theirs).status_code == 302

    # My save, from the form I opened before hers, is refused.
    mine["summary_en"] = "Network equipment vendor"
    response = editor_client.post(url, mine)
    assert response.status_code == 200
    page = response.content.decode()
    assert "alice saved this vendor" in page
    assert "so your changes were not saved" in page
    assert "Changed meanwhile, Headquarters: San Jose → San José, California" in page
    vendor.refresh_from_db()
    assert vendor.headquarters == "San José, California"  # hers is kept
    assert vendor.summary == ""  # mine was not written
    # My input is still in the form, now based on the latest version.
    form = response.context["adminform"].form
    assert form["summary_en"].value() == "Network equipment vendor"
    assert form["_version"].value() == 2

    # Saving again after reading the message is a deliberate overwrite.
    again = form_data(response)
    assert editor_client.post(url, again).status_code == 302
    vendor.refresh_from_db()
    assert (vendor.summary, vendor.headquarters, vendor.version) == ("Network equipment vendor", "San Jose", 3)


def test_save_of_an_unchanged_stale_form_is_refused_too(editor_client, other_editor_client):
    # Saving a stale form unchanged would still write its old values back.
    vendor = VendorFactory(name="HP", slug="hp", headquarters="Palo Alto")
    vendor.sources.add(SourceFactory())  # nothing is published without a source
    url = change_url(vendor)
    mine = form_data(editor_client.get(url))
    theirs = form_data(other_editor_client.get(url))
    theirs["headquarters"] = "Houston"
    other_editor_client.post(url, theirs)
    assert editor_client.post(url, mine).status_code == 200
    vendor.refresh_from_db()
    assert vendor.headquarters == "Houston"


def test_edit_made_outside_the_admin_is_detected(editor_client):
    program = ProgramFactory(name="MSCP", slug="mscp")
    url = change_url(program)
    mine = form_data(editor_client.get(url))
    program.summary = "Changed by an import"
    program._change_reason = "Imported from mscp.csv"
    program.save()
    mine["acronym"] = "MSCP"
    response = editor_client.post(url, mine)
    assert response.status_code == 200
    assert "Changed meanwhile, Summary [en]: — → Changed by an import" in response.content.decode()
    assert Program.objects.get(pk=program.pk).acronym == ""


def test_many_to_many_changes_show_in_the_conflict(editor_client, other_editor_client):
    source = SourceFactory(title="LMI article", slug="lmi")
    program = ProgramFactory(name="Frontline", slug="frontline")
    url = change_url(program)
    mine = form_data(editor_client.get(url))
    theirs = form_data(other_editor_client.get(url))
    theirs["sources"] = [str(source.pk)]
    assert other_editor_client.post(url, theirs).status_code == 302
    response = editor_client.post(url, mine)
    assert response.status_code == 200
    assert "Changed meanwhile, Sources: — → LMI article" in response.content.decode()
    assert list(program.sources.all()) == [source]


def test_concurrent_edit_of_an_inline_row_is_refused(editor_client, other_editor_client):
    program = ProgramFactory(name="MSCP", slug="mscp")
    tier = TierFactory(program=program, name="Master", slug="master", kind=TierKind.LEVEL, rank=3)
    # I open the program with its tiers; Alice edits the tier on its own page.
    mine = form_data(editor_client.get(change_url(program)))
    theirs = form_data(other_editor_client.get(change_url(tier)))
    theirs["requirements_en"] = "Master certification"
    assert other_editor_client.post(change_url(tier), theirs).status_code == 302

    prefix = next(k[: -len("-0-id")] for k in mine if k.endswith("-0-id") and mine[k] == str(tier.pk))
    mine[f"{prefix}-0-summary_en"] = "Top level"
    response = editor_client.post(change_url(program), mine)
    assert response.status_code == 200
    assert "Changed meanwhile, Requirements [en]: — → Master certification" in response.content.decode()
    tier.refresh_from_db()
    assert (tier.summary, tier.requirements) == ("", "Master certification")


def test_untouched_inline_row_that_changed_meanwhile_is_refused(editor_client, other_editor_client):
    # My untouched tier row still holds the old values: saving it would undo
    # Alice's edit, so the save is refused.
    program = ProgramFactory(name="MSCP", slug="mscp")
    tier = TierFactory(program=program, name="Master", slug="master", kind=TierKind.LEVEL, rank=3)
    mine = form_data(editor_client.get(change_url(program)))
    theirs = form_data(other_editor_client.get(change_url(tier)))
    theirs["requirements_en"] = "Master certification"
    other_editor_client.post(change_url(tier), theirs)
    mine["acronym"] = "MSCP"
    response = editor_client.post(change_url(program), mine)
    assert response.status_code == 200
    assert "Changed meanwhile, Requirements [en]: — → Master certification" in response.content.decode()
    tier.refresh_from_db()
    assert tier.requirements == "Master certification"
    assert Program.objects.get(pk=program.pk).acronym == ""


def test_inline_row_saved_meanwhile_without_change_does_not_block(editor_client, other_editor_client):
    program = ProgramFactory(name="MSCP", slug="mscp")
    program.sources.add(SourceFactory())  # nothing is published without a source
    tier = TierFactory(program=program, name="Master", slug="master", kind=TierKind.LEVEL, rank=3)
    mine = form_data(editor_client.get(change_url(program)))
    other_editor_client.post(change_url(tier), form_data(other_editor_client.get(change_url(tier))))
    tier.refresh_from_db()
    assert tier.version == 2
    mine["acronym"] = "MSCP"
    assert editor_client.post(change_url(program), mine).status_code == 302
    assert Program.objects.get(pk=program.pk).acronym == "MSCP"


def test_every_save_bumps_the_version(editor_client):
    vendor = VendorFactory()
    vendor.sources.add(SourceFactory())  # nothing is published without a source
    assert vendor.version == 1
    data = form_data(editor_client.get(change_url(vendor)))
    data["summary_en"] = "x"
    editor_client.post(change_url(vendor), data)
    assert Vendor.objects.get(pk=vendor.pk).version == 2
    assert vendor.history.first().version == 2
