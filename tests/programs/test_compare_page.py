"""The comparison page: unranked levels are not numbered; columns are removed
and programs added from the page itself, without JavaScript."""

import re

import pytest


@pytest.fixture
def shipped(shipped_knowledge, db):
    """The shipped knowledge, loaded once for the session (tests/conftest.py)."""


def test_a_level_without_rank_is_not_numbered(client, shipped):
    html = client.get("/programs/compare/?p=cpp&p=mscp").content.decode()
    row = re.search(r"<tr><th scope=\"row\">Levels \(ladder\)</th>.*?</tr>", html, re.S).group(0)
    assert "<ol" not in row  # MSCP's Master has no rank in the sources
    assert re.search(r"<ul class=\"compact\"><li><a href=\"/programs/mscp/master/\">Master</a>", row)
    assert "rank not stated" in row


def test_a_ranked_level_keeps_its_stated_number(client, shipped):
    from programs.models import Tier

    Tier.objects.filter(program__slug="mscp", slug="master").update(rank=3)
    html = client.get("/programs/compare/?p=cpp&p=mscp").content.decode()
    assert '<li value="3"><a href="/programs/mscp/master/">Master</a>' in html


def test_remove_a_column_and_add_a_program(client, shipped):
    r = client.get("/programs/compare/?p=cpp&p=mscp&p=frontline")
    html = r.content.decode()
    assert html.count('class="compare-remove"') == 3
    assert 'href="?p=mscp&amp;p=frontline"' in html  # removes CPP
    assert client.get("/programs/compare/?p=mscp&p=frontline").status_code == 200
    add = re.search(r'<form method="get" class="compare-add">.*?</form>', html, re.S).group(0)
    assert add.count('type="hidden" name="p"') == 3
    assert 'value="microsoft-cloud-partner-program"' in add and 'value="cpp"' not in add.split("<select")[1]
    two = client.get("/programs/compare/?p=cpp&p=mscp").content.decode()
    assert 'class="compare-remove"' not in two  # two is the least a comparison shows
    four = client.get("/programs/compare/?p=cpp&p=mscp&p=frontline&p=microsoft-cloud-partner-program").content.decode()
    assert 'class="compare-add"' not in four  # four is the most
