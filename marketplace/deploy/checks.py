"""`cluster check`: each property of the reference deployment, proved against the running cluster.

Every property prints one line, PASS or FAIL, with what was measured (requests, errors, seconds). A failed
property does not stop the others; the exit status is 1 when any failed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

FACET_COUNT = re.compile(r'id="(?P<id>[^"]+)-count">\((?P<count>[\d.,]+)\)<')
CARD_LINK = re.compile(r'href="/loesungen/(?P<slug>[\w-]+)/"')


class CheckFailed(AssertionError):
    pass


def require(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def totp(key_hex: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The current RFC 6238 code of a TOTP key (django-otp's defaults: SHA-1, 30 s, 6 digits), as an
    editor's authenticator app shows it."""
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(bytes.fromhex(key_hex), counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{code % 10**digits:0{digits}d}"


def facet_counts(html: str) -> dict[str, int]:
    """Each facet option's count on a catalog page, by the option's id."""
    return {
        match.group("id"): int(re.sub(r"\D", "", match.group("count")))
        for match in FACET_COUNT.finditer(html)
    }


def card_slugs(html: str) -> list[str]:
    """The solutions linked from a page, in order, each once."""
    return list(dict.fromkeys(match.group("slug") for match in CARD_LINK.finditer(html)))


def probe_address() -> str:
    """A fresh client address for one check (198.18.0.0/15 is reserved for benchmarks, RFC 2544), so
    lockouts and rate limits of earlier runs never count."""
    number = secrets.randbelow(2**17 - 2) + 1
    return f"198.{18 + (number >> 16)}.{(number >> 8) & 0xFF}.{number & 0xFF}"


@dataclass
class Outcome:
    name: str
    passed: bool
    figures: str
    seconds: float

    def line(self) -> str:
        return (
            f"{'PASS' if self.passed else 'FAIL'}  {self.name} ({self.seconds:.1f} s)\n      {self.figures}"
        )


def run_one(name: str, check: Callable[[], str]) -> Outcome:
    start = time.monotonic()
    try:
        figures, passed = check(), True
    except CheckFailed as failure:
        figures, passed = str(failure), False
    except Exception as error:  # a broken part must show as a failed property, not end the run
        figures, passed = f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=3)}", False
    return Outcome(name, passed, figures, time.monotonic() - start)


def run_checks(cluster) -> bool:
    # Imported here: both modules use the helpers above.
    from marketplace.deploy import checks_faults, checks_sharing

    start = time.monotonic()
    for name in ("a", "b"):
        if not cluster.app_answers(name):
            print(f"app server {name.upper()} does not answer: run `make cluster` first", flush=True)
            return False
    context = checks_sharing.Context.create(cluster)
    properties = [
        ("a listing published through A shows on B (catalog, facets, search)", checks_sharing.publish_on_a),
        ("a login lockout counts across A and B", checks_sharing.lockout_across),
        ("a rate limit counts across A and B", checks_sharing.rate_limit_across),
        ("a session made on A is valid on B", checks_sharing.session_across),
        ("A killed during a load run through nginx", checks_faults.kill_during_load),
        ("Redis stopped: pages still served", checks_faults.redis_stopped),
        ("a pg_dump backup restores into a fresh database", checks_faults.backup_restores),
    ]
    outcomes = []
    for name, check in properties:
        outcome = run_one(name, lambda check=check: check(context))
        print(outcome.line(), flush=True)
        outcomes.append(outcome)
    passed = sum(outcome.passed for outcome in outcomes)
    print(
        f"{passed} of {len(outcomes)} properties hold ({time.monotonic() - start:.1f} s in all)", flush=True
    )
    return passed == len(outcomes)
