"""History of the listings' many-to-many fields: one event table per join table and its triggers.

The join tables are Django's auto-created ones, which have no model state in migrations, so the migration
autodetector cannot add pghistory's triggers to them (it does for the listing tables themselves). The
triggers are the ones pgtrigger compiles for the event models in marketplace/editorial/models.py, installed
here as SQL; `pgtrigger ls` lists them as installed (the hash in their comment matches), and
tests/marketplace/editorial/test_m2m_history.py fails when the models and this migration disagree.
"""

import django.db.models.deletion
import pgtrigger.compiler
from django.db import migrations, models


TRIGGERS = [
    pgtrigger.compiler.Trigger(
        name="add_insert",
        sql=pgtrigger.compiler.UpsertTriggerSql(
            func='INSERT INTO "marketplace_solutioncategoriesevent" ("category_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "solution_id") VALUES (NEW."category_id", NEW."id", _pgh_attach_context(), NOW(), \'add\', NEW."solution_id"); RETURN NULL;',
            hash="acbffe6bf97e597450cb3831b1938343d5e240c8",
            operation="INSERT",
            pgid="pgtrigger_add_insert_327fc",
            table="solutions_solution_categories",
            when="AFTER",
        ),
    ),
    pgtrigger.compiler.Trigger(
        name="remove_delete",
        sql=pgtrigger.compiler.UpsertTriggerSql(
            func='INSERT INTO "marketplace_solutioncategoriesevent" ("category_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "solution_id") VALUES (OLD."category_id", OLD."id", _pgh_attach_context(), NOW(), \'remove\', OLD."solution_id"); RETURN NULL;',
            hash="c66755a408ce68a718e2793ca4bb411f7f73057b",
            operation="DELETE",
            pgid="pgtrigger_remove_delete_6c872",
            table="solutions_solution_categories",
            when="AFTER",
        ),
    ),
    pgtrigger.compiler.Trigger(
        name="add_insert",
        sql=pgtrigger.compiler.UpsertTriggerSql(
            func='INSERT INTO "marketplace_solutionstandardsevent" ("id", "pgh_context_id", "pgh_created_at", "pgh_label", "solution_id", "standard_id") VALUES (NEW."id", _pgh_attach_context(), NOW(), \'add\', NEW."solution_id", NEW."standard_id"); RETURN NULL;',
            hash="032189e945c75a21141f48405489aa255c700e28",
            operation="INSERT",
            pgid="pgtrigger_add_insert_2dc91",
            table="solutions_solution_standards",
            when="AFTER",
        ),
    ),
    pgtrigger.compiler.Trigger(
        name="remove_delete",
        sql=pgtrigger.compiler.UpsertTriggerSql(
            func='INSERT INTO "marketplace_solutionstandardsevent" ("id", "pgh_context_id", "pgh_created_at", "pgh_label", "solution_id", "standard_id") VALUES (OLD."id", _pgh_attach_context(), NOW(), \'remove\', OLD."solution_id", OLD."standard_id"); RETURN NULL;',
            hash="510496f966162eef6f2284c8bc394662e35c8f26",
            operation="DELETE",
            pgid="pgtrigger_remove_delete_034da",
            table="solutions_solution_standards",
            when="AFTER",
        ),
    ),
    pgtrigger.compiler.Trigger(
        name="add_insert",
        sql=pgtrigger.compiler.UpsertTriggerSql(
            func='INSERT INTO "marketplace_pilotprojectcategoriesevent" ("category_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pilotproject_id") VALUES (NEW."category_id", NEW."id", _pgh_attach_context(), NOW(), \'add\', NEW."pilotproject_id"); RETURN NULL;',
            hash="a34efed559fccbdac43bdec6967df9fb5a0fa54c",
            operation="INSERT",
            pgid="pgtrigger_add_insert_505ee",
            table="pilots_pilotproject_categories",
            when="AFTER",
        ),
    ),
    pgtrigger.compiler.Trigger(
        name="remove_delete",
        sql=pgtrigger.compiler.UpsertTriggerSql(
            func='INSERT INTO "marketplace_pilotprojectcategoriesevent" ("category_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pilotproject_id") VALUES (OLD."category_id", OLD."id", _pgh_attach_context(), NOW(), \'remove\', OLD."pilotproject_id"); RETURN NULL;',
            hash="2e0ad0c02ae1b33cc0052ec49b3ca652ffda9a02",
            operation="DELETE",
            pgid="pgtrigger_remove_delete_b6233",
            table="pilots_pilotproject_categories",
            when="AFTER",
        ),
    ),
    pgtrigger.compiler.Trigger(
        name="add_insert",
        sql=pgtrigger.compiler.UpsertTriggerSql(
            func='INSERT INTO "marketplace_pilotprojectpartnersevent" ("id", "municipality_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pilotproject_id") VALUES (NEW."id", NEW."municipality_id", _pgh_attach_context(), NOW(), \'add\', NEW."pilotproject_id"); RETURN NULL;',
            hash="6dfabe175b9a810939b6f30d0268623ea6c9a209",
            operation="INSERT",
            pgid="pgtrigger_add_insert_5284f",
            table="pilots_pilotproject_partners",
            when="AFTER",
        ),
    ),
    pgtrigger.compiler.Trigger(
        name="remove_delete",
        sql=pgtrigger.compiler.UpsertTriggerSql(
            func='INSERT INTO "marketplace_pilotprojectpartnersevent" ("id", "municipality_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pilotproject_id") VALUES (OLD."id", OLD."municipality_id", _pgh_attach_context(), NOW(), \'remove\', OLD."pilotproject_id"); RETURN NULL;',
            hash="c22a5c5bdf40e14ffd5bfff01fe899af3677fe9c",
            operation="DELETE",
            pgid="pgtrigger_remove_delete_eb4fa",
            table="pilots_pilotproject_partners",
            when="AFTER",
        ),
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0005_content_version"),
        ("municipalities", "0004_description_cap"),
        ("pghistory", "0007_auto_20250421_0444"),
        ("pilots", "0004_reference_proposals_and_text_caps"),
        ("solutions", "0007_review_gates_and_text_caps"),
    ]

    operations = [
        migrations.CreateModel(
            name="PilotProjectCategoriesEvent",
            fields=[
                ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                ("pgh_label", models.TextField(help_text="The event label.")),
                ("id", models.BigIntegerField()),
                (
                    "category",
                    models.ForeignKey(
                        db_constraint=False,
                        db_tablespace="",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="solutions.category",
                    ),
                ),
                (
                    "pgh_context",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="pghistory.context",
                    ),
                ),
                (
                    "pilotproject",
                    models.ForeignKey(
                        db_constraint=False,
                        db_tablespace="",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="pilots.pilotproject",
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="PilotProjectPartnersEvent",
            fields=[
                ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                ("pgh_label", models.TextField(help_text="The event label.")),
                ("id", models.BigIntegerField()),
                (
                    "municipality",
                    models.ForeignKey(
                        db_constraint=False,
                        db_tablespace="",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="municipalities.municipality",
                    ),
                ),
                (
                    "pgh_context",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="pghistory.context",
                    ),
                ),
                (
                    "pilotproject",
                    models.ForeignKey(
                        db_constraint=False,
                        db_tablespace="",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="pilots.pilotproject",
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="SolutionCategoriesEvent",
            fields=[
                ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                ("pgh_label", models.TextField(help_text="The event label.")),
                ("id", models.BigIntegerField()),
                (
                    "category",
                    models.ForeignKey(
                        db_constraint=False,
                        db_tablespace="",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="solutions.category",
                    ),
                ),
                (
                    "pgh_context",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="pghistory.context",
                    ),
                ),
                (
                    "solution",
                    models.ForeignKey(
                        db_constraint=False,
                        db_tablespace="",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="solutions.solution",
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="SolutionStandardsEvent",
            fields=[
                ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                ("pgh_label", models.TextField(help_text="The event label.")),
                ("id", models.BigIntegerField()),
                (
                    "pgh_context",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="pghistory.context",
                    ),
                ),
                (
                    "solution",
                    models.ForeignKey(
                        db_constraint=False,
                        db_tablespace="",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="solutions.solution",
                    ),
                ),
                (
                    "standard",
                    models.ForeignKey(
                        db_constraint=False,
                        db_tablespace="",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="solutions.standard",
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        *(migrations.RunSQL(trigger.install_sql, trigger.uninstall_sql) for trigger in TRIGGERS),
    ]
