"""The project's admin module: Django autodiscovers the `admin` module of each installed app, and this one
loads the admins of the feature packages.

- marketplace/editorial/admin/: the ModelAdmins of the content models (solutions, organisations,
  categories, standards, pilot projects, references, municipalities) and of the link checks, with the
  moderation actions, the review page and the review queue;
- marketplace/kompetenzzentrum/admin.py: the inbox of enquiries and barrier reports;
- marketplace/catalog/admin.py: the search's synonyms and abbreviations.

It also puts together the editors' review queue: after the review sections (marketplace/editorial/queue.py)
come open enquiries and barrier reports, broken links and stale listings. The queue's locked query counts
cover all of them (two queries per section on the queue page, one on the admin index; two for the stale
listings).
"""

from marketplace.catalog import admin as catalog_admin
from marketplace.editorial import admin as editorial_admin
from marketplace.editorial.queue import broken_links_section, register_section, stale_listings_section
from marketplace.kompetenzzentrum import admin as kompetenzzentrum_admin
from marketplace.kompetenzzentrum.admin import enquiries_section

__all__ = ["catalog_admin", "editorial_admin", "kompetenzzentrum_admin"]

for section in (enquiries_section, broken_links_section, stale_listings_section):
    register_section(section)
