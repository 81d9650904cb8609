"""The admin speaks German to the editors of the "Redaktion" group: every page an editor uses, opened with
the German locale, shows no English UI text (Django's own admin words, the words of our admin code) and no
empty heading.

What counts as English: every msgid of Django's admin catalogue whose German translation differs from it
(so "Filter" or "Status", the same in both languages, never count), every such msgid of the project's own
catalogue, and words Django 6.1 added after its German catalogue was last updated ("Run")."""

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import django.contrib.admin
import pytest
from django.conf import settings as django_settings
from django.contrib.admin import site
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import formats, timezone, translation

from marketplace.choices import EditorialStatus
from marketplace.editorial import services
from marketplace.editorial.models import LinkCheck
from pilots.models import ReferenceProposal
from solutions.models import SolutionDocument, SolutionRevision
from tests.factories import (
    CategoryFactory,
    EnquiryFactory,
    MunicipalityFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
    StandardFactory,
    UserFactory,
    VendorFactory,
    VendorMembershipFactory,
)

S = EditorialStatus

# English the admin may show although the German catalogue lacks it, and words whose German msgstr in
# Django's catalogue has another form than the one rendered.
KNOWN_ENGLISH = [
    "Run", "Select an option", "Search", "Go", "Add", "Change", "Save", "Delete", "History", "Home",
    "Action", "Actions", "Yes", "No", "View", "Close", "Log out", "View site", "Welcome", "Unknown",
    "Export", "Import", "Show counts", "Hide counts", "Clear all filters", "Today", "Now",
]  # fmt: skip

# Single words that are also German (or names), so they are no sign of a missing translation.
ALSO_GERMAN = {
    "Name",
    "Status",
    "Filter",
    "Standard",
    "Standards",
    "Region",
    "Start",
    "Details",
    "Link",
    "Logo",
    # Parts of names German uses as they are: "Open Source", "Long Range Wide Area Network" (a synonym).
    "Source",
    "Area",
}


def _translated_msgids(path: Path) -> set[str]:
    """The English texts of a compiled catalogue that have a different German translation (no plurals,
    no placeholders: those never appear verbatim)."""
    with path.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    return {
        msgid
        for msgid, msgstr in catalogue.items()
        if isinstance(msgid, str)
        and msgid
        and "%" not in msgid
        and "{" not in msgid
        and "\x04" not in msgid
        and msgstr.strip() != msgid.strip()
    }


def english_phrases() -> list[str]:
    admin_mo = Path(django.contrib.admin.__file__).parent / "locale/de/LC_MESSAGES/django.mo"
    own_mo = Path(django_settings.BASE_DIR) / "locale/de/LC_MESSAGES/django.mo"
    phrases = _translated_msgids(admin_mo) | _translated_msgids(own_mo) | set(KNOWN_ENGLISH)
    return sorted(phrases - ALSO_GERMAN, key=len, reverse=True)


class VisibleText(HTMLParser):
    """What a person reads or hears: text outside <script>/<style>, and the attributes shown or read out
    (button values, placeholders, titles, labels, alternative texts). Also the empty headings.

    <code> is left out: it holds identifiers that must stay as they are (the CSV column names the import
    page lists)."""

    SKIPPED = {"script", "style", "template", "code"}

    SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "data-placeholder"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.empty_headings: list[str] = []
        self._skip = 0
        self._heading: list | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.SKIPPED:
            self._skip += 1
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._heading = [tag, ""]
        for name, value in attributes.items():
            if value and name in self.SHOWN_ATTRIBUTES:
                self.parts.append(value)
                if self._heading is not None:
                    self._heading[1] += value
        if tag == "input" and attributes.get("type") in {"submit", "button", "reset"}:
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self._skip -= 1
        if self._heading is not None and tag == self._heading[0]:
            if not self._heading[1].strip():
                self.empty_headings.append(tag)
            self._heading = None

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)
            if self._heading is not None:
                self._heading[1] += data


