"""The admin staff live in: every page renders for a superuser and for an
Editor, bad input is refused on the form, history records and reverts, and
PROTECTed deletes are refused."""

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from partners.models import Membership
from programs.models import Program, ProgramEvent, TierKind
from tests.factories import (
    BenefitFactory,
    FocusAreaFactory,
    MembershipFactory,
    PassageFactory,
    ProgramEventFactory,
    ProgramFactory,
    QuoteFactory,
    SourceFactory,
    TierFactory,
    VendorFactory,
    VendorRelationFactory,
)
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

KNOWLEDGE_MODELS = [
    m for m in admin.site._registry if m._meta.app_label in {"vendors", "programs", "partners", "sources"}
]


def test_every_knowledge_model_is_in_admin():
    names = {m.__name__ for m in KNOWLEDGE_MODELS}
    assert names == {
        "Vendor",
        "Person",
        "VendorRelation",
        "Program",
        "Tier",
        "Benefit",
        "FocusArea",
        "ProgramEvent",
        "Partner",
        "Membership",
        "Source",
        "Quote",
        "Passage",
    }


@pytest.fixture
def one_of_each(db):
    """At least one record of every knowledge model."""
    program = ProgramFactory()
    program.focus_areas.add(FocusAreaFactory())
    tier = TierFactory(program=program)
    BenefitFactory(program=program, tier=tier)
    ProgramEventFactory(program=program)
    MembershipFactory(tier=tier)
    QuoteFactory(program=program)
    VendorRelationFactory()
    PassageFactory(target=program, field="levels_announced")
    return program


def admin_urls(model):
    info = (model._meta.app_label, model._meta.model_name)
    obj = model.objects.first()
    return {
        "changelist": reverse("admin:{}_{}_changelist".format(*info)),
        "add": reverse("admin:{}_{}_add".format(*info)),
        "change": reverse("admin:{}_{}_change".format(*info), args=[obj.pk]),
        "history": reverse("admin:{}_{}_history".format(*info), args=[obj.pk]),
    }


@pytest.mark.parametrize("model", KNOWLEDGE_MODELS, ids=lambda m: m.__name__)
def test_every_admin_page_renders_for_superuser(admin_client, one_of_each, model):
    for page, url in admin_urls(model).items():
        response = admin_client.get(url)
        assert response.status_code == 200, (page, url)
        assert model._meta.verbose_name.lower() in response.content.decode().lower()


@pytest.mark.parametrize("model", KNOWLEDGE_MODELS, ids=lambda m: m.__name__)
def test_every_admin_page_renders_for_editor(editor_client, one_of_each, model):
    for page, url in admin_urls(model).items():
        response = editor_client.get(url)
        assert response.status_code == 200, (page, url)


def test_editor_cannot_delete_nor_manage_users(editor_client, one_of_each):
    program = Program.objects.first()
    response = editor_client.get(reverse("admin:programs_program_delete", args=[program.pk]))
    assert response.status_code == 403
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    change = editor_client.get(reverse("admin:programs_program_change", args=[program.pk]))
    assert b"deletelink" not in change.content


def test_editor_can_add_a_vendor(editor_client):
    response = editor_client.post(
        reverse("admin:vendors_vendor_add"),
        {
            "name": "Cisco",
            "slug": "cisco",
            "is_published": "on",
            "sources": [str(SourceFactory().pk)],  # nothing is published without a source
            **inline_management("people", 0),
            **inline_management("relations", 0),
        },
    )
    assert response.status_code == 302, response.content
    vendor = Vendor.objects.get(slug="cisco")
    assert vendor.history.first().history_user.username == "editor"


