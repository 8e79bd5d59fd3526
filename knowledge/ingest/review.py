"""Accepting and rejecting candidates: what the review screen does.

Accepting a candidate creates the record it stands for (or links the record
it matched, or the one the reviewer chose to merge it with), cites the source
on it, attaches the candidate's words as a Passage (its evidence), and marks
every other mention of the same thing in the document as accepted too. All
of it in one transaction; the record's history says "from source X".
Accepting again links to the same record: nothing is duplicated.

A record that changed after the review page showed it is not written to: the
acceptance is refused with what changed (the admin's optimistic locking).
"""

import datetime

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kb.admin import conflict_error
from kb.models import DatePrecision
from utilities.text import normalize

from .gazetteer import key

# candidate kind -> the model accepting it creates (None: evidence for another record)
KIND_MODELS = {
    "organisation": "vendors.vendor",
    "person": "vendors.person",
    "program": "programs.program",
    "tier": "programs.tier",
    "focus_area": "programs.focusarea",
    "quote": "sources.quote",
    "date": "programs.programevent",
    "benefit": "programs.benefit",
    "figure": None,
    "place": None,
}
GROUPED = {"organisation", "person", "program", "tier", "focus_area", "place"}
LEVEL_UNITS = {"niveaux", "niveau", "levels", "level", "tiers", "paliers"}


def unique_slug(model, text, max_length=190, **scope):
    base = slugify(text)[:max_length].strip("-") or model._meta.model_name
    slug, n = base, 2
    while model._default_manager.filter(slug=slug, **scope).exists():
        slug = f"{base[: max_length - 4]}-{n}"
        n += 1
    return slug


class ReviewError(Exception):
    """``record``: on a conflict, the record that changed meanwhile (as it is now)."""

    def __init__(self, messages, record=None):
        self.record = record
        self.messages = [str(m) for m in (messages if isinstance(messages, list | tuple) else [messages])]
        super().__init__(" ".join(self.messages))


def group_key(kind, value, text, match_model="", match_slug=""):
    """Mentions of one thing share a group: 'Cisco' five times is one line to review."""
    if kind not in GROUPED:
        return ""
    if match_slug:
        return f"{kind}:{match_model}:{match_slug}"[:300]
    if kind == "program" and value.get("unnamed"):
        return "program:unnamed"
    name = value.get("name") or text
    if kind == "program" and value.get("acronym"):
        name = value["acronym"]
    return f"{kind}:{key(name)}"[:300]


def model_for(kind):
    label = KIND_MODELS.get(kind)
    return apps.get_model(label) if label else None


def accepted_records(ingestion):
    """{(app_label.model, pk): record} of everything accepted from this document."""
    from ..models import CandidateStatus

    out = {}
    rows = ingestion.candidates.filter(status=CandidateStatus.ACCEPTED, record_id__isnull=False).select_related(
        "record_type"
    )
    by_type = {}
    for c in rows:
        by_type.setdefault(c.record_type, set()).add(c.record_id)
    for ct, pks in by_type.items():
        for obj in ct.model_class()._default_manager.filter(pk__in=pks):
            out[(ct.app_label + "." + ct.model, obj.pk)] = obj
    return out


def _by_name(model, name):
    if not name:
        return None
    wanted = key(name)
    for obj in model._default_manager.all():
        names = [getattr(obj, "name", ""), getattr(obj, "acronym", "")]
        if any(n and key(n) == wanted for n in names):
            return obj
    return None


def _nearest_program(candidate):
    """The program accepted from this document whose mention comes last before the candidate."""
    from programs.models import Program

    from ..models import CandidateStatus

    mention = (
        candidate.ingestion.candidates.filter(
            kind="program", status=CandidateStatus.ACCEPTED, start__lt=candidate.start, record_id__isnull=False
        )
        .order_by("-start")
        .first()
    )
    if mention is None:
        return None
    return Program.objects.filter(pk=mention.record_id).first()


def _program_of_source(candidate):
    """The program accepted from this document named last before the
    candidate, else the first one named after it."""
    from programs.models import Program

    from ..models import CandidateStatus

    found = _nearest_program(candidate)
    if found is None:
        mention = (
            candidate.ingestion.candidates.filter(
                kind="program", status=CandidateStatus.ACCEPTED, record_id__isnull=False
            )
            .order_by("start")
            .first()
        )
        found = Program.objects.filter(pk=mention.record_id).first() if mention else None
    return found


