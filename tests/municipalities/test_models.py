import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from municipalities.models import Municipality, SizeClass, State, ags_validator
from tests.factories import MunicipalityFactory


@pytest.mark.parametrize("ags", ["01001000", "09162000", "16077000", "11000000", "05315000"])
def test_ags_validator_accepts_official_keys(ags):
    assert ags_validator(ags) is None


@pytest.mark.parametrize(
    "ags",
    ["00001000", "17000000", "99162000", "0916200", "091620000", "0916200a", "", " 09162000", "09-16200"],
)
def test_ags_validator_rejects_malformed_keys(ags):
    with pytest.raises(ValidationError) as info:
        ags_validator(ags)
    assert info.value.code == "invalid_ags"


@pytest.mark.django_db
def test_ags_full_clean_reports_the_field():
    municipality = MunicipalityFactory.build(ags="17123456")
    with pytest.raises(ValidationError) as info:
        municipality.full_clean()
    assert list(info.value.message_dict) == ["ags"]


@pytest.mark.django_db
def test_ags_check_constraint_guards_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityFactory(ags="18000000")


@pytest.mark.django_db
def test_state_is_derived_from_ags():
    municipality = MunicipalityFactory(ags="14612000")
    municipality.refresh_from_db()
    assert municipality.state == State.SN
    assert municipality.get_state_display() == "Sachsen"
    with translation.override("en"):
        assert municipality.get_size_class_display() == "Medium-sized town (20,000–99,999)"


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (0, SizeClass.RURAL),
        (4_999, SizeClass.RURAL),
        (5_000, SizeClass.SMALL),
        (19_999, SizeClass.SMALL),
        (20_000, SizeClass.MEDIUM),
        (99_999, SizeClass.MEDIUM),
        (100_000, SizeClass.LARGE),
        (3_700_000, SizeClass.LARGE),
    ],
)
@pytest.mark.django_db
def test_size_class_follows_population(population, expected):
    municipality = MunicipalityFactory(population=population)
    municipality.refresh_from_db()
    assert municipality.size_class == expected
    assert SizeClass.for_population(population) == expected


@pytest.mark.django_db
def test_size_class_follows_a_bulk_population_update():
    municipality = MunicipalityFactory(population=4_000)
    Municipality.objects.filter(pk=municipality.pk).update(population=250_000)
    municipality.refresh_from_db()
    assert municipality.size_class == SizeClass.LARGE


@pytest.mark.django_db
def test_round_requires_funded_model_project():
    municipality = MunicipalityFactory.build(is_model_project=False, model_project_round=2020)
    with pytest.raises(ValidationError) as info:
        municipality.full_clean()
    assert "model_project_round" in info.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        municipality.save()


@pytest.mark.django_db
def test_similar_to_prefers_same_state_and_size():
    home = MunicipalityFactory(ags="09100001", population=30_000)
    same_state = MunicipalityFactory(ags="09100002", population=40_000, name="Zellingen")
    other_state = MunicipalityFactory(ags="08100003", population=35_000, name="Aalen-Test")
    other_size = MunicipalityFactory(ags="09100004", population=300_000)  # ranked, but last
    # The ranking itself: tests/municipalities/test_similarity.py.
    assert list(Municipality.objects.similar_to(home)) == [same_state, other_state, other_size]
