"""The timeline: the month filter, the order of undated
events, and the SVG picture of the time span (one mark per event, shaped by
precision; accessible; no inline script or style)."""

import datetime
import re

import pytest

from tests.factories import PassageFactory, ProgramEventFactory, SourceFactory, VendorFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def events():
    ms, cisco = VendorFactory(name="Microsoft"), VendorFactory(name="Cisco")
    made = {
        "wpc": dict(title="WPC", vendor=ms, start_date=D(2010, 7, 11), end_date=D(2010, 7, 15), precision="day"),
        "fy": dict(title="Fiscal year", vendor=ms, start_date=D(2010, 7, 1), precision="day"),
        "window": dict(
            title="Launch window", vendor=cisco, start_date=D(2010, 5, 1), end_date=D(2010, 7, 1), precision="month"
        ),
        "august": dict(title="August thing", vendor=cisco, start_date=D(2010, 8, 1), precision="month"),
        "q3": dict(title="Fiscal Q3", vendor=cisco, start_date=D(2010, 7, 1), precision="quarter"),
        "year": dict(title="Sometime in 2011", vendor=cisco, start_date=D(2011, 1, 1), precision="year"),
        "winter": dict(title="Winter", vendor=ms, start_date=D(2010, 12, 1), end_date=D(2011, 2, 1), precision="month"),
        "someday": dict(title="Someday", vendor=cisco, date_text="from the start of the school year"),
    }
    return {key: ProgramEventFactory(program=None, **kw) for key, kw in made.items()}


def titles(response):
    return [e.title for e in response.context["object_list"]]


def svg_of(html):
    match = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert match, "no SVG on the page"
    return match.group(0)


def marks(svg):
    """{event slug: (shape, precision, inner SVG)}."""
    found = re.findall(
        r'<g class="timeline-mark [^"]*" data-shape="(\w+)" data-precision="(\w+)" data-event="([\w-]+)">(.*?)</g>',
        svg,
        re.S,
    )
    return {slug: (shape, precision, inner) for shape, precision, slug, inner in found}


# -- month filter ----------------------------------------------------------------


def test_month_keeps_events_known_to_fall_in_that_month(client, events):
    july = titles(client.get("/timeline/?month=7"))
    # Day-precise events in July, and the May–July window; not the quarter
    # (which month of Q3 is not stated) nor the undated event.
    assert sorted(july) == ["Fiscal year", "Launch window", "WPC"]
    assert titles(client.get("/timeline/?month=6")) == ["Launch window"]
    assert titles(client.get("/timeline/?month=8")) == ["August thing"]
    # A period over New Year holds December and January.
    assert titles(client.get("/timeline/?month=1")) == ["Winter"]
    assert titles(client.get("/timeline/?month=12")) == ["Winter"]
    assert titles(client.get("/timeline/?month=3")) == []


def test_month_combined_with_year_and_other_filters(client, events):
    assert sorted(titles(client.get("/timeline/?month=7&year=2010"))) == ["Fiscal year", "Launch window", "WPC"]
    assert titles(client.get("/timeline/?month=7&year=2011")) == []
    vendor = events["wpc"].vendor.slug
    assert titles(client.get(f"/timeline/?month=7&year=2010&vendor={vendor}")) == ["Fiscal year", "WPC"]


def test_month_offered_by_name_in_the_form(client, events):
    html = client.get("/timeline/").content.decode()
    assert '<select name="month"' in html and '<option value="7">July</option>' in html


@pytest.mark.parametrize("bad", ["13", "0", "july", "7.5", "-1"])
def test_a_bad_month_is_a_clear_400_in_the_export_and_the_api(client, events, bad):
    message = "is not a month: give its number, from 1 (January) to 12 (December)."
    r = client.get(f"/timeline/?month={bad}&export=csv")
    assert r.status_code == 400 and message in r.content.decode() and "month:" in r.content.decode()
    r = client.get(f"/api/events/?month={bad}")
    assert r.status_code == 400 and message in r.json()["month"][0]
    # The page, like every list, says which filter was not understood and ignores it.
    r = client.get(f"/timeline/?month={bad}")
    assert r.status_code == 200 and message in r.content.decode()
    assert len(r.context["object_list"]) == len(events)


