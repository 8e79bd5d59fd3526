"""Bad input from staff, fuzzed (hypothesis): every admin add and change form
and its inline formsets, found from the admin's registry (so admins added
later are covered), posted as a superuser and as an editor with generated
data mixed into an otherwise valid form built from the rendered page: text
with control characters, NUL, very long strings and odd unicode; malformed
dates and numbers, unknown choices and keys; lists for single values; inline
rows duplicated, deleted or numbered wrongly; management-form fields missing
or garbled; stray buttons ("save as new") and keys.

Whatever comes in: no server error, and nothing half-saved. A refused form
(any answer but a redirect) leaves the model, its inline models, their
many-to-many links and their history exactly as they were; a saved one (a
redirect) left the record there, and its change page opens again."""

import itertools
import string

import pytest
from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    BenefitFactory,
    FocusAreaFactory,
    MembershipFactory,
    PartnerFactory,
    PassageFactory,
    PersonFactory,
    ProgramEventFactory,
    ProgramFactory,
    QuoteFactory,
    SourceFactory,
    TierFactory,
    VendorFactory,
    VendorRelationFactory,
)
from utilities.testing import form_data

EXAMPLES = 15  # per model and user

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same inputs on every run: a failure is reproducible
)

# Marked so that pytest-django sets up the test database even when only this
# module runs (``shipped_knowledge`` asks for ``django_db_setup``).
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

NASTY = [
    "\x00",
    "a\x00b",
    "Cisco\x1b[31mred\x1b[0m",
    "Cis\x07co",
    "Cis\x85co",
    "\x7f",
    "line\r\nbreak",
    "tab\there",
    "\u202e\u200b\ufeff",
    "\u0301\u0301\u0301",
    "İstanbul ß ﬀ ǅ",
    "😀" * 300,
    "𝕏" * 120,
    "é" * 3000,
    "x" * 10_000,
    " ",
    "",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "%(name)s {0} %s",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    "-0",
    "9" * 40,
    "99999999999999999999",
    "2147483648",
    "9223372036854775808",
    "１２３",
    "٣",
    "0x1F",
    "2024-02-30",
    "2024-13-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-2024-01-01",
    "31/12/2024",
    "2024-1-1",
    "2024-01-01T25:61",
    "yesterday",
    "Q5 FY2025",
    "true",
    "on",
    "None",
    "null",
    "[]",
    '{"a": 1}',
    "not-a-choice",
    "LEVEL",
    "../../etc/passwd",
    "%00",
    "javascript:alert(1)",
    "http://[::1",
    "https://exa mple.com/\x00",
    "http://" + "a" * 300 + ".com",
]

values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.text(alphabet=string.printable, max_size=300),
    st.integers().map(str),
    st.dates().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
MANAGEMENT = ["TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"]
# "1001": past Django's formset cap (absolute_max), which then builds its
# 1,000 empty forms: one value of that size is enough (each costs seconds).
MANAGEMENT_VALUES = ["", "-1", "abc", "1001", "0", "1.5", " 1", "１", "\x00"]
BUTTONS = ["_save", "_continue", "_addanother", "_saveasnew", None]
STRAY_KEYS = ["_popup", "_to_field", "_changelist_filters", "csrfmiddlewaretoken", "id", "pk", "version", "_version"]

#: For models the shipped knowledge leaves empty, the record a change form opens.
FACTORIES = {
    factory._meta.model: factory
    for factory in (
        SourceFactory,
        VendorFactory,
        PersonFactory,
        VendorRelationFactory,
        FocusAreaFactory,
        ProgramFactory,
        TierFactory,
        BenefitFactory,
        ProgramEventFactory,
        PartnerFactory,
        MembershipFactory,
        QuoteFactory,
        PassageFactory,
    )
}

# Every registered admin whose model has a table of its own (django-rq's
# Dashboard is an unmanaged model standing for its own pages: no form to fuzz).
REGISTRY = sorted(
    ((model, model_admin) for model, model_admin in admin.site._registry.items() if model._meta.managed),
    key=lambda item: item[0]._meta.label,
)
USERS = ["superuser", "editor"]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


# -- what the database holds ----------------------------------------------------------


def inline_models(model_admin):
    return [inline.model for inline in model_admin.get_inlines(None, None)]


def watched_tables(model, model_admin):
    """The model, its inline models, their many-to-many link tables, and the
    history of each."""
    tables = []
    for watched in [model, *inline_models(model_admin)]:
        tables.append(watched)
        tables += [f.remote_field.through for f in watched._meta.many_to_many]
        history = getattr(watched._meta, "simple_history_manager_attribute", None)
        if history:
            tables.append(getattr(watched, history).model)
    return list(dict.fromkeys(tables))


