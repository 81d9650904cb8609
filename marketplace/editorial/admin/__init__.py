"""The editors' admin: the ModelAdmins of the content models, their moderation actions and the editors' own
pages (review queue, review page).

Django autodiscovers the `admin` module of each installed app only; marketplace/admin.py (the project's)
imports this package, and importing it registers every ModelAdmin below with the admin site.
"""

from marketplace.editorial.admin import linkchecks, municipalities, pilots, solutions, vendors

__all__ = ["linkchecks", "municipalities", "pilots", "solutions", "vendors"]
