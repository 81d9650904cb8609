"""factory_boy factories for every model; published and verified unless a test says otherwise."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from marketplace.choices import EditorialStatus
from municipalities.models import Municipality, SizeClass
from pilots.models import PilotLink, PilotProject, Reference
from solutions.models import Category, Solution, Standard, Vendor, VendorMembership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Musterstadt {n}")
    slug = factory.Sequence(lambda n: f"musterstadt-{n}")
    # Land 09 (Bayern) by default; tests pass ags to pick another Land.
    ags = factory.Sequence(lambda n: f"09{n:06d}")
    kind = Municipality.Kind.STADT
    population = 25_000


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"handlungsfeld-{n}")
    name_de = factory.Sequence(lambda n: f"Handlungsfeld {n}")
    name_en = factory.Sequence(lambda n: f"Field of action {n}")
    position = factory.Sequence(lambda n: n)


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Standard

    name = factory.Sequence(lambda n: f"Standard {n}")
    slug = factory.Sequence(lambda n: f"standard-{n}")


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    name = factory.Sequence(lambda n: f"Anbieter {n} GmbH")
    slug = factory.Sequence(lambda n: f"anbieter-{n}")
    city = "Leipzig"
    is_verified = True


class VendorMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VendorMembership

    vendor = factory.SubFactory(VendorFactory)
    user = factory.SubFactory(UserFactory)
    role = VendorMembership.Role.ADMIN


class SolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Solution
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Lösung {n}")
    slug = factory.Sequence(lambda n: f"loesung-{n}")
    vendor = factory.SubFactory(VendorFactory)
    summary = "Eine Lösung für Kommunen."
    description = "Beschreibung der Lösung."
    size_classes = factory.LazyFunction(lambda: [SizeClass.MEDIUM.value])
    hosting_options = factory.LazyFunction(lambda: ["german_dc"])
    # A new listing leaves these open (the vendor decides them); a published one has them.
    maturity = Solution.Maturity.PILOT
    data_location = Solution.DataLocation.GERMANY
    price_model = Solution.PriceModel.ON_REQUEST
    status = EditorialStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.add(*extracted)

    @factory.post_generation
    def standards(self, create, extracted, **kwargs):
        if create and extracted:
            self.standards.add(*extracted)


class PilotProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PilotProject
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Pilotprojekt {n}")
    slug = factory.Sequence(lambda n: f"pilotprojekt-{n}")
    lead_municipality = factory.SubFactory(MunicipalityFactory)
    summary = "Ein Pilotprojekt."
    status = EditorialStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.add(*extracted)

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners.add(*extracted)


class PilotLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PilotLink

    pilot = factory.SubFactory(PilotProjectFactory)
    label = "Projektseite"
    url = "https://example.org/projekt"


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    solution = factory.SubFactory(SolutionFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    since_year = 2022
    statement = "Läuft zuverlässig im Alltag."
    is_verified = True


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "marketplace.Enquiry"

    kind = "enquiry"
    municipality = factory.SubFactory(MunicipalityFactory)
    name = "Erika Mustermann"
    role = "Digitalisierungsbeauftragte"
    email = factory.Sequence(lambda n: f"anfrage{n}@example.org")
    topic = "procurement"
    message = "Wie beschaffen wir ein Parkleitsystem?"


class BarrierReportFactory(EnquiryFactory):
    kind = "barrier"
    municipality = None
    role = ""
    topic = ""
    page_url = "https://marktplatz.example/loesungen/"
    message = "Der Filter ist mit der Tastatur nicht erreichbar."