def snapshot(tables):
    return {
        table._meta.label: list(table._default_manager.order_by("pk").values_list(*_columns(table))) for table in tables
    }


def _columns(table):
    return [f.attname for f in table._meta.concrete_fields]


# -- forms as the browser posts them -------------------------------------------------


def formset_prefixes(data):
    return [key[: -len("-TOTAL_FORMS")] for key in data if key.endswith("-TOTAL_FORMS")]


def total_forms(data, prefix):
    """The rows the form says it has (0 when garbled or negative: an earlier
    mutation may have set ``TOTAL_FORMS`` to ``-1`` or ``abc``)."""
    try:
        return max(0, int(data.get(f"{prefix}-TOTAL_FORMS", 0)))
    except (TypeError, ValueError):
        return 0


def unique_fields(model):
    names = {f.name for f in model._meta.concrete_fields if f.unique and not f.primary_key}
    for constraint in model._meta.constraints:
        names.update(getattr(constraint, "fields", ()) or ())
    for together in model._meta.unique_together:
        names.update(together)
    return names


def add_form_base(add_page, change_page, model, suffix):
    """A plausible add form: the add page's fields, filled from an existing
    record's change form (its unique text made unique again), with its inline
    rows as new rows."""
    data = form_data(add_page)
    if change_page is None or change_page.status_code != 200:
        return data
    existing = form_data(change_page)
    main = add_page.context["adminform"].form
    unique = unique_fields(model)
    for bound in main:
        name = bound.html_name
        if name in existing and name != "_version":
            data[name] = existing[name]
            if bound.name in unique and isinstance(existing[name], str):
                data[name] = f"{existing[name]}-{suffix}"[: getattr(bound.field, "max_length", None) or 10_000]
    for inline in change_page.context.get("inline_admin_formsets", []):
        formset = inline.formset
        prefix = formset.prefix
        if f"{prefix}-TOTAL_FORMS" not in data:
            continue
        fk = getattr(getattr(formset, "fk", None), "name", None)
        rows = 0
        for form in formset.initial_forms:
            for bound in form:
                key = bound.html_name
                new_key = f"{prefix}-{rows}-{bound.name}"
                value = existing.get(key)
                if bound.name in ("id", "_version", fk) or value is None:
                    value = "" if value is not None else None
                if value is not None:
                    data[new_key] = value
            rows += 1
        data[f"{prefix}-TOTAL_FORMS"] = str(rows)
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def mutate(data, draw, file_keys):
    """Mix generated input into a valid form: 1 to 4 changes."""
    for _ in range(draw(st.integers(1, 4))):
        keys = sorted(data)
        prefixes = formset_prefixes(data)
        what = draw(
            st.sampled_from(
                ["value", "value", "value", "drop", "list", "row", "row", "management", "delete", "stray", "file"]
            )
        )
        if what in ("value", "drop", "list") and keys:
            key = draw(st.sampled_from(keys))
            if what == "value":
                data[key] = draw(values)
            elif what == "drop":
                del data[key]
            else:
                data[key] = draw(st.lists(values, max_size=3))
        elif what == "row" and prefixes:
            # A row posted twice (the same id, or as a new row).
            prefix = draw(st.sampled_from(prefixes))
            total = total_forms(data, prefix)
            if not total:
                continue
            row = draw(st.integers(0, total - 1))
            keep_id = draw(st.booleans())
            head = f"{prefix}-{row}-"
            for key in [k for k in keys if k.startswith(head)]:
                field = key[len(head) :]
                data[f"{prefix}-{total}-{field}"] = data[key] if keep_id or field not in ("id", "_version") else ""
            data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
        elif what == "management" and prefixes:
            key = f"{draw(st.sampled_from(prefixes))}-{draw(st.sampled_from(MANAGEMENT))}"
            value = draw(st.sampled_from([None, *MANAGEMENT_VALUES]))
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        elif what == "delete" and prefixes:
            prefix = draw(st.sampled_from(prefixes))
            total = total_forms(data, prefix)
            if total:
                data[f"{prefix}-{draw(st.integers(0, total - 1))}-DELETE"] = "on"
        elif what == "stray":
            key = draw(st.one_of(st.sampled_from(STRAY_KEYS), st.text(min_size=1, max_size=20)))
            data[key] = draw(values)
        elif what == "file" and file_keys:
            name = draw(
                st.sampled_from(["a.txt", "a.html", "a.pdf", "a.exe", "noext", "é\x00.txt", "x" * 300 + ".pdf"])
            )
            content = draw(
                st.one_of(
                    st.binary(max_size=300),
                    st.sampled_from([b"%PDF-1.4\n%\xff\xff\n1 0 obj<<>>endobj", b"<html><body>\x00</body>", b""]),
                    values.map(lambda text: text.encode("utf-8")),
                )
            )
            data[draw(st.sampled_from(file_keys))] = SimpleUploadedFile(name, content)
    return data


