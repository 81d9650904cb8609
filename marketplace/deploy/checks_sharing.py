"""Properties of two app servers sharing one database and one cache: what happens on A is true on B.

Each check talks to the app servers directly, as nginx does (the public Host, `X-Forwarded-Proto: https`,
the client's address in `X-Forwarded-For` from 127.0.0.1, a trusted proxy), so it knows which server
answered. Every run uses fresh names and a fresh client address; earlier runs never count.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from marketplace.deploy import fixture, processes
from marketplace.deploy.checks import card_slugs, facet_counts, probe_address, require, totp
from marketplace.deploy.layout import read_env_file

LOGIN = "/konto/anmelden/"
PASSWORD_RESET = "/konto/passwort-vergessen/"  # noqa: S105 - a path
CATALOG = "/loesungen/"


@dataclass
class Context:
    cluster: object
    data: fixture.Fixture
    admin_path: str
    lockout_limit: int
    reset_limit: int

    @classmethod
    def create(cls, cluster) -> Context:
        env = read_env_file(cluster.layout.env_file)
        return cls(
            cluster=cluster,
            data=fixture.prepare(cluster.manage),
            admin_path="/" + env.get("ADMIN_PATH", "admin/").strip("/") + "/",
            lockout_limit=int(env.get("AXES_FAILURE_LIMIT", "5")),
            reset_limit=int(env.get("PORTAL_PASSWORD_RESET_LIMIT", "5")),
        )


def _mails_to(log: Path, address: str) -> int:
    """How many mails to `address` the worker printed (the console mail backend of the rehearsal)."""
    return log.read_text(errors="replace").count(f"To: {address}\n") if log.exists() else 0


def _search(client, word: str) -> str:
    return client.get(f"{CATALOG}?q={quote(word)}").body


def publish_on_a(context: Context) -> str:
    """An editor publishes the run's submitted listing in the admin of A (password and TOTP code); B's
    catalog, facet counts, search and detail page show it on the very next request."""
    data, cluster = context.data, context.cluster
    server_b = cluster.direct("b")
    require(
        data.slug not in card_slugs(_search(server_b, data.word)),
        "B finds the listing before it is published",
    )
    before = facet_counts(server_b.get(CATALOG).body)
    require(before, "no facet counts on B's catalog page")
    worker_log = cluster.layout.log_dir / "worker.log"
    mails_before = _mails_to(worker_log, data.vendor_email)

    editor = cluster.direct("a", client_ip=probe_address())
    login = f"{context.admin_path}login/"
    editor.get(login)
    answer = editor.post(
        f"{login}?next={context.admin_path}",
        {
            "username": data.editor,
            "password": data.password,
            "otp_device": data.totp_device,
            "otp_token": totp(data.totp_key),
        },
    )
    require(
        answer.status == 302, f"the admin login with password and TOTP code on A answered {answer.status}"
    )
    review = f"{context.admin_path}solutions/solution/{data.solution_id}/review/"
    page = editor.get(review)
    seen_version = page.input_value("seen_version")
    require(page.status == 200 and seen_version is not None, f"the review page on A answered {page.status}")
    confirm = editor.post(review, {"decision": "publish", "seen_version": seen_version})
    require('name="confirm"' in confirm.body, "A showed no confirmation page for publishing")
    published = editor.post(review, {"decision": "publish", "seen_version": seen_version, "confirm": "1"})
    require(published.status == 302, f"publishing on A answered {published.status}")
    done = time.monotonic()

    found = card_slugs(_search(server_b, data.word))
    seconds = time.monotonic() - done
    require(found == [data.slug], f"B's catalog search for {data.word!r} lists {found}, not the listing")
    after = facet_counts(server_b.get(CATALOG).body)
    changed = {key: after.get(key, 0) - before.get(key, 0) for key in after.keys() | before.keys()}
    raised = sorted(key for key, delta in changed.items() if delta == 1)
    other = {key: delta for key, delta in changed.items() if delta not in (0, 1)}
    require(raised and not other, f"B's facet counts changed by {other or 'nothing'}")
    detail = server_b.get(f"{CATALOG}{data.slug}/")
    require(detail.status == 200 and data.title in detail.body, f"B's detail page answered {detail.status}")
    site_search = server_b.get(f"/suche/?q={quote(data.word)}")
    require(data.title in site_search.body, "B's site search does not find the listing")
    # The publish queues a mail to the vendor; the task worker sends it (the rehearsal prints it to its log).
    processes.wait_for(
        lambda: _mails_to(worker_log, data.vendor_email) > mails_before, what="the worker's mail", timeout=20
    )
    mailed = time.monotonic() - done
    return (
        f"published {data.title!r} in A's admin (login with TOTP, review, confirm); on B at once "
        f"(its first answer after the publish took {seconds * 1000:.0f} ms): catalog search finds it, "
        f"{len(raised)} facet counts +1 ({', '.join(raised[:4])}{', …' if len(raised) > 4 else ''}), "
        f"detail page 200, site search finds it; the task worker sent the vendor's mail "
        f"{mailed:.1f} s after the publish"
    )


def lockout_across(context: Context) -> str:
    """Failed logins for one account name and address, alternating A and B, lock it after the limit."""
    address = probe_address()
    clients = [context.cluster.direct(name, client_ip=address) for name in ("a", "b")]
    for client in clients:
        client.get(LOGIN)
    username = f"probe-{secrets.token_hex(4)}@example.invalid"
    answers = []
    for attempt in range(context.lockout_limit + 1):
        client = clients[attempt % 2]
        answer = client.post(LOGIN, {"username": username, "password": f"wrong-{attempt}"})
        answers.append(("AB"[attempt % 2], answer.status))
        if answer.status == 429:
            break
    locked_at = len(answers)
    require(
        answers[-1][1] == 429 and locked_at == context.lockout_limit,
        f"expected the lockout (429) at attempt {context.lockout_limit}, got {answers}",
    )
    # The correct server for the next attempt is whichever did not answer last: it must refuse too.
    other = clients[locked_at % 2]
    again = other.post(LOGIN, {"username": username, "password": "another-guess"})
    require(again.status == 429, f"server {'AB'[locked_at % 2]} let attempt {locked_at + 1} through")
    seen = " ".join(f"{server}:{status}" for server, status in answers)
    return (
        f"{locked_at} failed logins from {address} alternating A and B ({seen}): locked at failure "
        f"{locked_at} (limit {context.lockout_limit}); attempt {locked_at + 1} on {'AB'[locked_at % 2]}: 429"
    )


def rate_limit_across(context: Context) -> str:
    """Password reset requests from one address, alternating A and B, are refused after the limit."""
    address = probe_address()
    clients = [context.cluster.direct(name, client_ip=address) for name in ("a", "b")]
    for client in clients:
        client.get(PASSWORD_RESET)
    answers = []
    for attempt in range(context.reset_limit + 1):
        email = (
            f"probe-{secrets.token_hex(4)}@example.invalid"  # new each time: only the address limit counts
        )
        answer = clients[attempt % 2].post(PASSWORD_RESET, {"email": email})
        answers.append(("AB"[attempt % 2], answer.status))
    statuses = [status for _server, status in answers]
    expected = [302] * context.reset_limit + [429]
    require(statuses == expected, f"expected {expected}, got {answers}")
    seen = " ".join(f"{server}:{status}" for server, status in answers)
    return (
        f"{len(answers)} password reset requests from {address} alternating A and B ({seen}): "
        f"{context.reset_limit} accepted (limit {context.reset_limit} per hour), then 429"
    )


def session_across(context: Context) -> str:
    """A vendor signs in on A; the session cookie opens the vendor portal on B; without it B refuses."""
    data, cluster = context.data, context.cluster
    vendor = cluster.direct("a", client_ip=probe_address())
    vendor.get(LOGIN)
    answer = vendor.post(LOGIN, {"username": data.vendor_email, "password": data.password})
    require(
        answer.status == 302 and "sessionid" in vendor.cookies, f"the login on A answered {answer.status}"
    )
    target = answer.location
    on_a = vendor.get(target)
    vendor.port = cluster.app_port("b")
    on_b = vendor.get(target)
    require(
        on_b.status == 200 and data.vendor_name in on_b.body,
        f"B answered {on_b.status} to the session made on A (A: {on_a.status})",
    )
    anonymous = cluster.direct("b").get(target)
    require(
        anonymous.status == 302 and LOGIN in anonymous.location, f"B answered {anonymous.status} without it"
    )
    return (
        f"signed in on A ({answer.status} to {target}); with that session cookie B answers {on_b.status} "
        f"showing {data.vendor_name!r}; without it B answers {anonymous.status} to the login page"
    )
