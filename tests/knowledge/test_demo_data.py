"""generate_demo_data: refuses the configured database unless asked, is
deterministic, keeps the model's rules, and never touches real knowledge."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from knowledge.loader import load_knowledge
from partners.models import Membership, Partner
from programs.models import Program
from sources.models import Source

pytestmark = pytest.mark.django_db

SMALL = {"programs": 20, "partners": 30, "memberships": 100, "no_progress": True, "stdout": StringIO()}


def test_refuses_the_configured_database_without_yes():
    with pytest.raises(CommandError, match="Refusing to write synthetic data"):
        call_command("generate_demo_data", **SMALL)
    assert not Program.objects.exists()


def test_generates_the_requested_sizes_marked_as_synthetic():
    call_command("generate_demo_data", yes=True, **SMALL)
    assert Program.objects.count() == 20
    assert Partner.objects.count() == 30
    assert Membership.objects.count() == 100
    assert not Program.objects.exclude(slug__startswith="demo-").exists()
    assert set(Source.objects.values_list("outlet", flat=True)) == {"Synthetic data (generate_demo_data)"}
    assert not Program.objects.filter(sources__isnull=True).exists()


def test_memberships_respect_one_level_per_program():
    call_command("generate_demo_data", yes=True, **SMALL)
    clashes = (
        Membership.objects.filter(tier_kind="level", until__isnull=True)
        .values("partner", "program")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not clashes.exists()
    assert all(m.program_id == m.tier.program_id for m in Membership.objects.select_related("tier"))


def test_same_seed_same_data():
    call_command("generate_demo_data", yes=True, seed=7, **SMALL)
    first = list(Program.objects.order_by("slug").values_list("name", "status"))
    call_command("generate_demo_data", yes=True, seed=7, replace=True, **SMALL)
    assert list(Program.objects.order_by("slug").values_list("name", "status")) == first


def test_needs_replace_to_run_twice_and_keeps_real_knowledge():
    load_knowledge()
    real = set(Program.objects.values_list("slug", flat=True))
    call_command("generate_demo_data", yes=True, **SMALL)
    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_demo_data", yes=True, **SMALL)
    call_command("generate_demo_data", yes=True, replace=True, **SMALL)
    assert Program.objects.filter(slug__in=real).count() == len(real)
    assert Program.objects.count() == len(real) + 20


def test_bad_sizes_are_refused():
    with pytest.raises(CommandError, match="must be 0 or more"):
        call_command("generate_demo_data", yes=True, programs=-1, stdout=StringIO())
    with pytest.raises(CommandError, match="Too many memberships"):
        call_command("generate_demo_data", yes=True, programs=2, partners=1, memberships=5, stdout=StringIO())


def test_database_url_writes_to_a_separate_database(tmp_path):
    import sqlite3

    target = tmp_path / "demo.sqlite3"
    call_command(
        "generate_demo_data",
        database_url=f"sqlite:///{target}",
        programs=5,
        partners=5,
        memberships=10,
        no_progress=True,
        stdout=StringIO(),
    )
    assert not Program.objects.exists()  # the configured database is untouched
    with sqlite3.connect(target) as conn:
        assert conn.execute("select count(*) from programs_program").fetchone() == (5,)
        assert conn.execute("select count(*) from partners_membership").fetchone() == (10,)
