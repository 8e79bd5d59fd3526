"""Loading the shipped knowledge (``knowledge/data/*.yaml``) into the database.

The data file is a YAML mapping of sections (``sources``, ``vendors``,
``programs`` ...), each a list of records. Records are matched to existing rows
by their natural key (usually the slug) and updated in place; nothing is ever
deleted, and many-to-many links are only added, so what staff added survives a
reload. The whole load runs in one transaction: any error leaves the database
as it was and is reported with the file, the record and the field.

Evidence: a source's ``text`` is filled from its ``seed_file`` (in
``settings.KNOWLEDGE_SEEDS_DIR``) when the text is empty and the file is there.
Any record (nested ones too) may carry an ``evidence:`` list of passages::

    evidence:
      - source: art-000            # slug of a source loaded before
        exact: "trois niveaux de partenariat"   # verbatim (spacing and quote marks forgiven)
        field: levels_announced    # optional: the attribute it supports
        prefix: "avec "            # optional: words before, when the phrase repeats
        suffix: ", dont"           # optional: words after
        stance: supports           # or disputes (default supports)
        claim: "sold direct"       # optional: the value this side claims
        claimed_by: don-proctor    # optional: a person's or vendor's slug
        note: "..."                # optional

Descriptive text is in English and French (``kb.translation``): ``summary:``
is the English, ``summary_fr:`` the French (a faithful translation, no new
fact). Quotes stay in their original language.

Each passage is anchored in the source's text; words that are not found (or
found several times with nothing to tell them apart) fail the load, naming the
record and the words. A passage on a source whose text is absent (its seed
file is not on this machine) is skipped and reported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from kb import search_index
from kb.caching import bulk_changed
from kb.registry import registry
from sources.models import Passage, Source, Stance
from vendors.models import Person, Vendor

CHANGE_REASON = "load_knowledge"


class _YamlLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings, so a malformed date reaches
    the model's own validation (which names the field) instead of crashing
    the YAML parser."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class KnowledgeError(Exception):
    """A data file that cannot be loaded; the message names file, record, field."""


def sections():
    """The data file's sections, as the apps register them
    (``kb.registry.LoaderSection``), in loading order: a section may only
    refer to sections loaded before it."""
    return registry.loader_sections


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)  # passages per source with no text

    def lines(self):
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        for name in names:
            created, updated, unchanged = self.created[name], self.updated[name], self.unchanged[name]
            yield f"{name}: {created} created, {updated} updated, {unchanged} unchanged"
        for slug, count in sorted(self.skipped.items()):
            yield f"passages: {count} skipped: source {slug} has no text (its seed file is not here)"

    @property
    def changed(self):
        return sum(self.created.values()) + sum(self.updated.values())


def default_data_files() -> list[Path]:
    return sorted((Path(__file__).resolve().parent / "data").glob("*.yaml"))


def load_knowledge(paths=None) -> LoadReport:
    """Load every data file in one transaction and return what changed."""
    paths = [Path(p) for p in (paths or default_data_files())]
    report = LoadReport()
    # ``summary:`` is the English text (``summary_en``), ``summary_fr:`` its
    # French (kb.translation): whatever language the caller has active.
    with (
        translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE),
        transaction.atomic(),
        search_index.deferred(),
    ):
        for path in paths:
            _Loader(path, report).load()
        if report.changed:
            bulk_changed()  # whatever bypassed the signals: cached pages, fragments and derived counts
    return report


class _Loader:
    def __init__(self, path: Path, report: LoadReport):
        self.path = path
        self.report = report

    def fail(self, where: str, message: str):
        raise KnowledgeError(f"{self.path.name}: {where}: {message}")

    def load(self):
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise KnowledgeError(f"{self.path.name}: cannot read the file: {exc}") from exc
        try:
            data = yaml.load(text, Loader=_YamlLoader)  # noqa: S506 (a SafeLoader)
        except yaml.YAMLError as exc:
            raise KnowledgeError(f"{self.path.name}: not valid YAML: {exc}") from exc
        if data is None:
            return
        if not isinstance(data, dict):
            self.fail("top level", "expected a mapping of sections (sources, vendors, programs, ...)")
        self.sections = sections()
        unknown = set(data) - set(self.sections)
        if unknown:
            self.fail("top level", f"unknown section(s) {', '.join(sorted(map(str, unknown)))}")
        self.pending_evidence = []
        for name in self.sections:
            if name in data:
                self.load_section(name, data[name], parent=None)
        for where, obj, evidence in self.pending_evidence:
            self.load_evidence(where, obj, evidence)

    def load_section(self, name, records, parent):
        if records is None:
            return
        if not isinstance(records, list):
            self.fail(name, "expected a list of records")
        for index, record in enumerate(records, start=1):
            self.load_record(name, index, record, parent)

    def load_record(self, name, index, record, parent):
        section = self.sections[name]
        model = section.model
        label = f"{name}[{index}]"
        if not isinstance(record, dict):
            self.fail(label, "expected a mapping of fields")
        ident = record.get("slug") or record.get("title") or record.get("name") or record.get("text", "")[:40]
        where = f"{label} ({ident})" if ident else label
        record = dict(record)
        if parent is not None:
            record.setdefault("program", parent)
        children = {key: record.pop(key) for key in list(record) if key in section.children}
        evidence = record.pop("evidence", None)
        m2m = {key: record.pop(key) for key in list(record) if key in section.m2m}

        concrete = {f.name: f for f in model._meta.concrete_fields}
        allowed = set(concrete) - {"id", "created_at", "updated_at"}
        for key in record:
            if key not in allowed or not concrete[key].editable:
                self.fail(where, f"unknown field '{key}'")

        values = {}
        # Resolve 'program' first: a tier is looked up within its program.
        for key, value in sorted(record.items(), key=lambda kv: kv[0] != "program"):
            if key in section.fks:
                values[key] = self.resolve(where, key, section.related_model(key), value, values)
            else:
                values[key] = value

        lookup = {key: values.get(key) for key in section.key}
        if any(lookup[k] in (None, "") for k in section.key if k in {"slug", "title", "text"}):
            self.fail(where, f"field '{section.key[-1]}' is required")
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model()
        before = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
        for key, value in values.items():
            setattr(obj, key, value)
        if model is Source:
            self.fill_text(where, obj)
        try:
            obj.full_clean()
        except ValidationError as exc:
            self.fail(where, _describe(exc))
        after = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
        changed = created or any(before[k] != after[k] for k in after if k not in {"updated_at", "created_at"})
        if changed:
            obj._change_reason = CHANGE_REASON
            obj.save()

        for key, slugs in m2m.items():
            if not isinstance(slugs, list):
                self.fail(where, f"field '{key}': expected a list of slugs")
            targets = [self.resolve(where, key, section.related_model(key), slug, values) for slug in slugs]
            manager = getattr(obj, key)
            present = set(manager.values_list("pk", flat=True))
            missing = [t for t in targets if t.pk not in present]
            if missing:
                manager.add(*missing)  # add only: links staff made stay
                changed = True

        counter = self.report.created if created else (self.report.updated if changed else self.report.unchanged)
        counter[model._meta.verbose_name_plural] += 1

        if evidence is not None:
            # after every section: a passage may name a person loaded later
            self.pending_evidence.append((where, obj, evidence))

        for key, child_records in children.items():
            self.load_section(section.children[key], child_records, parent=obj)

    def keyed_by_program(self, model):
        return any(sec.model is model and sec.key == ("program", "slug") for sec in self.sections.values())

    def fill_text(self, where, source):
        """An empty text is filled from the seed file, when it is here."""
        if source.text or not source.seed_file:
            return
        path = Path(settings.KNOWLEDGE_SEEDS_DIR) / source.seed_file
        if Path(source.seed_file).name != source.seed_file:
            self.fail(where, f"field 'seed_file': {source.seed_file!r} is not a file name")
        if not path.is_file():
            return
        try:
            source.text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.fail(where, f"cannot read the seed file {source.seed_file}: {exc}")

    EVIDENCE_KEYS = {"source", "exact", "field", "prefix", "suffix", "stance", "claim", "claimed_by", "note"}

    def load_evidence(self, where, obj, items):
        """Anchor and store the record's passages (matched by source, field and
        words; updated in place; passages staff added are left alone)."""
        if not isinstance(items, list):
            self.fail(where, "'evidence': expected a list of passages")
        content_type = ContentType.objects.get_for_model(type(obj))
        for number, item in enumerate(items, start=1):
            at = f"{where}: evidence[{number}]"
            if not isinstance(item, dict):
                self.fail(at, "expected a mapping (source, exact, field, ...)")
            unknown = set(item) - self.EVIDENCE_KEYS
            if unknown:
                self.fail(at, f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")
            for key, value in item.items():
                if not isinstance(value, str):
                    self.fail(at, f"'{key}': expected text, got {value!r}")
            if not item.get("source") or not (item.get("exact") or "").strip():
                self.fail(at, "'source' and 'exact' are required")
            source = self.resolve(at, "source", Source, item["source"], {})
            if not source.text:
                self.report.skipped[source.slug] += 1
                continue
            stance = item.get("stance", Stance.SUPPORTS)
            if stance not in Stance.values:
                self.fail(at, f"'stance': {stance!r} is not one of {', '.join(Stance.values)}")
            person = vendor = None
            if item.get("claimed_by"):
                person = Person.objects.filter(slug=item["claimed_by"]).first()
                vendor = None if person else Vendor.objects.filter(slug=item["claimed_by"]).first()
                if person is None and vendor is None:
                    self.fail(at, f"'claimed_by': no person or vendor with slug '{item['claimed_by']}'")
            passage = Passage(
                source=source,
                exact=item["exact"],
                prefix=item.get("prefix", ""),
                suffix=item.get("suffix", ""),
                content_type=content_type,
                object_id=obj.pk,
                field=item.get("field", ""),
            )
            try:
                passage.anchor()
            except ValidationError as exc:
                self.fail(at, _describe(exc))
            existing = Passage.objects.filter(
                source=source, content_type=content_type, object_id=obj.pk, field=passage.field, exact=passage.exact
            ).first()
            fields = ("prefix", "suffix", "start", "end", "anchor_status", "stance", "claim", "note")
            fields += ("claimed_by_person_id", "claimed_by_vendor_id")
            created = existing is None
            before = None
            if not created:
                before = [getattr(existing, name) for name in fields]
                for name in ("prefix", "suffix", "start", "end", "anchor_status"):
                    setattr(existing, name, getattr(passage, name))
                passage = existing
            passage.stance = stance
            passage.claim = item.get("claim", "")
            passage.note = item.get("note", "")
            passage.claimed_by_person, passage.claimed_by_vendor = person, vendor
            try:
                passage.full_clean()
            except ValidationError as exc:
                self.fail(at, _describe(exc))
            after = [getattr(passage, name) for name in fields]
            name = Passage._meta.verbose_name_plural
            if created or before != after:
                passage._change_reason = CHANGE_REASON
                passage.save()
                (self.report.created if created else self.report.updated)[name] += 1
            else:
                self.report.unchanged[name] += 1

    def resolve(self, where, key, model, value, values):
        """Find a related record by slug; a record whose section is keyed by
        (program, slug), a tier, by slug within the record's program or as
        "program-slug/slug"."""
        if value is None or value == "":
            return None
        if isinstance(value, model):
            return value
        if not isinstance(value, str):
            self.fail(where, f"field '{key}': expected a slug, got {value!r}")
        filters = {"slug": value}
        if self.keyed_by_program(model):
            program = values.get("program")
            if "/" in value:
                program_slug, value = value.split("/", 1)
                filters = {"program__slug": program_slug, "slug": value}
            elif program is not None:
                filters = {"program": program, "slug": value}
        try:
            return model.objects.get(**filters)
        except model.DoesNotExist:
            self.fail(where, f"field '{key}': no {model._meta.verbose_name} with slug '{value}'")
        except model.MultipleObjectsReturned:
            self.fail(where, f"field '{key}': slug '{value}' is ambiguous; use 'program-slug/tier-slug'")


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        parts = []
        for fname, errors in exc.message_dict.items():
            label = "record" if fname == "__all__" else f"field '{fname}'"
            parts.append(f"{label}: {' '.join(errors)}")
        return "; ".join(parts)
    return " ".join(exc.messages)
