"""The partner list's program facet, unfiltered, reads counts maintained on
save (ProgramPartnerCount): after every kind of change they equal a count
across the memberships."""

import pytest
from django.db.models import Count

from kb.caching import bulk_changed
from partners.models import Membership, Partner, ProgramPartnerCount
from partners.views import program_partner_counts
from programs.models import TierKind

from ..factories import MembershipFactory, PartnerFactory, ProgramFactory, TierFactory

pytestmark = pytest.mark.django_db


def computed():
    rows = (
        Membership.objects.filter(partner__is_published=True, program__is_published=True)
        .values("program__slug")
        .annotate(n=Count("partner_id", distinct=True))
    )
    return {r["program__slug"]: r["n"] for r in rows}


def maintained():
    return {r["memberships__program__slug"]: r["n"] for r in program_partner_counts()}


def test_counts_follow_every_change():
    p1, p2 = ProgramFactory(slug="p1"), ProgramFactory(slug="p2")
    level, designation = TierFactory(program=p1, rank=1), TierFactory(program=p1, kind=TierKind.DESIGNATION, rank=2)
    other = TierFactory(program=p2, rank=1)
    a, b = PartnerFactory(), PartnerFactory()
    MembershipFactory(partner=a, tier=level)
    MembershipFactory(partner=a, tier=designation)  # the same partner: counted once
    moved = MembershipFactory(partner=b, tier=level)
    MembershipFactory(partner=b, tier=other)
    assert maintained() == computed() == {"p1": 2, "p2": 1}

    b = Partner.objects.get(pk=b.pk)
    b.is_published = False
    b.save()
    assert maintained() == computed() == {"p1": 1}

    b.is_published = True
    b.save()
    moved = Membership.objects.get(pk=moved.pk)
    moved.tier = TierFactory(program=p2, kind=TierKind.DESIGNATION, rank=5)
    moved.save()  # to another program: both recounted
    assert maintained() == computed() == {"p1": 1, "p2": 1}

    Membership.objects.filter(partner=a).first().delete()
    assert maintained() == computed()

    p2.is_published = False
    p2.save()  # a draft program is no facet value
    assert maintained() == computed() == {"p1": 1}

    Membership.objects.filter(partner=a).delete()
    assert maintained() == computed() == {}


def test_bulk_loads_rebuild_the_counts():
    tier = TierFactory(program=ProgramFactory(slug="bulk"))
    MembershipFactory(partner=PartnerFactory(), tier=tier)
    ProgramPartnerCount.objects.all().delete()  # as after a bulk_create, which sends no signal
    assert maintained() == {}
    bulk_changed()
    assert maintained() == computed() == {"bulk": 1}
