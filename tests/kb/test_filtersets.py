"""The FilterSets shared by the public lists, their exports and the API."""

import pytest
from django.http import QueryDict

from partners.filtersets import PartnerFilterSet
from partners.models import Partner
from programs.filtersets import EventFilterSet, ProgramFilterSet
from programs.models import Program, ProgramEvent, TierKind
from tests.factories import (
    FocusAreaFactory,
    PartnerFactory,
    ProgramEventFactory,
    ProgramFactory,
    TierFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


def run(filterset, query, queryset):
    fs = filterset(QueryDict(query), queryset=queryset)
    return fs, list(fs.qs)


def test_program_filters_combine():
    cisco, hp = VendorFactory(name="Cisco"), VendorFactory(name="HP")
    cloud = FocusAreaFactory(name="Cloud")
    cpp = ProgramFactory(name="CPP", vendors=[cisco], status="active", route_to_market="indirect")
    cpp.focus_areas.add(cloud)
    TierFactory(program=cpp, kind=TierKind.DESIGNATION)
    ProgramFactory(name="MSCP", vendors=[cisco], status="announced")
    ProgramFactory(name="Frontline", vendors=[hp], status="active")
    qs = Program.objects.published()
    assert run(ProgramFilterSet, "vendor=cisco", qs)[1] == [cpp, Program.objects.get(name="MSCP")]
    assert run(ProgramFilterSet, "vendor=cisco&status=active", qs)[1] == [cpp]
    assert run(ProgramFilterSet, "focus_area=cloud", qs)[1] == [cpp]
    assert run(ProgramFilterSet, "tier_kind=designation&route=indirect", qs)[1] == [cpp]
    assert [p.name for p in run(ProgramFilterSet, "sort=-name", qs)[1]] == ["MSCP", "Frontline", "CPP"]


def test_text_filter_ignores_accents_and_case():
    p = ProgramFactory(name="Programme", description="Une compétence cloud")
    ProgramFactory(name="Other")
    assert run(ProgramFilterSet, "q=COMPETENCE", Program.objects.all())[1] == [p]
    assert run(ProgramFilterSet, "q=compétence programme", Program.objects.all())[1] == [p]


def test_invalid_values_are_form_errors_not_crashes():
    ProgramFactory()
    fs, rows = run(ProgramFilterSet, "year=99999999&sort=bogus&vendor=nope&status=zzz", Program.objects.all())
    assert set(fs.errors) == {"year", "sort", "vendor", "status"}
    assert len(rows) == 1  # invalid filters are ignored, valid ones still apply


def test_draft_vendor_is_not_a_filter_choice():
    VendorFactory(name="Secret", is_published=False)
    fs, _ = run(ProgramFilterSet, "vendor=secret", Program.objects.all())
    assert "vendor" in fs.errors


def test_timeline_vendor_filter_includes_events_of_its_programs():
    ms = VendorFactory(name="Microsoft")
    own = ProgramEventFactory(title="Conference", program=None, vendor=ms)
    via_program = ProgramEventFactory(title="Launch", program=ProgramFactory(vendors=[ms]))
    ProgramEventFactory(title="Unrelated")
    _, rows = run(EventFilterSet, "vendor=microsoft", ProgramEvent.objects.all())
    assert set(rows) == {own, via_program}


def test_partner_country_repeatable():
    fr, de = PartnerFactory(country="France"), PartnerFactory(country="Germany")
    PartnerFactory(country="Spain")
    assert set(run(PartnerFilterSet, "country=France&country=Germany", Partner.objects.all())[1]) == {fr, de}
