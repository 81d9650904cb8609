"""marketplace.mail: each mail rendered from one template and queued; old queued rows still run."""

import pytest
from django.core import mail as outbox
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from marketplace import mail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VERIFY = {
    "template": "registration/verify_email.txt",
    "context": {"verify_url": "https://x.example/", "days": 3},
}


@pytest.fixture(autouse=True)
def _mail_settings(settings):
    settings.LANGUAGE_CODE = "en"
    settings.SITE_NAME = "Testmarkt"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_queue_mail_takes_the_subject_from_the_first_line_and_skips_empty_addresses():
    mail.queue_mail(to=["", "anna@example.org"], **VERIFY)
    [message] = outbox.outbox
    assert message.to == ["anna@example.org"]
    assert message.subject == "Confirm your e-mail address for Testmarkt"
    assert message.body.startswith("Hello,\n")
    assert "https://x.example/" in message.body


def test_queue_mail_without_an_address_queues_nothing(database_queue):
    mail.queue_mail(to=["", ""], **VERIFY)
    assert DBTaskResult.objects.count() == 0
    assert outbox.outbox == []


def test_queue_mails_puts_every_mail_into_one_task_row(database_queue):
    mail.queue_mails(
        [{"to": ["a@example.org"], **VERIFY}, {"to": [""], **VERIFY}, {"to": ["b@example.org"], **VERIFY}]
    )
    task = DBTaskResult.objects.get()
    assert task.task_path == "marketplace.mail.send_emails"
    assert [m["to"] for m in task.args_kwargs["kwargs"]["messages"]] == [["a@example.org"], ["b@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_a_row_queued_under_the_old_task_path_still_sends(database_queue):
    # The database queue stores the dotted path; rows written before the move name solutions.tasks.
    # The worker opens its own connections, so this test commits.
    mail.queue_mail(to=["anna@example.org"], **VERIFY)
    DBTaskResult.objects.update(task_path="solutions.tasks.send_email")
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert [message.to for message in outbox.outbox] == [["anna@example.org"]]


def test_editor_emails_are_the_setting_or_else_the_active_staff(settings):
    UserFactory(email="redaktion@example.org", is_staff=True)
    UserFactory(email="weg@example.org", is_staff=True, is_active=False)
    UserFactory(email="anbieter@example.org")
    settings.EDITOR_EMAILS = []
    assert mail.editor_emails() == ["redaktion@example.org"]
    settings.EDITOR_EMAILS = ["team@example.org"]
    assert mail.editor_emails() == ["team@example.org"]
