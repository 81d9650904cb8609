"""Models of the "marketplace" app: imported here from the feature packages so Django registers them.

The Kompetenzzentrum's inbox (enquiries, barrier reports) is in marketplace/kompetenzzentrum/models.py; the
results of the link checks are in marketplace/editorial/models.py. Their tables, migrations and permissions
stay with the "marketplace" app.
"""

from marketplace.catalog.models import SearchSynonym  # noqa: F401 - the search's synonyms (docs/search.md)
from marketplace.editorial.models import LinkCheck  # noqa: F401 - registers it with the "marketplace" app
from marketplace.kompetenzzentrum.models import Enquiry  # noqa: F401 - registers it with the "marketplace" app
from marketplace.shortlist.models import Shortlist, ShortlistEntry  # noqa: F401 - the Merkliste