def defaults(candidate):
    """Initial values of the review form for a candidate: its value, with the
    records it refers to resolved (matched, or accepted from this document)."""
    from programs.models import Program
    from vendors.models import Person, Vendor

    v = candidate.value or {}
    out = {}
    if candidate.kind in ("organisation", "person", "program", "tier", "focus_area"):
        out["name"] = v.get("name") or ""
    if candidate.kind == "focus_area":
        out["program"] = _program_of_source(candidate)
    if candidate.kind == "program":
        out["acronym"] = v.get("acronym") or ""
        out["vendor"] = Vendor.objects.filter(slug=v.get("organisation_match") or "").first() or _by_name(
            Vendor, v.get("organisation")
        )
    if candidate.kind == "person":
        out["employer"] = Vendor.objects.filter(slug=v.get("organisation_match") or "").first() or _by_name(
            Vendor, v.get("organisation")
        )
    if candidate.kind in ("tier", "benefit", "date", "quote", "figure"):
        program = Program.objects.filter(slug=v.get("program_match") or "").first() or _by_name(
            Program, v.get("program")
        )
        out["program"] = program or _nearest_program(candidate)
    if candidate.kind == "tier":
        out["tier_kind"] = v.get("kind") or "level"
    if candidate.kind == "benefit":
        out["title"] = (v.get("title") or candidate.text)[:200]
        out["benefit_kind"] = v.get("kind") or "other"
    if candidate.kind == "quote":
        person = Person.objects.filter(slug=v.get("speaker_match") or "").first() or _by_name(Person, v.get("speaker"))
        out["person"] = person
        out["vendor"] = person.employer if person and person.employer_id else None
        out["language"] = v.get("language") or candidate.ingestion.source.language
    if candidate.kind == "date":
        out.update(_dates(v))
        out["title"] = ""
        out["event_kind"] = "other"
        program = out.get("program")
        out["vendor"] = program.vendors.first() if program else None
        out["date_text"] = candidate.text[:300]
    if candidate.kind == "figure":
        unit = normalize(v.get("unit") or "")
        out["levels"] = unit in LEVEL_UNITS and isinstance(v.get("value"), int)
    return out


def _dates(v):
    """start/end dates and precision from a date value; only what is stated."""

    def parse(s):
        if not s or "X" in s or s.endswith("~"):
            return None
        parts = s.split("-")
        try:
            if len(parts) == 3:
                return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
            if len(parts) == 2:
                return datetime.date(int(parts[0]), int(parts[1]), 1)
            if len(parts) == 1 and len(s) == 4:
                return datetime.date(int(s), 1, 1)
        except ValueError:
            return None
        return None

    start, end = parse(v.get("start")), parse(v.get("end"))
    precision = v.get("precision")
    if start is None or precision not in DatePrecision.values:
        return {"start_date": None, "end_date": None, "precision": DatePrecision.UNKNOWN}
    return {"start_date": start, "end_date": end, "precision": precision}


def _check_version(obj, seen_version):
    if seen_version is not None and obj.version != seen_version:
        error = conflict_error(type(obj), obj.pk, seen_version)
        raise ReviewError([m for e in error.error_list for m in e.messages], record=obj)


def _save(obj, reason):
    obj._change_reason = reason
    try:
        obj.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise ReviewError(
            [f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v) for k, v in exc.message_dict.items()]
        ) from exc
    obj.save()


def _cite(obj, source, reason):
    if hasattr(obj, "sources") and not obj.sources.filter(pk=source.pk).exists():
        obj.sources.add(source)
        obj._change_reason = reason
        obj.save()  # a history row that says where the link came from


