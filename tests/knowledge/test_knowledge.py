"""The shipped knowledge (knowledge/data/knowledge.yaml): a broad sample of facts
from each article, provenance on every record, idempotent loading, and
malformed files refused with nothing written."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils.html import escape

from knowledge.loader import default_data_files, load_knowledge
from programs.models import Benefit, Program, ProgramEvent, Tier, TierKind
from sources.models import Quote, Source
from vendors.models import Person, Vendor, VendorRelation

pytestmark = pytest.mark.django_db

ART_000, ART_002, ART_003 = "art-000", "art-002", "art-003"


def cites(obj, *slugs):
    return set(obj.sources.values_list("slug", flat=True)) >= set(slugs)


# --- sources ---------------------------------------------------------------------


def test_one_source_per_article_with_unknown_outlet_and_date(loaded_knowledge):
    sources = {s.seed_file: s for s in Source.objects.all()}
    assert set(sources) == {"000_316c756e54df9e0a.txt", "002_248634c8ad1578ef.txt", "003_f04ca78ac48ca1e3.txt"}
    if _seed_dir().is_dir():  # ../shared sits beside the clone in CI
        assert set(sources) == {p.name for p in _seed_dir().glob("*.txt")}
    for source in sources.values():
        assert source.language == "fr"
        assert source.outlet == ""  # not stated in the files
        assert source.published_on is None


def _seed_dir():
    from django.conf import settings

    return settings.BASE_DIR.parent / "shared" / "seeds"


# --- article 000: Frontline and MSCP ---------------------------------------------


def test_frontline_is_run_by_hp_and_microsoft(loaded_knowledge):
    frontline = Program.objects.get(slug="frontline")
    assert set(frontline.vendors.values_list("slug", flat=True)) == {"hp", "microsoft"}
    assert set(frontline.focus_areas.values_list("slug", flat=True)) >= {"unified-communications"}
    assert frontline.route_to_market == "disputed"  # Cisco says direct, HP denies it
    assert "Don Proctor" in frontline.description
    assert cites(frontline, ART_000)


def test_mscp_has_three_levels_announced_and_only_master_named(loaded_knowledge):
    mscp = Program.objects.get(slug="mscp")
    assert mscp.acronym == "MSCP"
    assert list(mscp.vendors.values_list("slug", flat=True)) == ["cisco"]
    assert mscp.levels_announced == 3
    tiers = list(mscp.tiers.all())
    assert [(t.name, t.kind) for t in tiers] == [("Master", TierKind.LEVEL)]
    assert tiers[0].rank is None  # its place on the ladder is not stated
    assert "dès la rentrée" in mscp.launch_window
    assert mscp.launch_start is None  # year not stated
    discount = Benefit.objects.get(program=mscp)
    assert discount.kind == "discount" and "hardware" in discount.title.lower()
    assert cites(mscp, ART_000) and cites(tiers[0], ART_000) and cites(discount, ART_000)


def test_partner_summit_in_boston_with_unknown_date(loaded_knowledge):
    summit = ProgramEvent.objects.get(slug="cisco-partner-summit-boston")
    assert summit.kind == "conference"
    assert summit.place == "Boston"
    assert summit.vendor.slug == "cisco"
    assert summit.start_date is None and summit.precision == "unknown"
    assert cites(summit, ART_000)


def test_people_of_article_000_and_their_roles(loaded_knowledge):
    chambers = Person.objects.get(slug="john-chambers")
    assert chambers.employer.slug == "cisco"
    assert "George Bush" in chambers.title
    proctor = Person.objects.get(slug="don-proctor")
    assert proctor.employer.slug == "cisco" and "software" in proctor.title
    lewis = Person.objects.get(slug="mark-lewis")
    assert lewis.employer.slug == "hp" and "partner network" in lewis.title


def test_quotes_of_article_000_are_attributed(loaded_knowledge):
    we_compete = Quote.objects.get(text="We compete with HP")
    assert we_compete.person.slug == "john-chambers"
    assert we_compete.language == "en"
    assert we_compete.source.slug == ART_000
    assert "press conference" in we_compete.context
    lewis = Quote.objects.get(person__slug="mark-lewis")
    assert lewis.text.startswith("Depuis plus de 30 ans")
    assert lewis.program.slug == "frontline" and lewis.context == "Declared to Channelweb.com"
    proctor = Quote.objects.get(person__slug="don-proctor")
    assert proctor.text == "de mettre le réseau hors du coup"
    assert proctor.program.slug == "frontline"


def test_relations_of_article_000(loaded_knowledge):
    assert VendorRelation.objects.filter(vendor__slug="hp", other_vendor__slug="microsoft", kind="alliance").exists()
    rivalry = VendorRelation.objects.get(vendor__slug="cisco", other_vendor__slug="hp")
    assert rivalry.kind == "competition" and cites(rivalry, ART_000)


# --- article 002: CPP --------------------------------------------------------------


def test_cpp_has_three_combinable_designations(loaded_knowledge):
    cpp = Program.objects.get(slug="cpp")
    assert cpp.route_to_market == "indirect"
    assert cpp.scope == "Worldwide"
    tiers = list(cpp.tiers.order_by("rank"))
    assert [t.name for t in tiers] == ["Builder", "Provider", "Services reseller"]
    assert {t.kind for t in tiers} == {TierKind.DESIGNATION}
    assert cpp.tiers.filter(kind=TierKind.LEVEL).count() == 0
    builder, provider, reseller = tiers
    assert "infrastructure, applications management and professional cloud services" in builder.requirements
    assert "at least one Cisco technology" in provider.requirements
    assert "white label" in reseller.summary
    assert all(cites(t, ART_002) for t in tiers)


def test_cpp_launch_window_is_cisco_fiscal_q4(loaded_knowledge):
    cpp = Program.objects.get(slug="cpp")
    assert "May, June and July" in cpp.launch_window
    assert "fiscal fourth quarter" in cpp.launch_window
    assert cpp.launch_start is None  # the article gives no year
    launch = ProgramEvent.objects.get(slug="cpp-launch")
    assert launch.kind == "launch" and launch.start_date is None
    assert "fiscal fourth quarter" in launch.date_text
    assert Vendor.objects.get(slug="cisco").fiscal_year_start_month == 8
    rollout = ProgramEvent.objects.get(slug="cpp-rollout")
    assert "18 to 24 months" in rollout.date_text


def test_cpp_benefits(loaded_knowledge):
    kinds = dict(Benefit.objects.filter(program__slug="cpp").values_list("title", "kind"))
    assert kinds == {
        "Financing for cloud infrastructure": "financing",
        "Financing for joint marketing campaigns": "co-marketing",
        "Collaborative services for distributors": "services",
    }


def test_bruno_dutriaux_quotes_about_cpp(loaded_knowledge):
    quotes = Quote.objects.filter(person__slug="bruno-dutriaux")
    assert quotes.count() == 2
    assert {q.program.slug for q in quotes} == {"cpp"}
    assert {q.source.slug for q in quotes} == {ART_002}
    assert Person.objects.get(slug="bruno-dutriaux").title.startswith("Datacenter and virtualisation expert")


# --- article 003: Microsoft -----------------------------------------------------------


def test_worldwide_partner_conference_dates_and_place(loaded_knowledge):
    wpc = ProgramEvent.objects.get(slug="microsoft-wpc-washington")
    assert wpc.place == "Washington"
    assert (wpc.start_date, wpc.end_date) == (dt.date(2010, 7, 11), dt.date(2010, 7, 15))
    assert wpc.precision == "day"
    assert "derived" in wpc.description  # the year is inferred, and says so
    assert cites(wpc, ART_003)


def test_microsoft_fiscal_year_and_hiring(loaded_knowledge):
    fy = ProgramEvent.objects.get(slug="microsoft-fy-2010-2011")
    assert fy.start_date == dt.date(2010, 7, 1) and fy.kind == "fiscal-year"
    assert Vendor.objects.get(slug="microsoft").fiscal_year_start_month == 7
    hiring = ProgramEvent.objects.get(kind="hiring")
    assert "300 to 500" in hiring.title and hiring.vendor.slug == "microsoft"


def test_microsoft_cloud_program(loaded_knowledge):
    program = Program.objects.get(slug="microsoft-cloud-partner-program")
    assert "not stated" in program.name  # the article gives no name
    assert list(program.focus_areas.values_list("slug", flat=True)) == ["cloud-computing"]
    assert (program.launch_start, program.launch_end) == (dt.date(2010, 7, 11), dt.date(2010, 7, 15))
    assert Benefit.objects.get(program=program).kind == "compensation"


def test_vince_menzione_and_google_rivalry(loaded_knowledge):
    menzione = Person.objects.get(slug="vince-menzione")
    assert menzione.employer.slug == "microsoft"
    assert Quote.objects.filter(person=menzione, text__startswith="Google est pour vous").exists()
    assert Quote.objects.filter(person=menzione, text__startswith="La différence est dans notre approche").exists()
    assert VendorRelation.objects.filter(vendor__slug="microsoft", other_vendor__slug="google", kind="competition")
    assert VendorRelation.objects.filter(
        vendor__slug="microsoft", other_vendor__slug="serena-software", kind="customer"
    )


# --- provenance -----------------------------------------------------------------------


@pytest.mark.parametrize("model", [Vendor, Person, VendorRelation, Program, Tier, Benefit, ProgramEvent])
def test_every_loaded_fact_cites_a_source(loaded_knowledge, model):
    assert model.objects.exists()
    assert not model.objects.filter(sources__isnull=True).exists()


def test_staff_see_sources_in_admin(admin_client, loaded_knowledge):
    from django.urls import reverse

    tier = Tier.objects.get(slug="master")
    page = admin_client.get(reverse("admin:programs_tier_change", args=[tier.pk])).content.decode()
    assert 'name="sources"' in page
    assert escape(Source.objects.get(slug=ART_000).title) in page


# --- loading ----------------------------------------------------------------------------


def test_loading_twice_changes_nothing(db):
    first = load_knowledge()
    assert first.changed > 0
    counts = {m: m.objects.count() for m in (Vendor, Program, Tier, Quote, ProgramEvent)}
    history = {m: m.history.count() for m in (Vendor, Program, Tier, Quote, ProgramEvent)}
    second = load_knowledge()
    assert second.changed == 0
    assert {m: m.objects.count() for m in counts} == counts
    assert {m: m.history.count() for m in history} == history


def test_reload_updates_in_place_and_keeps_staff_additions(db):
    load_knowledge()
    cpp = Program.objects.get(slug="cpp")
    cpp.scope = "Edited by staff"
    cpp.save()
    staff_source = Source.objects.create(title="Staff note", slug="staff-note")
    cpp.sources.add(staff_source)
    staff_program = Program.objects.create(name="Added by staff", slug="added-by-staff")
    report = load_knowledge()
    cpp.refresh_from_db()
    assert cpp.scope == "Worldwide"  # the data file's value is restored
    assert cites(cpp, "staff-note", ART_002)  # links staff added stay
    assert Program.objects.filter(pk=staff_program.pk).exists()  # never deleted
    assert report.updated["programs"] == 1


def test_command_reports_what_it_did(db):
    out = StringIO()
    call_command("load_knowledge", stdout=out)
    assert "programs: 4 created, 0 updated, 0 unchanged" in out.getvalue()
    out = StringIO()
    call_command("load_knowledge", stdout=out)
    assert "nothing changed" in out.getvalue()


BAD_FILES = {
    "bad_date": (
        "events:\n  - slug: e\n    title: E\n    kind: launch\n    vendor: v\n    start_date: 2010-13-45\n",
        "events[1] (e): field 'start_date'",
    ),
    "unknown_field": (
        "vendors:\n  - slug: x\n    name: X\n    colour: red\n",
        "vendors[1] (x): unknown field 'colour'",
    ),
    "unknown_reference": (
        "people:\n  - slug: p\n    name: P\n    employer: nobody\n",
        "people[1] (p): field 'employer': no vendor with slug 'nobody'",
    ),
    "dates_out_of_order": (
        "events:\n  - slug: e\n    title: E\n    kind: launch\n    vendor: v\n"
        "    start_date: 2010-07-15\n    end_date: 2010-07-11\n    precision: day\n",
        "events[1] (e): field 'end_date': The end date cannot be before the start date.",
    ),
    "not_yaml": ("vendors: [unclosed\n", "not valid YAML"),
    "not_a_list": ("vendors: {slug: x}\n", "vendors: expected a list of records"),
    "unknown_section": ("planets: []\n", "unknown section(s) planets"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_malformed_file_is_refused_and_nothing_written(db, tmp_path, case):
    content, expected = BAD_FILES[case]
    good = tmp_path / "a_good.yaml"
    good.write_text("vendors:\n  - slug: v\n    name: V\n", encoding="utf-8")
    bad = tmp_path / "b_bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("load_knowledge", str(good), str(bad), stdout=StringIO())
    assert "b_bad.yaml" in str(exc.value)
    assert expected in str(exc.value)
    assert not Vendor.objects.exists()  # the good file's vendor was rolled back too


def test_default_data_file_is_shipped():
    assert [p.name for p in default_data_files()] == ["knowledge.yaml"]
