"""Backup and restore lose no knowledge: the shipped knowledge plus drafts,
staff edits and their history, backed up, then restored into an emptied
database, give the same public pages byte for byte and the same history."""

import gzip

import pytest
import yaml
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import Client

from knowledge.backup import backup, restore
from programs.models import Program
from tests.factories import ProgramFactory
from tests.public_urls import all_permalinks, list_urls

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_restored_content_types():
    """A restore (rolled back after the test) makes content types with other
    ids than the test database's: their cache must not outlive the test."""
    yield
    ContentType.objects.clear_cache()


def snapshot():
    """Every public page (lists, home, every record's permalink), and what
    history holds for every model."""
    client = Client()
    pages = {}
    for url in sorted(set(list_urls()) | set(all_permalinks())):
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    history = {}
    usernames = dict(get_user_model().objects.values_list("pk", "username"))
    # Content types too (a passage's record type): restored by natural key.
    content_types = {ct.pk: ct.natural_key() for ct in ContentType.objects.all()}
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            # Every column of every version (and of the versions' links). Users
            # are restored by user name (natural key), so compare that, not
            # their row ids (which PostgreSQL's sequences renumber).
            rows = list(model.objects.order_by("pk").values())
            for row in rows:
                if "history_user_id" in row:
                    row["history_user_id"] = usernames.get(row["history_user_id"])
                if "content_type_id" in row:
                    row["content_type_id"] = content_types.get(row["content_type_id"])
            history[model._meta.label] = rows
    return pages, history


@pytest.fixture
def edited_knowledge(editor, public_world):
    # Staff edits: history by a named user, a draft published, a revert point.
    program = Program.objects.published().order_by("pk").first()
    program._history_user = editor
    program.summary = "Edited by an editor before the backup."
    program.save()
    return program


def test_round_trip_gives_identical_pages_and_history(edited_knowledge, tmp_path, editor):
    before_pages, before_history = snapshot()
    assert len(before_pages) > 40  # home, lists, every shipped record
    assert any(before_history.values())
    file = tmp_path / "kb.yaml.gz"
    backup(file)

    with gzip.open(file, "rt") as f:
        labels = {row["model"] for row in yaml.safe_load(f)}
    assert "programs.historicalprogram" in labels
    assert "auth.user" in labels
    assert not labels & {"contenttypes.contenttype", "auth.permission", "sessions.session", "axes.accessattempt"}

    # Changes made after the backup are undone by the restore: it replaces
    # the database's whole content.
    ProgramFactory(name="Added after the backup", slug="added-after-the-backup")
    Program.objects.filter(pk=edited_knowledge.pk).update(summary="Changed after the backup.")
    restore(file)
    assert not Program.objects.filter(slug="added-after-the-backup").exists()

    after_pages, after_history = snapshot()
    assert after_pages.keys() == before_pages.keys()
    for url in before_pages:
        assert after_pages[url] == before_pages[url], url
    assert after_history.keys() == before_history.keys()
    for label, rows in before_history.items():
        assert len(after_history[label]) == len(rows), label
        for before, after in zip(rows, after_history[label], strict=True):
            assert after == before, label
    # Staff can still sign in, with their groups and permissions.
    restored = type(editor).objects.get(username="editor")
    assert restored.check_password("pw-editor-123")
    assert restored.has_perm("programs.change_program")
    edited_knowledge.refresh_from_db()
    assert edited_knowledge.summary == "Edited by an editor before the backup."


def test_commands_and_a_bad_file_change_nothing(edited_knowledge, tmp_path):
    file = tmp_path / "kb.yaml.gz"
    call_command("backup", str(file), verbosity=0)
    count = Program.objects.count()
    broken = tmp_path / "broken.yaml.gz"
    with gzip.open(broken, "wt") as f:
        f.write("- model: programs.program\n  pk: 1\n  fields: {name: [unclosed\n")
    with pytest.raises(CommandError, match="database is unchanged"):
        call_command("restore", str(broken), interactive=False)
    assert Program.objects.count() == count  # nothing lost
    call_command("restore", str(file), interactive=False)
    assert Program.objects.count() == count


def test_restore_moves_the_knowledge_stamp_forward(tmp_path):
    from kb import caching

    ProgramFactory(name="Backed up")
    file = tmp_path / "kb.yaml.gz"
    backup(file)
    ProgramFactory(name="After the backup")
    before_restore = caching.current()
    restore(file)
    after = caching.current()
    # ETag (version) and Last-Modified (time) both move past every value given
    # out before the restore: no stale 304.
    assert after.version > before_restore.version
    assert after.changed_at > before_restore.changed_at
