"""A few passages on the shipped knowledge, made by the tests themselves so
the evidence pages are tested whatever passages the shipped data carries."""

from programs.models import Program, ProgramEvent, Tier
from sources.models import Passage, Quote, Source
from vendors.models import Person, Vendor, VendorRelation


def passage(source, exact, target, field="", **kwargs):
    p = Passage(source=Source.objects.get(slug=source), exact=exact, target=target, field=field, **kwargs)
    p.save()
    return p


def add_sample_passages():
    """Returns the passages by name."""
    cpp = Program.objects.get(slug="cpp")
    frontline = Program.objects.get(slug="frontline")
    cisco = Vendor.objects.get(slug="cisco")
    made = {
        "cpp_route": passage("art-002", "le tout indirect", cpp, "route_to_market"),
        "cpp_launch": passage("art-002", "aux mois de mai-juin-juillet", cpp, "launch_window"),
        "cpp_record": passage("art-002", "c'est la raison d'être du Cloud partner program", cpp),
        "builder": passage(
            "art-002",
            "« Builder » correspond aux partenaires qui sont aptes à créer une infrastructure de cloud",
            Tier.objects.get(program=cpp, slug="builder"),
            "requirements",
        ),
        "frontline_direct": passage(
            "art-000",
            "la plupart des produits qui sortiront de cet accord seront en effet commercialisés en direct",
            frontline,
            "route_to_market",
            stance="supports",
            claimed_by_person=Person.objects.get(slug="don-proctor"),
        ),
        "frontline_partners": passage(
            "art-000",
            "le réseau des partenaires de HP a été un outil stratégique pour la mise sur le marché",
            frontline,
            "route_to_market",
            stance="disputes",
            claimed_by_person=Person.objects.get(slug="mark-lewis"),
        ),
        "cisco_record": passage("art-000", "Le Cisco Partner Summit qui se déroule en ce moment à Boston", cisco),
        "event": passage(
            "art-002",
            "aux mois de mai-juin-juillet, qui correspondant au 4ème trimestre fiscal Cisco",
            ProgramEvent.objects.get(slug="cpp-launch"),
            "date_text",
        ),
        "quote": passage("art-000", "« We compete with HP »", Quote.objects.get(text="We compete with HP")),
        "relation": passage(
            "art-000",
            "John Chambers a affirmé au cours d’une conférence de presse « We compete with HP »",
            VendorRelation.objects.get(vendor=cisco, kind="competition", other_vendor__slug="hp"),
        ),
    }
    return made
