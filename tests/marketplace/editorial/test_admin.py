import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
    StandardFactory,
    UserFactory,
)

CHANGELISTS = [
    ("solutions", "solution"),
    ("solutions", "vendor"),
    ("solutions", "category"),
    ("solutions", "standard"),
    ("pilots", "pilotproject"),
    ("pilots", "reference"),
    ("municipalities", "municipality"),
]


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


@pytest.fixture
def content():
    category = CategoryFactory(name_de="Mobilität")
    solution = SolutionFactory(title="Parkleitsystem", categories=[category], standards=[StandardFactory()])
    pilot = PilotProjectFactory(title="Smarte Parkplätze", categories=[category])
    ReferenceFactory(solution=solution, municipality=MunicipalityFactory(name="Musterhausen"), pilot=pilot)
    return solution


@pytest.mark.django_db
@pytest.mark.parametrize(("app", "model"), CHANGELISTS)
def test_editor_group_can_open_every_content_changelist(client, editor, content, app, model):
    response = client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.django_db
def test_editor_can_open_the_solution_form_and_search(client, editor, content):
    response = client.get(reverse("admin:solutions_solution_change", args=[content.pk]))
    assert response.status_code == 200
    assert b"Parkleitsystem" in response.content
    found = client.get(reverse("admin:solutions_solution_changelist"), {"q": "Parkleit"})
    assert [row.pk for row in found.context["cl"].result_list] == [content.pk]


@pytest.mark.django_db
def test_editor_cannot_manage_user_accounts(client, editor):
    response = client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 403


@pytest.mark.django_db
def test_non_staff_user_gets_the_admin_login(client):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(reverse("admin:solutions_solution_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_editor_group_permissions():
    codenames = set(Group.objects.get(name="Redaktion").permissions.values_list("codename", flat=True))
    assert {
        "change_solution",
        "view_vendor",
        "change_pilotproject",
        "change_reference",
        "change_municipality",
    } <= (codenames)
    assert "delete_user" not in codenames
    assert "change_user" not in codenames
