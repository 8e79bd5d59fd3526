"""factory_boy factories for every knowledge model."""

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils.text import slugify

from partners.models import Membership, Partner, PartnerKind
from programs.models import Benefit, BenefitKind, FocusArea, Program, ProgramEvent, Tier, TierKind
from sources.models import Passage, Quote, Source
from vendors.models import Person, RelationKind, Vendor, VendorRelation


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    name = factory.Sequence(lambda n: f"Vendor {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    employer = factory.SubFactory(VendorFactory)


class VendorRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VendorRelation

    vendor = factory.SubFactory(VendorFactory)
    other_vendor = factory.SubFactory(VendorFactory)
    kind = RelationKind.ALLIANCE


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    name = factory.Sequence(lambda n: f"Focus {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))

    @factory.post_generation
    def vendors(self, create, extracted, **kwargs):
        if create:
            self.vendors.set(extracted if extracted is not None else [VendorFactory()])


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tier

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Tier {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = TierKind.LEVEL
    rank = factory.Sequence(lambda n: n + 1)


class BenefitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benefit

    program = factory.SubFactory(ProgramFactory)
    kind = BenefitKind.DISCOUNT
    title = factory.Sequence(lambda n: f"Benefit {n}")


class ProgramEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramEvent

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    kind = "announcement"
    program = factory.SubFactory(ProgramFactory)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = PartnerKind.RESELLER


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partner = factory.SubFactory(PartnerFactory)
    tier = factory.SubFactory(TierFactory)


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    person = factory.SubFactory(PersonFactory)
    text = "Nous sommes prêts."
    source = factory.SubFactory(SourceFactory)
    vendor = factory.SelfAttribute("person.employer")


PASSAGE_TEXT = "Le programme compte trois niveaux de partenariat, dont un « Master »."


class PassageFactory(factory.django.DjangoModelFactory):
    """A passage on a source whose text contains it (anchored on save)."""

    class Meta:
        model = Passage
        exclude = ["target"]

    source = factory.SubFactory(SourceFactory, text=PASSAGE_TEXT)
    exact = "trois niveaux de partenariat"
    target = factory.SubFactory(ProgramFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.target))
    object_id = factory.LazyAttribute(lambda o: o.target.pk)
