"""HEAD answers like GET on every page; methods the site does not serve get 405 with a correct Allow header.

Uptime monitors, link checkers and harvesters send HEAD; a 405 there reads as "page broken". PUT, PATCH,
DELETE, TRACE and OPTIONS are served nowhere, so they get 405 naming what the page does accept, and never
reach a view (Django's form views would otherwise treat PUT as POST) or the CSRF check (whose 403 would hide
the real answer).

Two walks: a table of concrete URLs (pages with parameters, built from factory objects, with the methods each
accepts), and an automatic walk over every URL pattern without parameters, so new pages are covered too.
"""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from marketplace.accounts import tokens
from marketplace.choices import EditorialStatus
from marketplace.inquiries import services as inquiry_services
from marketplace.procurement import services as procurement_services
from marketplace.shortlist import services as shortlist_services
from marketplace.shortlist.models import Shortlist
from pilots.contact import tokens as contact_tokens
from pilots.contact.models import ReferenceContactMessage
from solutions.models import EmailVerification, SolutionDocument, VendorMembership
from tests.agreements.factories import AgreementFactory
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
    UserFactory,
    VendorFactory,
    VendorMembershipFactory,
)
from tests.marketplace.inquiries.factories import AnswerFactory, RecipientFactory

SAFE = "GET, HEAD"
FORM = "GET, HEAD, POST"
POST_ONLY = "POST"
FOREIGN_METHODS = ("PUT", "PATCH", "DELETE", "TRACE", "OPTIONS")
# Headers that legitimately differ between two requests (fresh nonce, clock).
VOLATILE_HEADERS = {"Content-Security-Policy", "Date", "Expires", "Last-Modified"}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)

