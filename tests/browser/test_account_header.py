"""The header names who is logged in on every kind of page and logs out with a keyboard, with or without
JavaScript (Django's LogoutView only accepts POST, so the button submits a form)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory, VendorFactory, VendorMembershipFactory
from tests.solutions.portal.conftest import make_verified

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Wolken-Lauf-2026!"
EMAIL = "erika@example.org"


@pytest.fixture
def account():
    cache.clear()  # the login rate limit counts in the cache
    user = make_verified(UserFactory(username=EMAIL, email=EMAIL, first_name="Erika", last_name="Mustermann"))
    user.set_password(PASSWORD)
    user.save()
    VendorMembershipFactory(vendor=VendorFactory(), user=user)
    yield user
    cache.clear()


def _log_in(page):
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator(".portal-form button[type=submit]").click()


@pytest.mark.parametrize(
    "url_name", ["home", "solutions:list", "imprint", "vendor:dashboard", "accounts:profile"]
)
def test_header_names_the_logged_in_user_on_public_portal_and_account_pages(
    page, live_server, account, url_name
):
    _log_in(page)

    page.goto(reverse(url_name))

    name = page.locator(".site-header .account-box__name")
    assert name.inner_text() == "Erika Mustermann"
    assert name.get_attribute("href") == reverse("accounts:profile")
    logout = page.locator(".site-header form.account-box__logout")
    assert logout.get_attribute("method") == "post"
    assert logout.get_attribute("action") == reverse("accounts:logout")
    assert logout.locator("button").is_visible()
    assert_accessible(page)


def test_logout_button_is_reached_and_used_with_the_keyboard(page, live_server, account):
    _log_in(page)
    page.goto(reverse("imprint"))

    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.className"))
        if reached[-1] == "account-box__button":
            break
    # The user's name (a link to the profile) comes right before the button, both in the header.
    assert reached[-2:] == ["account-box__name", "account-box__button"]
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url == live_server.url + reverse("home")
    assert page.locator(".account-box").count() == 0
    page.goto(reverse("vendor:dashboard"))
    assert page.url.startswith(live_server.url + reverse("accounts:login"))


def test_logout_works_without_javascript(page_without_js, live_server, account):
    _log_in(page_without_js)
    page_without_js.goto(reverse("pilots:list"))

    with page_without_js.expect_navigation():
        page_without_js.locator(".account-box__button").click()

    assert page_without_js.url == live_server.url + reverse("home")
    assert page_without_js.locator(".account-box").count() == 0


def test_anonymous_visitors_see_no_account_box(page, live_server, account):
    page.goto(reverse("home"))

    assert page.locator(".account-box").count() == 0
