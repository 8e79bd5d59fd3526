"""The knowledge model's rules, each in its allowed and its refused case,
at the model level (full_clean, what admin forms run) and, where the database
can enforce it, at the database level."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from partners.models import Membership
from programs.models import Program, ProgramEvent, Tier, TierKind
from sources.models import Quote
from tests.factories import (
    BenefitFactory,
    MembershipFactory,
    PartnerFactory,
    PersonFactory,
    ProgramEventFactory,
    ProgramFactory,
    QuoteFactory,
    SourceFactory,
    TierFactory,
    VendorFactory,
)
from vendors.models import VendorRelation

pytestmark = pytest.mark.django_db

D = dt.date


def messages(exc):
    return " ".join(m for ms in exc.value.message_dict.values() for m in ms)


# --- dates in order -----------------------------------------------------------


def test_event_dates_in_order_allowed():
    event = ProgramEventFactory.build(
        program=ProgramFactory(), start_date=D(2010, 5, 1), end_date=D(2010, 7, 31), precision="month"
    )
    event.full_clean()
    event.save()
    assert ProgramEvent.objects.filter(pk=event.pk).exists()


def test_event_end_before_start_refused():
    event = ProgramEventFactory.build(program=ProgramFactory(), start_date=D(2010, 7, 1), end_date=D(2010, 5, 1))
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "end date cannot be before the start date" in messages(exc)


def test_event_end_before_start_refused_by_database():
    event = ProgramEventFactory.build(program=ProgramFactory(), start_date=D(2010, 7, 1), end_date=D(2010, 5, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_event_needs_program_or_vendor():
    event = ProgramEventFactory.build(program=None, vendor=None)
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "program, a vendor or both" in str(exc.value)
    event.vendor = VendorFactory()
    event.full_clean()


def test_program_launch_window_in_order():
    program = ProgramFactory(launch_start=D(2010, 5, 1), launch_end=D(2010, 7, 31))
    program.full_clean()
    program.launch_end = D(2010, 4, 1)
    with pytest.raises(ValidationError) as exc:
        program.full_clean()
    assert "launch window cannot end before it starts" in messages(exc)


def test_membership_until_before_since_refused():
    membership = MembershipFactory.build(partner=PartnerFactory(), tier=TierFactory(), since=D(2011, 1, 1))
    membership.until = D(2010, 1, 1)
    with pytest.raises(ValidationError) as exc:
        membership.full_clean()
    assert "'Until' cannot be before 'since'" in messages(exc)
    membership.until = D(2012, 1, 1)
    membership.full_clean()


# --- tier rank ----------------------------------------------------------------


def test_tier_rank_unique_within_program():
    program = ProgramFactory()
    TierFactory(program=program, rank=1)
    other_program_same_rank = TierFactory.build(program=ProgramFactory(), rank=1, name="Gold", slug="gold")
    other_program_same_rank.full_clean()  # another program may use rank 1
    duplicate = TierFactory.build(program=program, rank=1, name="Silver", slug="silver")
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "already has a tier with this rank" in str(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_tier_rank_must_be_positive():
    tier = TierFactory.build(program=ProgramFactory(), rank=0)
    with pytest.raises(ValidationError) as exc:
        tier.full_clean()
    assert "rank must be 1 or more" in str(exc.value)
    tier.rank = 2
    tier.full_clean()


def test_tier_rank_may_be_unknown_for_several_tiers():
    program = ProgramFactory()
    TierFactory(program=program, rank=None)
    second = TierFactory.build(program=program, rank=None, name="B", slug="b")
    second.full_clean()
    second.save()
    assert program.tiers.count() == 2


def test_tier_slug_unique_within_program():
    program = ProgramFactory()
    TierFactory(program=program, slug="master")
    TierFactory.build(program=ProgramFactory(), slug="master").full_clean()
    with pytest.raises(ValidationError):
        TierFactory.build(program=program, slug="master").full_clean()


# --- levels vs designations -----------------------------------------------------


def test_partner_cannot_hold_two_current_levels_of_a_program():
    program = ProgramFactory()
    silver = TierFactory(program=program, kind=TierKind.LEVEL, rank=1)
    gold = TierFactory(program=program, kind=TierKind.LEVEL, rank=2)
    partner = PartnerFactory()
    MembershipFactory(partner=partner, tier=silver)
    second = Membership(partner=partner, tier=gold)
    with pytest.raises(ValidationError) as exc:
        second.full_clean()
    assert "one level of a program at a time" in str(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()  # the database refuses it too


def test_partner_may_move_up_a_level_over_time():
    program = ProgramFactory()
    silver = TierFactory(program=program, kind=TierKind.LEVEL, rank=1)
    gold = TierFactory(program=program, kind=TierKind.LEVEL, rank=2)
    partner = PartnerFactory()
    MembershipFactory(partner=partner, tier=silver, since=D(2009, 1, 1), until=D(2010, 6, 30))
    moved_up = Membership(partner=partner, tier=gold, since=D(2010, 7, 1))
    moved_up.full_clean()
    moved_up.save()
    assert partner.memberships.count() == 2


def test_overlapping_level_periods_refused():
    program = ProgramFactory()
    silver = TierFactory(program=program, kind=TierKind.LEVEL, rank=1)
    gold = TierFactory(program=program, kind=TierKind.LEVEL, rank=2)
    partner = PartnerFactory()
    MembershipFactory(partner=partner, tier=silver, since=D(2009, 1, 1), until=D(2010, 12, 31))
    overlapping = Membership(partner=partner, tier=gold, since=D(2010, 7, 1), until=D(2011, 6, 30))
    with pytest.raises(ValidationError):
        overlapping.full_clean()


def test_levels_of_different_programs_combine():
    partner = PartnerFactory()
    MembershipFactory(partner=partner, tier=TierFactory(kind=TierKind.LEVEL))
    other = Membership(partner=partner, tier=TierFactory(kind=TierKind.LEVEL))
    other.full_clean()
    other.save()
    assert partner.memberships.count() == 2


def test_designations_combine_freely():
    program = ProgramFactory()
    builder, provider, reseller = (
        TierFactory(program=program, kind=TierKind.DESIGNATION, name=n, slug=n.lower(), rank=i)
        for i, n in enumerate(["Builder", "Provider", "Reseller"], start=1)
    )
    partner = PartnerFactory()
    for tier in (builder, provider, reseller):
        m = Membership(partner=partner, tier=tier)
        m.full_clean()
        m.save()
    assert set(partner.memberships.values_list("tier_kind", flat=True)) == {"designation"}
    assert partner.memberships.count() == 3


def test_membership_copies_program_and_kind_from_tier():
    tier = TierFactory(kind=TierKind.DESIGNATION)
    membership = MembershipFactory(tier=tier)
    assert membership.program == tier.program
    assert membership.tier_kind == "designation"


# --- other rules ------------------------------------------------------------------


def test_vendor_cannot_relate_to_itself():
    cisco = VendorFactory()
    relation = VendorRelation(vendor=cisco, other_vendor=cisco, kind="competition")
    with pytest.raises(ValidationError) as exc:
        relation.full_clean()
    assert "cannot be related to itself" in str(exc.value)
    relation.other_vendor = VendorFactory()
    relation.full_clean()


def test_benefit_tier_must_belong_to_its_program():
    benefit = BenefitFactory.build(program=ProgramFactory(), tier=TierFactory())
    with pytest.raises(ValidationError) as exc:
        benefit.full_clean()
    assert "tier must belong to the benefit's program" in str(exc.value)
    benefit.tier = TierFactory(program=benefit.program)
    benefit.full_clean()


def test_quote_needs_program_or_vendor():
    quote = QuoteFactory.build(person=PersonFactory(), source=SourceFactory(), vendor=None, program=None)
    with pytest.raises(ValidationError):
        quote.full_clean()
    quote.program = ProgramFactory()
    quote.full_clean()


def test_slugs_are_unique():
    VendorFactory(slug="cisco", name="Cisco")
    with pytest.raises(ValidationError) as exc:
        VendorFactory.build(slug="cisco", name="Cisco Systems").full_clean()
    assert "slug" in exc.value.message_dict


# --- PROTECT ----------------------------------------------------------------------


def test_deleting_a_vendor_with_programs_is_refused():
    vendor = VendorFactory()
    event = ProgramEventFactory(program=None, vendor=vendor)
    with pytest.raises(ProtectedError):
        vendor.delete()
    event.delete()
    vendor.delete()  # nothing points at it any more


def test_deleting_a_source_cited_by_a_quote_is_refused():
    quote = QuoteFactory()
    with pytest.raises(ProtectedError):
        quote.source.delete()
    assert Quote.objects.filter(pk=quote.pk).exists()


def test_deleting_a_program_with_tiers_is_refused():
    tier = TierFactory()
    with pytest.raises(ProtectedError):
        tier.program.delete()
    assert Program.objects.filter(pk=tier.program_id).exists()
    assert Tier.objects.filter(pk=tier.pk).exists()


# --- published() ---------------------------------------------------------------------


def test_published_hides_drafts_and_their_children():
    live = ProgramFactory(is_published=True)
    draft = ProgramFactory(is_published=False)
    TierFactory(program=live)
    TierFactory(program=draft)
    assert list(Program.objects.published()) == [live]
    assert [t.program for t in Tier.objects.published()] == [live]


def test_get_absolute_url_of_every_record():
    tier = TierFactory(slug="master", program=ProgramFactory(slug="mscp"))
    assert tier.get_absolute_url() == "/programs/mscp/master/"
    assert tier.program.get_absolute_url() == "/programs/mscp/"
    quote = QuoteFactory()
    assert quote.get_absolute_url() == f"/people/{quote.person.slug}/#quote-{quote.pk}"
    assert quote.source.get_absolute_url() == f"/sources/{quote.source.slug}/"
    assert PartnerFactory(slug="acme").get_absolute_url() == "/partners/acme/"
    assert VendorFactory(slug="hp").get_absolute_url() == "/vendors/hp/"
