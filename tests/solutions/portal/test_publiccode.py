"""publiccode.yml import: a pre-filled draft, or line-specific messages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.choices import EditorialStatus
from solutions import publiccode
from solutions.models import Solution

pytestmark = pytest.mark.django_db

VALID = """\
publiccodeYmlVersion: "0.4"
name: Offene Ratsinfo
url: https://gitlab.opencode.de/example/ratsinfo
landingURL: https://ratsinfo.example.org
legal:
  license: EUPL-1.2
maintenance:
  type: community
  contacts:
    - name: Erika Muster
      email: erika@example.org
      phone: "+49 30 123"
description:
  en:
    shortDescription: Council information system
    longDescription: Meetings, agendas and minutes.
  de:
    shortDescription: Ratsinformationssystem
    longDescription: Sitzungen, Tagesordnungen und Protokolle.
"""


def test_parse_reads_the_listing_values():
    result = publiccode.parse(VALID)
    assert result.errors == []
    assert result.values["title"] == "Offene Ratsinfo"
    assert result.values["summary"] == "Ratsinformationssystem"
    assert result.values["description"] == "Sitzungen, Tagesordnungen und Protokolle."
    assert (result.values["licence_type"], result.values["spdx_id"]) == ("open_source", "EUPL-1.2")
    assert result.values["source_url"] == "https://gitlab.opencode.de/example/ratsinfo"
    assert result.values["contact_email"] == "erika@example.org"
    assert "maintained by the community" in result.values["procurement_notes"]


def test_missing_keys_are_reported_with_lines():
    text = (
        'publiccodeYmlVersion: "0.4"\nname: X\nlegal:\n  repoOwner: Y\n'
        "description:\n  de:\n    features: []\n"
    )
    errors = publiccode.parse(text).errors
    assert "Line 1: “url” is missing." in errors
    assert "Line 4: “legal.license” is missing." in errors
    assert "Line 7: “description.de” needs a shortDescription." in errors


def test_yaml_syntax_error_names_the_line():
    errors = publiccode.parse('name: X\nurl: "https://x\nlegal: [\n').errors
    assert len(errors) == 1
    assert errors[0].startswith("Line ")
    assert "not valid YAML" in errors[0]


def test_wrong_types_are_reported_with_lines():
    errors = publiccode.parse(
        'publiccodeYmlVersion: "0.4"\nname:\n  - a\nurl: https://x.org\nlegal:\n  license: MIT\n'
        "description:\n  de:\n    shortDescription: Kurz\nmaintenance:\n  type: sometimes\n"
    ).errors
    assert errors == [
        "Line 3: “name” must be text.",
        "Line 11: “maintenance.type” must be one of internal, contract, community, none.",
    ]


def test_import_view_creates_a_prefilled_draft(client, owner, vendor):
    client.force_login(owner)
    response = client.post(
        reverse("vendor:publiccode_import"),
        {"file": SimpleUploadedFile("publiccode.yml", VALID.encode(), "application/yaml")},
    )
    solution = Solution.objects.get()
    assert response["Location"] == reverse("vendor:solution_edit", kwargs={"pk": solution.pk})
    assert (solution.title, solution.vendor, solution.status) == (
        "Offene Ratsinfo",
        vendor,
        EditorialStatus.DRAFT,
    )
    assert solution.spdx_id == "EUPL-1.2"
    assert solution.contact_name == "Erika Muster"


def test_import_view_shows_line_messages_and_keeps_the_text(client, owner, vendor):
    client.force_login(owner)
    text = 'publiccodeYmlVersion: "0.4"\nname: <script>x</script>\n'
    response = client.post(reverse("vendor:publiccode_import"), {"text": text})
    html = response.content.decode()
    assert "Line 1: “url” is missing." in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>x</script>" not in html
    assert not Solution.objects.exists()


def test_import_view_reports_invalid_values_of_the_listing(client, owner, vendor):
    client.force_login(owner)
    text = VALID.replace("erika@example.org", "keine-adresse")
    response = client.post(reverse("vendor:publiccode_import"), {"text": text})
    assert any("contact e-mail" in problem.lower() for problem in response.context["problems"])
    assert not Solution.objects.exists()


def test_import_needs_a_file_or_text(client, owner, vendor):
    client.force_login(owner)
    response = client.post(reverse("vendor:publiccode_import"), {"text": "  "})
    assert response.context["form"].non_field_errors() == [
        "Please upload a publiccode.yml file or paste its content."
    ]
