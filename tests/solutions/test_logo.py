"""The uploaded logo on the public detail page and on catalog cards, served by the view that checks access."""

import re

import pytest
from django.core.files.base import ContentFile
from django.template import Context, Template

from marketplace.choices import EditorialStatus
from tests.factories import SolutionFactory
from tests.solutions.portal.conftest import image_bytes, read_file_response

pytestmark = pytest.mark.django_db


def _stored(file) -> bytes:
    with file.storage.open(file.name, "rb") as handle:
        return handle.read()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def with_logo():
    solution = SolutionFactory(title='Park & "Ride"', slug="park-ride")
    solution.logo.save("logo.png", ContentFile(image_bytes()), save=True)
    return solution


def test_logo_url_is_the_checked_view_versioned_by_the_file(with_logo):
    url = with_logo.logo_url
    assert re.fullmatch(rf"/anbieter/loesungen/{with_logo.pk}/logo\.png\?v=[0-9a-f]{{12}}", url)
    old = url
    with_logo.logo.save("other.png", ContentFile(image_bytes(size=(10, 10))), save=True)
    assert with_logo.logo_url != old


def test_no_logo_no_url():
    assert SolutionFactory().logo_url == ""


def test_detail_page_shows_the_logo_sized_and_with_a_text_alternative(client, with_logo):
    html = client.get(with_logo.get_absolute_url()).content.decode()
    [img] = re.findall(r'<img class="detail-logo"[^>]*>', html)
    assert f'src="{with_logo.logo_url}"' in img
    assert 'alt="Logo of Park &amp; &quot;Ride&quot;"' in img
    assert 'width="128" height="128"' in img
    # Right after the heading, so the name comes first.
    assert html.index("<h1>") < html.index('<img class="detail-logo"')


def test_catalog_card_shows_the_logo_as_a_decorative_repeat_of_the_title(client, with_logo):
    html = client.get("/loesungen/").content.decode()
    [card] = re.findall(r'<article class="card solution-card[^"]*">.*?</article>', html, re.DOTALL)
    [img] = re.findall(r"<img [^>]*>", card)
    assert img == (
        f'<img class="card__logo" src="{with_logo.logo_url.replace("&", "&amp;")}" alt="" width="48" '
        'height="48" loading="lazy">'
    )


def test_public_logo_is_served_to_anyone(client, with_logo):
    response = client.get(with_logo.logo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert read_file_response(response) == _stored(with_logo.logo)


@pytest.mark.parametrize(
    "status", [EditorialStatus.DRAFT, EditorialStatus.SUBMITTED, EditorialStatus.ARCHIVED]
)
def test_logo_of_a_listing_that_is_not_public_is_not_served(client, with_logo, status):
    url = with_logo.logo_url
    with_logo.status = status
    with_logo.save()
    assert client.get(url).status_code == 404


def test_without_logo_no_image(client):
    solution = SolutionFactory(title="Ohne Logo")
    assert "<img" not in re.search(
        r"<main.*</main>", client.get("/loesungen/").content.decode(), re.DOTALL
    ).group(0)
    assert 'class="detail-logo"' not in client.get(solution.get_absolute_url()).content.decode()


def test_card_tag_and_include_render_the_same_logo(with_logo):
    with_logo.reference_count = 0
    tag = Template("{% load catalog %}{% solution_card s %}").render(Context({"s": with_logo}))
    include = Template('{% include "includes/_solution_card.html" with solution=s %}').render(
        Context({"s": with_logo})
    )
    assert tag == include.strip()
    assert 'class="card__logo"' in tag


@pytest.mark.parametrize("bad", ["x" * 13, "<script>", "../etc"])
def test_a_bad_version_parameter_is_ignored(client, with_logo, bad):
    response = client.get(f"/anbieter/loesungen/{with_logo.pk}/logo.png", {"v": bad})
    assert response.status_code == 200
    assert read_file_response(response) == _stored(with_logo.logo)