def test_month_in_french(client, events):
    client.cookies["django_language"] = "fr"
    html = client.get("/timeline/?month=13", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "n’est pas un mois" in html or "n'est pas un mois" in html
    assert '<option value="7">juillet</option>' in html


# -- order of undated events ----------------------------------------------------------


def test_undated_events_last_in_the_order_the_sources_tell_them(client):
    vendor = VendorFactory(name="Cisco")
    text = "Premier : la signature. Ensuite : le sommet. Enfin : le lancement."
    early = SourceFactory(title="B article", text=text, published_on=D(2010, 3, 1))
    undated_source = SourceFactory(title="A article", text="Rien de daté : le recrutement.")
    made = {}
    for title, source, words in [
        ("Z launch", early, "le lancement"),
        ("Y summit", early, "le sommet"),
        ("X signature", early, "la signature"),
        ("A hiring", undated_source, "le recrutement"),
    ]:
        made[title] = ProgramEventFactory(title=title, vendor=vendor, program=None)
        PassageFactory(source=source, exact=words, target=made[title])
    ProgramEventFactory(title="No evidence", vendor=vendor, program=None)
    ProgramEventFactory(title="Dated", vendor=vendor, program=None, start_date=D(2010, 7, 1), precision="day")
    expected = ["Dated", "X signature", "Y summit", "Z launch", "A hiring", "No evidence"]
    assert titles(client.get("/timeline/")) == expected
    assert titles(client.get("/timeline/?sort=date")) == expected
    # Newest first: the undated events stay last, still in the order told.
    assert titles(client.get("/timeline/?sort=-date")) == expected
    api = client.get("/api/events/").json()
    assert [e["title"] for e in api.get("results", api)] == expected


def test_shipped_undated_events_follow_the_articles(client, shipped_knowledge):
    got = [e.slug for e in client.get("/timeline/").context["object_list"]]
    assert got[:2] == ["microsoft-fy-2010-2011", "microsoft-wpc-washington"]
    # art-000 tells the Frontline signature, then the summit under way, then MSCP "from the start of the school year".
    assert got[2:5] == ["frontline-signed", "cisco-partner-summit-boston", "mscp-launch"]
    assert got[5:7] == ["cpp-launch", "cpp-rollout"]  # art-002, in its order
    assert set(got[7:]) == {"microsoft-cloud-program-announced", "microsoft-cloud-sales-hiring"}  # art-003


# -- the picture ---------------------------------------------------------------------------


def test_svg_one_mark_per_event_shaped_by_precision(client, events):
    html = client.get("/timeline/").content.decode()
    found = marks(svg_of(html))
    assert set(found) == {e.slug for e in events.values()}
    shapes = {key: found[e.slug][0] for key, e in events.items()}
    assert shapes == {
        "wpc": "range",
        "fy": "point",
        "window": "band",
        "august": "band",
        "q3": "band",
        "year": "band",
        "winter": "band",
        "someday": "open",
    }
    assert "<circle" in found[events["fy"].slug][2]
    assert "<rect" in found[events["wpc"].slug][2] and found[events["wpc"].slug][2].count("<line") == 2
    assert 'fill="url(#timeline-hatch)"' in found[events["q3"].slug][2]
    assert 'stroke-dasharray="2 2"' in found[events["year"].slug][2]
    someday = found[events["someday"].slug][2]
    assert "<circle" in someday and 'fill="#fff"' in someday  # open
    # Each mark says what it is on hover.
    assert "<title>WPC — 11–15 July 2010</title>" in found[events["wpc"].slug][2]
    assert "<title>Someday — date not stated in the sources — as stated: from the start of the school year</title>" in (
        someday
    )


def test_svg_band_widths_follow_the_period(client, events):
    found = marks(svg_of(client.get("/timeline/").content.decode()))

    def width(slug):
        return float(re.search(r'<rect [^>]*width="([\d.]+)"', found[slug][2]).group(1))

    month, quarter, year = width(events["august"].slug), width(events["q3"].slug), width(events["year"].slug)
    assert month * 2.5 < quarter < month * 3.5 and quarter * 3.5 < year < quarter * 4.5
    assert width(events["window"].slug) == pytest.approx(quarter, rel=0.05)  # May to July


def test_svg_axis_years_lanes_and_legend(client, events):
    svg = svg_of(client.get("/timeline/").content.decode())
    assert ">2010</text>" in svg and ">2011</text>" in svg
    assert ">Cisco</text>" in svg and ">Microsoft</text>" in svg
    assert ">Date not stated</text>" in svg
    legend = re.search(r'<g class="timeline-legend".*?</g>', svg, re.S).group(0)
    for text in ("a day", "from one day to another", "a month", "a quarter", "a year", "date not stated"):
        assert f">{text}</text>" in legend


def test_svg_accessible_name_and_text_equivalent(client, events):
    html = client.get("/timeline/").content.decode()
    svg = svg_of(html)
    opening = svg[: svg.index(">")]
    assert 'role="img"' in opening
    assert 'aria-labelledby="timeline-title timeline-desc"' in opening
    assert 'aria-describedby="timeline-list"' in opening and 'id="timeline-list"' in html
    assert '<title id="timeline-title">The time span of these events</title>' in svg
    desc = re.search(r'<desc id="timeline-desc">(.*?)</desc>', svg).group(1)
    assert desc.startswith("8 events; 7 dated, in 2010–2011; 1 whose date the sources do not state")
    assert "<figcaption" in html


def test_svg_has_no_script_nor_inline_style(client, events):
    r = client.get("/timeline/")
    html = r.content.decode()
    svg = svg_of(html)
    assert "<script" not in svg and "<style" not in svg and "style=" not in svg
    assert not re.search(r"\son\w+=", svg)  # no event handler attributes
    assert "style=" not in html.split("<main", 1)[1]
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp


def test_svg_follows_the_filters_and_is_absent_when_nothing_matches(client, events):
    svg = svg_of(client.get("/timeline/?month=7").content.decode())
    assert set(marks(svg)) == {events[k].slug for k in ("wpc", "fy", "window")}
    html = client.get("/timeline/?q=nothingmatchesthis").content.decode()
    assert "<svg" not in html.split("<main", 1)[1].split("</main>")[0] or "timeline-svg" not in html


def test_svg_escapes_titles(client):
    ProgramEventFactory(title='<script>alert("x")</script> & co', vendor=VendorFactory(name="V <b>"), program=None)
    svg = svg_of(client.get("/timeline/").content.decode())
    assert "<script" not in svg and "&lt;script&gt;" in svg and "&amp; co" in svg and "V &lt;b&gt;" in svg


def test_svg_in_french(client, events):
    client.cookies["django_language"] = "fr"
    svg = svg_of(client.get("/timeline/", HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert "The time span" not in svg and "Date not stated" not in svg


def test_told_order_follows_passage_and_source_edits(client):
    """The told order is kept from the passages (programs/signals.py): an edit
    of a source's date, a passage deleted or moved reorders the timeline at
    once."""
    vendor = VendorFactory(name="Cisco")
    first = SourceFactory(title="First", slug="first", text="Le sommet a eu lieu.", published_on=D(2010, 1, 1))
    second = SourceFactory(title="Second", slug="second", text="Le lancement suivra.", published_on=D(2010, 6, 1))
    summit = ProgramEventFactory(title="Summit", vendor=vendor, program=None)
    launch = ProgramEventFactory(title="Launch", vendor=vendor, program=None)
    PassageFactory(source=first, exact="Le sommet", target=summit)
    passage = PassageFactory(source=second, exact="Le lancement", target=launch)
    assert titles(client.get("/timeline/")) == ["Summit", "Launch"]

    second.published_on = D(2009, 1, 1)  # the launch's article now comes first
    second.save()
    assert titles(client.get("/timeline/")) == ["Launch", "Summit"]

    passage.object_id = summit.pk  # moved: the launch has no passage left, the summit two
    passage.save()
    assert titles(client.get("/timeline/")) == ["Summit", "Launch"]
    launch.refresh_from_db()
    assert (launch.told_on, launch.told_in, launch.told_at) == (None, None, None)

    PassageFactory(source=second, exact="Le lancement", target=launch)
    assert titles(client.get("/timeline/")) == ["Launch", "Summit"]
    launch.passages.get().delete()
    assert titles(client.get("/timeline/")) == ["Summit", "Launch"]
