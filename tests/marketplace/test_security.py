"""Security headers: the CSP with nonces in every mode, the transport rules in production mode.

Settings are read once at import, so production mode (DEBUG off) is tested in a subprocess with its own
environment; the CSP, which holds in every mode, is tested in-process.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PilotProjectFactory, SolutionFactory

PAGES = ["home", "imprint", "privacy", "accessibility", "contact", "vendor:landing"]


class Scripts(HTMLParser):
    """Attributes of every <script>, and every inline style or event-handler attribute anywhere."""

    def __init__(self, html: str):
        super().__init__()
        self.scripts: list[dict] = []
        self.inline: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        for name in attributes:
            if name == "style" or name.startswith("on"):
                self.inline.append((tag, name))


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PAGES)
def test_csp_script_nonce_matches_every_script_on_the_page(client, url_name):
    SolutionFactory(featured=True, is_demo=True)
    PilotProjectFactory(is_demo=True)

    response = client.get(reverse(url_name))

    directives = csp_directives(response.headers["Content-Security-Policy"])
    script_src = directives["script-src"]
    nonces = [value for value in script_src if value.startswith("'nonce-")]
    assert len(nonces) == 1
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    nonce = nonces[0][len("'nonce-") : -1]
    scripts = Scripts(response.content.decode()).scripts
    assert len(scripts) >= 2  # htmx and site.js
    assert [script.get("nonce") for script in scripts] == [nonce] * len(scripts)


@pytest.mark.django_db
def test_csp_nonce_is_fresh_for_every_response(client):
    first = client.get(reverse("imprint")).headers["Content-Security-Policy"]
    second = client.get(reverse("imprint")).headers["Content-Security-Policy"]

    assert re.search(r"'nonce-([^']+)'", first).group(1) != re.search(r"'nonce-([^']+)'", second).group(1)


@pytest.mark.django_db
def test_csp_restricts_framing_plugins_base_and_form_targets(client):
    directives = csp_directives(client.get(reverse("contact")).headers["Content-Security-Policy"])

    assert directives["default-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PAGES)
def test_pages_have_no_inline_styles_or_event_handlers(client, url_name):
    SolutionFactory(featured=True)
    PilotProjectFactory()

    page = Scripts(client.get(reverse(url_name)).content.decode())

    assert page.inline == []
    assert [s for s in page.scripts if "src" not in s and s.get("type") != "application/ld+json"] == []


@pytest.mark.django_db
def test_htmx_is_configured_without_eval_or_injected_styles(client):
    html = client.get(reverse("imprint")).content.decode()

    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html).group(1))
    assert config["allowEval"] is False
    assert config["includeIndicatorStyles"] is False
    assert config["allowScriptTags"] is False


@pytest.mark.django_db
def test_every_response_carries_clickjacking_sniffing_and_permissions_headers(client):
    response = client.get(reverse("imprint"))

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Permissions-Policy"] == settings.PERMISSIONS_POLICY
    assert "camera=()" in response.headers["Permissions-Policy"]


# ---------------------------------------------------------------- production mode (subprocess)

# Runs inside a fresh interpreter with production settings. Only pages that need no database are requested;
# static files come from the finders because production's manifest exists only after collectstatic.
PRODUCTION_PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings

results = {}
with override_settings(STORAGES={**settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}):
    client = Client()
    plain = client.get("/impressum/")
    results["plain_http"] = [plain.status_code, plain.headers.get("Location")]
    proxied = client.get("/impressum/", headers={"x-forwarded-proto": "https"})
    results["proxied"] = {
        "status": proxied.status_code,
        "headers": {name: proxied.headers.get(name) for name in (
            "Strict-Transport-Security", "Referrer-Policy", "Cross-Origin-Opener-Policy",
            "Permissions-Policy", "X-Content-Type-Options", "X-Frame-Options")},
        "csrf_cookie_secure": proxied.cookies["csrftoken"]["secure"],
    }
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/kontakt/"},
                           headers={"x-forwarded-proto": "https"})
    results["language_cookie"] = {
        "secure": switched.cookies["django_language"]["secure"],
        "samesite": switched.cookies["django_language"]["samesite"],
    }
    results["session_cookie_secure"] = settings.SESSION_COOKIE_SECURE
    results["session_cookie_httponly"] = settings.SESSION_COOKIE_HTTPONLY
print(json.dumps(results))
"""


def _production_env(**extra) -> dict:
    # A clean production environment: no development flags, and not the async-safety switch the browser
    # tests set for this process (check --deploy rightly refuses it).
    unwanted = (
        "DEBUG",
        "SECRET_KEY",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "ALLOWED_HOSTS",
        "TRUST_X_FORWARDED_PROTO",
    )
    env = {key: value for key, value in os.environ.items() if key not in unwanted}
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        **extra,
    )
    return env


def _run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def production_behind_proxy():
    result = _run([sys.executable, "-c", PRODUCTION_PROBE], _production_env(TRUST_X_FORWARDED_PROTO="1"))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_plain_http_to_https(production_behind_proxy):
    assert production_behind_proxy["plain_http"] == [301, "https://testserver/impressum/"]


def test_production_trusts_x_forwarded_proto_when_told_to(production_behind_proxy):
    assert production_behind_proxy["proxied"]["status"] == 200


def test_production_sends_transport_and_isolation_headers(production_behind_proxy):
    headers = production_behind_proxy["proxied"]["headers"]

    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Permissions-Policy"].startswith("camera=()")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_production_cookies_are_secure(production_behind_proxy):
    assert production_behind_proxy["proxied"]["csrf_cookie_secure"] is True
    assert production_behind_proxy["language_cookie"] == {"secure": True, "samesite": "Lax"}
    assert production_behind_proxy["session_cookie_secure"] is True
    assert production_behind_proxy["session_cookie_httponly"] is True


def test_production_ignores_x_forwarded_proto_unless_told_to():
    probe = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/impressum/', headers={'x-forwarded-proto': 'https'})\n"
        "print(r.status_code, r.headers.get('Location'))\n"
    )
    result = _run([sys.executable, "-c", probe], _production_env())

    assert result.returncode == 0, result.stderr
    # Without TRUST_X_FORWARDED_PROTO anyone could claim HTTPS with a header, so it must still redirect.
    assert result.stdout.strip().splitlines()[-1] == "301 https://testserver/impressum/"


def test_check_deploy_is_clean_in_production_mode():
    env = _production_env()
    env["ALLOWED_HOSTS"] = "example.org"

    result = _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
