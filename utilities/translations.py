"""The interface's translation catalogue: how it is made and how it is checked.

Only French is translated (English is the source language). The catalogue
``locale/fr/LC_MESSAGES/django.po`` and its compiled ``django.mo`` are
committed, so running the site needs no gettext tools.

- ``update_catalogue()`` (``make messages``): ``makemessages`` (xgettext) then
  ``compilemessages`` (msgfmt) over the project, with ``MAKEMESSAGES_OPTIONS``.
- ``check_catalogue()`` (``make i18n-check``, CI, and tests/test_i18n.py)
  returns the problems found; none means the catalogue is complete:

  a. every message of the French catalogue is translated and none is fuzzy;
  b. ``makemessages`` run on a temporary copy of the project would add no
     message that the committed catalogue lacks (a string marked for
     translation but never extracted, hence never translated);
  c. the committed ``.mo`` holds exactly the ``.po``'s translations (it was
     compiled after the last edit).

(a) and (c) read the files with polib and need no gettext tools; (b) needs
xgettext (Debian package ``gettext``) and ``msgfmt --check`` runs when msgfmt
is there.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

LANGUAGE = "fr"
DOMAIN = "django"

#: Directories never scanned for messages (nor copied for the check).
IGNORED = [
    ".venv",
    "venv",
    ".git",
    "node_modules",
    "staticfiles",
    "bench",
    "tests",
    "docs",
    "locale",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
]

#: The one set of makemessages options, used by ``make messages`` and by the check.
MAKEMESSAGES_OPTIONS = {
    "locale": [LANGUAGE],
    "domain": DOMAIN,
    "ignore_patterns": [f"{name}/*" for name in IGNORED] + [f"*/{name}/*" for name in IGNORED],
    "no_obsolete": True,
    "add_location": "file",
    "verbosity": 0,
}


def project_dir():
    return Path(settings.BASE_DIR)


def po_path(base=None):
    return Path(base or project_dir()) / "locale" / LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.po"


def gettext_tools_missing():
    """The gettext programs the full check and ``make messages`` need, if absent."""
    return [tool for tool in ("xgettext", "msgmerge", "msguniq", "msgfmt") if shutil.which(tool) is None]


def update_catalogue():
    """Extract the messages into the French .po (keeping translations) and compile the .mo."""
    missing = gettext_tools_missing()
    if missing:
        raise RuntimeError(f"Install GNU gettext (Debian: apt-get install gettext); missing: {', '.join(missing)}.")
    base = project_dir()
    cwd = os.getcwd()
    try:
        os.chdir(base)
        po_path(base).parent.mkdir(parents=True, exist_ok=True)
        call_command("makemessages", **MAKEMESSAGES_OPTIONS)
        compile_mo(po_path(base))
    finally:
        os.chdir(cwd)


def compile_mo(po_file, mo_file=None):
    mo_file = mo_file or Path(po_file).with_suffix(".mo")
    subprocess.run(["msgfmt", "--check-format", "-o", str(mo_file), str(po_file)], check=True)
    return mo_file


def _key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _translations(entries):
    result = {}
    for entry in entries:
        if entry.msgid == "":  # the header
            continue
        if entry.msgid_plural:
            value = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            value = entry.msgstr
        result[(entry.msgctxt or "", entry.msgid)] = value
    return result


def check_translated(po):
    problems = []
    if po.metadata_is_fuzzy:
        problems.append("the catalogue's header is fuzzy (msgfmt would drop it, and its plural rule): remove the flag")
    if "plural=(n>1)" not in po.metadata.get("Plural-Forms", "").replace(" ", ""):
        problems.append("the header's Plural-Forms is not French's: nplurals=2; plural=(n > 1);")
    for entry in po:
        if entry.obsolete:
            continue
        label = _describe(entry)
        if entry.fuzzy:
            problems.append(f"fuzzy (check the translation, then remove the fuzzy flag): {label}")
        elif not entry.translated():
            problems.append(f"untranslated: {label}")
    return problems


def check_mo_current(po, mo_file):
    import polib

    if not mo_file.exists():
        return [f"{mo_file} is missing: run `make messages` (or compilemessages)."]
    expected = _translations(e for e in po.translated_entries() if not e.fuzzy)
    compiled = _translations(polib.mofile(str(mo_file)))
    if expected != compiled:
        differing = sorted(set(expected.items()) ^ set(compiled.items()), key=repr)
        sample = "; ".join(repr(key[1][:60]) for key, _value in differing[:5])
        return [f"{mo_file} is stale ({len(differing)} differing message(s), e.g. {sample}): run `make messages`."]
    return []


def check_extracted(po):
    """Run makemessages on a temporary copy of the project and list the
    messages it would add to the committed catalogue."""
    import polib

    base = project_dir()
    problems = []
    with tempfile.TemporaryDirectory(prefix="kb-i18n-") as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(
            base, copy, ignore=shutil.ignore_patterns(*[n for n in IGNORED if n != "locale"], "*.pyc", "*.sqlite3*")
        )
        cwd = os.getcwd()
        try:
            os.chdir(copy)
            with override_settings(LOCALE_PATHS=[copy / "locale"]):
                call_command("makemessages", **MAKEMESSAGES_OPTIONS)
        finally:
            os.chdir(cwd)
        extracted = polib.pofile(str(po_path(copy)))
    committed = {_key(e) for e in po if not e.obsolete}
    for entry in extracted:
        if entry.obsolete or entry.msgid == "":
            continue
        if _key(entry) not in committed:
            where = ", ".join(sorted({path for path, _line in entry.occurrences}))
            problems.append(
                f"not in the catalogue (run `make messages` and translate it): {_describe(entry)} [{where}]"
            )
    return problems


def check_format(po_file):
    if shutil.which("msgfmt") is None:
        return []
    result = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(po_file)], capture_output=True, text=True, check=False
    )
    return [f"msgfmt --check: {line}" for line in result.stderr.splitlines()] if result.returncode else []


def check_catalogue(extract=True):
    """Every problem of the French catalogue, as sentences; empty when all is well.
    ``extract=False`` skips the makemessages comparison (which needs xgettext)."""
    import polib

    po_file = po_path()
    if not po_file.exists():
        return [f"{po_file} is missing: run `make messages`."]
    po = polib.pofile(str(po_file))
    problems = check_translated(po)
    problems += check_format(po_file)
    problems += check_mo_current(po, po_file.with_suffix(".mo"))
    if extract:
        problems += check_extracted(po)
    return problems


def _describe(entry):
    text = entry.msgid if len(entry.msgid) <= 80 else entry.msgid[:77] + "..."
    context = f" (context {entry.msgctxt!r})" if entry.msgctxt else ""
    return f"{text!r}{context}"
