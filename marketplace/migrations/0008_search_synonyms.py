"""The forgiving search (docs/search.md): synonyms, the lexicon of public words, edit distances.

* ``fuzzystrmatch`` for ``levenshtein_less_equal`` (typo correction against the lexicon).
* ``SearchSynonym``: editable term ↔ expansions, seeded with the common ones of the field; any change to it
  changes the content version (a statement-level trigger with the function of migration 0005), because it
  changes what a public search finds.
* ``marketplace_search_lexicon``: every word of the public titles, summaries, organisation names, fields of
  action and standards, with its German stem and whether it is in the related text of rows (the names of
  fields of action and standards), per content version. Not a Django model, for the reason the
  content version is none (the tests' flush must not truncate it); it is derived data that
  ``marketplace/catalog/lexicon.py`` fills for the current version on first use and purges for older ones.
* The "Redaktion" group may edit the synonyms.
"""

import django.contrib.postgres.fields
from django.contrib.auth.management import create_permissions
from django.contrib.postgres.operations import CreateExtension
from django.db import migrations, models

GROUP_NAME = "Redaktion"
PERMISSIONS = ["view_searchsynonym", "add_searchsynonym", "change_searchsynonym", "delete_searchsynonym"]
VERSION_TABLE = "marketplace_content_version"
FUNCTION = "marketplace_content_changed"
SYNONYMS = "marketplace_searchsynonym"
LEXICON = "marketplace_search_lexicon"

# term -> expansions: abbreviations and everyday words of municipal digitalisation. Not words nearly every
# listing has ("API" ↔ "Schnittstelle" found 85 % of the demo solutions): a synonym should narrow a search.
SEED = {
    "ÖPNV": ["öffentlicher Personennahverkehr", "Nahverkehr"],
    "OZG": ["Onlinezugangsgesetz", "Online-Zugangsgesetz"],
    "E-Akte": ["elektronische Akte", "digitale Akte", "eAkte"],
    "DMS": ["Dokumentenmanagement", "Dokumentenmanagementsystem"],
    "LoRaWAN": ["LoRa", "Long Range Wide Area Network", "Funknetz"],
    "BIM": ["Building Information Modeling", "Bauwerksdatenmodellierung"],
    "KI": ["künstliche Intelligenz", "AI", "maschinelles Lernen"],
    "IoT": ["Internet der Dinge"],
    "GIS": ["Geoinformationssystem", "Geodaten"],
    "E-Rechnung": ["elektronische Rechnung", "XRechnung"],
    "E-Mobilität": ["Elektromobilität"],
    "Ladesäule": ["Ladestation", "Ladepunkt", "Ladeinfrastruktur"],
    "WLAN": ["WiFi", "Hotspot"],
    "DSGVO": ["Datenschutz-Grundverordnung", "Datenschutz"],
    "FIM": ["Föderales Informationsmanagement"],
    "EfA": ["Einer für Alle"],
    "eID": ["Online-Ausweis", "elektronischer Personalausweis"],
    "Open Source": ["quelloffen", "freie Software"],
    "Bauantrag": ["Baugenehmigung", "Bauanträge"],
    "Müll": ["Abfall"],
    "Mängelmelder": ["Schadensmelder", "Mängelmeldung"],
    "Bürgerbeteiligung": ["Beteiligung", "Partizipation"],
    "Digitaler Zwilling": ["Digital Twin", "Stadtmodell"],
    "Kita": ["Kindertagesstätte", "Kindergarten"],
    "Straßenbeleuchtung": ["Straßenlaterne", "Beleuchtung"],
    "Drohne": ["UAV", "unbemanntes Luftfahrzeug"],
    "SaaS": ["Software as a Service", "Cloud"],
}

CREATE_LEXICON = f"""
CREATE TABLE {LEXICON} (
    version uuid NOT NULL,
    word text NOT NULL,
    display text NOT NULL,
    stem text,
    frequency integer NOT NULL,
    related boolean NOT NULL,
    PRIMARY KEY (version, word)
);
CREATE INDEX {LEXICON}_length ON {LEXICON} (version, length(word));
CREATE INDEX {LEXICON}_start ON {LEXICON} (version, word text_pattern_ops);
CREATE INDEX {LEXICON}_stem ON {LEXICON} (version, stem text_pattern_ops);
CREATE INDEX {LEXICON}_stem_end ON {LEXICON} (version, reverse(stem) text_pattern_ops);
"""

SYNONYM_TRIGGERS = "".join(
    f"CREATE TRIGGER {VERSION_TABLE}_{event} AFTER {event.upper()} ON {SYNONYMS}"
    f" FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();\n"
    for event in ("insert", "update", "delete", "truncate")
)
DROP_SYNONYM_TRIGGERS = "".join(
    f"DROP TRIGGER IF EXISTS {VERSION_TABLE}_{event} ON {SYNONYMS};\n"
    for event in ("insert", "update", "delete", "truncate")
)


def seed(apps, schema_editor):
    SearchSynonym = apps.get_model("marketplace", "SearchSynonym")
    for term, expansions in SEED.items():
        SearchSynonym.objects.get_or_create(term=term, defaults={"expansions": expansions})


def unseed(apps, schema_editor):
    apps.get_model("marketplace", "SearchSynonym").objects.filter(term__in=SEED).delete()


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create this app's now (as 0003 does).
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
    dependencies = [("marketplace", "0007_shortlist"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        CreateExtension("fuzzystrmatch"),
        migrations.CreateModel(
            name="SearchSynonym",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "term",
                    models.CharField(
                        help_text="An abbreviation or word, e.g. “ÖPNV”.",
                        max_length=100,
                        unique=True,
                        verbose_name="term",
                    ),
                ),
                (
                    "expansions",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=200),
                        help_text=(
                            "What the term also means, separated by commas, e.g. “öffentlicher"
                            " Personennahverkehr, Nahverkehr”. A search for any of these words finds the"
                            " others."
                        ),
                        size=None,
                        verbose_name="expansions",
                    ),
                ),
            ],
            options={
                "verbose_name": "search synonym",
                "verbose_name_plural": "search synonyms",
                "ordering": ["term"],
            },
        ),
        migrations.RunSQL(SYNONYM_TRIGGERS, DROP_SYNONYM_TRIGGERS),
        migrations.RunSQL(CREATE_LEXICON, f"DROP TABLE {LEXICON};"),
        migrations.RunPython(seed, unseed),
        migrations.RunPython(grant, revoke),
    ]
