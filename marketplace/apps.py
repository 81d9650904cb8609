from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self):
        from marketplace import search_sources
        from marketplace.catalog import warm

        search_sources.register()
        # The facet indexes of the three catalogs (and so the home page's counts) are rebuilt as soon as a
        # change of these apps' rows is committed (marketplace/catalog/warm.py).
        warm.watch(["solutions", "pilots", "municipalities", "agreements"])
        for warmer in catalog_warmers():
            warm.register(warmer)


def catalog_warmers():
    """Each catalog's whole facet index for the current content version (what its unfiltered page reads),
    and the home page's figures."""
    from django.http import QueryDict

    from marketplace.catalog.version import content_version
    from marketplace.views import public_figures
    from municipalities.filters import MunicipalityFilterSet
    from municipalities.models import Municipality
    from pilots.filters import PilotFilterSet
    from pilots.models import PilotProject
    from solutions.filters import SolutionFilterSet
    from solutions.models import Solution

    return [
        lambda: SolutionFilterSet(QueryDict(), queryset=Solution.objects.published()).facets,
        lambda: PilotFilterSet(QueryDict(), queryset=PilotProject.objects.published()).facets,
        lambda: MunicipalityFilterSet(QueryDict(), queryset=Municipality.objects.all()).facets,
        lambda: public_figures(content_version()),
    ]
