"""The public forms "Beratung anfragen" and "Barriere melden" and the inbox in the admin."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from marketplace.kompetenzzentrum import services
from marketplace.kompetenzzentrum.admin import enquiries_section
from marketplace.kompetenzzentrum.models import Enquiry
from tests.factories import BarrierReportFactory, EnquiryFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


def started_token(client, url) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="started" value="([^"]+)"', html).group(1)


def enquiry_data(client, **overrides):
    data = {
        "municipality_name": "Ulm",
        "name": "Erika Mustermann",
        "role": "Digitalisierungsbeauftragte",
        "email": "erika@ulm.example",
        "topic": "procurement",
        "message": "Wie beschaffen wir ein Parkleitsystem?",
        "homepage": "",
        "started": started_token(client, reverse("enquiry")),
    }
    return {**data, **overrides}


def barrier_data(client, **overrides):
    data = {
        "page_url": "https://marktplatz.example/loesungen/",
        "message": "Der Filter ist mit der Tastatur nicht erreichbar.",
        "name": "",
        "email": "",
        "homepage": "",
        "started": started_token(client, reverse("barrier_report")),
    }
    return {**data, **overrides}


def test_enquiry_is_stored_confirmed_to_the_sender_and_announced_to_the_editors(client):
    ulm = MunicipalityFactory(name="Ulm", ags="08421000")

    response = client.post(reverse("enquiry"), enquiry_data(client))

    assert response.status_code == 302
    assert response["Location"] == reverse("enquiry_thanks")
    enquiry = Enquiry.objects.get()
    assert (enquiry.kind, enquiry.status, enquiry.municipality, enquiry.email, enquiry.topic) == (
        "enquiry",
        "new",
        ulm,
        "erika@ulm.example",
        "procurement",
    )
    assert enquiry.language == "en"
    assert [message.to for message in mail.outbox] == [["erika@ulm.example"], ["redaktion@example.org"]]
    assert mail.outbox[0].subject == "Your enquiry to the Kompetenzzentrum"
    assert "Topic: Procurement and framework agreements" in mail.outbox[0].body
    assert mail.outbox[1].subject == "New enquiry: Procurement and framework agreements"
    assert f"/marketplace/enquiry/{enquiry.pk}/change/" in mail.outbox[1].body
    assert "Thank you for your enquiry" in client.get(response["Location"]).content.decode()


def test_enquiry_with_an_error_keeps_every_typed_value(client):
    MunicipalityFactory(name="Ulm", ags="08421000")
    data = enquiry_data(client, email="not-an-address")

    response = client.post(reverse("enquiry"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert Enquiry.objects.count() == 0
    assert mail.outbox == []
    assert 'href="#id_email"' in html  # the error summary links the field
    for name in ["municipality_name", "name", "role", "email"]:
        assert f'value="{data[name]}"' in html
    assert "Wie beschaffen wir ein Parkleitsystem?</textarea>" in html
    assert '<option value="procurement" selected>' in html
    assert response.context["form"]["started"].value() == data["started"]


def test_enquiry_municipality_with_several_matches_offers_a_choice(client):
    first = MunicipalityFactory(name="Neustadt an der Weinstraße", ags="07316000")
    second = MunicipalityFactory(name="Neustadt bei Coburg", ags="09473147")

    response = client.post(reverse("enquiry"), enquiry_data(client, municipality_name="Neustadt"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["municipality"] == ["Several municipalities match “Neustadt”. Please choose yours."]
    assert list(form.fields["municipality"].queryset) == [first, second]
    assert 'name="municipality"' in response.content.decode()

    chosen = client.post(
        reverse("enquiry"), enquiry_data(client, municipality_name="Neustadt", municipality=second.pk)
    )
    assert chosen.status_code == 302
    assert Enquiry.objects.get().municipality == second


def test_enquiry_municipality_by_official_key_and_unknown_name(client):
    ulm = MunicipalityFactory(name="Ulm", ags="08421000")

    assert (
        client.post(reverse("enquiry"), enquiry_data(client, municipality_name="08421000")).status_code == 302
    )
    assert Enquiry.objects.get().municipality == ulm

    response = client.post(reverse("enquiry"), enquiry_data(client, municipality_name="Atlantis"))
    assert response.context["form"].errors["municipality_name"] == [
        "No municipality in the register matches “Atlantis”. Please check the spelling."
    ]


def test_enquiry_honeypot_stores_and_sends_nothing(client):
    MunicipalityFactory(name="Ulm")

    response = client.post(reverse("enquiry"), enquiry_data(client, homepage="https://spam.example"))

    assert response["Location"] == reverse("enquiry_thanks")
    assert Enquiry.objects.count() == 0
    assert mail.outbox == []


def test_enquiry_sent_faster_than_a_person_types_is_refused(client, settings):
    MunicipalityFactory(name="Ulm")
    settings.ENQUIRY_MIN_FILL_SECONDS = 60

    response = client.post(reverse("enquiry"), enquiry_data(client))

    assert response.status_code == 200
    assert Enquiry.objects.count() == 0
    summary = [error for _anchor, _label, error in response.context["form"].error_summary()]
    assert summary == ["The form was sent very quickly. Please check your entries and send it again."]


def test_enquiry_with_a_forged_timestamp_is_refused_and_gets_a_fresh_one(client):
    MunicipalityFactory(name="Ulm")

    response = client.post(reverse("enquiry"), enquiry_data(client, started="1:forged"))

    assert Enquiry.objects.count() == 0
    form = response.context["form"]
    assert form.errors["started"] == ["The form could not be checked. Please send it again."]
    fresh = form["started"].value()
    assert fresh != "1:forged"
    assert client.post(reverse("enquiry"), enquiry_data(client, started=fresh)).status_code == 302


def test_enquiry_posts_are_rate_limited(client, settings):
    MunicipalityFactory(name="Ulm")
    settings.ENQUIRY_RATE = (2, 3600)

    statuses = [client.post(reverse("enquiry"), enquiry_data(client)).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert Enquiry.objects.count() == 2


def test_enquiry_form_page_has_labelled_fields_and_a_hidden_honeypot(client):
    html = client.get(reverse("enquiry")).content.decode()

    assert '<div hidden><label for="id_homepage">' in html
    for field in ["municipality_name", "name", "role", "email", "topic", "message"]:
        assert f'<label for="id_{field}"' in html
    assert 'name="municipality"' not in html  # the choice appears only when several match


def test_barrier_report_is_stored_without_contact_and_announced_to_the_editors(client):
    response = client.post(reverse("barrier_report"), barrier_data(client))

    assert response["Location"] == reverse("barrier_report_thanks")
    report = Enquiry.objects.get()
    assert (report.kind, report.page_url, report.email, report.municipality) == (
        "barrier",
        "https://marktplatz.example/loesungen/",
        "",
        None,
    )
    assert [message.to for message in mail.outbox] == [["redaktion@example.org"]]
    assert mail.outbox[0].subject == "New barrier report"
    assert "within 30 days" in mail.outbox[0].body


def test_barrier_report_with_contact_gets_a_confirmation(client):
    client.post(reverse("barrier_report"), barrier_data(client, name="Max", email="max@example.org"))

    assert [message.to for message in mail.outbox] == [["max@example.org"], ["redaktion@example.org"]]
    assert mail.outbox[0].subject == "Your report of a barrier"
    assert mail.outbox[0].body.startswith("Hello,\n")


def test_barrier_report_error_keeps_the_text(client):
    response = client.post(reverse("barrier_report"), barrier_data(client, page_url=""))

    assert response.context["form"].errors["page_url"] == ["This field is required."]
    assert "Der Filter ist mit der Tastatur nicht erreichbar.</textarea>" in response.content.decode()
    assert Enquiry.objects.count() == 0


def test_barrier_report_form_is_prefilled_with_a_page_of_this_site_only(client, settings):
    own = client.get(reverse("barrier_report"), {"page": "/loesungen/?q=park"})
    foreign = client.get(reverse("barrier_report"), {"page": "https://evil.example/"})

    assert own.context["form"]["page_url"].value() == f"{settings.SITE_URL}/loesungen/?q=park"
    assert foreign.context["form"]["page_url"].value() is None


def test_accessibility_page_and_footer_link_the_forms(client):
    html = client.get(reverse("accessibility")).content.decode()

    assert f'href="{reverse("barrier_report")}"' in html
    assert f'href="{reverse("enquiry")}"' in html


def test_overdue_barrier_reports_are_flagged_after_thirty_days():
    old = BarrierReportFactory(created_at=timezone.now() - timedelta(days=31))
    BarrierReportFactory(created_at=timezone.now() - timedelta(days=29))
    BarrierReportFactory(created_at=timezone.now() - timedelta(days=40), status="answered")
    EnquiryFactory(created_at=timezone.now() - timedelta(days=60))

    assert list(services.overdue_barrier_reports()) == [old]
    assert old.is_overdue
    assert services.open_enquiries().count() == 3


def test_answering_stops_the_clock_and_closing_keeps_the_answer_date():
    editor = UserFactory(is_staff=True)
    report = BarrierReportFactory(created_at=timezone.now() - timedelta(days=31))

    services.set_enquiry_status(report, status=Enquiry.Status.IN_PROGRESS, by=editor)
    assert report.assigned_to == editor
    services.set_enquiry_status(report, status=Enquiry.Status.ANSWERED, by=editor)
    answered_at = report.answered_at
    services.set_enquiry_status(report, status=Enquiry.Status.CLOSED, by=editor)

    report.refresh_from_db()
    assert report.answered_at == answered_at is not None
    assert report.closed_at is not None
    assert not report.is_overdue
    assert list(Enquiry.objects.overdue()) == []


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


def test_editor_sees_the_inbox_with_overdue_flag_and_filter(client, editor):
    overdue = BarrierReportFactory(created_at=timezone.now() - timedelta(days=31))
    EnquiryFactory()

    changelist = client.get(reverse("admin:marketplace_enquiry_changelist"))
    flagged = client.get(reverse("admin:marketplace_enquiry_changelist"), {"overdue": "1"})

    assert changelist.context["cl"].result_count == 2
    assert [row.pk for row in flagged.context["cl"].result_list] == [overdue.pk]


def test_editor_assigns_sets_status_and_writes_notes_in_the_admin(client, editor):
    enquiry = EnquiryFactory()

    response = client.post(
        reverse("admin:marketplace_enquiry_change", args=[enquiry.pk]),
        {
            "status": "answered",
            "assigned_to": editor.pk,
            "internal_notes": "Rückruf am Montag",
            "municipality": "",
        },
    )

    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.assigned_to, enquiry.internal_notes) == (
        "answered",
        editor,
        "Rückruf am Montag",
    )
    assert enquiry.answered_at is not None


def test_editor_bulk_action_assigns_to_me(client, editor):
    enquiries = EnquiryFactory.create_batch(2)

    client.post(
        reverse("admin:marketplace_enquiry_changelist"),
        {"action": "assign_to_me", "_selected_action": [e.pk for e in enquiries]},
    )

    assert set(Enquiry.objects.values_list("assigned_to", flat=True)) == {editor.pk}


@pytest.mark.parametrize("rows", [1, 50])
def test_inbox_changelist_query_count_is_constant(client, editor, django_assert_num_queries, rows):
    EnquiryFactory.create_batch(rows, assigned_to=editor)
    # session, user, permissions (own and group), the editors for the assigned_to filter, two counts, the
    # rows, and the date hierarchy's range and days
    with django_assert_num_queries(10):
        response = client.get(reverse("admin:marketplace_enquiry_changelist"))
    assert response.context["cl"].result_count == rows


def test_anonymous_and_vendor_users_get_no_inbox(client):
    url = reverse("admin:marketplace_enquiry_changelist")
    assert client.get(url)["Location"].startswith(reverse("admin:login"))
    client.force_login(UserFactory())
    assert client.get(url)["Location"].startswith(reverse("admin:login"))


def test_queue_section_lists_open_entries_oldest_first_and_flags_overdue(rf, editor):
    overdue = BarrierReportFactory(created_at=timezone.now() - timedelta(days=31))
    recent = EnquiryFactory()
    EnquiryFactory(status="closed")
    request = rf.get("/")
    request.user = editor

    section = enquiries_section(request, limit=50)
    counts_only = enquiries_section(request, limit=0)

    assert section.count == counts_only.count == 2
    assert counts_only.items == []
    assert [(item.url, item.detail) for item in section.items] == [
        (reverse("admin:marketplace_enquiry_change", args=[overdue.pk]), "overdue"),
        (reverse("admin:marketplace_enquiry_change", args=[recent.pk]), "New"),
    ]
    request.user = UserFactory(is_staff=True)
    assert enquiries_section(request, limit=50) is None
