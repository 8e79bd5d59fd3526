import shutil
from pathlib import Path

import pytest
from django.conf import settings

SEEDS = Path(settings.KNOWLEDGE_SEEDS_DIR)
CPP = "002_248634c8ad1578ef.txt"


@pytest.fixture
def seed_copy(tmp_path):
    """A copy of a seed article under another name (the seeds are read-only)."""

    def copy(name=CPP, as_name=None):
        target = tmp_path / (as_name or name)
        shutil.copyfile(SEEDS / name, target)
        return target

    return copy


@pytest.fixture
def loaded_knowledge(db):
    """The shipped knowledge loaded by the test itself, inside its own
    transaction (not the session's ``shipped_knowledge``, tests/conftest.py)."""
    from django.core.management import call_command

    call_command("load_knowledge", verbosity=0)
