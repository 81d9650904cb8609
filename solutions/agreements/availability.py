"""“Beziehbar für meine Kommune”: which published solutions a municipality can have without its own tender,
and how.

Two routes, both from data the editors keep:

* **call-off** from a running, published framework agreement the municipality may call off
  (``FrameworkAgreementQuerySet.callable_by``: all public bodies, its Land, membership of the named
  organisation, or listed by name) that names the solution or its vendor;
* **in-house award** through a municipal IT provider it is a member of, for the solutions of that provider's
  vendor listing.

Expired or not yet running agreements never count. Reads only; every function states its queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.catalog.version import cached_for_version
from municipalities.models import Municipality
from solutions.models import Solution

from .models import FrameworkAgreement, Organisation

CALL_OFF = "call_off"
IN_HOUSE = "in_house"


def _running_for(municipality: Municipality, on: datetime.date | None):
    return FrameworkAgreement.objects.published().active(on).callable_by(municipality)


def _in_house_providers(municipality: Municipality):
    return Organisation.objects.filter(
        kind=Organisation.Kind.IT_PROVIDER, members=municipality, vendor__isnull=False
    )


def available_q(municipality: Municipality, *, on: datetime.date | None = None) -> Q:
    """Solutions ``municipality`` can have without its own tender, as a condition (subqueries)."""
    agreements = _running_for(municipality, on)
    through_solutions = FrameworkAgreement.solutions.through.objects.filter(frameworkagreement__in=agreements)
    through_vendors = FrameworkAgreement.vendors.through.objects.filter(frameworkagreement__in=agreements)
    return (
        Q(pk__in=through_solutions.values("solution_id"))
        | Q(vendor_id__in=through_vendors.values("vendor_id"))
        | Q(vendor_id__in=_in_house_providers(municipality).values("vendor_id"))
    )


def available_solution_pks(municipality: Municipality, *, on: datetime.date | None = None) -> set[int]:
    """The keys of the published solutions ``municipality`` can have without a tender. One query."""
    rows = Solution.objects.published().filter(available_q(municipality, on=on))
    return set(rows.values_list("pk", flat=True))


def available_for(municipality: Municipality, version: str | None) -> set[int]:
    """``available_solution_pks`` of today, kept until the content version changes (one query, or none)."""
    today = timezone.localdate()
    return cached_for_version(
        f"agreements:available:{municipality.pk}:{today.isoformat()}",
        lambda: available_solution_pks(municipality, on=today),
        version,
    )


@dataclass(frozen=True)
class Route:
    """One way to obtain a solution without an own tender."""

    kind: str  # CALL_OFF or IN_HOUSE
    agreement: FrameworkAgreement | None = None
    provider: Organisation | None = None

    @property
    def reason(self) -> str:
        """Why the municipality may use this route, in one phrase."""
        if self.kind == IN_HOUSE:
            return _("in-house award: your municipality is a member of %(name)s") % {
                "name": self.provider.name
            }
        agreement = self.agreement
        Eligibility = FrameworkAgreement.Eligibility
        if agreement.eligibility == Eligibility.ALL_PUBLIC:
            return _("open to all public bodies")
        if agreement.eligibility == Eligibility.STATES:
            return _("open to the municipalities of %(states)s") % {
                "states": ", ".join(agreement.eligible_states_display())
            }
        if agreement.eligibility == Eligibility.MEMBERS:
            return _("open to the members of %(name)s") % {"name": agreement.eligible_organisation}
        return _("your municipality is named in the agreement")


@dataclass
class SolutionAvailability:
    """What the solution page shows: the agreements covering the solution (running, expired, not open to the
    municipality) and the routes open to the chosen municipality."""

    agreements: list[FrameworkAgreement]
    callable_pks: set[int]
    providers: list[Organisation]
    today: datetime.date

    @property
    def routes(self) -> list[Route]:
        calls = [
            Route(CALL_OFF, agreement=a)
            for a in self.agreements
            if a.pk in self.callable_pks and not a.is_expired(self.today)
        ]
        return calls + [Route(IN_HOUSE, provider=p) for p in self.providers]

    def status(self, agreement: FrameworkAgreement) -> str:
        """One of expired, not_started, callable, closed (not open to the municipality, or none chosen)."""
        if agreement.is_expired(self.today):
            return "expired"
        if agreement.starts_on and agreement.starts_on > self.today:
            return "not_started"
        return "callable" if agreement.pk in self.callable_pks else "closed"


def solution_availability(
    solution: Solution, municipality: Municipality | None, *, on: datetime.date | None = None
) -> SolutionAvailability:
    """The agreements covering ``solution`` with, for ``municipality``, which it may call off and through
    which of its IT providers it may award in-house. One query without a municipality, two with one."""
    today = on or timezone.localdate()
    covering = FrameworkAgreement.objects.published().covering(solution)
    callable_pks: set[int] = set()
    providers: list[Organisation] = []
    if municipality is not None:
        callable_ids = covering.callable_by(municipality).values("pk")
        covering = covering.annotate(may_call_off=Q(pk__in=callable_ids))
    agreements = list(covering.select_related("eligible_organisation").order_by("ends_on", "title"))
    if municipality is not None:
        callable_pks = {a.pk for a in agreements if a.may_call_off}
        providers = list(_in_house_providers(municipality).filter(vendor_id=solution.vendor_id))
    # Running ones first, the expired at the end.
    agreements.sort(key=lambda a: a.is_expired(today))
    return SolutionAvailability(agreements, callable_pks, providers, today)


def compare_annotations(municipality: Municipality, *, on: datetime.date | None = None) -> dict:
    """Annotations for a queryset of solutions (the comparison): ``agreement_titles``, the running
    agreements ``municipality`` may call each one off from, and ``in_house_names``, its IT providers that
    offer it in-house. Subqueries of the same query: no query of their own."""
    running = _running_for(municipality, on)
    titles = (
        running.filter(
            Q(
                pk__in=FrameworkAgreement.solutions.through.objects.filter(
                    solution_id=OuterRef(OuterRef("pk"))
                ).values("frameworkagreement_id")
            )
            | Q(
                pk__in=FrameworkAgreement.vendors.through.objects.filter(
                    vendor_id=OuterRef(OuterRef("vendor_id"))
                ).values("frameworkagreement_id")
            )
        )
        .order_by("title")
        .values("title")
    )
    providers = _in_house_providers(municipality).filter(vendor_id=OuterRef("vendor_id")).order_by("name")
    return {
        "agreement_titles": ArraySubquery(titles),
        "in_house_names": ArraySubquery(providers.values("name")),
    }


def routes_summary(agreement_titles: list[str], in_house_names: list[str]) -> str:
    """One line for a table cell: the agreements to call off and the in-house routes, or "no"."""
    parts = [_("call-off from “%(title)s”") % {"title": title} for title in agreement_titles]
    parts += [_("in-house award through %(name)s") % {"name": name} for name in in_house_names]
    return "; ".join(parts) if parts else _("no (own procurement needed)")