def _passage(candidate, obj, field="", claimed_by_person=None, note=""):
    from sources.models import Passage

    source = candidate.ingestion.source
    ct = ContentType.objects.get_for_model(obj)
    existing = Passage.objects.filter(
        source=source, content_type=ct, object_id=obj.pk, start=candidate.start, end=candidate.end, field=field
    ).first()
    if existing:
        return existing
    p = Passage(
        source=source,
        exact=candidate.text,
        prefix=candidate.prefix,
        suffix=candidate.suffix,
        content_type=ct,
        object_id=obj.pk,
        field=field,
        claimed_by_person=claimed_by_person,
        note=note,
    )
    p.anchor(source.text, candidate.start)
    p._change_reason = (_("from source %(source)s") % {"source": source.slug})[:100]
    p.save()
    return p


def _fields_stated(candidate, obj):
    """The fields of ``obj`` the candidate's words are evidence for: an event's
    dates for a date (so "Needs evidence" does not list them), else the record
    as a whole ("")."""
    if candidate.kind == "date":
        return [name for name in ("start_date", "end_date") if getattr(obj, name, None) is not None] or [""]
    return [""]


def _create(candidate, data, reason):
    """The new record for a candidate, from the reviewed form data."""
    from programs.models import Benefit, FocusArea, Program, ProgramEvent, Tier
    from sources.models import Quote
    from vendors.models import Person, Vendor

    source = candidate.ingestion.source
    kind = candidate.kind
    name = (data.get("name") or "").strip()
    if kind == "organisation":
        obj = _by_name(Vendor, name) or Vendor(name=name, slug=unique_slug(Vendor, name))
    elif kind == "person":
        obj = _by_name(Person, name) or Person(name=name, slug=unique_slug(Person, name), employer=data.get("employer"))
    elif kind == "program":
        obj = _by_name(Program, data.get("acronym") or name) or _by_name(Program, name)
        if obj is None:
            obj = Program(
                name=name,
                acronym=(data.get("acronym") or "").strip(),
                slug=unique_slug(Program, data.get("acronym") or name),
            )
    elif kind == "focus_area":
        obj = _by_name(FocusArea, name) or FocusArea(name=name, slug=unique_slug(FocusArea, name, max_length=100))
    elif kind == "tier":
        program = data.get("program")
        if program is None:
            raise ReviewError(_("Choose the program this tier belongs to (accept the program first)."))
        obj = Tier.objects.filter(program=program, name__iexact=name).first()
        if obj is None:
            obj = Tier(
                program=program,
                name=name,
                kind=data.get("tier_kind") or "level",
                slug=unique_slug(Tier, name, program=program),
            )
    elif kind == "benefit":
        program = data.get("program")
        if program is None:
            raise ReviewError(_("Choose the program this benefit belongs to (accept the program first)."))
        title = (data.get("title") or "").strip()
        obj = Benefit.objects.filter(program=program, title__iexact=title).first() or Benefit(
            program=program, title=title, kind=data.get("benefit_kind") or "other", description=candidate.text
        )
    elif kind == "quote":
        person = data.get("person")
        if person is None:
            raise ReviewError(_("Choose who said it (accept the person first)."))
        text = " ".join(candidate.text.split())
        obj = Quote.objects.filter(person=person, source=source, text=text).first() or Quote(
            person=person,
            text=text,
            source=source,
            language=data.get("language") or source.language,
            program=data.get("program"),
            vendor=data.get("vendor"),
        )
    elif kind == "date":
        title = (data.get("title") or "").strip()
        if not title:
            raise ReviewError(_("Give the event a title."))
        obj = ProgramEvent(
            title=title,
            slug=unique_slug(ProgramEvent, title),
            kind=data.get("event_kind") or "other",
            program=data.get("program"),
            vendor=data.get("vendor"),
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
            precision=data.get("precision") or DatePrecision.UNKNOWN,
            date_text=(data.get("date_text") or candidate.text)[:300],
            place=(data.get("place") or "")[:200],
        )
    else:
        raise ReviewError(_("This kind of candidate is attached to a record as evidence, not accepted on its own."))
    if obj.pk is None:
        _save(obj, reason)
    if kind == "program" and data.get("vendor"):
        obj.vendors.add(data["vendor"])
    return obj


