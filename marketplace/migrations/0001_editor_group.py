"""The staff group "Redaktion": what ministry and Kompetenzzentrum editors may do in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Redaktion"

# app_label -> model -> actions. Editors curate content but do not manage user accounts.
EDITOR_PERMISSIONS = {
    "solutions": {
        "solution": ["view", "add", "change", "delete"],
        "vendor": ["view", "add", "change"],
        "vendormembership": ["view"],
        "category": ["view", "add", "change", "delete"],
        "standard": ["view", "add", "change", "delete"],
    },
    "pilots": {
        "pilotproject": ["view", "add", "change", "delete"],
        "pilotlink": ["view", "add", "change", "delete"],
        "reference": ["view", "add", "change", "delete"],
    },
    "municipalities": {"municipality": ["view", "add", "change"]},
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now so the group can use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    codenames = []
    for app_label, models in EDITOR_PERMISSIONS.items():
        for model, actions in models.items():
            codenames += [(app_label, f"{action}_{model}") for action in actions]
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in codenames
    ]
    group.permissions.add(*permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("solutions", "0001_initial"),
        ("pilots", "0001_initial"),
        ("municipalities", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
