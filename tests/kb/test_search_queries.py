"""What an analyst types, and the record it must find, in the shipped
knowledge (drawn from the three articles in shared/seeds/): inflections,
ligatures and apostrophes, typos, the other language, names with their
quotes. Runs as is on SQLite and on PostgreSQL."""

import pytest

from kb.search import search

pytestmark = pytest.mark.django_db

# (query, kind of record, words of the result (its title or text))
QUERIES = [
    # inflections (French and English)
    ("qualifications", "tiers", "Builder"),
    ("qualification", "tiers", "Services reseller"),
    ("builders", "tiers", "Builder"),
    ("discounted hardware", "benefits", "Hardware discounts"),
    ("compétence", "tiers", "Builder"),
    ("financements", "benefits", "Financing for cloud infrastructure"),
    ("rémunérations", "benefits", "New compensation"),
    ("partenaires", "programs", "Cloud Partner Program"),
    ("niveaux", "tiers", "Master"),
    ("lancé", "events", "Worldwide launch of the Cloud Partner Program"),
    ("annoncé", "events", "Microsoft announces a cloud-focused partner program"),
    ("competes", "relations", "Cisco competes with HP"),
    # accents, capitals, apostrophes and elisions
    ("SAN JOSE", "vendors", "Cisco"),
    ("l’accès à ce marché", "quotes", "Nous sommes un acteur important du cloud"),
    ("d'infrastructure", "benefits", "Financing for cloud infrastructure"),
    ("l'éditeur", "vendors", "Microsoft"),
    ("channelweb", "vendors", "Channelweb.com"),
    # ligatures, and the articles' own words (passages) finding what they support
    ("à l’œuvre", "events", "Microsoft hires 300 to 500 more salespeople"),
    ("ŒUVRE", "passages", "à l’oeuvre sur ce marché"),
    ("dragée haute", "relations", "Microsoft competes with Google"),
    ("Georges Bush", "passages", "Georges Bush"),
    ("services managés", "passages", "services managés"),
    ("rentrée", "programs", "Managed Services Channel Program"),
    # typos
    ("Mircosoft", "vendors", "Microsoft"),
    ("Menzionne", "people", "Vince Menzione"),
    ("Cicso", "vendors", "Cisco"),
    ("Frontlien", "programs", "Frontline"),
    ("Chambres", "people", "John Chambers"),
    ("Washingon", "events", "Microsoft Worldwide Partner Conference"),
    ("Dutriau", "people", "Bruno Dutriaux"),
    # the other language (glossary, both ways)
    ("services managés", "programs", "Managed Services Channel Program"),
    ("managed services", "programs", "Managed Services Channel Program"),
    ("embauche", "events", "Microsoft hires 300 to 500 more salespeople"),
    ("hiring", "events", "Microsoft hires 300 to 500 more salespeople"),
    ("commerciaux", "events", "Microsoft hires 300 to 500 more salespeople"),
    ("marque blanche", "tiers", "Services reseller"),
    ("white label", "tiers", "Services reseller"),
    ("partenaires cloud", "programs", "Cloud Partner Program"),
    ("remises sur le matériel", "benefits", "Hardware discounts"),
    ("conférence", "events", "Microsoft Worldwide Partner Conference"),
    ("année fiscale", "events", "Microsoft's fiscal year 2010-2011 begins"),
    ("fiscal year", "events", "Microsoft's fiscal year 2010-2011 begins"),
    ("juillet 2010", "events", "Microsoft Worldwide Partner Conference"),
    ("July 2010", "events", "Microsoft Worldwide Partner Conference"),
    ("communications unifiées", "programs", "Frontline"),
    ("trimestre fiscal", "programs", "Cloud Partner Program"),
    ("distributeurs", "benefits", "Collaborative services for distributors"),
    ("campagnes marketing communes", "benefits", "Financing for joint marketing campaigns"),
    ("revendeurs américains", "events", "Microsoft announces a cloud-focused partner program"),
    ("directeur général", "people", "Vince Menzione"),
    ("patron", "people", "John Chambers"),
    ("concurrence", "relations", "Microsoft competes with Google"),
    # names, their quotes, and words across a record and what it links to
    ("Chambers", "quotes", "We compete with HP"),
    ("Chambers", "people", "John Chambers"),
    ("Proctor Frontline", "quotes", "de mettre le réseau hors du coup"),
    ("cpp builder", "tiers", "Builder"),
    ("MSCP Master", "tiers", "Master"),
    ("Menzione Google", "quotes", "Google est pour vous"),
    ("Lewis HP", "quotes", "Depuis plus de 30 ans"),
    ("Dutriaux cloud", "quotes", "Nous sommes un acteur important du cloud"),
    ("We compete with HP", "quotes", "We compete with HP"),
    ("Georges Bush", "people", "John Chambers"),
    ("datacenter virtualisation", "people", "Bruno Dutriaux"),
    ("Boston", "events", "Cisco Partner Summit"),
    ("Serena", "vendors", "Serena Software"),
    ("hp microsoft alliance", "relations", "HP alliance with Microsoft"),
]


def test_the_table_is_big_enough():
    assert len(QUERIES) >= 40
    assert len({q for q, _k, _r in QUERIES}) >= 40


@pytest.fixture
def knowledge(shipped_knowledge, db):
    """The shipped knowledge, loaded once for the session (tests/conftest.py)."""


def test_every_query_finds_its_record(knowledge):
    misses = []
    for query, kind, record in QUERIES:
        results = search(query)
        found = {g.kind.key: [f"{r['title']} {r['text']}" for r in g.rows] for g in results.groups}
        if not any(record in row for row in found.get(kind, [])):
            misses.append(f"{query!r} should find {kind} {record!r}; found {found.get(kind)}")
    assert not misses, "\n".join(misses)
