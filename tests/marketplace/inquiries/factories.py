"""Factories of the request for information tests (tests/factories.py is shared and stays as it is)."""

import factory
from django.utils import timezone

from marketplace.inquiries.models import Answer, Inquiry, Recipient
from tests.factories import VendorFactory


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    need = "Eine digitale Parkraumerfassung."
    timeframe = "6m"
    municipality_name = factory.Sequence(lambda n: f"Musterstadt {n}")
    inhabitants = 42_000
    budget = "10-50k"
    questions = "Welche Schnittstellen gibt es?"
    name = "Erika Mustermann"
    email = factory.Sequence(lambda n: f"kommune{n}@example.org")
    language = "en"
    consent_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient
        skip_postgeneration_save = True

    inquiry = factory.SubFactory(InquiryFactory)
    vendor = factory.SubFactory(VendorFactory)
    notified_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def solutions(self, create, extracted, **kwargs):
        if create and extracted:
            self.solutions.set(extracted)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    recipient = factory.SubFactory(RecipientFactory)
    text = "Gern stellen wir Ihnen unsere Lösung vor."