def read(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    return parser


def english_in(text: str, phrases: list[str]) -> list[str]:
    return [
        phrase
        for phrase in phrases
        if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text, flags=re.UNICODE)
    ]


@pytest.fixture(autouse=True)
def _german(settings):
    settings.LANGUAGE_CODE = "de"
    settings.ADMIN_REQUIRE_OTP = False
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def content():
    """One of everything an editor works on, with German texts."""
    category = CategoryFactory(name_de="Mobilität", name_en="Mobility")
    standard = StandardFactory(name="OParl")
    vendor = VendorFactory(name="Stadtwerk Digital GmbH", is_verified=False)
    member = UserFactory(username="inhaberin", email="inhaberin@example.org")
    VendorMembershipFactory(vendor=vendor, user=member)
    submitted = SolutionFactory(
        vendor=vendor,
        title="Mängelmelder",
        status=S.SUBMITTED,
        submitted_at=timezone.now(),
        published_at=None,
        categories=[category],
        standards=[standard],
        contact_email="kontakt@example.org",
    )
    published = SolutionFactory(title="Parkleitsystem", categories=[category])
    SolutionRevision.objects.create(solution=published, data={"summary": "Neue Zusammenfassung."})
    SolutionDocument.objects.create(solution=submitted, title="Produktblatt", file="documents/x.pdf")
    town = MunicipalityFactory(name="Musterhausen")
    pilot = PilotProjectFactory(title="Smarte Parkplätze", categories=[category], lead_municipality=town)
    reference = ReferenceFactory(solution=published, municipality=town, pilot=pilot, is_verified=False)
    ReferenceProposal.objects.create(
        solution=published, municipality=MunicipalityFactory(name="Beispielstadt")
    )
    # A decision that changes dates, so the history pages show changed dates and times.
    archived = SolutionFactory(title="Altes Portal", categories=[category])
    services.archive(archived, by=UserFactory(username="chefredakteurin", is_superuser=True, is_staff=True))
    enquiry = EnquiryFactory(name="Erika Beispiel")
    link = LinkCheck.objects.create(
        content_type_id=_content_type_id(published),
        object_id=published.pk,
        entry_title=published.title,
        field="website",
        url="https://example.org/weg",
        status_code=404,
        is_broken=True,
        checked_at=timezone.now(),
        broken_since=timezone.now(),
    )
    return {
        "solutions.solution": submitted,
        "solutions.vendor": vendor,
        "solutions.category": category,
        "solutions.standard": standard,
        "solutions.vendormembership": vendor.memberships.first(),
        "pilots.pilotproject": pilot,
        "pilots.reference": reference,
        "pilots.referenceproposal": published.reference_proposals.first(),
        "municipalities.municipality": town,
        "marketplace.enquiry": enquiry,
        "marketplace.linkcheck": link,
        "published": published,
        "archived": archived,
    }


