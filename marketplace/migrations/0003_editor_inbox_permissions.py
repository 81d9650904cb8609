"""The "Redaktion" group works the inbox and reads the link checks."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Redaktion"
PERMISSIONS = [
    "view_enquiry",
    "change_enquiry",
    "delete_enquiry",
    "view_linkcheck",
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create this app's now.
    app_config = apps.get_app_config("marketplace")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="marketplace", codename__in=PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="marketplace", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0002_inbox_and_link_checks")]

    operations = [migrations.RunPython(grant, revoke)]
