"""The content version: one row that triggers change whenever a row that public pages show changes.

Read by ``marketplace/catalog/version.py``; every public cache keys on it. The table is not a Django model on
purpose: the tests' flush (TRUNCATE of every model table) must not empty it.

Each watched table gets statement-level triggers, so a bulk UPDATE of a thousand published rows changes the
version once. They see the statement's rows through transition tables and change the version only when one of
them matters to a public page (``WATCHED``): a vendor saving a draft, an organisation's pending changes and
everything in tables not listed here (revisions, proposed references, accounts, history) leave it alone.
TRUNCATE always counts. The new value is a random UUID, never a counter: a rolled-back transaction's version
(or one from before a database restore) can never come back and meet a cache entry made for other rows.

The UPDATE of the one row locks it until the transaction ends, so transactions that change public content
run their commits one after the other; they are few and short (an editor's decision, an import).
"""

from django.db import migrations

TABLE = "marketplace_content_version"
FUNCTION = "marketplace_content_changed"
PUBLISHED_SOLUTION = "EXISTS (SELECT FROM solutions_solution s WHERE s.id = {r}.solution_id AND s.status = 'published')"
PUBLISHED_PILOT = "EXISTS (SELECT FROM pilots_pilotproject p WHERE p.id = {r}.{column} AND p.status = 'published')"

# table -> (condition on a changed row {r} that public pages show, columns whose change alone does not count)
WATCHED = {
    "solutions_category": ("TRUE", ()),
    "solutions_standard": ("TRUE", ()),
    "municipalities_municipality": ("TRUE", ()),
    "pilots_reference": ("TRUE", ()),
    # A draft, a submission and every other status but "published", before and after, is invisible.
    "solutions_solution": ("{r}.status = 'published'", ()),
    "solutions_solution_categories": (PUBLISHED_SOLUTION, ()),
    "solutions_solution_standards": (PUBLISHED_SOLUTION, ()),
    # Only verified organisations appear; their proposed changes wait for an editor in pending_changes.
    "solutions_vendor": ("{r}.is_verified", ("pending_changes", "pending_changes_at", "updated_at")),
    "pilots_pilotproject": ("{r}.status = 'published'", ()),
    "pilots_pilotproject_categories": (PUBLISHED_PILOT.replace("{column}", "pilotproject_id"), ()),
    "pilots_pilotproject_partners": (PUBLISHED_PILOT.replace("{column}", "pilotproject_id"), ()),
    "pilots_pilotlink": (PUBLISHED_PILOT.replace("{column}", "pilot_id"), ()),
}

CREATE_TABLE = f"""
CREATE TABLE {TABLE} (
    id smallint PRIMARY KEY CHECK (id = 1),
    version uuid NOT NULL,
    changes bigint NOT NULL DEFAULT 0
);
INSERT INTO {TABLE} (id, version) VALUES (1, gen_random_uuid());

-- The trigger's optional argument is a query returning one boolean: whether the statement's rows (the
-- transition tables old_rows/new_rows) matter to a public page.
CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed boolean := true;
BEGIN
    IF TG_OP <> 'TRUNCATE' AND TG_NARGS > 0 THEN
        EXECUTE TG_ARGV[0] INTO changed;
    END IF;
    IF changed THEN
        UPDATE {TABLE} SET version = gen_random_uuid(), changes = changes + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END
$$;
"""


def _literal(sql: str) -> str:
    return "'" + sql.replace("'", "''") + "'"


def _triggers(table: str, condition: str, ignored: tuple[str, ...]) -> str:
    def rows_match(rows: str) -> str:
        return f"EXISTS (SELECT FROM {rows} r WHERE {condition.format(r='r')})"

    if ignored:
        columns = "ARRAY[" + ", ".join(_literal(column) for column in ignored) + "]"
        update = (
            "SELECT EXISTS (SELECT FROM old_rows o JOIN new_rows n ON n.id = o.id"
            f" WHERE ({condition.format(r='o')} OR {condition.format(r='n')})"
            f" AND (to_jsonb(o) - {columns}) IS DISTINCT FROM (to_jsonb(n) - {columns}))"
        )
    else:
        update = f"SELECT {rows_match('old_rows')} OR {rows_match('new_rows')}"
    return f"""
CREATE TRIGGER {TABLE}_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}({_literal("SELECT " + rows_match("new_rows"))});
CREATE TRIGGER {TABLE}_update AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}({_literal(update)});
CREATE TRIGGER {TABLE}_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}({_literal("SELECT " + rows_match("old_rows"))});
CREATE TRIGGER {TABLE}_truncate AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();
"""


def _drop_triggers(table: str) -> str:
    return "".join(
        f"DROP TRIGGER IF EXISTS {TABLE}_{event} ON {table};\n"
        for event in ("insert", "update", "delete", "truncate")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0004_enquiry_text_caps"),
        ("solutions", "0007_review_gates_and_text_caps"),
        ("pilots", "0004_reference_proposals_and_text_caps"),
        ("municipalities", "0004_description_cap"),
    ]

    operations = [
        migrations.RunSQL(
            CREATE_TABLE + "".join(_triggers(table, *spec) for table, spec in WATCHED.items()),
            "".join(_drop_triggers(table) for table in WATCHED)
            + f"DROP FUNCTION {FUNCTION}();\nDROP TABLE {TABLE};",
        ),
    ]