# -- the test world ------------------------------------------------------------------------


@pytest.fixture
def staff_client(request, client, django_user_model):
    if request.param == "superuser":
        user = django_user_model.objects.create_superuser("fuzz-admin", "fuzz@example.com", "pw-admin-123")
    else:
        user = request.getfixturevalue("editor")
    # A user other than the signed-in one for the user change form: a
    # fuzzed change of one's own password or rights would sign the fuzz out.
    django_user_model.objects.create_user("fuzz-target", password="pw-target-123", is_staff=True)
    client.force_login(user)
    client.fuzz_user = user
    return client


def change_candidates(model, user):
    """A few records of ``model`` whose change form the fuzz opens."""
    if not model._default_manager.exists() and model in FACTORIES:
        FACTORIES[model]()
    queryset = model._default_manager.order_by("pk")
    if model is type(user):
        queryset = queryset.exclude(pk=user.pk)
    return list(queryset.values_list("pk", flat=True)[:5])


_suffix = itertools.count()


def is_change_form(page):
    """The admin's own add/change form (a page of an app's own, such as the
    article upload, has none: the fuzz then posts generated keys to it)."""
    return page.status_code == 200 and page.context is not None and "adminform" in page.context


def fuzz_form(client, model, model_admin, data_strategy):
    """One generated post to an add or change form of ``model``."""
    draw = data_strategy.draw
    pks = change_candidates(model, client.fuzz_user)
    adding = not pks or draw(st.booleans())
    pk = None if adding else draw(st.sampled_from(pks))
    change_page = client.get(admin_url(model, "change", pks[0])) if pks else None
    if change_page is not None and not is_change_form(change_page):
        change_page = None
    if adding:
        url = admin_url(model, "add")
        page = client.get(url)
        base = add_form_base(page, change_page, model, f"fz{next(_suffix)}") if is_change_form(page) else {}
    else:
        url = admin_url(model, "change", pk)
        page = client.get(url) if pk != pks[0] else change_page or client.get(url)
        base = form_data(page) if is_change_form(page) else {}
    assert page.status_code < 500
    file_keys = []
    form = None
    if is_change_form(page):
        form = page.context["adminform"].form
    elif page.status_code == 200 and isinstance(page.context.get("form"), forms.BaseForm):
        # An admin page of its own (the article upload): its form, as posted empty.
        form = page.context["form"]
    if form is not None:
        file_keys = [bound.html_name for bound in form if isinstance(bound.field, forms.FileField)]
    data = mutate(dict(base), draw, file_keys)
    button = draw(st.sampled_from(BUTTONS))
    if button:
        data[button] = "1"
    return post_and_check(client, model, model_admin, url, data, pk, as_new=adding or button == "_saveasnew")


def post_and_check(client, model, model_admin, url, data, pk, as_new):
    tables = watched_tables(model, model_admin)
    before = snapshot(tables)
    pks_before = set(model._default_manager.values_list("pk", flat=True))
    response = client.post(url, data)
    assert response.status_code < 500, response.status_code
    if response.status_code not in (301, 302, 303):
        after = snapshot(tables)
        changed = [label for label in before if before[label] != after[label]]
        assert not changed, f"refused ({response.status_code}), yet written: {changed}"
        return response
    # Saved: the record is there and its change page opens again.
    if as_new:
        new = set(model._default_manager.values_list("pk", flat=True)) - pks_before
        assert len(new) == 1, f"saved as new, yet {len(new)} new records (to {response['Location']})"
        pk = new.pop()
    assert model._default_manager.filter(pk=pk).exists()
    assert client.get(admin_url(model, "change", pk)).status_code == 200
    return response


@pytest.mark.parametrize("staff_client", USERS, indirect=True)
@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=[model._meta.label for model, _admin in REGISTRY])
@FUZZ
@given(data=st.data())
def test_admin_forms(shipped_knowledge, staff_client, model, model_admin, data):
    # Each example starts from the same records (and so draws the same way
    # when hypothesis replays it).
    with transaction.atomic():
        fuzz_form(staff_client, model, model_admin, data)
        transaction.set_rollback(True)


def test_the_registry_is_covered():
    """Every knowledge model the admin registers is fuzzed with a record to
    change (a factory for those the shipped knowledge leaves empty)."""
    apps = ("sources", "vendors", "programs", "partners")
    knowledge = {model for model, _admin in REGISTRY if model._meta.app_label in apps}
    assert len(knowledge) >= 13
    assert knowledge <= set(FACTORIES)
