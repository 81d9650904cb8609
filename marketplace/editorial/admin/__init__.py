"""The editors' admin: the ModelAdmins of the content models, their moderation actions and the editors' own
pages (review queue, review page).

Django autodiscovers the `admin` module of each installed app only; marketplace/admin.py (the project's)
imports this package, and importing it registers every ModelAdmin below with the admin site.
"""

from marketplace.editorial.admin import (
    agreements,
    linkchecks,
    municipalities,
    peer_contact,
    pilots,
    procurement,
    solutions,
    vendors,
)

__all__ = [
    "agreements",
    "linkchecks",
    "municipalities",
    "peer_contact",
    "pilots",
    "procurement",
    "solutions",
    "vendors",
]
