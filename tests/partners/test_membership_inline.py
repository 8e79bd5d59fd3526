"""Rows added together on one admin form are checked against each other:
two levels of one program for a new partner are a form error on the row,
not a server error, and nothing typed is lost."""

import pytest
from django.urls import reverse

from partners.models import Membership, Partner
from programs.models import TierKind
from tests.factories import PartnerFactory, ProgramFactory, TierFactory

pytestmark = pytest.mark.django_db

ADD = "admin:partners_partner_add"


def partner_with_memberships(tiers, **rows):
    data = {
        "name": "Acme Networks",
        "slug": "acme-networks",
        "kind": "reseller",
        "country": "France",
        # a draft: publishing needs a source, which is not what this test is about
        "memberships-TOTAL_FORMS": str(len(tiers)),
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, tier in enumerate(tiers):
        data[f"memberships-{i}-tier"] = str(tier.pk)
        data[f"memberships-{i}-since"] = rows.get(f"since{i}", "")
        data[f"memberships-{i}-until"] = rows.get(f"until{i}", "")
    return data


def test_two_levels_of_one_program_on_a_new_partner_is_a_row_error(admin_client):
    program = ProgramFactory(name="MSCP")
    silver = TierFactory(program=program, name="Silver", kind=TierKind.LEVEL)
    gold = TierFactory(program=program, name="Gold", kind=TierKind.LEVEL)

    response = admin_client.post(reverse(ADD), partner_with_memberships([silver, gold]))

    assert response.status_code == 200  # the form again, not a 500
    formset = response.context["inline_admin_formsets"][0].formset
    assert not formset.forms[0].errors
    assert "one level of a program at a time" in " ".join(formset.forms[1].errors["tier"])
    page = response.content.decode()
    assert "Acme Networks" in page  # what was typed is still there
    assert not Partner.objects.exists() and not Membership.objects.exists()


def test_levels_of_one_program_in_periods_that_do_not_overlap_are_saved(admin_client):
    program = ProgramFactory(name="MSCP")
    silver = TierFactory(program=program, name="Silver", kind=TierKind.LEVEL)
    gold = TierFactory(program=program, name="Gold", kind=TierKind.LEVEL)
    data = partner_with_memberships([silver, gold], since0="2009-01-01", until0="2009-12-31", since1="2010-01-01")

    assert admin_client.post(reverse(ADD), data).status_code == 302
    assert Membership.objects.filter(partner__slug="acme-networks").count() == 2


def test_designations_combine_on_one_form(admin_client):
    program = ProgramFactory(name="CPP")
    builder = TierFactory(program=program, name="Builder", kind=TierKind.DESIGNATION)
    provider = TierFactory(program=program, name="Provider", kind=TierKind.DESIGNATION)

    assert admin_client.post(reverse(ADD), partner_with_memberships([builder, provider])).status_code == 302
    assert Membership.objects.count() == 2


def test_two_levels_added_to_an_existing_partner_are_a_row_error(admin_client):
    partner = PartnerFactory(name="Acme", slug="acme")
    program = ProgramFactory(name="MSCP")
    silver = TierFactory(program=program, name="Silver", kind=TierKind.LEVEL)
    gold = TierFactory(program=program, name="Gold", kind=TierKind.LEVEL)
    data = partner_with_memberships([silver, gold])
    data.update(name="Acme", slug="acme")

    response = admin_client.post(reverse("admin:partners_partner_change", args=[partner.pk]), data)

    assert response.status_code == 200
    assert not Membership.objects.exists()


def test_a_junk_key_in_an_autocomplete_field_is_a_form_error(admin_client):
    """Found by the staff fuzz: Django's autocomplete widget looked "x" up as a number."""
    data = partner_with_memberships([])
    data.update({"memberships-TOTAL_FORMS": "1", "memberships-0-tier": "x", "sources": ["x", "999999"]})
    response = admin_client.post(reverse(ADD), data)
    assert response.status_code == 200
    assert not Partner.objects.exists()