def _content_type_id(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


@pytest.fixture
def editor(client):
    user = UserFactory(username="redakteurin", is_staff=True)
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


def editor_pages(client, user, content) -> list[tuple[str, str]]:
    """(url, method) of every admin page an editor of the "Redaktion" group can open."""
    pages = [(reverse("admin:index"), "get"), (reverse("admin:review_queue"), "get")]
    request = client.get(reverse("admin:index")).wsgi_request
    for model, model_admin in site._registry.items():
        label = model._meta.label_lower
        if not model_admin.has_view_or_change_permission(request):
            continue
        info = (model._meta.app_label, model._meta.model_name)
        pages.append((reverse("admin:{}_{}_changelist".format(*info)), "get"))
        # The changelist with a filter and a search, as editors use it.
        pages.append((reverse("admin:{}_{}_changelist".format(*info)) + "?q=zzz", "get"))
        if model_admin.has_add_permission(request):
            pages.append((reverse("admin:{}_{}_add".format(*info)), "get"))
        # The CSV import (django-import-export) where editors may import.
        if getattr(model_admin, "has_import_permission", lambda request: False)(request):
            pages.append((reverse("admin:{}_{}_import".format(*info)), "get"))
        if label in content:
            obj = content[label]
            pages.append((reverse("admin:{}_{}_change".format(*info), args=[obj.pk]), "get"))
            pages.append((reverse("admin:{}_{}_history".format(*info), args=[obj.pk]), "get"))
    for key in ("solutions.solution", "published", "archived"):
        pages.append((reverse("admin:solutions_solution_review", args=[content[key].pk]), "get"))
    pages.append((reverse("admin:solutions_solution_history", args=[content["archived"].pk]), "get"))
    return pages


@pytest.mark.django_db
def test_every_admin_page_an_editor_uses_is_german_without_empty_headings(client, editor, content):
    phrases = english_phrases()
    assert {"Run", "Search", "Save", "History", "Home"} <= set(phrases)
    found = {}
    pages = editor_pages(client, editor, content)
    assert len(pages) >= 30
    for url, _method in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = read(response.content.decode())
        text = " ".join(page.parts)
        english = english_in(text, phrases)
        # Dates and times the German way ("2. Dezember 2026 14:05"), never ISO ("2026-12-02").
        iso_dates = re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text)
        if english or page.empty_headings or iso_dates:
            found[url] = {"english": english, "empty headings": page.empty_headings, "ISO dates": iso_dates}
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


def ready_listing(content):
    """A submitted listing of a verified organisation: one that can be published."""
    return SolutionFactory(
        title="Bürgerportal",
        status=S.SUBMITTED,
        submitted_at=timezone.now(),
        published_at=None,
        categories=[content["solutions.category"]],
    )


@pytest.mark.django_db
def test_action_and_confirmation_pages_are_german(client, editor, content):
    phrases = english_phrases()
    solution = content["solutions.solution"]
    posts = [
        (
            reverse("admin:solutions_solution_changelist"),
            {"action": action, "_selected_action": [solution.pk]},
        )
        for action in ["publish_selected", "request_changes_selected", "reject_selected", "archive_selected"]
    ]
    posts += [
        (
            reverse("admin:solutions_vendor_changelist"),
            {"action": "discard_changes", "_selected_action": [content["solutions.vendor"].pk]},
        ),
        (
            reverse("admin:pilots_referenceproposal_changelist"),
            {"action": "decline", "_selected_action": [content["pilots.referenceproposal"].pk]},
        ),
        (
            reverse("admin:pilots_pilotproject_changelist"),
            {"action": "publish_selected", "_selected_action": [content["pilots.pilotproject"].pk]},
        ),
        # The confirmation step before publishing from the review page, and a refusal there.
        (
            reverse("admin:solutions_solution_review", args=[ready_listing(content).pk]),
            {"decision": "publish"},
        ),
        (reverse("admin:solutions_solution_review", args=[solution.pk]), {"decision": "publish"}),
        (reverse("admin:solutions_solution_review", args=[solution.pk]), {"decision": "request_changes"}),
    ]
    found = {}
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 200, (url, data)
        page = read(response.content.decode())
        english = english_in(" ".join(page.parts), phrases)
        if english or page.empty_headings:
            found[f"{url} {data}"] = {"english": english, "empty headings": page.empty_headings}
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


@pytest.mark.django_db
def test_dates_and_times_in_the_history_are_written_the_german_way(client, editor, content):
    archived = content["archived"]
    archived.refresh_from_db()
    with translation.override("de"):
        written = formats.date_format(timezone.localtime(archived.archived_at), "DATETIME_FORMAT")
    assert re.fullmatch(r"\d{1,2}\. \w+ \d{4} \d{2}:\d{2}", written), written
    page = client.get(reverse("admin:solutions_solution_history", args=[archived.pk])).content.decode()
    assert f"– → {written}" in page
