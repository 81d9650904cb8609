"""A new vendor's whole path in Chromium, with axe-core on every page: sign up, confirm the e-mail,
log in, create the organisation, fill the listing form with one mistake, fix it, upload a logo, submit,
see the status."""

import io
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import translation
from PIL import Image
from playwright.sync_api import expect

from marketplace.choices import EditorialStatus
from solutions.models import Solution, Vendor
from tests.browser.conftest import assert_accessible
from tests.factories import CategoryFactory

PASSWORD = "Wolken-Lauf-2026!"


@pytest.fixture
def portal_settings(settings, tmp_path):
    # Mail tasks run right away so the link lands in mail.outbox; production uses the database queue.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 400), (20, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def _submit(page, form_selector: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").last.click()


def test_new_vendor_walks_from_sign_up_to_a_submitted_listing(
    page, live_server, portal_settings, transactional_db
):
    category = CategoryFactory(slug="verwaltung", name_de="Verwaltung", name_en="Administration")

    page.goto("/konto/registrieren/")
    assert_accessible(page)
    page.fill("#id_email", "neu@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    _submit(page, "form.portal-form")
    assert page.url.endswith("/konto/registrieren/danke/")
    assert_accessible(page)

    [message] = mail.outbox
    link = re.search(r"https?://\S+", message.body).group(0)
    page.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    assert_accessible(page)
    _submit(page, "main form")
    assert page.url.endswith("/konto/anmelden/")
    assert_accessible(page)

    page.fill("#id_username", "neu@example.org")
    page.fill("#id_password", PASSWORD)
    _submit(page, "form.portal-form")
    assert page.url.endswith("/anbieter/dashboard/")
    assert_accessible(page)

    with page.expect_navigation():
        page.click("a[href='/anbieter/organisation/neu/']")
    assert_accessible(page)
    page.fill("#id_name", "Stadtwerk Digital GmbH")
    page.select_option("#id_kind", "municipal_it")
    page.fill("#id_website", "https://stadtwerk.example.org")
    _submit(page, "form.portal-form")
    assert page.url.endswith("/anbieter/dashboard/")
    assert Vendor.objects.get().is_verified is False

    with page.expect_navigation():
        page.click("a[href='/anbieter/loesungen/neu/']")
    assert_accessible(page)
    page.fill("#id_title", "Mängelmelder")
    page.fill("#id_summary", "Bürgerinnen melden Schäden an Straßen und Spielplätzen.")
    page.fill("#id_description", "Meldungen mit Foto und Ort, direkt an das zuständige Amt.")
    page.check(f"input[name=categories][value='{category.pk}']")
    page.check("input[name=size_classes][value=mittelstadt]")
    # Nothing is decided for the vendor in advance: these start empty and submitting needs them.
    for select, value in [
        ("#id_maturity", "production"),
        ("#id_data_location", "de"),
        ("#id_price_model", "usage"),
    ]:
        assert page.input_value(select) == ""
        page.select_option(select, value)
    page.check("input[name=hosting_options][value=german_dc]")
    page.fill("#id_contact_name", "Erika Muster")
    page.fill("#id_contact_email", "erika-at-example")  # the one mistake
    # With JavaScript the field is checked when leaving it; the keyboard focus moves on undisturbed.
    page.press("#id_contact_email", "Tab")
    expect(page.locator("#id_contact_email_error")).to_be_visible()
    expect(page.locator("#id_contact_phone")).to_be_focused()
    assert page.input_value("#id_contact_email") == "erika-at-example"
    _submit(page, "#solution-form")
    assert not Solution.objects.exists()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.locator("a[href='#id_contact_email']").count() == 1
    assert page.input_value("#id_title") == "Mängelmelder"
    assert page.input_value("#id_contact_name") == "Erika Muster"
    assert page.is_checked("input[name=size_classes][value=mittelstadt]")
    assert_accessible(page)

    summary.locator("a[href='#id_contact_email']").click()
    page.fill("#id_contact_email", "erika@example.org")
    _submit(page, "#solution-form")
    solution = Solution.objects.get()
    assert solution.contact_email == "erika@example.org"
    assert page.url.split("#")[0].endswith(f"/anbieter/loesungen/{solution.pk}/bearbeiten/")
    assert_accessible(page)

    page.goto(f"/anbieter/loesungen/{solution.pk}/")
    assert_accessible(page)
    with page.expect_navigation():
        page.click(f"a[href='/anbieter/loesungen/{solution.pk}/logo/']")
    assert_accessible(page)
    page.set_input_files("#id_logo", {"name": "logo.png", "mimeType": "image/png", "buffer": _png()})
    _submit(page, "form.portal-form")
    assert page.url.endswith(f"/anbieter/loesungen/{solution.pk}/")
    assert page.locator("img.portal-logo").evaluate("img => img.naturalWidth") == 512
    assert_accessible(page)

    _submit(page, f"form[action='/anbieter/loesungen/{solution.pk}/einreichen/']")
    assert page.url.endswith("/anbieter/dashboard/")
    solution.refresh_from_db()
    assert solution.status == EditorialStatus.SUBMITTED
    row = page.locator("tr", has_text="Mängelmelder")
    with translation.override("de"):
        submitted_label = str(EditorialStatus.SUBMITTED.label)
    assert row.locator(".badge-status").inner_text().strip() == submitted_label
    assert_accessible(page)


def _log_in(page, live_server, user) -> None:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.fixture
def member_with_listing(transactional_db):
    from django.utils import timezone

    from pilots.models import Reference
    from solutions.models import EmailVerification, JoinRequest, VendorMembership
    from tests.factories import MunicipalityFactory, SolutionFactory, UserFactory, VendorFactory

    user = UserFactory(username="owner@example.org", email="owner@example.org")
    EmailVerification.objects.create(user=user, verified_at=timezone.now())
    vendor = VendorFactory(name="Eigene GmbH", is_demo=True)
    VendorMembership.objects.create(vendor=vendor, user=user, role=VendorMembership.Role.ADMIN)
    applicant = UserFactory(username="neu@example.org", email="neu@example.org")
    JoinRequest.objects.create(vendor=vendor, user=applicant, message="Bitte aufnehmen")
    solution = SolutionFactory(
        vendor=vendor,
        title="Bürgerportal",
        status=EditorialStatus.CHANGES_REQUESTED,
        status_reason="Bitte Kosten ergänzen.",
        is_demo=True,
    )
    Reference.objects.create(solution=solution, municipality=MunicipalityFactory(name="Bonn", ags="05314000"))
    MunicipalityFactory(name="Ulm", ags="08421000")
    MunicipalityFactory(name="Neu-Ulm", ags="09775147")
    return user, solution


def test_every_other_portal_page_passes_axe(page, live_server, portal_settings, member_with_listing):
    user, solution = member_with_listing
    vendor_id = solution.vendor_id
    for path in ["/konto/anmelden/", "/konto/passwort-vergessen/"]:
        page.goto(path)
        assert_accessible(page)
    _log_in(page, live_server, user)
    paths = [
        "/anbieter/dashboard/",
        f"/anbieter/loesungen/{solution.pk}/",
        f"/anbieter/loesungen/{solution.pk}/bearbeiten/",
        f"/anbieter/loesungen/{solution.pk}/dokumente/",
        f"/anbieter/loesungen/{solution.pk}/referenzen/?municipality_q=ulm",
        "/anbieter/loesungen/import/",
        f"/anbieter/organisation/{vendor_id}/",
        f"/anbieter/organisation/{vendor_id}/bearbeiten/",
        f"/anbieter/organisation/{vendor_id}/logo/",
        "/anbieter/organisation/beitreten/?q=eigene",
        "/konto/profil/",
        "/konto/passwort/",
    ]
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible(page)
    page.goto("/anbieter/dashboard/")
    assert page.locator(".badge-sample").count() >= 1
    assert "Bitte Kosten ergänzen." in page.content()


def test_reference_search_and_proposal_work_without_javascript(
    page_without_js, live_server, portal_settings, member_with_listing
):
    from pilots.models import Reference, ReferenceProposal

    page = page_without_js
    user, solution = member_with_listing
    _log_in(page, live_server, user)
    page.goto(f"/anbieter/loesungen/{solution.pk}/referenzen/")
    page.fill("#id_municipality_q", "ulm")
    with page.expect_navigation():
        page.locator("main form[role=search] button[type=submit]").click()
    options = page.locator("#id_municipality option").all_inner_texts()
    assert [option.split(" (")[0] for option in options[1:]] == ["Neu-Ulm", "Ulm"]
    page.select_option("#id_municipality", label=options[2])
    page.fill("#id_since_year", "2024")
    page.fill("#id_statement", "Für Mängelmeldungen im Einsatz.")
    with page.expect_navigation():
        page.locator("form.portal-form[method=post] button[type=submit]").click()
    proposal = ReferenceProposal.objects.get(municipality__name="Ulm")
    assert (proposal.since_year, proposal.status) == (2024, ReferenceProposal.Status.PENDING)
    assert not Reference.objects.filter(municipality__name="Ulm").exists()
    assert "Ulm" in page.locator("main").inner_text()


def test_reference_search_updates_the_select_while_typing(
    page, live_server, portal_settings, member_with_listing
):
    user, solution = member_with_listing
    _log_in(page, live_server, user)
    page.goto(f"/anbieter/loesungen/{solution.pk}/referenzen/")
    page.locator("#id_municipality_q").press_sequentially("neu-u", delay=30)
    expect(page.locator("#id_municipality option")).to_have_count(2)
    assert page.locator("#id_municipality option").nth(1).inner_text().startswith("Neu-Ulm")
    assert_accessible(page)


def test_pending_revision_overview_passes_axe(page, live_server, portal_settings, member_with_listing):
    from solutions import services
    from tests.factories import SolutionFactory

    user, solution = member_with_listing
    published = SolutionFactory(vendor=solution.vendor, title="Parkraum live")
    services.propose_revision(published, by=user, data={"title": "Parkraum live 2.0"})
    _log_in(page, live_server, user)
    page.goto(f"/anbieter/loesungen/{published.pk}/")
    assert "Parkraum live 2.0" in page.locator("section:has(#revision-title) table").inner_text()
    assert_accessible(page)
