"""Fill a database with deterministic, realistic *synthetic* data for
benchmarks and demos.

Synthetic records are marked: every slug starts with ``demo-`` and every
fact-bearing record cites one of the synthetic sources, whose outlet is
``SYNTHETIC_OUTLET``. They are never written to a database by accident: the
command needs ``--database-url URL`` (a separate database, migrated first) or
``--yes`` to write to the configured one. ``--replace`` removes earlier
synthetic records first; shipped knowledge and staff records are never
touched.

    python manage.py generate_demo_data --database-url sqlite:////tmp/demo.sqlite3 \\
        --programs 10000 --partners 20000 --memberships 100000
"""

import datetime as dt
import os
import random
import subprocess
import sys
from itertools import islice

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from kb.caching import bulk_changed
from kb.search_index import rebuild as rebuild_search_index
from partners.models import Membership, Partner, PartnerKind
from programs.models import (
    Benefit,
    BenefitKind,
    EventKind,
    FocusArea,
    Program,
    ProgramEvent,
    ProgramStatus,
    RouteToMarket,
    Tier,
    TierKind,
)
from sources.models import Quote, Source
from vendors.models import Person, RelationKind, Vendor, VendorRelation

PREFIX = "demo-"
SYNTHETIC_OUTLET = "Synthetic data (generate_demo_data)"

WORDS = (
    "Alpha Apex Arc Atlas Beacon Blue Bright Cedar Cobalt Core Crest Delta Echo Ember Falcon Fusion Granite "
    "Harbor Helix Horizon Iris Jade Kestrel Lumen Maple Meridian Nimbus Nova Oak Onyx Orbit Peak Pine Prism "
    "Quartz Radiant River Sable Sierra Signal Silver Solstice Spark Summit Terra Titan Umber Vector Vertex "
    "Willow Zenith"
).split()
SUFFIXES = ["Systems", "Networks", "Software", "Technologies", "Cloud", "Data", "Labs", "Solutions", "Computing"]
PARTNER_SUFFIXES = ["IT", "Consulting", "Services", "Integration", "Distribution", "Group", "Digital", "Infra"]
COUNTRIES = ["France", "Germany", "United States", "United Kingdom", "Spain", "Italy", "Belgium", "Canada", "Japan"]
FOCUS = [
    "Security",
    "Data center",
    "Networking",
    "Collaboration tools",
    "Internet of things",
    "Analytics",
    "Storage",
    "Mobility",
    "Virtualisation",
    "Edge computing",
    "Artificial intelligence",
    "DevOps",
]
PROGRAM_KINDS = ["Partner Program", "Cloud Program", "Managed Services Program", "Alliance", "Channel Program"]
LEVEL_NAMES = ["Registered", "Silver", "Gold", "Platinum", "Master"]
DESIGNATION_NAMES = ["Builder", "Provider", "Reseller", "Integrator", "Specialist"]
FIRST = "Anne Bruno Claire David Emma Farid Grace Hugo Ines Jean Karim Laura Marc Nadia Olivier Paul Rita Sam".split()
LAST = "Martin Bernard Dubois Thomas Robert Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel Garcia".split()


def batched(iterable, size):
    it = iter(iterable)
    while chunk := list(islice(it, size)):
        yield chunk


class Command(BaseCommand):
    help = "Generate deterministic synthetic data (slugs 'demo-...') for benchmarks. See the module docstring."

    def add_arguments(self, parser):
        parser.add_argument("--programs", type=int, default=1000)
        parser.add_argument("--partners", type=int, default=2000)
        parser.add_argument("--memberships", type=int, default=10000)
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (same seed, same data).")
        parser.add_argument("--database-url", help="Write to this database (migrated first) instead of the default.")
        parser.add_argument("--yes", action="store_true", help="Allow writing to the configured database.")
        parser.add_argument("--replace", action="store_true", help="Delete earlier synthetic records first.")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, **opts):
        for name in ("programs", "partners", "memberships"):
            if opts[name] < 0:
                raise CommandError(f"--{name} must be 0 or more.")
        if opts["memberships"] and not (opts["programs"] and opts["partners"]):
            raise CommandError("Memberships need at least one program and one partner.")
        if opts["database_url"]:
            return self.run_elsewhere(opts)
        if not opts["yes"]:
            db = settings.DATABASES["default"]
            raise CommandError(
                f"Refusing to write synthetic data to the configured database ({db['ENGINE']} {db['NAME']}). "
                "Pass --database-url URL for a separate database, or --yes to write here anyway."
            )
        existing = (
            Program.objects.filter(slug__startswith=PREFIX).exists()
            or Partner.objects.filter(slug__startswith=PREFIX).exists()
        )
        if existing and not opts["replace"]:
            raise CommandError("This database already holds synthetic records; pass --replace to regenerate them.")
        with transaction.atomic():
            if existing:
                self.delete_synthetic()
            counts = Generator(opts, self.progress(opts)).run()
            bulk_changed()  # bulk_create sends no signals: cached pages, fragments and derived counts
            rebuild_search_index()  # nor does the search index follow
        for label, n in counts.items():
            self.stdout.write(f"{label}: {n}")
        self.stdout.write(self.style.SUCCESS("Synthetic data generated."))

    def progress(self, opts):
        disable = opts["no_progress"]

        def bar(total, desc):
            return tqdm(total=total, desc=desc, unit="rows", disable=disable, file=sys.stderr, leave=False)

        return bar

    def run_elsewhere(self, opts):
        """Migrate the other database and run this command there, in a child
        process whose settings point at it."""
        env = {**os.environ, "DATABASE_URL": opts["database_url"]}
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
        args = [*manage, "generate_demo_data", "--yes", "--seed", str(opts["seed"])]
        for name in ("programs", "partners", "memberships", "batch_size"):
            args += [f"--{name.replace('_', '-')}", str(opts[name])]
        args += ["--replace"] if opts["replace"] else []
        args += ["--no-progress"] if opts["no_progress"] else []
        result = subprocess.run(args, env=env)
        if result.returncode:
            raise CommandError("Generating the synthetic data failed (see above).")

    def delete_synthetic(self):
        """Remove synthetic rows, children first (PROTECT forbids the reverse)."""
        demo = {"slug__startswith": PREFIX}
        Membership.objects.filter(partner__slug__startswith=PREFIX)._raw_delete("default")
        Quote.objects.filter(source__slug__startswith=PREFIX).delete()
        ProgramEvent.objects.filter(**demo).delete()
        Benefit.objects.filter(program__slug__startswith=PREFIX).delete()
        Tier.objects.filter(program__slug__startswith=PREFIX).delete()
        VendorRelation.objects.filter(vendor__slug__startswith=PREFIX).delete()
        for model in (Program, Partner, Person, Vendor, FocusArea, Source):
            model.objects.filter(**demo).delete()