def inline_management(prefix, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(initial),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def event_form(**overrides):
    program = ProgramFactory()
    data = {
        "title_en": "Launch",
        "slug": "launch",
        "kind": "launch",
        "program": str(program.pk),
        "precision": "month",
        "is_published": "on",
        "sources": [str(SourceFactory().pk)],  # nothing is published without a source
    }
    data.update(overrides)
    return data


def test_admin_refuses_dates_out_of_order_with_a_message(admin_client):
    response = admin_client.post(
        reverse("admin:programs_programevent_add"), event_form(start_date="2010-07-01", end_date="2010-05-01")
    )
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not ProgramEvent.objects.exists()


def test_admin_refuses_malformed_date_with_a_message(admin_client):
    response = admin_client.post(reverse("admin:programs_programevent_add"), event_form(start_date="2010-13-45"))
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert not ProgramEvent.objects.exists()


def test_admin_refuses_duplicate_slug_with_a_message(admin_client):
    VendorFactory(name="Cisco", slug="cisco")
    response = admin_client.post(
        reverse("admin:vendors_vendor_add"),
        {
            "name": "Cisco Systems",
            "slug": "cisco",
            **inline_management("people", 0),
            **inline_management("relations", 0),
        },
    )
    assert response.status_code == 200
    assert "Vendor with this Slug already exists." in response.content.decode()
    assert Vendor.objects.count() == 1


def test_admin_refuses_second_level_in_a_program_with_a_message(admin_client):
    program = ProgramFactory()
    silver = TierFactory(program=program, kind=TierKind.LEVEL, rank=1)
    gold = TierFactory(program=program, kind=TierKind.LEVEL, rank=2)
    existing = MembershipFactory(tier=silver)
    response = admin_client.post(
        reverse("admin:partners_membership_add"), {"partner": existing.partner.pk, "tier": gold.pk}
    )
    assert response.status_code == 200
    assert "holds one level of a program at a time" in response.content.decode()
    assert Membership.objects.count() == 1


def test_admin_partner_inline_refuses_second_level_and_saves_nothing(admin_client):
    program = ProgramFactory()
    silver = TierFactory(program=program, kind=TierKind.LEVEL, rank=1)
    gold = TierFactory(program=program, kind=TierKind.LEVEL, rank=2)
    partner = MembershipFactory(tier=silver).partner
    membership = partner.memberships.get()
    url = reverse("admin:partners_partner_change", args=[partner.pk])
    data = {
        "name": "Renamed partner",
        "slug": partner.slug,
        "kind": partner.kind,
        **inline_management("memberships", 1),
        "memberships-0-id": str(membership.pk),
        "memberships-0-partner": str(partner.pk),
        "memberships-0-tier": str(silver.pk),
        "memberships-TOTAL_FORMS": "2",
        "memberships-1-partner": str(partner.pk),
        "memberships-1-tier": str(gold.pk),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "holds one level of a program at a time" in response.content.decode()
    partner.refresh_from_db()
    assert partner.name != "Renamed partner"  # nothing half-saved
    assert partner.memberships.count() == 1


def test_admin_refuses_protected_delete_with_a_message(admin_client):
    tier = TierFactory()
    url = reverse("admin:programs_program_delete", args=[tier.program.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "would require deleting the following protected related objects" in content
    assert Program.objects.filter(pk=tier.program.pk).exists()


def test_history_records_and_reverts_a_change(admin_client):
    vendor = VendorFactory(name="Cisco", slug="cisco", headquarters="San Jose")
    source = SourceFactory()
    vendor.sources.add(source)  # nothing is published without a source
    versions = vendor.history.count()
    url = reverse("admin:vendors_vendor_change", args=[vendor.pk])
    data = {
        "name": "Cisco",
        "slug": "cisco",
        "headquarters": "Somewhere else",
        "is_published": "on",
        "sources": [str(source.pk)],
        **inline_management("people", 0),
        **inline_management("relations", 0),
    }
    assert admin_client.post(url, data).status_code == 302
    vendor.refresh_from_db()
    assert vendor.headquarters == "Somewhere else"

    history_page = admin_client.get(reverse("admin:vendors_vendor_history", args=[vendor.pk]))
    assert history_page.status_code == 200
    assert "admin" in history_page.content.decode()  # who changed it
    original = vendor.history.earliest()
    assert original.headquarters == "San Jose"

    revert_url = reverse("admin:vendors_vendor_simple_history", args=[vendor.pk, original.history_id])
    form = admin_client.get(revert_url)
    assert form.status_code == 200
    assert "San Jose" in form.content.decode()
    data["headquarters"] = "San Jose"
    assert admin_client.post(revert_url, data).status_code == 302
    vendor.refresh_from_db()
    assert vendor.headquarters == "San Jose"
    assert vendor.history.count() == versions + 2


def test_publish_and_unpublish_actions(admin_client):
    programs = [ProgramFactory(is_published=False) for _ in range(2)]
    for program in programs:
        program.sources.add(SourceFactory())  # nothing is published without a source
    url = reverse("admin:programs_program_changelist")
    response = admin_client.post(
        url, {"action": "make_published", "_selected_action": [p.pk for p in programs], "post": "yes"}, follow=True
    )
    assert "2 records published." in response.content.decode()
    assert Program.objects.published().count() == 2
    admin_client.post(url, {"action": "make_draft", "_selected_action": [programs[0].pk], "post": "yes"})
    assert Program.objects.published().count() == 1
    assert programs[0].history.first().is_published is False


def test_admin_changelist_query_count_does_not_grow(admin_client, django_assert_max_num_queries):
    for _ in range(3):
        ProgramFactory()
    url = reverse("admin:programs_program_changelist")
    admin_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        admin_client.get(url)
    for _ in range(20):
        ProgramFactory()
    with CaptureQueriesContext(connection) as large:
        admin_client.get(url)
    assert len(large) == len(small)


def test_view_on_site_links_to_public_page(admin_client):
    program = ProgramFactory(slug="cpp")
    response = admin_client.get(reverse("admin:programs_program_change", args=[program.pk]))
    assert "View on site" in response.content.decode()
    public = admin_client.get("/programs/cpp/")
    assert public.status_code == 200


def test_event_precision_without_date_refused(admin_client):
    response = admin_client.post(reverse("admin:programs_programevent_add"), event_form(precision="day"))
    assert response.status_code == 200
    assert "Without a start date the precision is" in response.content.decode()
    assert not ProgramEvent.objects.exists()
    ok = admin_client.post(reverse("admin:programs_programevent_add"), event_form(precision="unknown"))
    assert ok.status_code == 302
    assert ProgramEvent.objects.get().start_date is None


def test_membership_since_until_shown(admin_client):
    membership = MembershipFactory(since=dt.date(2010, 1, 1))
    response = admin_client.get(reverse("admin:partners_membership_changelist"))
    assert membership.partner.name in response.content.decode()
