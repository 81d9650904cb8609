"""The procurement path and joint buying in Chromium, with and without JavaScript: from the Merkliste to the
guidance (prefilled from the chosen municipality and the listings' costs, then changed by hand), and a
declaration of joint-buying interest on the solution page confirmed by its link; axe-core on each page and
no sideways scrolling at 320 px."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from marketplace.procurement.importer import import_directory
from marketplace.procurement.models import JointBuyingInterest
from tests.browser.conftest import assert_accessible
from tests.factories import MunicipalityFactory, SolutionFactory
from tests.procurement.conftest import DATA

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def procurement_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.JOINT_BUYING_MIN_FILL_SECONDS = 0
    cache.clear()
    yield settings
    cache.clear()


def _check(page, javascript: bool) -> None:
    """axe-core and the 320 px check need scripts in the page: they run in the JavaScript variant."""
    if not javascript:
        return
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url
    page.set_viewport_size({"width": 1280, "height": 800})


def _add_to_shortlist(page, solution, javascript: bool) -> None:
    page.goto(solution.get_absolute_url())
    page.locator(f"#shortlist-solution-{solution.pk}").click()
    if javascript:
        page.wait_for_selector(f"#shortlist-solution-{solution.pk}[hx-post$='/entfernen/']")
    else:
        page.wait_for_url(re.compile(re.escape(solution.get_absolute_url()) + "$"))


@pytest.mark.parametrize("javascript", [True, False], ids=["with JS", "without JS"])
def test_guidance_from_the_shortlist_and_joint_buying(request, live_server, procurement_settings, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_js")
    import_directory(DATA)
    kassel = MunicipalityFactory(name="Kassel", slug="kassel", ags="06611000")
    solution = SolutionFactory(
        title="Parkraum-Sensorik",
        cost_introduction_eur=20_000,
        cost_yearly_eur=5_000,
        price_model="subscription",
    )

    page.goto("/kommunen/finden/?q=Kassel")
    with page.expect_navigation():
        page.locator(f'.find-result__choose:has(input[value="{kassel.slug}"]) button').click()
    _add_to_shortlist(page, solution, javascript)
    page.goto("/merkliste/")
    with page.expect_navigation():
        page.locator("a[href='/beschaffung/wegweiser/']").click()
    # 20,000 + 4 × 5,000 = 40,000 € in Hessen (the test table): a negotiated award.
    assert page.locator("#id_land").input_value() == "HE"
    assert "Verhandlungsvergabe" in page.locator("#procedure").inner_text()
    assert "EVB-IT Cloud" in page.locator(".procurement-result").inner_text()
    _check(page, javascript)

    page.fill("#id_value", "130000")
    page.fill("#id_day", "2025-06-01")
    with page.expect_navigation():
        page.locator("form.procurement-form button[type=submit]").click()
    assert "Öffentliche Ausschreibung" in page.locator("#procedure").inner_text()
    assert "value=130000" in page.url
    _check(page, javascript)

    page.goto(solution.get_absolute_url())
    page.fill("#id_email", "it@kassel.example")
    with page.expect_navigation():
        page.locator("form.joint-buying__form button[type=submit]").click()
    assert page.url.endswith(f"/beschaffung/buendelung/{solution.slug}/gesendet/")
    _check(page, javascript)
    [confirmation] = mail.outbox
    link = re.search(r"https?://\S+(/beschaffung/buendelung-bestaetigen/\S+/)", confirmation.body).group(1)
    page.goto(link)
    _check(page, javascript)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert JointBuyingInterest.objects.get().confirmed_at is not None
    page.goto(solution.get_absolute_url())
    assert "Hessen" in page.locator(".joint-buying").inner_text()
    _check(page, javascript)
