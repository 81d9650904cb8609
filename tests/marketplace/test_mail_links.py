"""Every e-mail links straight to the page it is about, with absolute links under settings.SITE_URL.

The test finds every mail template in the mail directories, so a new template without an entry in MAILS fails
here. Each is rendered as the sending service renders it (marketplace.mail.render_mail, with the context that
service passes) and must contain the link to its subject, every address in it under SITE_URL (not built from a
request's Host) and no bare path.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail as outbox
from django.urls import resolve, reverse

from marketplace import mail
from marketplace.accounts.services import send_verification_email
from pilots.models import ReferenceProposal
from solutions.agreements.models import AgreementProposal, CallOffRequest
from solutions.models import JoinRequest
from tests.agreements.factories import AgreementFactory
from tests.factories import (
    BarrierReportFactory,
    EnquiryFactory,
    MunicipalityFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
    UserFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db

SITE_URL = "https://marktplatz.example.de"
TEMPLATES = Path(django_settings.BASE_DIR) / "templates"
MAIL_TEMPLATE_GLOBS = ["emails/*.txt", "registration/*email*.txt", "kompetenzzentrum/emails/*.txt"]
URL = re.compile(r"[a-z][a-z0-9+.-]*://[^\s<>()]+", re.IGNORECASE)
# A word that starts with a slash is a path without the site's address: useless in a mail client.
BARE_PATH = re.compile(r"(?:^|\s)(/[\w-]+/\S*)")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def rows():
    """One of each thing a mail is about."""
    vendor = VendorFactory(name="Stadtwerk Digital GmbH")
    solution = SolutionFactory(vendor=vendor, title="Bürgerportal", slug="buergerportal")
    other = SolutionFactory(vendor=vendor, title="Ratsinfo", slug="ratsinfo")
    applicant = UserFactory(email="neu@example.org")
    municipality = MunicipalityFactory(name="Ulm")
    return {
        "vendor": vendor,
        "solution": solution,
        "solutions": [solution, other],
        "join_request": JoinRequest.objects.create(vendor=vendor, user=applicant, message="Bitte aufnehmen."),
        "proposal": ReferenceProposal.objects.create(
            solution=solution, municipality=municipality, proposed_by=applicant
        ),
        "reference": ReferenceFactory(solution=solution, municipality=MunicipalityFactory(name="Kiel")),
        "pilot": PilotProjectFactory(title="Smarte Parkplätze", contact_email="projekt@ulm.example"),
        "enquiry": EnquiryFactory(municipality=municipality),
        # The reported page (on this site) is the one address in a mail the sender typed.
        "barrier": BarrierReportFactory(page_url=f"{SITE_URL}/loesungen/"),
        "user": applicant,
        "agreement": AgreementFactory(),
    }


def _path(name, *args, **kwargs):
    return reverse(name, args=args or None, kwargs=kwargs or None)


# template -> (the context its service passes, built from `rows`; the paths of the links it must contain)
MAILS = {
    "emails/join_request.txt": (
        lambda r: {"vendor": r["vendor"], "join_request": r["join_request"]},
        lambda r: [_path("vendor:organisation", r["vendor"].pk)],
    ),
    "emails/join_request_decided.txt approved": (
        lambda r: {"join_request": r["join_request"], "approved": True},
        lambda r: [_path("vendor:organisation", r["vendor"].pk)],
    ),
    # Declined: the organisation's page is closed to them; the dashboard offers to join or found another.
    "emails/join_request_decided.txt declined": (
        lambda r: {"join_request": r["join_request"], "approved": False},
        lambda r: [_path("vendor:dashboard")],
    ),
    "emails/new_organisation.txt": (
        lambda r: {"vendor": r["vendor"]},
        lambda r: [_path("admin:solutions_vendor_change", r["vendor"].pk)],
    ),
    "emails/new_reference.txt": (
        lambda r: {"reference": r["proposal"]},
        lambda r: [_path("admin:pilots_referenceproposal_change", r["proposal"].pk)],
    ),
    "emails/organisation_changed.txt": (
        lambda r: {"vendor": r["vendor"]},
        lambda r: [_path("admin:solutions_vendor_change", r["vendor"].pk)],
    ),
    "emails/organisation_changes_accepted.txt": (
        lambda r: {"vendor": r["vendor"]},
        lambda r: [_path("vendor:organisation", r["vendor"].pk)],
    ),
    "emails/organisation_changes_discarded.txt": (
        lambda r: {"vendor": r["vendor"], "reason": "Bitte mit Impressum."},
        lambda r: [_path("vendor:organisation", r["vendor"].pk)],
    ),
    # The profile is not public and its contact has no account: the link is where to answer the editors.
    "emails/pilot_decision.txt": (
        lambda r: {"pilot": r["pilot"], "reason": "Bitte Ergebnisse ergänzen.", "action": "request_changes"},
        lambda r: [_path("contact")],
    ),
    "emails/reference_proposal_decided.txt accepted": (
        lambda r: {"proposal": r["proposal"], "accepted": True, "reason": ""},
        lambda r: [_path("vendor:references", pk=r["solution"].pk)],
    ),
    "emails/reference_proposal_decided.txt declined": (
        lambda r: {"proposal": r["proposal"], "accepted": False, "reason": "Nicht bestätigt."},
        lambda r: [_path("vendor:references", pk=r["solution"].pk)],
    ),
    "emails/reference_verified.txt": (
        lambda r: {"reference": r["reference"]},
        lambda r: [_path("vendor:references", pk=r["solution"].pk)],
    ),
    "emails/revision_accepted.txt": (
        lambda r: {"solution": r["solution"]},
        lambda r: [
            _path("solutions:detail", slug=r["solution"].slug),
            _path("vendor:solution", r["solution"].pk),
        ],
    ),
    "emails/revision_discarded.txt": (
        lambda r: {"solution": r["solution"], "reason": "Quelle fehlt."},
        lambda r: [_path("vendor:solution", r["solution"].pk)],
    ),
    "emails/solution_archived.txt": (
        lambda r: {"solutions": [r["solution"]], "solution": r["solution"], "reason": "Eingestellt."},
        lambda r: [_path("vendor:solution", r["solution"].pk)],
    ),
    "emails/solution_changes_requested.txt": (
        lambda r: {
            "solutions": [r["solution"]],
            "solution": r["solution"],
            "reason": "Bitte Preise nennen.",
            "fields": ["price model"],
        },
        lambda r: [_path("vendor:solution_edit", r["solution"].pk)],
    ),
    # One mail for several listings published at once: each line links to its public page.
    "emails/solution_published.txt": (
        lambda r: {"solutions": r["solutions"], "solution": r["solutions"][0], "reason": ""},
        lambda r: [_path("solutions:detail", slug=solution.slug) for solution in r["solutions"]],
    ),
    "emails/solution_rejected.txt": (
        lambda r: {"solutions": [r["solution"]], "solution": r["solution"], "reason": "Kein Produkt."},
        lambda r: [_path("vendor:solution", r["solution"].pk)],
    ),
    "emails/submitted.txt": (
        lambda r: {"solution": r["solution"], "by": r["user"]},
        lambda r: [_path("admin:solutions_solution_review", r["solution"].pk)],
    ),
    # The agreements' mails (solutions/agreements/services.py) pass their addresses ready-made.
    "emails/call_off_request.txt": (
        lambda r: {
            "call_off": CallOffRequest(
                agreement=r["agreement"],
                solution=r["solution"],
                municipality_name="Ulm",
                contact_name="A. Beispiel",
                email="einkauf@ulm.example",
                scope="100 Sensoren",
            ),
            "agreement_url": mail.absolute(r["agreement"].get_absolute_url()),
            "solution_url": mail.absolute(r["solution"].get_absolute_url()),
            "vendor": r["vendor"],
        },
        lambda r: [r["agreement"].get_absolute_url(), _path("solutions:detail", slug=r["solution"].slug)],
    ),
    "emails/agreement_proposal.txt": (
        lambda r: {
            "proposal": AgreementProposal(solution=r["solution"], title="Rahmenvertrag Sensorik"),
            "admin_url": mail.absolute(_path("admin:agreements_agreementproposal_change", 1)),
        },
        lambda r: [_path("admin:agreements_agreementproposal_change", 1)],
    ),
    "emails/vendor_verified.txt": (
        lambda r: {"vendor": r["vendor"]},
        lambda r: [_path("vendor:organisation", r["vendor"].pk)],
    ),
    "registration/already_registered_email.txt": (
        lambda r: {},
        lambda r: [_path("accounts:login"), _path("accounts:password_reset")],
    ),
    # The signed link comes from the service: see test_verification_mail_links_to_the_confirmation_page.
    "registration/verify_email.txt": None,
    # Django's PasswordResetForm context (domain and protocol from the request, which the template ignores).
    "registration/password_reset_email.txt": (
        lambda r: {
            "email": r["user"].email,
            "domain": "attacker.example",
            "protocol": "http",
            "site_name": "attacker.example",
            "uid": "Mg",
            "token": "c3x-abc",
            "user": r["user"],
        },
        lambda r: [_path("accounts:password_reset_confirm", uidb64="Mg", token="c3x-abc")],
    ),
    "kompetenzzentrum/emails/enquiry_barrier_received.txt": (
        lambda r: {"enquiry": r["barrier"]},
        lambda r: [_path("accessibility")],
    ),
    "kompetenzzentrum/emails/enquiry_enquiry_received.txt": (
        lambda r: {"enquiry": r["enquiry"]},
        lambda r: [_path("enquiry")],
    ),
    "kompetenzzentrum/emails/enquiry_new.txt enquiry": (
        lambda r: {"enquiry": r["enquiry"]},
        lambda r: [_path("admin:marketplace_enquiry_change", r["enquiry"].pk)],
    ),
    "kompetenzzentrum/emails/enquiry_new.txt barrier": (
        lambda r: {"enquiry": r["barrier"]},
        lambda r: [_path("admin:marketplace_enquiry_change", r["barrier"].pk)],
    ),
}


def test_every_mail_template_is_checked():
    found = {
        str(path.relative_to(TEMPLATES))
        for pattern in MAIL_TEMPLATE_GLOBS
        for path in TEMPLATES.glob(pattern)
        if not path.name.startswith("_")  # parts included by mails, such as the footer
    }

    assert found == {case.split(" ")[0] for case in MAILS}


def _links_under_the_site_url(subject: str, body: str) -> list[str]:
    """The links in a mail, after checking that each is absolute and under SITE_URL."""
    links = URL.findall(body)
    assert [link for link in links if not link.startswith(f"{SITE_URL}/")] == []
    assert BARE_PATH.findall(body) == []
    assert URL.findall(subject) == []
    return links


@pytest.mark.parametrize("case", sorted(case for case, check in MAILS.items() if check))
def test_mail_links_to_its_subject_under_the_site_url(rows, case):
    context, expected = MAILS[case]

    subject, body = mail.render_mail(template=case.split(" ")[0], context=context(rows))

    links = _links_under_the_site_url(subject, body)
    for path in expected(rows):
        assert f"{SITE_URL}{path}" in links, f"{case}: no link to {path} in\n{body}"


@pytest.mark.parametrize("case", sorted(case for case, check in MAILS.items() if check))
def test_mail_says_why_it_was_sent_and_how_to_stop_it(rows, case):
    context, _expected = MAILS[case]

    _subject, body = mail.render_mail(template=case.split(" ")[0], context=context(rows))

    *_text, why, stop = body.strip().splitlines()
    assert why.startswith("Why you receive this e-mail: ") and len(why) > 40, body
    assert stop.startswith("How to stop it: ") and len(stop) > 30, body


def test_verification_mail_links_to_the_confirmation_page(rows, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

    send_verification_email(rows["user"])

    [message] = outbox.outbox
    [link] = _links_under_the_site_url(message.subject, message.body)
    assert resolve(link.removeprefix(SITE_URL)).view_name == "accounts:verify"
    assert "Why you receive this e-mail: Someone entered this address" in message.body
