"""Bad input, fuzzed (hypothesis): generated query strings, paths, headers
and form bodies sent to every public URL (tests/public_urls.py finds them,
so pages added later are covered) and to every list's CSV/JSON export.

Whatever comes in: no server error, no input reflected unescaped, no draft
revealed; writes from anonymous visitors are refused."""

import string
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.public_urls import COMMON_QUERY_KEYS, DRAFT_MARK, list_urls, public_urls

FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same inputs on every run: a failure is reproducible
)

#: Reflected without escaping, this would run in a visitor's browser.
MARK = "<kbxss-7q>"
NASTY = [
    MARK,
    f"\"'>{MARK}<script>alert(1)</script>",
    "' OR '1'='1",
    "1; DROP TABLE programs_program; --",
    "%00",
    "\x00",
    "a\x00b",
    "../../etc/passwd",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e308",
    "NaN",
    "[]",
    "{}",
    "true",
    "null",
    "😀" * 50,
    "é" * 3000,
    "x" * 10_000,
    "%",
    "%ZZ",
    "\u202e\u200b\ufeff",
    "zqdraft",
    "hidden",
    "__proto__",
    "?export=csv",
    "-name",
    "name__icontains",
]

values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(alphabet=string.printable, max_size=200),
    st.builds(lambda a, b: a + MARK + b, st.text(max_size=10), st.text(max_size=10)),
    st.integers().map(str),
)
keys = st.one_of(st.sampled_from(COMMON_QUERY_KEYS), st.text(min_size=1, max_size=15))


# Marked so that pytest-django sets up the test database even when only this
# module runs: the session's ``public_world`` asks for ``django_db_setup``,
# which creates only the databases that collected tests are marked to use.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(scope="module")
def fuzz_world(public_world, django_db_blocker):
    """The session's sample world (tests/conftest.py) and its public URLs."""
    with django_db_blocker.unblock():
        return {"drafts": public_world, "urls": [url for _name, url in public_urls()], "lists": list_urls()}


def check(response):
    """What must hold whatever the input."""
    assert response.status_code < 500, response.status_code
    raw = b"".join(response.streaming_content) if response.streaming else response.content  # exports stream
    body = raw.decode("utf-8", "replace")
    assert DRAFT_MARK not in body.lower(), "a draft leaked"
    if response.get("Content-Type", "").startswith("text/html"):
        assert MARK not in body, "input reflected without escaping"
        assert "<script>alert(1)" not in body


def test_every_public_pattern_has_a_sample_url(fuzz_world):
    from tests.public_urls import uncovered_patterns

    missing = [p.route for p in uncovered_patterns()]
    assert not missing, f"add sample kwargs in tests/public_urls.py SAMPLE_KWARGS for: {missing}"
    assert "/" in fuzz_world["urls"] and "/programs/" in fuzz_world["urls"]


def test_draft_permalinks_are_not_found(fuzz_world, client):
    for draft in fuzz_world["drafts"].values():
        response = client.get(draft.get_absolute_url())
        assert response.status_code == 404, draft.get_absolute_url()


@FUZZ
@given(data=st.data())
def test_query_parameters(fuzz_world, client, data):
    url = data.draw(st.sampled_from(fuzz_world["urls"]))
    params = data.draw(st.dictionaries(keys, st.one_of(values, st.lists(values, max_size=3)), max_size=5))
    check(client.get(url, params))
    if url in fuzz_world["lists"]:
        export = data.draw(st.sampled_from(["csv", "json", "xlsx", MARK]))
        check(client.get(url, {**params, "export": export}))


@FUZZ
@given(data=st.data())
def test_raw_query_strings(fuzz_world, client, data):
    url = data.draw(st.sampled_from(fuzz_world["urls"]))
    raw = data.draw(
        st.one_of(
            st.text(alphabet=string.printable + "%&=;+é\x00", min_size=1, max_size=300),
            st.builds(lambda k, v: f"{k}={v}", st.sampled_from(COMMON_QUERY_KEYS), st.sampled_from(NASTY)),
            st.builds(lambda k, v: f"{k}={quote(v)}", st.sampled_from(COMMON_QUERY_KEYS), values),
        )
    )
    # A WSGI server hands the raw bytes over as latin-1 text.
    check(client.get(url, QUERY_STRING=raw.encode("utf-8").decode("latin-1")))


@FUZZ
@given(data=st.data())
def test_paths(fuzz_world, client, data):
    url = data.draw(st.sampled_from(fuzz_world["urls"]))
    segment = data.draw(st.one_of(values, st.text(min_size=1, max_size=60)))
    how = data.draw(st.sampled_from(["append", "replace-last", "raw-nul"]))
    if how == "append":
        path = url + quote(segment, safe="") + "/"
    elif how == "replace-last":
        path = url.rstrip("/").rsplit("/", 1)[0] + "/" + quote(segment, safe="") + "/"
    else:
        path = url + "%00" + quote(segment, safe="")
    response = client.get(path, follow=False)
    check(response)
    if "%00" in path:
        # Refused up front (utilities.middleware); the API answers in its documented
        # shapes: a NUL in a record address names no record (JSON 404).
        assert response.status_code == (404 if path.startswith("/api/") else 400)


HEADERS = [
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_ACCEPT",
    "HTTP_REFERER",
    "HTTP_USER_AGENT",
    "HTTP_COOKIE",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_NONE_MATCH",
    "HTTP_RANGE",
    "HTTP_X_REQUESTED_WITH",
    "HTTP_ORIGIN",
]


@FUZZ
@given(data=st.data())
def test_headers(fuzz_world, client, data):
    url = data.draw(st.sampled_from(fuzz_world["urls"]))
    headers = data.draw(st.dictionaries(st.sampled_from(HEADERS), values, max_size=6))
    # A WSGI server hands header bytes over as latin-1 text.
    check(client.get(url, **{k: v.encode("utf-8").decode("latin-1") for k, v in headers.items()}))


@FUZZ
@given(data=st.data())
def test_anonymous_writes_are_refused(fuzz_world, data):
    url = data.draw(st.sampled_from(fuzz_world["urls"]))
    method = data.draw(st.sampled_from(["post", "put", "patch", "delete"]))
    body = data.draw(st.dictionaries(keys, values, max_size=5))
    enforce_csrf = data.draw(st.booleans())
    client = Client(enforce_csrf_checks=enforce_csrf)
    if method == "post":
        response = client.post(url, body)
    else:
        from urllib.parse import urlencode

        response = getattr(client, method)(url, urlencode(body), content_type="application/x-www-form-urlencoded")
    check(response)
    assert response.status_code in (403, 405), (method, url, response.status_code)
