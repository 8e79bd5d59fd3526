"""A database made before the current code migrates without loss: the
schema of the last release (the leaf migrations below) is built, filled with
one record of every kind through the migration's historical models, then
migrated to the current leaves; every row and link is still there. Every
``migrate`` gives the Editors group its rights."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from partners.models import Membership
from programs.models import Program, ProgramEvent
from sources.models import Quote, Source
from vendors.models import Vendor

# The leaf migration of each app in the last release: keep these as they are
# when adding migrations, so a release's database is what gets migrated.
RELEASED = [
    ("kb", "0004_merge_perf_pages"),
    ("sources", "0005_perf_indexes"),
    ("vendors", "0004_perf_indexes"),
    ("programs", "0004_perf_indexes"),
    ("partners", "0005_perf_indexes"),
]

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fill(apps):
    """One record of each kind, linked as the real ones are."""
    Source = apps.get_model("sources", "Source")
    Quote = apps.get_model("sources", "Quote")
    Vendor = apps.get_model("vendors", "Vendor")
    Person = apps.get_model("vendors", "Person")
    VendorRelation = apps.get_model("vendors", "VendorRelation")
    FocusArea = apps.get_model("programs", "FocusArea")
    Program = apps.get_model("programs", "Program")
    Tier = apps.get_model("programs", "Tier")
    Benefit = apps.get_model("programs", "Benefit")
    ProgramEvent = apps.get_model("programs", "ProgramEvent")
    Partner = apps.get_model("partners", "Partner")
    Membership = apps.get_model("partners", "Membership")

    source = Source.objects.create(title="Un article", slug="un-article", language="fr")
    cisco = Vendor.objects.create(name="Cisco", slug="cisco")
    hp = Vendor.objects.create(name="HP", slug="hp")
    cisco.sources.add(source)
    person = Person.objects.create(name="Bruno Dutriaux", slug="bruno-dutriaux", employer=cisco)
    VendorRelation.objects.create(vendor=cisco, other_vendor=hp, kind="competition")
    cloud = FocusArea.objects.create(name="Cloud", slug="cloud")
    program = Program.objects.create(name="Cloud Partner Program", acronym="CPP", slug="cpp", status="announced")
    program.vendors.add(cisco)
    program.focus_areas.add(cloud)
    program.sources.add(source)
    tier = Tier.objects.create(program=program, name="Builder", slug="builder", kind="designation")
    Benefit.objects.create(program=program, tier=tier, title="Marketing funds")
    ProgramEvent.objects.create(
        title="Launch", slug="cpp-launch", kind="launch", program=program, start_date=dt.date(2011, 4, 1)
    )
    partner = Partner.objects.create(name="Acme", slug="acme", country="France")
    Membership.objects.create(partner=partner, tier=tier, program=program, tier_kind="designation")
    Quote.objects.create(person=person, source=source, program=program, text="Le cloud, c'est maintenant.")


def test_a_released_database_migrates_without_loss():
    executor = MigrationExecutor(connection)
    executor.migrate(RELEASED)
    fill(executor.loader.project_state(RELEASED).apps)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    program = Program.objects.get(slug="cpp")
    assert [v.slug for v in program.vendors.all()] == ["cisco"]
    assert [f.slug for f in program.focus_areas.all()] == ["cloud"]
    assert [s.slug for s in program.sources.all()] == ["un-article"]
    assert [(t.slug, [b.title for b in t.benefits.all()]) for t in program.tiers.all()] == [
        ("builder", ["Marketing funds"])
    ]
    assert ProgramEvent.objects.get(slug="cpp-launch").start_date == dt.date(2011, 4, 1)
    assert Vendor.objects.get(slug="cisco").relations.get().other_vendor.slug == "hp"
    membership = Membership.objects.get()
    assert (membership.partner.slug, membership.tier.slug, membership.program.slug) == ("acme", "builder", "cpp")
    quote = Quote.objects.get()
    assert (quote.person.employer.slug, quote.source.slug) == ("cisco", "un-article")
    assert Source.objects.get().vendors.get().slug == "cisco"
    # Published records are still published, and show on their pages.
    assert Program.objects.published().count() == 1


def test_every_migrate_gives_the_editors_their_rights():
    """A model added later gets its Editors' rights at the next migrate."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    editors = Group.objects.get(name="Editors")
    editors.permissions.clear()
    call_command("migrate", verbosity=0)
    rights = set(editors.permissions.values_list("content_type__app_label", "codename"))
    assert ("programs", "add_program") in rights and ("partners", "view_membership") in rights
    assert not any(codename.startswith("delete_") for _app, codename in rights)