# (URL name, who asks, methods the page accepts). Who: "anonymous", "vendor" (a verified organisation
# administrator) or "editor" (a superuser for the admin).
PAGES = [
    ("home", "anonymous", SAFE),
    ("search", "anonymous", SAFE),
    ("solutions:list", "anonymous", SAFE),
    ("solutions:detail", "anonymous", SAFE),
    ("pilots:list", "anonymous", SAFE),
    ("pilots:detail", "anonymous", SAFE),
    ("municipalities:list", "anonymous", SAFE),
    ("municipalities:detail", "anonymous", SAFE),
    ("imprint", "anonymous", SAFE),
    ("privacy", "anonymous", SAFE),
    ("accessibility", "anonymous", SAFE),
    ("contact", "anonymous", SAFE),
    ("healthz", "anonymous", SAFE),
    ("enquiry", "anonymous", FORM),
    ("enquiry_thanks", "anonymous", SAFE),
    ("barrier_report", "anonymous", FORM),
    ("barrier_report_thanks", "anonymous", SAFE),
    ("shortlist:shared", "anonymous", SAFE),
    ("shortlist:export", "anonymous", SAFE),
    ("shortlist:shared_export", "anonymous", SAFE),
    ("vendor:landing", "anonymous", SAFE),
    ("vendor:solution_logo_file", "anonymous", SAFE),
    ("vendor:organisation_logo_file", "anonymous", SAFE),
    ("vendor:document_download", "anonymous", SAFE),
    ("accounts:login", "anonymous", FORM),
    ("accounts:signup", "anonymous", FORM),
    ("accounts:signup_done", "anonymous", SAFE),
    ("accounts:verify", "anonymous", FORM),
    ("accounts:password_reset", "anonymous", FORM),
    ("accounts:password_reset_done", "anonymous", SAFE),
    ("accounts:password_reset_confirm", "anonymous", FORM),
    ("accounts:password_reset_complete", "anonymous", SAFE),
    ("admin:login", "anonymous", FORM),
    ("vendor:dashboard", "vendor", SAFE),
    ("vendor:organisation_create", "vendor", FORM),
    ("vendor:organisation_join", "vendor", FORM),
    ("vendor:organisation", "vendor", SAFE),
    ("vendor:organisation_edit", "vendor", FORM),
    ("vendor:organisation_logo", "vendor", FORM),
    ("vendor:solution_create", "vendor", FORM),
    ("vendor:publiccode_import", "vendor", FORM),
    ("vendor:solution", "vendor", SAFE),
    ("vendor:solution_edit", "vendor", FORM),
    ("vendor:solution_preview", "vendor", SAFE),
    ("vendor:solution_logo", "vendor", FORM),
    ("vendor:documents", "vendor", FORM),
    ("vendor:references", "vendor", FORM),
    ("vendor:inquiry", "vendor", FORM),
    ("vendor:inquiry_answer_file", "vendor", SAFE),
    ("inquiries:confirm", "anonymous", FORM),
    ("inquiries:answers", "anonymous", SAFE),
    ("inquiries:answer_file", "anonymous", SAFE),
    ("pilots:reference_contact", "anonymous", FORM),
    ("pilots:reference_contact_sent", "anonymous", SAFE),
    ("pilots:reference_consent", "anonymous", FORM),
    ("opendata:export", "anonymous", SAFE),
    ("opendata:feed_solutions_category", "anonymous", SAFE),
    ("opendata:feed_pilots_category", "anonymous", SAFE),
    ("sitemap_section", "anonymous", SAFE),
    ("api:collection", "anonymous", SAFE),
    ("api:item", "anonymous", SAFE),
    ("opendata:publiccode", "anonymous", SAFE),
    ("procurement:interest_sent", "anonymous", SAFE),
    ("procurement:interest_confirmed", "anonymous", SAFE),
    ("procurement:confirm", "anonymous", FORM),
    ("agreements:detail", "anonymous", SAFE),
    ("agreements:call_off", "anonymous", FORM),
    ("accounts:profile", "vendor", FORM),
    ("accounts:password_change", "vendor", FORM),
    ("accounts:password_change_done", "vendor", SAFE),
    ("admin:index", "editor", FORM),
    ("admin:solutions_solution_change", "editor", FORM),
]
# Pages that only take a form's POST; GET and HEAD get the 405 too.
POST_ONLY_PAGES = [
    ("accounts:logout", "vendor"),
    ("accounts:verify_resend", "vendor"),
    ("vendor:solution_validate", "vendor"),
    ("vendor:solution_submit", "vendor"),
    ("vendor:solution_withdraw", "vendor"),
    ("vendor:solution_delete", "vendor"),
    ("vendor:document_delete", "vendor"),
    ("vendor:join_request_decide", "vendor"),
    ("vendor:member_role", "vendor"),
    ("shortlist:note", "anonymous"),
    ("shortlist:adopt", "anonymous"),
    ("procurement:interest", "anonymous"),
]


