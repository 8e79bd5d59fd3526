"""A small knowledge base with one draft of each kind that has drafts: the
API's tests (tests/kb/test_api.py) and its query counts (tests/perf/) read it."""

import datetime

from programs.models import RouteToMarket, TierKind
from tests.factories import (
    BenefitFactory,
    FocusAreaFactory,
    MembershipFactory,
    PartnerFactory,
    PersonFactory,
    ProgramEventFactory,
    ProgramFactory,
    QuoteFactory,
    SourceFactory,
    TierFactory,
    VendorFactory,
    VendorRelationFactory,
)


def make_api_sample():
    """The records by name (``sample["cpp"]``, ``sample["master"]``...)."""
    d = {}
    art = SourceFactory(title="LMI article", outlet="LMI", language="fr", published_on=datetime.date(2010, 6, 1))
    en = SourceFactory(title="CRN story", outlet="CRN", language="en", published_on=datetime.date(2011, 2, 1))
    hidden_source = SourceFactory(title="Hidden source", is_published=False)
    cisco = VendorFactory(name="Cisco", headquarters="San Jose")
    hp = VendorFactory(name="HP", headquarters="Palo Alto")
    microsoft = VendorFactory(name="Microsoft")
    VendorFactory(name="Outlet")  # runs no program
    draft_vendor = VendorFactory(name="Draft vendor", is_published=False)
    VendorRelationFactory(vendor=cisco, other_vendor=hp, kind="competition")
    VendorRelationFactory(vendor=hp, other_vendor=microsoft, kind="alliance")
    VendorRelationFactory(vendor=draft_vendor, other_vendor=microsoft, kind="alliance")
    cloud = FocusAreaFactory(name="Cloud")
    cpp = ProgramFactory(
        name="Cloud Partner Program",
        acronym="CPP",
        vendors=[cisco, draft_vendor],
        status="active",
        route_to_market=RouteToMarket.INDIRECT,
        announced_on=datetime.date(2010, 5, 1),
    )
    cpp.focus_areas.add(cloud)
    cpp.sources.add(art, hidden_source)
    mscp = ProgramFactory(name="MSCP", vendors=[cisco], status="announced", announced_on=datetime.date(2009, 1, 1))
    frontline = ProgramFactory(
        name="Frontline", vendors=[hp, microsoft], status="launching", announced_on=datetime.date(2008, 11, 1)
    )
    secret = ProgramFactory(name="Secret program", vendors=[cisco], is_published=False)
    builder = TierFactory(program=cpp, name="Builder", kind=TierKind.DESIGNATION, rank=1)
    provider = TierFactory(program=cpp, name="Provider", kind=TierKind.DESIGNATION, rank=2)
    master = TierFactory(program=mscp, name="Master", kind=TierKind.LEVEL, rank=1)
    secret_tier = TierFactory(program=secret, name="Secret tier")
    benefit = BenefitFactory(program=cpp, tier=builder, title="Cloud discount")
    benefit.sources.add(art, hidden_source)
    ProgramEventFactory(title="CPP launch", kind="launch", program=cpp, start_date=datetime.date(2010, 5, 1))
    ProgramEventFactory(
        title="HP conference", kind="conference", program=None, vendor=hp, start_date=datetime.date(2011, 3, 1)
    )
    ProgramEventFactory(title="Draft event", kind="launch", program=cpp, is_published=False)
    ProgramEventFactory(title="Secret launch", kind="launch", program=secret)
    don = PersonFactory(name="Don Proctor", title="SVP", employer=cisco)
    mark = PersonFactory(name="Mark Lewis", employer=hp)
    PersonFactory(name="Draft person", is_published=False, employer=cisco)
    PersonFactory(name="Ghost employee", employer=draft_vendor)
    acme = PartnerFactory(name="Acme", country="France", kind="reseller")
    beta = PartnerFactory(name="Beta", country="Germany", kind="integrator")
    PartnerFactory(name="Draft partner", country="France", is_published=False)
    MembershipFactory(partner=acme, tier=builder, since=datetime.date(2010, 6, 1))
    MembershipFactory(partner=beta, tier=master, since=datetime.date(2009, 1, 1), until=datetime.date(2011, 1, 1))
    MembershipFactory(partner=acme, tier=secret_tier)
    QuoteFactory(person=don, text="CPP is indirect", source=art, program=cpp, vendor=cisco)
    QuoteFactory(person=mark, text="Frontline is big", source=en, program=frontline, vendor=hp)
    QuoteFactory(person=don, text="Secret plans", source=art, program=secret, vendor=cisco)
    QuoteFactory(person=mark, text="Hidden words", source=hidden_source, program=None, vendor=hp)
    d.update(locals())
    return d
