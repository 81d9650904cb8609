import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from marketplace.choices import EditorialStatus
from pilots.models import PilotProject, Reference
from tests.factories import PilotProjectFactory, ReferenceFactory, SolutionFactory


@pytest.mark.django_db
def test_published_returns_only_published_pilots():
    visible = PilotProjectFactory(title="Öffentlich")
    for status in EditorialStatus:
        if status != EditorialStatus.PUBLISHED:
            PilotProjectFactory(status=status)
    assert list(PilotProject.objects.published()) == [visible]


@pytest.mark.django_db
def test_round_only_with_model_project_funding():
    pilot = PilotProjectFactory.build(funding="eu", model_project_round=2019)
    with pytest.raises(ValidationError) as info:
        pilot.clean()
    assert list(info.value.message_dict) == ["model_project_round"]
    pilot.lead_municipality.save()
    pilot.lead_municipality_id = pilot.lead_municipality.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        pilot.save()


@pytest.mark.django_db
def test_end_not_before_start():
    pilot = PilotProjectFactory.build(
        start_date=datetime.date(2022, 5, 1), end_date=datetime.date(2021, 1, 1)
    )
    with pytest.raises(ValidationError) as info:
        pilot.clean()
    assert list(info.value.message_dict) == ["end_date"]


@pytest.mark.django_db
def test_public_references_belong_to_published_solutions():
    shown = ReferenceFactory()
    ReferenceFactory(solution=SolutionFactory(status=EditorialStatus.DRAFT))
    assert list(Reference.objects.public()) == [shown]


@pytest.mark.django_db
def test_one_reference_per_solution_and_municipality():
    reference = ReferenceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceFactory(solution=reference.solution, municipality=reference.municipality)


@pytest.mark.django_db
def test_pilot_search_vector_uses_german_stems():
    pilot = PilotProjectFactory(title="Digitale Bürgerbeteiligung", summary="Beteiligungsplattform", goals="")
    pilot.refresh_from_db()
    assert pilot.search_vector == "'beteiligungsplattform':3B 'burgerbeteil':2A 'digital':1A"
