"""The passage rules: words found in the source's text (or a message naming
them), repeated phrases anchored by their context, re-anchoring when the text
is edited, and passages flagged (never dropped) when their words are gone."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from programs.models import Program
from sources.models import AnchorStatus, Passage, Source, Stance
from tests.factories import PassageFactory, ProgramFactory, SourceFactory, TierFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Il va mettre en place un nouveau programme avec trois niveaux de partenariat, dont un « Master ». "
    "Le programme précédent avait aussi trois niveaux de partenariat, sans « Master »."
)


@pytest.fixture
def source():
    return SourceFactory(text=TEXT)


@pytest.fixture
def program():
    return ProgramFactory()


def passage(source, target, exact, **kwargs):
    return Passage(source=source, target=target, exact=exact, **kwargs)


def test_words_found_are_anchored_with_both_selectors(source, program):
    p = passage(source, program, "un « Master »", field="levels_announced")
    p.full_clean()
    p.save()
    p.refresh_from_db()
    assert TEXT[p.start : p.end] == "un « Master »"
    assert p.prefix == TEXT[p.start - 32 : p.start]
    assert p.suffix == TEXT[p.end : p.end + 32]
    assert p.anchor_status == AnchorStatus.ANCHORED
    assert p.target == program
    assert list(program.passages.all()) == [p]
    assert p.get_absolute_url() == f"/sources/{source.slug}/#passage-{p.pk}"


def test_words_not_in_the_text_are_refused_with_a_message_naming_them(source, program):
    with pytest.raises(ValidationError) as info:
        passage(source, program, "quatre niveaux").full_clean()
    assert "quatre niveaux" in " ".join(info.value.message_dict["exact"])
    assert not Passage.objects.exists()


def test_empty_passage_is_refused(source, program):
    with pytest.raises(ValidationError) as info:
        passage(source, program, "   ").full_clean()
    assert "exact" in info.value.message_dict


def test_passage_on_a_source_without_text_is_refused(program):
    empty = SourceFactory(text="")
    with pytest.raises(ValidationError) as info:
        passage(empty, program, "trois niveaux").full_clean()
    assert "has no text" in " ".join(info.value.message_dict["source"])
    with pytest.raises(ValidationError):  # code that skips full_clean() gets the same rule
        passage(empty, program, "trois niveaux").save()
    assert not Passage.objects.exists()


def test_repeated_phrase_is_anchored_by_prefix_or_suffix(source, program):
    words = "trois niveaux de partenariat"
    with pytest.raises(ValidationError) as info:
        passage(source, program, words).full_clean()
    assert "2 times" in " ".join(info.value.message_dict["exact"])
    second = passage(source, program, words, prefix="avait aussi ")
    second.full_clean()
    assert second.start == TEXT.rindex(words)
    first = passage(source, program, words, suffix=", dont un")
    first.full_clean()
    assert first.start == TEXT.index(words)


def test_unknown_field_and_missing_record_are_refused(source, program):
    with pytest.raises(ValidationError) as info:
        passage(source, program, "un « Master »", field="no_such_field").full_clean()
    assert "no_such_field" in " ".join(info.value.message_dict["field"])
    gone = Passage(source=source, content_type=program.passages.content_type, object_id=99999, exact="un « Master »")
    with pytest.raises(ValidationError) as info:
        gone.full_clean()
    assert "object_id" in info.value.message_dict


def test_claim_by_a_person_or_a_vendor_not_both(source, program):
    from tests.factories import PersonFactory

    person = PersonFactory()
    p = passage(source, program, "un « Master »", claimed_by_person=person, claimed_by_vendor=person.employer)
    with pytest.raises(ValidationError):
        p.full_clean()
    p.claimed_by_vendor = None
    p.stance = Stance.DISPUTES
    p.full_clean()
    p.save()
    assert p.claimed_by == person


def test_edit_before_a_passage_reanchors_it(source, program):
    p = passage(source, program, "un « Master »")
    p.save()
    old_start = p.start
    source.text = "Chapeau. " + TEXT
    source.save()
    p.refresh_from_db()
    assert p.start == old_start + len("Chapeau. ")
    assert source.text[p.start : p.end] == "un « Master »"
    assert p.anchor_status == AnchorStatus.ANCHORED
    assert source.orphaned_passages == []


def test_edit_keeps_a_repeated_phrase_on_the_right_occurrence(source, program):
    words = "trois niveaux de partenariat"
    p = passage(source, program, words, prefix="avait aussi ")
    p.save()
    source.text = TEXT.replace("Il va mettre en place", "Cisco va bientôt mettre en place")
    source.save()
    p.refresh_from_db()
    assert p.start == source.text.rindex(words)


def test_passage_whose_words_are_gone_is_flagged_never_dropped(source, program):
    kept = passage(source, program, "un « Master »")
    kept.save()
    lost = passage(source, program, "sans « Master »")
    lost.save()
    source.text = TEXT.replace("sans « Master »", "sans niveau nommé")
    source.save()
    assert source.orphaned_passages == [lost]
    lost.refresh_from_db()
    assert lost.anchor_status == AnchorStatus.ORPHANED
    assert lost.exact == "sans « Master »"  # words and last offsets kept for staff
    assert list(Passage.objects.orphaned()) == [lost]
    assert Passage.objects.get(pk=kept.pk).anchor_status == AnchorStatus.ANCHORED
    # putting the words back re-anchors it
    source.text = TEXT
    source.save()
    lost.refresh_from_db()
    assert lost.anchor_status == AnchorStatus.ANCHORED


def test_passages_have_history(source, program):
    p = passage(source, program, "un « Master »")
    p.save()
    p.note = "Seul niveau nommé."
    p.save()
    assert p.history.count() == 2
    assert p.history.first().note == "Seul niveau nommé."


def test_a_quoted_source_cannot_be_deleted(source, program):
    passage(source, program, "un « Master »").save()
    with pytest.raises(ProtectedError):
        source.delete()
    assert Source.objects.filter(pk=source.pk).exists()


def test_every_knowledge_model_has_passages():
    knowledge = [m for m in admin.site._registry if m._meta.app_label in {"vendors", "programs", "partners", "sources"}]
    without = [
        m.__name__
        for m in knowledge
        if m not in {Source, Passage} and not isinstance(m._meta.get_field("passages"), GenericRelation)
    ]
    assert without == []
    assert Source._meta.get_field("passages").related_model is Passage  # the passages quoting it


def test_prefetching_passages_costs_one_query_per_level(django_assert_num_queries):
    for _ in range(3):
        PassageFactory(target=TierFactory().program)
    with django_assert_num_queries(3):  # programs, their passages, the passages' sources
        programs = list(Program.objects.prefetch_related("passages__source"))
        titles = [p.source.title for program in programs for p in program.passages.all()]
    assert len(titles) == 3


def test_disputed_and_evidenced_fields(source, program):
    passage(source, program, "un « Master »", field="route_to_market").save()
    passage(source, program, "sans « Master »", field="route_to_market", stance=Stance.DISPUTES).save()
    passage(source, program, "Il va mettre en place").save()
    program = Program.objects.prefetch_related("passages").get(pk=program.pk)
    assert program.disputed_fields == {"route_to_market"}
    assert program.evidenced_fields == {"route_to_market", ""}
    assert [p.exact for p in program.passages_for("")] == ["Il va mettre en place"]


def test_staff_see_passages_in_admin(admin_client, source, program):
    p = passage(source, program, "un « Master »", field="levels_announced")
    p.save()
    response = admin_client.get(reverse("admin:sources_passage_change", args=[p.pk]))
    assert response.status_code == 200
    assert program.name in response.content.decode()
    listing = admin_client.get(reverse("admin:sources_passage_changelist"), {"anchor_status": "orphaned"})
    assert listing.status_code == 200
