"""Template tags of the procurement feature: the joint-buying panel on a solution's page."""

from django import template

from marketplace.procurement import services
from marketplace.procurement.forms import InterestForm
from municipalities.choice import chosen_municipality

register = template.Library()


@register.inclusion_tag("procurement/_joint_buying_panel.html", takes_context=True)
def joint_buying_panel(context, solution):
    """Counts of confirmed interest (one query; the chosen municipality is read once per request) and the
    declaration form for the visitor's chosen municipality."""
    request = context["request"]
    municipality = chosen_municipality(request)
    form = InterestForm(initial={"municipality": municipality.pk}) if municipality is not None else None
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "solution": solution,
        "municipality": municipality,
        "counts": services.counts(solution, municipality),
        "group_size": services.group_size(),
        "form": form,
    }
