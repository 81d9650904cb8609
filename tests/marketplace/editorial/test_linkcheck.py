"""The link check against a local HTTP server started in the test (never a real host)."""

import io
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from marketplace.choices import EditorialStatus
from marketplace.editorial import linkcheck
from marketplace.editorial.models import LinkCheck
from marketplace.editorial.queue import broken_links_section, stale_listings_section
from solutions.models import Solution
from tests.factories import PilotLinkFactory, PilotProjectFactory, SolutionFactory, VendorFactory

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    requests: list[tuple[str, str]] = []

    def _answer(self, with_body: bool):
        Handler.requests.append((self.command, self.path))
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path in {"/ok", "/no-head", "/slow"}:
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def do_HEAD(self):  # noqa: N802
        self._answer(with_body=False)

    def do_GET(self):  # noqa: N802
        self._answer(with_body=True)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.requests = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def _linkcheck_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The local test server is on loopback, which the link check refuses by default.
    settings.LINKCHECK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.LANGUAGE_CODE = "en"


def result(url):
    return LinkCheck.objects.get(url=url)


def test_check_url_uses_head_then_get_and_follows_redirects(server):
    assert linkcheck.check_url(f"{server}/ok") == linkcheck.Result(200, "")
    assert linkcheck.check_url(f"{server}/no-head") == linkcheck.Result(200, "")
    assert linkcheck.check_url(f"{server}/moved") == linkcheck.Result(200, "")
    assert linkcheck.check_url(f"{server}/gone") == linkcheck.Result(404, "")
    assert Handler.requests == [
        ("HEAD", "/ok"),
        ("HEAD", "/no-head"),
        ("GET", "/no-head"),
        ("HEAD", "/moved"),
        ("HEAD", "/ok"),
        ("HEAD", "/gone"),
        ("GET", "/gone"),
    ]


def test_check_url_times_out(server):
    outcome = linkcheck.check_url(f"{server}/slow", timeout=0.3)
    assert outcome == linkcheck.Result(None, "no answer within 0.3 seconds")
    assert outcome.is_broken


def test_check_url_refuses_addresses_inside_the_network(server, settings):
    settings.LINKCHECK_ALLOWED_NETWORKS = []

    assert linkcheck.check_url(f"{server}/ok") == linkcheck.Result(None, "blocked: loopback address")
    assert linkcheck.check_url("ftp://files.example/x") == linkcheck.Result(
        None, "blocked: not an http(s) address"
    )
    assert Handler.requests == []


def test_check_links_records_every_published_link_and_marks_broken_ones(server):
    vendor = VendorFactory(website=f"{server}/ok")
    solution = SolutionFactory(
        vendor=vendor, website=f"{server}/ok", source_url=f"{server}/gone", accessibility_statement_url=""
    )
    SolutionFactory(status=EditorialStatus.DRAFT, website=f"{server}/draft")
    pilot = PilotProjectFactory()
    PilotLinkFactory(pilot=pilot, label="Projektseite", url=f"{server}/no-head")

    out = io.StringIO()
    call_command("check_links", "--timeout", "2", stdout=out)

    checks = {(check.entry_title, check.field, check.is_broken) for check in LinkCheck.objects.all()}
    assert checks == {
        (solution.title, "website", False),
        (solution.title, "source_url", True),
        (vendor.name, "website", False),
        (pilot.title, "link: Projektseite", False),
    }
    assert result(f"{server}/gone").status_code == 404
    assert result(f"{server}/gone").broken_since is not None
    assert ("HEAD", "/draft") not in Handler.requests
    # The same address is asked once per run even when two entries link it.
    assert Handler.requests.count(("HEAD", "/ok")) == 1
    assert "Checked 3 addresses: 1 broken" in out.getvalue()
    assert f"broken: {solution.title} (source_url) {server}/gone - HTTP 404" in out.getvalue()
    assert [check.url for check in linkcheck.broken_link_entries()] == [f"{server}/gone"]


