"""Grant the moderation permissions of this app to the editors' group "Redaktion"."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Redaktion"
CODENAMES = ["publish_solution", "verify_vendor"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now so the group can use them.
    app_config = apps.get_app_config("solutions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="solutions", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="solutions", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("solutions", "0004_history"),
        ("marketplace", "0001_editor_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
