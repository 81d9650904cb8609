"""Template tags of the agreements feature, for the solution page's panel (never inside a cached part)."""

from django import template
from django.utils import timezone

from marketplace.catalog.version import cached_for_version
from solutions.agreements import availability

register = template.Library()


@register.simple_tag
def solution_availability(solution, municipality, version=None) -> availability.SolutionAvailability:
    """``{% solution_availability solution municipality content_version as availability %}``: see
    availability.py; kept until the content version changes or the day ends (no query then)."""
    municipality = municipality or None
    today = timezone.localdate()
    key = f"agreements:solution:{solution.pk}:{getattr(municipality, 'pk', 0)}:{today.isoformat()}"
    return cached_for_version(
        key, lambda: availability.solution_availability(solution, municipality, on=today), version
    )


@register.simple_tag
def agreement_status(summary: availability.SolutionAvailability, agreement) -> str:
    return summary.status(agreement)
