"""Bulk actions: publish/unpublish, add or remove a focus area or a source on
many records at once, each after a confirmation page, each change in history."""

import pytest
from django.urls import reverse

from programs.models import Program
from tests.factories import FocusAreaFactory, PartnerFactory, ProgramFactory, SourceFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:programs_program_changelist"


def act(client, action, objects, url=CHANGELIST, **extra):
    return client.post(reverse(url), {"action": action, "_selected_action": [o.pk for o in objects], **extra})


def test_publish_asks_for_confirmation_first(editor_client):
    drafts = [ProgramFactory(is_published=False, name=f"Draft {i}") for i in range(2)]
    for draft in drafts:
        draft.sources.add(SourceFactory())  # nothing is published without a source
    page = act(editor_client, "make_published", drafts)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Publish these records?" in content
    assert "Draft 0" in content and "Draft 1" in content
    assert 'name="post" value="yes"' in content
    assert Program.objects.published().count() == 0  # nothing done yet

    done = act(editor_client, "make_published", drafts, post="yes")
    assert done.status_code == 302
    assert Program.objects.published().count() == 2
    record = drafts[0].history.first()
    assert (record.is_published, record.history_change_reason) == (True, "Bulk action: published")
    assert record.history_user.username == "editor"


def test_add_a_source_to_many_records(editor_client):
    source = SourceFactory(title="LMI article", slug="lmi")
    programs = [ProgramFactory() for _ in range(3)]
    programs[0].sources.add(source)
    entries = programs[1].history.count()
    page = act(editor_client, "add_sources", programs)
    assert page.status_code == 200
    assert "Add a source to these records?" in page.content.decode()
    assert "target" in page.context["form"].fields

    refused = act(editor_client, "add_sources", programs, post="yes")  # no source chosen
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()

    done = act(editor_client, "add_sources", programs, post="yes", target=source.pk)
    assert done.status_code == 302
    message = editor_client.get(reverse(CHANGELIST)).content.decode()
    assert "“LMI article” added to 2 record(s); 1 already had it." in message
    for program in programs:
        assert list(program.sources.all()) == [source]
    # One history entry per changed record, with the new sources and a reason;
    # the version moves on so an open edit form cannot silently undo it.
    record = programs[1].history.first()
    assert record.history_change_reason == "Bulk action: added LMI article"
    assert [row.source_id for row in record.sources.all()] == [source.pk]
    assert Program.objects.get(pk=programs[1].pk).version == 2
    assert programs[1].history.count() == entries + 1


def test_remove_a_focus_area_from_many_records(editor_client):
    cloud = FocusAreaFactory(name="Cloud", slug="cloud")
    programs = [ProgramFactory() for _ in range(2)]
    for program in programs:
        program.focus_areas.add(cloud)
    done = act(editor_client, "remove_focus_areas", programs, post="yes", target=cloud.pk)
    assert done.status_code == 302
    assert not Program.objects.filter(focus_areas=cloud).exists()


def test_actions_offered_match_the_model(editor_client):
    programs_page = editor_client.get(reverse(CHANGELIST))
    choices = dict(programs_page.context["action_form"].fields["action"].choices)
    for action in ["make_published", "make_draft", "add_focus_areas", "remove_focus_areas", "add_sources"]:
        assert action in choices
    assert "delete_selected" not in choices  # Editors do not delete
    partners_page = editor_client.get(reverse("admin:partners_partner_changelist"))
    partner_choices = dict(partners_page.context["action_form"].fields["action"].choices)
    assert "add_sources" in partner_choices
    assert "add_focus_areas" not in partner_choices  # partners have no focus areas


def test_bulk_action_on_partners(editor_client):
    source = SourceFactory(slug="crn", title="CRN")
    partners = [PartnerFactory() for _ in range(2)]
    act(editor_client, "add_sources", partners, url="admin:partners_partner_changelist", post="yes", target=source.pk)
    assert all(p.sources.filter(pk=source.pk).exists() for p in partners)
