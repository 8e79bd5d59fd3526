"""Faults: a worker killed (SIGKILL) in the middle of an import confirm, a
bulk action and a restore leaves the database consistent, the operation
applied wholly or not at all; and the same operation, done again, succeeds.

Each case starts its own gunicorn (one worker) with a trap
(tests/servers/fault_wsgi.py) that stops the worker after some saves of the
operation; the test then kills the worker and looks at the database."""

import os
import signal
import threading
import time

import pytest

from .live import Staff, hidden_inputs

pytestmark = [pytest.mark.slow, pytest.mark.servers]

N = 40


# Nothing is published without a source: the records cite one.
SOURCES_CSV = b"slug,title\nart-x,An article\n"


def vendors_csv():
    return b"slug,name,sources\ncisco,Cisco,art-x\n"


def programs_csv(n=N):
    rows = "".join(f"p{i:03},Program {i:03},cisco,active,art-x\n" for i in range(n))
    return ("slug,name,vendors,status,sources\n" + rows).encode()


def preview(staff, server, model_path, name, content):
    page = staff.post(
        server,
        f"/admin/{model_path}/import/",
        data={"resource": "0", "format": ""},
        files={"import_file": (name, content)},
    )
    assert page.status_code == 200, page.text[:2000]
    fields = hidden_inputs(page.text, "kb-import-confirm")
    assert fields.get("import_file_name"), page.text[:3000]
    return fields


def killed_during(server, mark, request):
    """Send ``request()`` in a thread; when the trap says the worker is
    half-way, SIGKILL it. Returns what the client saw (an error)."""
    outcome = {}

    def run():
        try:
            outcome["response"] = request()
        except Exception as exc:  # noqa: BLE001 - the connection dies with the worker
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 120
    while not (mark.exists() and mark.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert mark.exists(), "the operation never reached the trap:\n" + server.log()[-3000:]
    os.kill(int(mark.read_text()), signal.SIGKILL)
    thread.join(timeout=120)
    response = outcome.get("response")
    assert response is None or response.status_code >= 500 or "Import done" not in response.text
    return outcome


@pytest.fixture(scope="module")
def staffed(site):
    """A normal server, and the data the cases work on: one source, one vendor citing it."""
    server = site.server(workers=1)
    staff = Staff().login(server)
    done = staff.post(
        server,
        "/admin/sources/source/process_import/",
        data=preview(staff, server, "sources/source", "s.csv", SOURCES_CSV),
    )
    assert "Import done" in done.text
    done = staff.post(
        server,
        "/admin/vendors/vendor/process_import/",
        data=preview(staff, server, "vendors/vendor", "v.csv", vendors_csv()),
    )
    assert "Import done" in done.text
    return server, staff


def fault_server(site, tmp_path, path, model, after):
    mark = tmp_path / f"mark-{path.strip('/').replace('/', '-')}"
    server = site.server(
        app="tests.servers.fault_wsgi:application",
        workers=1,
        KB_FAULT_PATH=path,
        KB_FAULT_MODEL=model,
        KB_FAULT_AFTER=str(after),
        KB_FAULT_MARK=str(mark),
    )
    return server, mark


def test_worker_killed_during_an_import_confirm(site, staffed, tmp_path):
    server, staff = staffed
    fields = preview(staff, server, "programs/program", "programs.csv", programs_csv())
    faulty, mark = fault_server(site, tmp_path, "/process_import/", "programs.Program", after=N // 2)
    staff_on_faulty = Staff().login(faulty)

    killed_during(
        faulty, mark, lambda: staff_on_faulty.post(faulty, "/admin/programs/program/process_import/", data=fields)
    )

    # Not at all: no program, no history row, no link written.
    assert site.sql("SELECT count(*) FROM programs_program") == [(0,)]
    assert site.sql("SELECT count(*) FROM programs_historicalprogram") == [(0,)]
    assert site.sql("SELECT count(*) FROM programs_program_vendors") == [(0,)]
    # The preview is still there: confirming again (another server) imports every row.
    done = staff.post(server, "/admin/programs/program/process_import/", data=fields)
    assert f"Import done: {N} new" in done.text, done.text[:2000]
    assert site.sql("SELECT count(*) FROM programs_program") == [(N,)]
    assert site.sql("SELECT count(*) FROM programs_program_vendors") == [(N,)]
    faulty.stop()


def test_worker_killed_during_a_bulk_action(site, staffed, tmp_path):
    server, staff = staffed
    pks = [pk for (pk,) in site.sql("SELECT id FROM programs_program WHERE is_published ORDER BY id")]
    assert len(pks) == N
    history = site.sql("SELECT count(*) FROM programs_historicalprogram")[0][0]
    faulty, mark = fault_server(site, tmp_path, "/admin/programs/program/", "programs.Program", after=N // 2)
    staff_on_faulty = Staff().login(faulty)
    data = {"action": "make_draft", "_selected_action": [str(pk) for pk in pks], "post": "yes"}

    killed_during(faulty, mark, lambda: staff_on_faulty.post(faulty, "/admin/programs/program/", data=data))

    assert site.sql("SELECT count(*) FROM programs_program WHERE is_published") == [(N,)]
    assert site.sql("SELECT count(*) FROM programs_historicalprogram")[0][0] == history
    done = staff.post(server, "/admin/programs/program/", data=data)
    assert f"{N} records unpublished." in done.text
    assert site.sql("SELECT count(*) FROM programs_program WHERE is_published") == [(0,)]
    faulty.stop()


def test_worker_killed_during_a_restore(site, staffed, tmp_path):
    server, staff = staffed
    (pk,) = site.sql("SELECT id FROM programs_program WHERE slug='p000'")[0]
    delete = staff.post(server, f"/admin/programs/program/{pk}/delete/", data={"post": "yes"})
    assert delete.status_code == 200
    assert site.sql("SELECT count(*) FROM programs_program WHERE id=%s", (pk,)) == [(0,)]
    (history_id,) = site.sql(
        "SELECT history_id FROM programs_historicalprogram WHERE id=%s AND history_type<>'-' "
        "ORDER BY history_date DESC, history_id DESC LIMIT 1",
        (pk,),
    )[0]
    restore = f"/admin/programs/program/{pk}/history/{history_id}/"
    page = staff.get(server, restore).text
    fields = hidden_inputs(page)
    fields.update(
        {
            "name": "Program 000",
            "slug": "p000",
            "vendors": site.sql("SELECT id FROM vendors_vendor WHERE slug='cisco'")[0][0],
            "status": "active",
            "announced_precision": "unknown",
        }
    )
    faulty, mark = fault_server(site, tmp_path, "/history/", "programs.Program", after=1)
    staff_on_faulty = Staff().login(faulty)

    killed_during(faulty, mark, lambda: staff_on_faulty.post(faulty, restore, data=fields))

    # Not at all: neither the record nor its links, nor a history row.
    assert site.sql("SELECT count(*) FROM programs_program WHERE id=%s", (pk,)) == [(0,)]
    assert site.sql("SELECT count(*) FROM programs_program_vendors WHERE program_id=%s", (pk,)) == [(0,)]
    assert site.sql(
        "SELECT history_type FROM programs_historicalprogram WHERE id=%s ORDER BY history_id DESC LIMIT 1", (pk,)
    ) == [("-",)]
    done = staff.post(server, restore, data=fields)
    assert done.status_code == 200 and "errornote" not in done.text, done.text[:3000]
    assert site.sql("SELECT count(*) FROM programs_program_vendors WHERE program_id=%s", (pk,)) == [(1,)]
    faulty.stop()
