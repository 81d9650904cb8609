"""The editors' latest request (reason and the fields it concerns) stands at the top of the edit form."""

import re

import pytest
from django.urls import reverse

from marketplace.choices import EditorialStatus
from solutions import services
from solutions.models import Solution

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_back(draft):
    """A listing the editors sent back; the fields are what the editorial request_changes service stores."""
    Solution.objects.filter(pk=draft.pk).update(
        status=EditorialStatus.CHANGES_REQUESTED,
        submitted_at=None,
        status_reason="Bitte die jährlichen Kosten <b>ergänzen</b>.",
        changes_requested_fields=["cost_yearly_eur", "categories", "no_such_field"],
    )
    draft.refresh_from_db()
    return draft


def _edit_page(client, user, solution) -> str:
    client.force_login(user)
    return client.get(reverse("vendor:solution_edit", kwargs={"pk": solution.pk})).content.decode()


def test_changes_requested_fields_default_to_none():
    assert Solution().changes_requested_fields == []


def test_edit_form_starts_with_the_reason_and_links_to_the_fields(client, owner, sent_back):
    html = _edit_page(client, owner, sent_back)
    notice = re.search(r'<section class="[^"]*requested-changes[^"]*".*?</section>', html, re.DOTALL).group(0)
    # At the top: before the form and its section navigation.
    assert html.index(notice) < html.index('id="solution-form"')
    assert html.index(notice) < html.index('id="sections-title"')
    assert "Bitte die jährlichen Kosten &lt;b&gt;ergänzen&lt;/b&gt;." in notice
    links = re.findall(r'<a href="(#[^"]+)">([^<]+)</a>', notice)
    # In form order; a checkbox group is reached at its first box; an unknown name is left out.
    assert links == [
        ("#id_categories_0", "Fields of action"),
        ("#id_cost_yearly_eur", "Operation per year (EUR)"),
    ]


def test_the_fields_concerned_are_marked_in_words_not_only_by_colour(client, owner, sent_back):
    html = _edit_page(client, owner, sent_back)
    marked = re.findall(r'<div class="field-requested">\s*<p class="field-requested__note">([^<]+)</p>', html)
    assert marked == ["The editors asked for a change here."] * 2
    # Each mark wraps the control of its field: the next form control after it is that field's.
    starts = [match.end() for match in re.finditer('class="field-requested"', html)]
    assert [re.compile(r' name="(\w+)"').search(html, start).group(1) for start in starts] == [
        "categories",
        "cost_yearly_eur",
    ]


def test_reason_without_fields_is_shown_without_a_list(client, owner, sent_back):
    Solution.objects.filter(pk=sent_back.pk).update(changes_requested_fields=[])
    html = _edit_page(client, owner, sent_back)
    notice = re.search(r'<section class="[^"]*requested-changes[^"]*".*?</section>', html, re.DOTALL).group(0)
    assert "Bitte die jährlichen Kosten" in notice
    assert "<ul>" not in notice
    assert 'class="field-requested"' not in html


@pytest.mark.parametrize("status", [EditorialStatus.DRAFT, EditorialStatus.PUBLISHED])
def test_no_notice_once_the_request_is_no_longer_current(client, owner, sent_back, status):
    Solution.objects.filter(pk=sent_back.pk).update(status=status)
    html = _edit_page(client, owner, sent_back)
    assert "requested-changes" not in html
    assert 'class="field-requested"' not in html


def test_submitting_again_clears_the_request(owner, sent_back):
    services.submit_for_review(sent_back, by=owner)
    sent_back.refresh_from_db()
    assert sent_back.status == EditorialStatus.SUBMITTED
    assert sent_back.status_reason == ""
    assert sent_back.changes_requested_fields == []


def test_outsider_sees_nothing_of_it(client, outsider, sent_back):
    client.force_login(outsider)
    response = client.get(reverse("vendor:solution_edit", kwargs={"pk": sent_back.pk}))
    assert response.status_code == 404


def test_a_request_about_the_logo_links_to_the_logo_page(client, owner, sent_back):
    Solution.objects.filter(pk=sent_back.pk).update(changes_requested_fields=["logo", "title"])
    html = _edit_page(client, owner, sent_back)
    notice = re.search(r'<section class="[^"]*requested-changes[^"]*".*?</section>', html, re.DOTALL).group(0)
    logo_page = reverse("vendor:solution_logo", kwargs={"pk": sent_back.pk})
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', notice) == [
        ("#id_title", "Title"),
        (logo_page, "Logo"),
    ]


def test_the_editorial_request_reaches_the_form(client, owner, sent_back, settings):
    """Through the editors' service: what they choose is what the vendor's form points at."""
    from marketplace.editorial import services as editorial
    from tests.factories import UserFactory

    Solution.objects.filter(pk=sent_back.pk).update(status=EditorialStatus.SUBMITTED)
    sent_back.refresh_from_db()
    editor = UserFactory(is_staff=True, is_superuser=True)
    editorial.request_changes(sent_back, by=editor, reason="Preis fehlt.", fields=["price_model"])
    html = _edit_page(client, owner, sent_back)
    notice = re.search(r'<section class="[^"]*requested-changes[^"]*".*?</section>', html, re.DOTALL).group(0)
    assert "Preis fehlt." in notice
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', notice) == [("#id_price_model", "Price model")]