class Generator:
    """Builds the rows in memory, deterministically, and bulk-inserts them."""

    def __init__(self, opts, bar):
        self.rnd = random.Random(opts["seed"])
        self.n_programs = opts["programs"]
        self.n_partners = opts["partners"]
        self.n_memberships = opts["memberships"]
        self.batch = opts["batch_size"]
        self.bar = bar
        self.counts = {}

    def insert(self, model, objs, label=None):
        objs = list(objs)
        label = label or str(model._meta.verbose_name_plural)
        with self.bar(len(objs), label) as progress:
            for chunk in batched(objs, self.batch):
                model.objects.bulk_create(chunk, batch_size=self.batch)
                progress.update(len(chunk))
        self.counts[label] = self.counts.get(label, 0) + len(objs)
        return objs

    def link(self, through, rows, label):
        with self.bar(len(rows), label) as progress:
            for chunk in batched(rows, self.batch):
                through.objects.bulk_create(chunk, batch_size=self.batch)
                progress.update(len(chunk))

    def date(self, start_year=2005, end_year=2026):
        start = dt.date(start_year, 1, 1).toordinal()
        return dt.date.fromordinal(self.rnd.randint(start, dt.date(end_year, 12, 31).toordinal()))

    def run(self):
        rnd = self.rnd
        n_sources = max(3, self.n_programs // 10)
        n_vendors = max(3, self.n_programs // 20)

        sources = self.insert(
            Source,
            (
                Source(
                    title=f"Demo article {i}: {rnd.choice(WORDS)} {rnd.choice(PROGRAM_KINDS).lower()} news",
                    slug=f"{PREFIX}source-{i}",
                    outlet=SYNTHETIC_OUTLET,
                    language=rnd.choice(["fr", "en"]),
                    published_on=self.date(),
                    summary="Synthetic source generated for benchmarks; not a real article.",
                )
                for i in range(n_sources)
            ),
        )
        focus = self.insert(
            FocusArea, (FocusArea(name=f"{name} (demo)", slug=f"{PREFIX}{i}") for i, name in enumerate(FOCUS))
        )
        vendors = self.insert(
            Vendor,
            (
                Vendor(
                    name=f"{rnd.choice(WORDS)} {rnd.choice(SUFFIXES)} {i}",
                    slug=f"{PREFIX}vendor-{i}",
                    summary="Synthetic vendor.",
                    headquarters=rnd.choice(COUNTRIES),
                    fiscal_year_start_month=rnd.choice([None, 1, 7, 8, 10]),
                )
                for i in range(n_vendors)
            ),
        )
        self.cite(Vendor, vendors, sources)
        people = self.insert(
            Person,
            (
                Person(
                    name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)} {i}",
                    slug=f"{PREFIX}person-{i}",
                    title=rnd.choice(["Channel chief", "Partner marketing lead", "Cloud expert", "General manager"]),
                    employer=vendors[i % len(vendors)],
                )
                for i in range(len(vendors) * 2)
            ),
        )
        pairs = {(rnd.randrange(len(vendors)), rnd.randrange(len(vendors))) for _ in range(len(vendors))}
        self.insert(
            VendorRelation,
            (
                VendorRelation(
                    vendor=vendors[a],
                    other_vendor=vendors[b],
                    kind=rnd.choice(RelationKind.values),
                    summary="Synthetic relation.",
                )
                for a, b in sorted(pairs)
                if a != b
            ),
        )
        programs = self.insert(
            Program,
            (
                Program(
                    name=f"{rnd.choice(WORDS)} {rnd.choice(PROGRAM_KINDS)} {i}",
                    acronym=f"D{i}",
                    slug=f"{PREFIX}program-{i}",
                    status=rnd.choice(ProgramStatus.values),
                    route_to_market=rnd.choice(RouteToMarket.values),
                    scope=rnd.choice(["Worldwide", *COUNTRIES]),
                    summary=f"Synthetic program {i} for partners in {rnd.choice(FOCUS).lower()}.",
                    description="Synthetic description. " * 5,
                    announced_on=self.date(),
                    announced_precision="day",
                    levels_announced=3,
                )
                for i in range(self.n_programs)
            ),
        )
        self.link(
            Program.vendors.through,
            [
                Program.vendors.through(program_id=p.pk, vendor_id=vendors[rnd.randrange(len(vendors))].pk)
                for p in programs
            ],
            "program vendors",
        )
        self.link(
            Program.focus_areas.through,
            [
                Program.focus_areas.through(program_id=p.pk, focusarea_id=f.pk)
                for p in programs
                for f in rnd.sample(focus, 2)
            ],
            "program focus areas",
        )
        self.cite(Program, programs, sources)

        tiers = []
        for p in programs:
            designations = rnd.random() < 0.3
            names = DESIGNATION_NAMES if designations else LEVEL_NAMES
            for rank, name in enumerate(names[:3], start=1):
                tiers.append(
                    Tier(
                        program=p,
                        name=name,
                        slug=name.lower(),
                        kind=TierKind.DESIGNATION if designations else TierKind.LEVEL,
                        rank=rank,
                        summary=f"{name} tier of {p.name}.",
                        requirements="Synthetic requirements: certifications and revenue thresholds.",
                    )
                )
        tiers = self.insert(Tier, tiers)
        self.cite(Tier, tiers, sources)
        tiers_by_program = {}
        for t in tiers:
            tiers_by_program.setdefault(t.program_id, []).append(t)

        self.insert(
            Benefit,
            (
                Benefit(
                    program=p,
                    kind=rnd.choice(BenefitKind.values),
                    title=f"Synthetic benefit {j + 1}",
                    description="Synthetic benefit description.",
                )
                for p in programs
                for j in range(2)
            ),
        )
        events = self.insert(
            ProgramEvent,
            (
                ProgramEvent(
                    title=f"{p.name}: {kind}",
                    slug=f"{PREFIX}event-{i}-{j}",
                    kind=kind,
                    program=p,
                    vendor=vendors[rnd.randrange(len(vendors))],
                    start_date=self.date(),
                    precision="day",
                    place=rnd.choice(["", "Paris", "Boston", "Berlin", "Las Vegas"]),
                )
                for i, p in enumerate(programs)
                for j, kind in enumerate([EventKind.ANNOUNCEMENT, EventKind.LAUNCH])
            ),
        )
        self.cite(ProgramEvent, events, sources)
        self.insert(
            Quote,
            (
                Quote(
                    person=people[i % len(people)],
                    text=f"Synthetic quote {i}: nos partenaires sont au cœur de notre stratégie.",
                    source=sources[i % len(sources)],
                    vendor=people[i % len(people)].employer,
                )
                for i in range(len(people))
            ),
        )

        partners = self.insert(
            Partner,
            (
                Partner(
                    name=f"{rnd.choice(WORDS)} {rnd.choice(PARTNER_SUFFIXES)} {i}",
                    slug=f"{PREFIX}partner-{i}",
                    country=rnd.choice(COUNTRIES),
                    kind=rnd.choice(PartnerKind.values),
                    description="Synthetic partner.",
                )
                for i in range(self.n_partners)
            ),
        )
        self.cite(Partner, partners, sources)
        self.insert(Membership, self.memberships(partners, programs, tiers_by_program))
        return self.counts

    def memberships(self, partners, programs, tiers_by_program):
        """``n_memberships`` rows; a partner is in each program at most once,
        so the one-level-per-program rule holds."""
        rnd = self.rnd
        per_partner, extra = divmod(self.n_memberships, len(partners))
        per_partner_max = len(programs)
        if per_partner + (1 if extra else 0) > per_partner_max:
            raise CommandError("Too many memberships for the number of programs and partners.")
        for index, partner in enumerate(partners):
            count = per_partner + (1 if index < extra else 0)
            for program in rnd.sample(programs, count):
                tier = rnd.choice(tiers_by_program[program.pk])
                yield Membership(
                    partner=partner,
                    tier=tier,
                    program=program,
                    tier_kind=tier.kind,
                    since=self.date(2008, 2025),
                )

    def cite(self, model, objs, sources):
        through = model.sources.through
        fk = model._meta.model_name + "_id"
        rows = [through(**{fk: obj.pk, "source_id": sources[i % len(sources)].pk}) for i, obj in enumerate(objs)]
        self.link(through, rows, f"{model._meta.verbose_name} sources")
