"""Factories of the agreements tests (tests/factories.py is shared and stays as it is)."""

import datetime

import factory
from django.utils import timezone

from solutions.agreements.models import FrameworkAgreement, Organisation


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Einkaufsgemeinschaft {n}")
    slug = factory.Sequence(lambda n: f"einkauf-{n}")
    kind = Organisation.Kind.PURCHASING

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrameworkAgreement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Rahmenvereinbarung {n}")
    slug = factory.Sequence(lambda n: f"rahmenvereinbarung-{n}")
    reference_number = factory.Sequence(lambda n: f"RV-2026-{n:03d}")
    body_kind = FrameworkAgreement.BodyKind.LAND
    body_name = "Freistaat Bayern"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=300))
    eligibility = FrameworkAgreement.Eligibility.ALL_PUBLIC
    contract_type = FrameworkAgreement.ContractType.EVB_IT_CLOUD

    @factory.post_generation
    def solutions(self, create, extracted, **kwargs):
        if create and extracted:
            self.solutions.add(*extracted)

    @factory.post_generation
    def vendors(self, create, extracted, **kwargs):
        if create and extracted:
            self.vendors.add(*extracted)

    @factory.post_generation
    def listed(self, create, extracted, **kwargs):
        if create and extracted:
            self.eligible_municipalities.add(*extracted)
