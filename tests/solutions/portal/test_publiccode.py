"""publiccode.yml import: a pre-filled draft, or line-specific messages."""

import time

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


# ---------- Hostile input: bounded time and memory, a message instead of a 500 ----------

HEADER = 'publiccodeYmlVersion: "0.4"\n'


def _billion_laughs(levels: int = 9) -> str:
    lines = [HEADER, 'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n']
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]\n")
    lines.append(f"name: *l{levels}\n")
    return "".join(lines)


def _timed_parse(text: str) -> tuple[list[str], float]:
    start = time.perf_counter()
    errors = publiccode.parse(text).errors
    return errors, time.perf_counter() - start


@pytest.mark.parametrize(
    "text",
    [
        _billion_laughs(),
        HEADER + "name: &loop [*loop]\n",
        HEADER + "legal: &legal\n  license: *legal\n",
    ],
    ids=["billion-laughs", "recursive-sequence", "recursive-mapping"],
)
def test_yaml_aliases_are_refused_with_the_line(text):
    errors, seconds = _timed_parse(text)
    first_alias = next(number for number, line in enumerate(text.splitlines(), 1) if "*" in line)
    assert errors == [
        f"Line {first_alias}: YAML aliases (“*name”) are not accepted; please write the value out in full."
    ]
    assert seconds < 2


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (HEADER + "name: " + "[" * 500 + "]" * 500 + "\n", 2),
        (HEADER + "name: " + "{a: " * 500 + "b" + "}" * 500 + "\n", 2),
        (HEADER + "keywords:\n" + "".join(" " * depth + "- \n" for depth in range(1, 500)), 22),
        (HEADER + "".join(" " * depth + "a:\n" for depth in range(500)) + " " * 500 + "b\n", 21),
    ],
    ids=["flow-sequences", "flow-mappings", "block-sequences", "block-mappings"],
)
def test_deeply_nested_yaml_gets_a_message(text, line):
    errors, seconds = _timed_parse(text)
    assert errors == [f"Line {line}: the content is nested more than 20 levels deep."]
    assert seconds < 2


def test_nesting_beyond_what_libyaml_scans_gets_a_message():
    # libyaml looks ahead through a line of brackets and stops at its own limit of 1000 levels.
    errors, seconds = _timed_parse(HEADER + "name: " + "[" * 90_000 + "]" * 90_000)
    assert errors == ["Line 2: this is not valid YAML (exceeded maximum nesting depth)."]
    assert seconds < 2


def test_nesting_of_a_real_publiccode_yml_is_accepted():
    text = VALID + "dependsOn:\n  open:\n    - name: PostgreSQL\n      versionMin: '14'\n"
    assert publiccode.parse(text).errors == []


def test_text_longer_than_the_limit_is_refused_unparsed():
    errors, seconds = _timed_parse(HEADER + "name: " + "x" * publiccode.MAX_SIZE)
    assert errors == ["The publiccode.yml is longer than 204,800 characters."]
    assert seconds < 2


def test_large_but_valid_yaml_is_parsed_in_bounded_time():
    # The most tokens that fit: a flow sequence of 100,000 one-character items.
    text = HEADER + "keywords: [" + "1," * ((publiccode.MAX_SIZE - 60) // 2) + "1]\n"
    assert len(text) <= publiccode.MAX_SIZE
    errors, seconds = _timed_parse(text)
    assert "Line 1: “name” is missing." in errors
    # About 0.7 s on a quiet machine (4 s with PyYAML's pure-Python scanner); the bound allows for load.
    assert seconds < 3


def test_import_view_answers_an_alias_bomb_with_a_message(client, owner, vendor):
    client.force_login(owner)
    start = time.perf_counter()
    response = client.post(
        reverse("vendor:publiccode_import"),
        {"file": SimpleUploadedFile("publiccode.yml", _billion_laughs().encode(), "application/yaml")},
    )
    assert time.perf_counter() - start < 2
    assert response.status_code == 200
    assert response.context["problems"] == [
        "Line 3: YAML aliases (“*name”) are not accepted; please write the value out in full."
    ]
    assert not Solution.objects.exists()


def test_import_view_answers_deep_nesting_with_a_message(client, owner, vendor):
    client.force_login(owner)
    response = client.post(
        reverse("vendor:publiccode_import"), {"text": HEADER + "name: " + "[" * 500 + "]" * 500}
    )
    assert response.status_code == 200
    assert response.context["problems"] == ["Line 2: the content is nested more than 20 levels deep."]
    assert "Line 2: the content is nested more than 20 levels deep." in response.content.decode()
    assert not Solution.objects.exists()


def test_import_view_refuses_a_file_over_the_limit(client, owner, vendor):
    client.force_login(owner)
    content = (HEADER + "name: " + "x" * publiccode.MAX_SIZE).encode()
    response = client.post(
        reverse("vendor:publiccode_import"),
        {"file": SimpleUploadedFile("publiccode.yml", content, "application/yaml")},
    )
    assert response.context["form"].non_field_errors() == ["The file is larger than 200.0\xa0KB."]
    assert not Solution.objects.exists()