@pytest.fixture
def site(settings, tmp_path):
    """One object of every kind a page needs, and the URL arguments that reach them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    category = CategoryFactory()
    vendor = VendorFactory()
    vendor.logo.save("logo.png", ContentFile(PNG))
    owner = UserFactory()
    EmailVerification.objects.create(user=owner, verified_at=timezone.now())
    membership = VendorMembershipFactory(vendor=vendor, user=owner, role=VendorMembership.Role.ADMIN)
    solution = SolutionFactory(vendor=vendor, categories=[category], title="Parkraum live")
    solution.logo.save("logo.png", ContentFile(PNG))
    document = SolutionDocument(
        solution=solution, kind=SolutionDocument.Kind.BROCHURE, title="Prospekt", accepted_at=timezone.now()
    )
    document.file.save("prospekt.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    pilot = PilotProjectFactory(status=EditorialStatus.PUBLISHED)
    municipality = MunicipalityFactory()
    newcomer = UserFactory()
    reset_token = default_token_generator.make_token(owner)
    answered = RecipientFactory(vendor=vendor, solutions=[solution])
    inquiry_answer = AnswerFactory(recipient=answered)
    inquiry_answer.pdf.save("antwort.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    answers_signed = inquiry_services.answers_token(answered.inquiry)
    reference = ReferenceFactory(
        solution=solution, municipality=municipality, contact_email="amt@example.org"
    )
    contact_message = ReferenceContactMessage.objects.create(
        reference=reference, name="A", organisation="B", email="a@example.org", question="?", route="editors"
    )
    feed_category = CategoryFactory()
    open_source = SolutionFactory(vendor=vendor, licence_type="open_source", spdx_id="EUPL-1.2")
    kwargs = {
        "solutions:detail": {"slug": solution.slug},
        "pilots:detail": {"slug": pilot.slug},
        "municipalities:detail": {"slug": municipality.slug},
        "vendor:solution_logo_file": {"pk": solution.pk},
        "vendor:organisation_logo_file": {"pk": vendor.pk},
        "vendor:document_download": {"pk": document.pk},
        "vendor:document_delete": {"pk": document.pk},
        "accounts:verify": {"token": tokens.make_verification_token(newcomer)},
        "accounts:password_reset_confirm": {
            "uidb64": urlsafe_base64_encode(force_bytes(owner.pk)),
            "token": reset_token,
        },
        "vendor:organisation": {"pk": vendor.pk},
        "vendor:organisation_edit": {"pk": vendor.pk},
        "vendor:organisation_logo": {"pk": vendor.pk},
        "vendor:solution": {"pk": solution.pk},
        "vendor:solution_edit": {"pk": solution.pk},
        "vendor:solution_preview": {"pk": solution.pk},
        "vendor:solution_logo": {"pk": solution.pk},
        "vendor:solution_submit": {"pk": solution.pk},
        "vendor:solution_withdraw": {"pk": solution.pk},
        "vendor:solution_delete": {"pk": solution.pk},
        "vendor:documents": {"pk": solution.pk},
        "vendor:references": {"pk": solution.pk},
        "vendor:join_request_decide": {"pk": membership.pk},
        "vendor:member_role": {"pk": membership.pk},
        "admin:solutions_solution_change": {"object_id": solution.pk},
        "shortlist:shared": {"signed": shortlist_services.share_token(Shortlist.objects.create())},
        "shortlist:export": {"fmt": "csv"},
        "shortlist:shared_export": {
            "signed": shortlist_services.share_token(Shortlist.objects.create()),
            "fmt": "xlsx",
        },
        "shortlist:adopt": {"signed": "forged:token"},
        "shortlist:note": {"entry_id": 1},
        "vendor:inquiry": {"pk": answered.pk},
        "vendor:inquiry_answer_file": {"pk": answered.pk},
        "inquiries:confirm": {"signed": inquiry_services.confirm_token(answered.inquiry)},
        "inquiries:answers": {"signed": answers_signed},
        "inquiries:answer_file": {"signed": answers_signed, "pk": inquiry_answer.pk},
        "pilots:reference_contact": {"pk": reference.pk},
        "pilots:reference_contact_sent": {"token": contact_tokens.sent_token(contact_message)},
        "pilots:reference_consent": {"token": contact_tokens.consent_token(reference)},
        "opendata:export": {"dataset": "loesungen", "fmt": "csv"},
        "opendata:feed_solutions_category": {"category": feed_category.slug},
        "opendata:feed_pilots_category": {"category": feed_category.slug},
        "sitemap_section": {"section": "loesungen"},
        "api:collection": {"name": "solutions"},
        "api:item": {"name": "solutions", "key": solution.pk},
        "opendata:publiccode": {"slug": open_source.slug},
        "procurement:interest": {"slug": solution.slug},
        "procurement:interest_sent": {"slug": solution.slug},
        "procurement:interest_confirmed": {"slug": solution.slug},
        "procurement:confirm": {
            "signed": procurement_services.confirm_token(
                procurement_services.declare_interest(
                    solution=solution, municipality=municipality, email="a@b.example"
                )
            )
        },
    }
    agreement = AgreementFactory(solutions=[solution])
    kwargs["agreements:detail"] = {"slug": agreement.slug}
    kwargs["agreements:call_off"] = {"slug": agreement.slug, "solution": solution.slug}
    query = {"search": "?q=Parkraum"}

    def url(name: str) -> str:
        return reverse(name, kwargs=kwargs.get(name)) + query.get(name, "")

    def client_for(who: str) -> Client:
        # CSRF checks on, as in production: a PUT must get its 405 before the CSRF check's 403.
        client = Client(enforce_csrf_checks=True)
        if who == "vendor":
            client.force_login(owner)
        elif who == "editor":
            client.force_login(UserFactory(is_staff=True, is_superuser=True))
        return client

    return url, client_for


def comparable(response) -> tuple:
    headers = {name: value for name, value in response.headers.items() if name not in VOLATILE_HEADERS}
    return response.status_code, headers, sorted(response.cookies)


def body(response) -> bytes:
    # Reading a file response to the end also closes its file.
    return b"".join(response.streaming_content) if response.streaming else response.content


def head_and_get(client: Client, url: str) -> tuple:
    """What differs between HEAD and GET of `url` (nothing, on every page), and GET's status."""
    head, get = client.head(url), client.get(url)
    get_body = body(get)
    differences = {}
    if comparable(head) != comparable(get):
        differences["headers"] = (comparable(head), comparable(get))
    if body(head) != b"":
        differences["HEAD body"] = body(head)[:80]
    if "Content-Length" in get.headers and int(get.headers["Content-Length"]) != len(get_body):
        differences["Content-Length"] = (get.headers["Content-Length"], len(get_body))
    return differences, get.status_code


