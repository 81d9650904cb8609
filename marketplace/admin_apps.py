"""App config that replaces "django.contrib.admin" so `admin.site` is the EditorAdminSite.

A module of its own: app configs are imported before the models are ready, the site class is not.
"""

from django.contrib.admin.apps import AdminConfig


class EditorAdminConfig(AdminConfig):
    default_site = "marketplace.admin_site.EditorAdminSite"
