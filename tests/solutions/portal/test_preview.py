"""The preview: the public page of a listing exactly as it will look, for its organisation's members only."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from marketplace.choices import EditorialStatus
from solutions import services
from solutions.models import Solution, SolutionRevision
from tests.factories import CategoryFactory, StandardFactory, UserFactory

from .conftest import form_data, image_bytes, read_file_response

pytestmark = pytest.mark.django_db


def _stored(file) -> bytes:
    with file.storage.open(file.name, "rb") as handle:
        return handle.read()


BANNER = "Preview – this is how the listing will look once it is published"


def _url(solution) -> str:
    return reverse("vendor:solution_preview", kwargs={"pk": solution.pk})


def test_preview_url():
    assert reverse("vendor:solution_preview", kwargs={"pk": 7}) == "/anbieter/loesungen/7/vorschau/"


def test_owner_sees_the_public_page_marked_as_preview(client, owner, draft):
    client.force_login(owner)
    response = client.get(_url(draft))
    html = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == [
        "solutions/portal/solution_preview.html",
        "base.html",
    ]
    assert "solutions/_detail_body.html" in [t.name for t in response.templates]
    assert BANNER in html
    assert html.index(BANNER) < html.index("<h1>Bürgerportal</h1>")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_member_with_the_editor_role_may_preview(client, editor_member, draft):
    client.force_login(editor_member)
    assert client.get(_url(draft)).status_code == 200


def test_outsider_gets_404_and_anonymous_the_login(client, outsider, draft):
    client.force_login(outsider)
    assert client.get(_url(draft)).status_code == 404
    client.logout()
    response = client.get(_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_preview_is_never_served_from_the_page_cache(client, owner, draft, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client.force_login(owner)
    client.get(_url(draft))
    Solution.objects.filter(pk=draft.pk).update(summary="Ganz neu formuliert.")
    assert "Ganz neu formuliert." in client.get(_url(draft)).content.decode()


def test_preview_while_in_review(client, owner, draft):
    Solution.objects.filter(pk=draft.pk).update(status=EditorialStatus.SUBMITTED)
    client.force_login(owner)
    response = client.get(_url(draft))
    assert response.status_code == 200
    assert BANNER in response.content.decode()


def test_published_listing_is_previewed_with_its_pending_changes_applied_but_not_saved(
    client, owner, published, category
):
    new_category = CategoryFactory(slug="energie", name_de="Energie", name_en="Energy")
    standard = StandardFactory(name="OParl")
    client.force_login(owner)
    client.post(
        reverse("vendor:solution_edit", kwargs={"pk": published.pk}),
        form_data(
            published,
            title="Parkraum live 2",
            summary="Jetzt mit Prognose.",
            categories=[str(new_category.pk)],
            standards=[str(standard.pk)],
            price_model="subscription",
        ),
    )
    assert SolutionRevision.objects.filter(solution=published, status="pending").exists()

    response = client.get(_url(published))
    html = response.content.decode()
    assert "<h1>Parkraum live 2</h1>" in html
    assert "Jetzt mit Prognose." in html
    assert [c.name for c in response.context["data"].categories] == ["Energy"]
    assert [s.name for s in response.context["data"].standards] == ["OParl"]
    assert "Subscription" in html

    published.refresh_from_db()
    assert published.title == "Parkraum live"
    assert list(published.categories.all()) == [category]
    assert not published.standards.exists()
    public = client.get(published.get_absolute_url()).content.decode()
    assert "<h1>Parkraum live</h1>" in public


def test_preview_shows_the_logo_and_the_logo_view_serves_it_to_members(client, owner, draft):
    draft.logo.save("logo.png", ContentFile(image_bytes()), save=True)
    client.force_login(owner)
    html = client.get(_url(draft)).content.decode()
    assert f'src="{draft.logo_url}"' in html
    logo = client.get(draft.logo_url)
    assert logo.status_code == 200
    assert read_file_response(logo) == _stored(draft.logo)
    client.logout()
    assert client.get(draft.logo_url).status_code == 404


def test_pending_logo_is_previewed_for_members_only(client, owner, published):
    published.logo.save("public.png", ContentFile(image_bytes(size=(30, 30))), save=True)
    public_bytes = _stored(published.logo)
    pending_bytes = image_bytes(size=(64, 32))
    from solutions.uploads import process_logo

    services.set_solution_logo(
        published, by=owner, content=process_logo(ContentFile(pending_bytes, name="neu.png"))
    )
    revision = SolutionRevision.objects.get(solution=published, status="pending")
    published.refresh_from_db()
    assert published.logo.name != revision.data["logo"]

    client.force_login(owner)
    html = client.get(_url(published)).content.decode()
    preview_solution = client.get(_url(published)).context["solution"]
    pending_url = preview_solution.logo_url
    assert pending_url != published.logo_url
    assert f'src="{pending_url}"' in html
    pending = client.get(pending_url)
    assert pending.status_code == 200
    served = read_file_response(pending)
    assert served != public_bytes
    with published.logo.storage.open(revision.data["logo"], "rb") as handle:
        assert served == handle.read()

    # Anyone else asking for the pending version gets the public logo, never the unreviewed one.
    client.force_login(UserFactory())
    assert read_file_response(client.get(pending_url)) == public_bytes
    client.logout()
    assert read_file_response(client.get(pending_url)) == public_bytes


def test_listing_overview_and_edit_form_link_to_the_preview(client, owner, draft):
    client.force_login(owner)
    for name in ["vendor:solution", "vendor:solution_edit"]:
        html = client.get(reverse(name, kwargs={"pk": draft.pk})).content.decode()
        assert f'href="{_url(draft)}"' in html, name
