"""The municipalities catalog.

The profile page is in pilots/municipality_profile.py: it shows pilots and references, which live above.
"""

from marketplace.catalog.views import catalog_view

from .filters import MunicipalityFilterSet
from .models import Municipality

PER_PAGE = 24


# The Land facet is drawn as the map; the others as checkbox lists.
municipality_list = catalog_view(
    MunicipalityFilterSet,
    Municipality.objects.all,
    rows_name="municipalities",
    per_page=PER_PAGE,
    map_facet="state",
)