def test_a_link_that_stays_broken_keeps_its_date_and_a_fixed_or_removed_one_goes(server):
    solution = SolutionFactory(website=f"{server}/gone", source_url=f"{server}/ok")
    linkcheck.run_checks(timeout=2)
    first = result(f"{server}/gone").broken_since

    linkcheck.run_checks(timeout=2)
    assert result(f"{server}/gone").broken_since == first

    Solution.objects.filter(pk=solution.pk).update(website=f"{server}/moved", source_url="")
    linkcheck.run_checks(timeout=2)
    assert list(LinkCheck.objects.values_list("url", "is_broken", "broken_since")) == [
        (f"{server}/moved", False, None)
    ]


def test_listings_not_updated_for_twelve_months_are_named(server):
    old = SolutionFactory()
    SolutionFactory()
    Solution.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=400))

    assert linkcheck.stale_entries()["solutions"] == [old]
    assert linkcheck.run_checks(timeout=2)["stale"] == 1


def test_detail_pages_show_when_the_links_were_last_checked(client, server):
    solution = SolutionFactory(website=f"{server}/ok", published_at=timezone.now() - timedelta(days=1))
    pilot = PilotProjectFactory(published_at=timezone.now() - timedelta(days=1))
    assert "Links last checked on" not in client.get(solution.get_absolute_url()).content.decode()

    linkcheck.run_checks(timeout=2)
    with translation.override("en"):
        today = date_format(timezone.localdate())

    for url in [solution.get_absolute_url(), pilot.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert f"Links last checked on {today}" in html
    # A listing published after the run was not checked yet.
    newer = SolutionFactory(published_at=timezone.now() + timedelta(minutes=1))
    assert "Links last checked on" not in client.get(newer.get_absolute_url()).content.decode()


def test_check_links_task_runs_the_same_check(server, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    SolutionFactory(website=f"{server}/ok")

    run = linkcheck.check_links_task.enqueue(timeout=2)

    assert run.return_value == {"checked": 1, "broken": 0, "stale": 0}
    assert LinkCheck.objects.get().status_code == 200


def test_queue_section_lists_broken_links_with_the_entry_to_fix(rf, server):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    solution = SolutionFactory(website=f"{server}/gone", source_url=f"{server}/ok")
    linkcheck.run_checks(timeout=2)
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    request = rf.get("/")
    request.user = editor

    section = broken_links_section(request, limit=50)

    assert section.count == 1
    assert [(item.title, item.url, item.detail) for item in section.items] == [
        (f"{solution.title}: {server}/gone", f"/admin/solutions/solution/{solution.pk}/change/", "HTTP 404")
    ]


@pytest.mark.parametrize("rows", [1, 50])
def test_link_check_changelist_query_count_is_constant(client, settings, django_assert_num_queries, rows):
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from tests.factories import UserFactory

    settings.ADMIN_REQUIRE_OTP = False
    content_type = ContentType.objects.get_for_model(Solution)
    LinkCheck.objects.bulk_create(
        LinkCheck(
            content_type=content_type,
            object_id=number + 1,
            entry_title=f"Eintrag {number}",
            field="website",
            url=f"https://example.org/{number}",
            status_code=404,
            is_broken=True,
            checked_at=timezone.now(),
            broken_since=timezone.now(),
        )
        for number in range(rows)
    )
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(editor)
    # session, user, permissions (own and group), the content types for their filter, two counts, the
    # rows with their content types, the fields for their filter
    with django_assert_num_queries(9):
        response = client.get(reverse("admin:marketplace_linkcheck_changelist"))
    assert response.context["cl"].result_count == rows


def test_queue_section_lists_listings_not_updated_for_a_year(rf):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    old_solution = SolutionFactory()
    old_pilot = PilotProjectFactory()
    SolutionFactory()
    Solution.objects.filter(pk=old_solution.pk).update(updated_at=timezone.now() - timedelta(days=500))
    type(old_pilot).objects.filter(pk=old_pilot.pk).update(updated_at=timezone.now() - timedelta(days=400))
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    request = rf.get("/")
    request.user = editor

    section = stale_listings_section(request, limit=50)

    assert section.count == 2
    assert [item.title for item in section.items] == [old_solution.title, old_pilot.title]