def url_names(resolver=None, namespace: str = ""):
    """Every named URL pattern of the project, with its namespaces (the admin's included)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def parameterless_url_names() -> list[str]:
    names = set()
    for name in url_names():
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        names.add(name)
    return sorted(names)


def allow_of(response) -> tuple[int, str | None]:
    return response.status_code, response.headers.get("Allow")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "who", "allowed"), PAGES, ids=[page[0] for page in PAGES])
def test_page_answers_head_like_get_and_405_with_allow_for_other_methods(site, name, who, allowed):
    url, client_for = site
    client = client_for(who)

    differences, status = head_and_get(client, url(name))
    foreign = {method: allow_of(client.generic(method, url(name))) for method in FOREIGN_METHODS}

    assert (differences, status in {200, 302}) == ({}, True), status
    assert foreign == dict.fromkeys(FOREIGN_METHODS, (405, allowed))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "who"), POST_ONLY_PAGES, ids=[page[0] for page in POST_ONLY_PAGES])
def test_post_only_page_refuses_get_head_and_other_methods_naming_post(site, name, who):
    url, client_for = site
    client = client_for(who)

    answers = {
        method: allow_of(client.generic(method, url(name))) for method in ("GET", "HEAD", *FOREIGN_METHODS)
    }

    assert answers == dict.fromkeys(answers, (405, POST_ONLY))


def test_every_url_pattern_with_parameters_is_in_the_table():
    """A new page with URL parameters must join PAGES (or POST_ONLY_PAGES); those without are walked below."""
    tabled = {name for name, *_ in PAGES} | {name for name, _ in POST_ONLY_PAGES}
    # The admin's own per-model pages come from Django; the walk and one change form stand for them.
    project = {name for name in url_names() if not name.startswith("admin:")}

    assert project - tabled - set(parameterless_url_names()) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "vendor", "editor"])
def test_every_page_without_parameters_answers_head_like_get(site, who):
    url, client_for = site
    # A fresh client for each page: one of them (logout) may end the session.
    differences = {name: head_and_get(client_for(who), url(name))[0] for name in parameterless_url_names()}

    assert {name: found for name, found in differences.items() if found} == {}


@pytest.mark.django_db
def test_every_page_without_parameters_refuses_other_methods_with_its_allow_header(site):
    # The refusal depends on the view alone, never on who asks.
    url, client_for = site
    wrong = {}
    for name in parameterless_url_names():
        client = client_for("anonymous")
        # With CSRF checks on, a POST without a token gets 403 where the page takes POST, 405 where not.
        answered = [m for m in ("GET", "HEAD", "POST") if client.generic(m, url(name)).status_code != 405]
        for method in FOREIGN_METHODS:
            status, allow = allow_of(client.generic(method, url(name)))
            listed = [item.strip() for item in (allow or "").split(",") if item.strip()]
            # Every method the page answers is listed. (The admin's logout takes only POST but, like every
            # admin page Django builds without a method decorator, is listed with GET, HEAD, POST.)
            if status != 405 or not listed or not set(answered) <= set(listed):
                wrong[(name, method)] = (status, listed, answered)

    assert wrong == {}
