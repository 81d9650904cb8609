"""A request for information in Chromium, with and without JavaScript: from the Merkliste to the form,
the confirmation link, the vendor's answer with a PDF in the portal, and the requester's answers page;
axe-core on the form, the vendor's answer page and the answers page, none scrolling sideways at 320 px."""

import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache

from marketplace.inquiries.models import Answer, Inquiry
from solutions.models import VendorMembership
from tests.browser.conftest import assert_accessible
from tests.factories import SolutionFactory, UserFactory, VendorFactory, VendorMembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def inquiry_settings(settings, tmp_path):
    # Mail tasks run right away so the links land in mail.outbox; no minimum fill time for a robot's speed.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    cache.clear()
    yield settings
    cache.clear()


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _mail_link(message) -> str:
    return _path(
        re.search(r"https?://\S+", message.body.split("Why you receive")[0].split("\n", 2)[2]).group(0)
    )


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
def test_request_confirm_answer_and_read_the_answers(
    request, live_server, client, inquiry_settings, javascript
):
    page = request.getfixturevalue("page" if javascript else "page_without_js")
    vendor = VendorFactory(name="Sensorwerk GmbH")
    vendor_user = UserFactory(username="team@sensorwerk.example", email="team@sensorwerk.example")
    VendorMembershipFactory(vendor=vendor, user=vendor_user, role=VendorMembership.Role.ADMIN)
    chosen = SolutionFactory(title="Parkplatz-Sensorik", vendor=vendor)
    other = SolutionFactory(title="Energiemonitoring", vendor__name="Andere AG")
    VendorMembershipFactory(vendor=other.vendor, user=UserFactory(email="andere@example.org"))

    for solution in (chosen, other):
        _add_to_shortlist(page, solution, javascript)
    page.goto("/merkliste/")
    page.locator("a[href='/interessenbekundung/']").click()
    page.wait_for_url(re.compile(r"/interessenbekundung/$"))
    assert page.locator("input[name=solutions]:checked").count() == 2
    _check(page, javascript)

    page.locator(f"input[name=solutions][value='{other.pk}']").uncheck()
    page.fill("#id_need", "Freie Parkplätze in der Altstadt erfassen.")
    page.select_option("#id_timeframe", "6m")
    page.select_option("#id_budget", "10-50k")
    page.fill("#id_municipality_name", "Musterstadt")
    page.fill("#id_inhabitants", "42000")
    page.fill("#id_questions", "Welche Sensoren brauchen wir?")
    page.fill("#id_name", "Erika Mustermann")
    page.fill("#id_email", "erika@musterstadt.example")
    page.check("#id_consent")
    with page.expect_navigation():
        page.locator("form.inquiry-form button[type=submit]").click()
    assert page.url.endswith("/interessenbekundung/gesendet/")
    [confirmation] = mail.outbox

    page.goto(_mail_link(confirmation))
    _check(page, javascript)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    answers_path = page.url.removeprefix(live_server.url)
    assert "/interessenbekundung/antworten/" in answers_path
    assert [message.to for message in mail.outbox[1:]] == [["team@sensorwerk.example"]]
    vendor_mail = mail.outbox[1]

    # The vendor, logged in, opens the request from the mail and answers with a PDF.
    page.context.clear_cookies()
    client.force_login(vendor_user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto("/anbieter/dashboard/")
    page.locator("a[href='/anbieter/interessenbekundungen/']").click()
    page.wait_for_url(re.compile(r"/anbieter/interessenbekundungen/$"))
    assert page.locator("table.portal-table tbody tr").count() == 1
    page.goto(_mail_link(vendor_mail))
    assert "Freie Parkplätze in der Altstadt erfassen." in page.content()
    _check(page, javascript)
    page.fill("#id_text", "Wir bieten eine Pilotphase mit zehn Sensoren an.")
    page.set_input_files(
        "#id_pdf", files=[{"name": "angebot.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    with page.expect_navigation():
        page.locator("form.portal-form button[type=submit]").click()
    assert Answer.objects.get().recipient.vendor == vendor
    _check(page, javascript)
    [answer_mail] = mail.outbox[2:]
    assert answer_mail.to == ["erika@musterstadt.example"]

    # The requester reads the answers under the private link, without an account.
    page.context.clear_cookies()
    page.goto(_mail_link(answer_mail))
    assert page.url.removeprefix(live_server.url) == answers_path
    assert page.locator(".inquiry-answer").count() == 1
    assert "Wir bieten eine Pilotphase mit zehn Sensoren an." in page.locator(".inquiry-answer").inner_text()
    assert page.locator(".inquiry-answer a[href$='.pdf']").count() == 1
    _check(page, javascript)
    assert Inquiry.objects.get().confirmed_at is not None