@transaction.atomic
def accept(candidate, user, data, existing=None, seen_version=None):
    """Accept ``candidate`` (an ExtractedCandidate) with the reviewed ``data``.
    ``existing``: link (merge) into that record instead of creating one;
    ``seen_version``: its version when the reviewer saw it. Returns the record."""
    from ..models import CandidateStatus, ExtractedCandidate

    candidate = ExtractedCandidate.objects.select_for_update().select_related("ingestion__source").get(pk=candidate.pk)
    source = candidate.ingestion.source
    reason = (_("from source %(source)s") % {"source": source.slug})[:100]  # history's change reason: 100 chars
    kind = candidate.kind
    if candidate.status == CandidateStatus.ACCEPTED and candidate.record is not None and existing is None:
        obj = candidate.record  # accepted before: link again, never duplicate
    elif kind in ("figure", "place"):
        obj = _attach(candidate, data, existing, seen_version, reason)
    else:
        if existing is None and candidate.match_slug:
            model = model_for(kind)
            existing = model._default_manager.filter(slug=candidate.match_slug).first() if model else None
            if seen_version is None:
                seen_version = candidate.match_version
        if existing is not None:
            model = model_for(kind)
            if model is not None and not isinstance(existing, model):
                raise ReviewError(_("A %(kind)s can only be merged with a record of the same kind.") % {"kind": kind})
            existing = type(existing)._default_manager.select_for_update().get(pk=existing.pk)
            _check_version(existing, seen_version)
            obj = existing
        else:
            obj = _create(candidate, data, reason)
    if kind == "focus_area" and data.get("program") is not None:
        _add_focus_area(data["program"], obj, reason)
    if kind not in ("figure", "place"):
        _cite(obj, source, reason)
        speaker = obj.person if kind == "quote" else None
        for field in _fields_stated(candidate, obj):
            _passage(candidate, obj, field=field, claimed_by_person=speaker)
    if not source.is_published:
        source.is_published = True
        source._change_reason = reason
        source.save()
    ct = ContentType.objects.get_for_model(obj)
    now = timezone.now()
    group = [candidate.pk]
    if candidate.group:
        group += list(
            candidate.ingestion.candidates.filter(group=candidate.group, status=CandidateStatus.PENDING)
            .exclude(pk=candidate.pk)
            .values_list("pk", flat=True)
        )
    ExtractedCandidate.objects.filter(pk__in=group).update(
        status=CandidateStatus.ACCEPTED, record_type=ct, record_id=obj.pk, decided_by=user, decided_at=now
    )
    return obj


def _add_focus_area(program, focus_area, reason):
    """The program (accepted from the same source) is given the focus area;
    its history says so."""
    if not program.focus_areas.filter(pk=focus_area.pk).exists():
        program.focus_areas.add(focus_area)
        program._change_reason = reason
        program.save()


def _attach(candidate, data, existing, seen_version, reason):
    """A figure or a place: evidence for another record (a program's number of
    levels, an event's place)."""
    from programs.models import Program, ProgramEvent

    target = existing or data.get("record")
    if candidate.kind == "figure" and data.get("levels") and isinstance(target or data.get("program"), Program):
        program = Program.objects.select_for_update().get(pk=(target or data["program"]).pk)
        _check_version(program, seen_version)
        program.levels_announced = candidate.value.get("value")
        _save(program, reason)
        _cite(program, candidate.ingestion.source, reason)
        _passage(candidate, program, field="levels_announced")
        return program
    if target is None:
        raise ReviewError(_("Choose the record this is evidence for."))
    target = type(target)._default_manager.select_for_update().get(pk=target.pk)
    _check_version(target, seen_version)
    field = ""
    if candidate.kind == "place" and isinstance(target, ProgramEvent):
        target.place = candidate.value.get("name") or candidate.text
        _save(target, reason)
        field = "place"
    _passage(candidate, target, field=field)
    return target


@transaction.atomic
def reject(candidate, user):
    from ..models import CandidateStatus, ExtractedCandidate

    group = [candidate.pk]
    if candidate.group:
        group += list(
            candidate.ingestion.candidates.filter(group=candidate.group, status=CandidateStatus.PENDING).values_list(
                "pk", flat=True
            )
        )
    ExtractedCandidate.objects.filter(pk__in=group, status=CandidateStatus.PENDING).update(
        status=CandidateStatus.REJECTED, decided_by=user, decided_at=timezone.now()
    )
