"""Sign-up, e-mail verification, login lockout, rate limits, password reset and profile."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from solutions.models import EmailVerification
from solutions.portal import access
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Wolken-Lauf-2026!"


def _signup(client, email="neu@example.org", password=PASSWORD, password2=None):
    return client.post(
        reverse("accounts:signup"),
        {"email": email, "password1": password, "password2": password2 or password},
    )


def _link_from(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_signup_creates_an_unverified_account_and_mails_the_link(client):
    response = _signup(client, email="Neu@Example.org")
    assert response["Location"] == reverse("accounts:signup_done")
    user = get_user_model().objects.get()
    assert (user.username, user.email) == ("neu@example.org", "neu@example.org")
    assert not access.is_email_verified(user)
    [message] = mail.outbox
    assert message.to == ["neu@example.org"]
    assert "/konto/bestaetigen/" in _link_from(message)


def test_verification_link_shows_a_button_and_the_post_confirms(client, settings):
    _signup(client)
    path = _link_from(mail.outbox[0]).removeprefix(settings.SITE_URL)
    page = client.get(path)
    assert "neu@example.org" in page.content.decode()
    assert not EmailVerification.objects.filter(verified_at__isnull=False).exists()
    response = client.post(path)
    assert response["Location"] == reverse("accounts:login")
    assert EmailVerification.objects.get().verified_at is not None


def test_forged_verification_link_is_refused(client):
    response = client.get(reverse("accounts:verify", kwargs={"token": "abc:def"}))
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_signup_applies_the_password_validators(client):
    response = _signup(client, password="12345678")
    errors = response.context["form"].errors["password1"]
    assert len(errors) >= 2
    assert not get_user_model().objects.exists()
    assert 'value="neu@example.org"' in response.content.decode()


def test_signup_with_differing_passwords_is_refused(client):
    response = _signup(client, password2="Anderes-Passwort-99")
    assert response.context["form"].errors["password2"] == ["The two passwords differ."]


def test_signup_with_a_registered_address_reveals_nothing_and_informs_the_owner(client):
    UserFactory(username="da@example.org", email="da@example.org")
    response = _signup(client, email="da@example.org")
    assert response["Location"] == reverse("accounts:signup_done")
    assert get_user_model().objects.count() == 1
    [message] = mail.outbox
    assert message.to == ["da@example.org"]
    assert "already have an account" in message.body


def test_signup_is_rate_limited(client, settings):
    settings.PORTAL_SIGNUP_RATE = (3, 3600)
    for index in range(3):
        assert _signup(client, email=f"n{index}@example.org").status_code == 302
    response = _signup(client, email="n9@example.org")
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert not get_user_model().objects.filter(username="n9@example.org").exists()


def test_login_with_the_email_address(client):
    UserFactory(username="anna@example.org", email="anna@example.org")
    response = client.post(
        reverse("accounts:login"), {"username": "Anna@example.org", "password": "correct-horse-battery"}
    )
    assert response["Location"] == reverse("vendor:dashboard")
    assert client.get(reverse("vendor:dashboard")).context["user"].username == "anna@example.org"


def test_login_is_locked_after_repeated_failures(client, settings):
    UserFactory(username="anna@example.org", email="anna@example.org")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(
            reverse("accounts:login"), {"username": "anna@example.org", "password": "falsch"}
        )
        assert response.status_code == 200
    response = client.post(reverse("accounts:login"), {"username": "anna@example.org", "password": "falsch"})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    # Even the right password does not get in while locked.
    response = client.post(
        reverse("accounts:login"), {"username": "anna@example.org", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_working_link_through_the_task(client, settings):
    UserFactory(username="anna@example.org", email="anna@example.org")
    response = client.post(reverse("accounts:password_reset"), {"email": "anna@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    [message] = mail.outbox
    link = _link_from(message).removeprefix(settings.SITE_URL)
    assert link.startswith("/konto/passwort-neu/")
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert get_user_model().objects.get().check_password(PASSWORD)


def test_password_reset_is_rate_limited(client, settings):
    settings.PORTAL_PASSWORD_RESET_RATE = (2, 3600)
    for _attempt in range(2):
        client.post(reverse("accounts:password_reset"), {"email": "x@example.org"})
    assert client.post(reverse("accounts:password_reset"), {"email": "x@example.org"}).status_code == 429


def test_profile_saves_the_name(client, owner):
    client.force_login(owner)
    response = client.post(reverse("accounts:profile"), {"first_name": "Erika", "last_name": "Muster"})
    assert response["Location"] == reverse("accounts:profile")
    owner.refresh_from_db()
    assert (owner.first_name, owner.last_name) == ("Erika", "Muster")


def test_resend_verification_link(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("accounts:verify_resend"))
    [message] = mail.outbox
    assert message.to == [user.email]


def test_logout_is_a_post(client, owner):
    client.force_login(owner)
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session


def test_mail_goes_through_the_database_queue_in_production_settings(client, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _signup(client)
    assert mail.outbox == []
    task = DBTaskResult.objects.get()
    assert task.task_path == "marketplace.mail.send_email"
    assert task.args_kwargs["kwargs"]["to"] == ["neu@example.org"]


def test_rate_limit_counts_per_client_behind_a_proxy(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's REMOTE_ADDR plays the proxy
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.PORTAL_SIGNUP_RATE = (1, 3600)
    first = client.post(
        reverse("accounts:signup"),
        {"email": "a@example.org", "password1": PASSWORD, "password2": PASSWORD},
        headers={"X-Real-IP": "203.0.113.1"},
    )
    second = client.post(
        reverse("accounts:signup"),
        {"email": "b@example.org", "password1": PASSWORD, "password2": PASSWORD},
        headers={"X-Real-IP": "203.0.113.2"},
    )
    third = client.post(
        reverse("accounts:signup"),
        {"email": "c@example.org", "password1": PASSWORD, "password2": PASSWORD},
        headers={"X-Real-IP": "203.0.113.1"},
    )
    assert [first.status_code, second.status_code, third.status_code] == [302, 302, 429]


def test_rate_limit_ignores_a_client_address_header_from_an_untrusted_connection(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.PORTAL_SIGNUP_RATE = (1, 3600)
    statuses = [
        client.post(
            reverse("accounts:signup"),
            {"email": f"{name}@example.org", "password1": PASSWORD, "password2": PASSWORD},
            headers={"X-Forwarded-For": f"203.0.113.{number}"},
        ).status_code
        for number, name in enumerate(["a", "b", "c"], start=1)
    ]
    assert statuses == [302, 429, 429]
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["a@example.org"]
