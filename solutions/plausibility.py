"""Facts of a listing that cannot both be true, each with a message for the field to correct.

Only hard contradictions are refused: combinations that are merely unusual (open source without a source
code address, a data processing agreement although no personal data is processed, a one-off licence with
yearly costs for maintenance) are left alone, since the vendor may be right. The listing form
(solutions/portal/forms.py) runs these checks, so drafts, resubmissions and changes to published listings
are held to them alike.
"""

from collections.abc import Mapping

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from solutions.models import Solution

H = Solution.Hosting

# Hosting that keeps the data in Germany: on premises is the municipality's own data centre.
HOSTING_IN_GERMANY = frozenset({H.ON_PREMISES, H.GERMAN_DC})


def _hosting_in_germany_but_data_outside_eu(values: Mapping) -> list[tuple[str, str]]:
    hosting = set(values.get("hosting_options") or [])
    if values.get("data_location") != Solution.DataLocation.OUTSIDE_EU or not hosting:
        return []
    if not hosting <= HOSTING_IN_GERMANY:
        return []
    labels = dict(H.choices)
    chosen = ", ".join(str(labels[value]) for value in H.values if value in hosting)
    message = _(
        "The hosting you chose (%(hosting)s) keeps the data in Germany, so it cannot be stored outside the "
        "EU. Correct where the data is stored, or add the hosting that stores it elsewhere."
    ) % {"hosting": chosen}
    return [("data_location", message)]


def _free_but_costs(values: Mapping) -> list[tuple[str, str]]:
    if values.get("price_model") != Solution.PriceModel.FREE:
        return []
    model = Solution.PriceModel.FREE.label
    messages = {
        "cost_introduction_eur": _(
            "The price model is “%(model)s”, so the one-off cost cannot be above zero. Enter 0 or leave it "
            "empty, or choose the price model that applies."
        )
        % {"model": model},
        "cost_yearly_eur": _(
            "The price model is “%(model)s”, so the yearly cost cannot be above zero. Enter 0 or leave it "
            "empty, or choose the price model that applies."
        )
        % {"model": model},
    }
    return [(name, message) for name, message in messages.items() if (values.get(name) or 0) > 0]


def _agreement_named_but_not_available(values: Mapping) -> list[tuple[str, str]]:
    if (values.get("framework_agreement_name") or "").strip() and not values.get("framework_agreement"):
        label = capfirst(Solution._meta.get_field("framework_agreement").verbose_name)
        message = _("You named a framework agreement: tick “%(label)s”, or remove the name.") % {
            "label": label
        }
        return [("framework_agreement_name", message)]
    return []


RULES = [_hosting_in_germany_but_data_outside_eu, _free_but_costs, _agreement_named_but_not_available]


def contradictions(values: Mapping) -> list[tuple[str, str]]:
    """(field name, message) for every contradiction among the listing `values` (cleaned form data)."""
    return [problem for rule in RULES for problem in rule(values)]
