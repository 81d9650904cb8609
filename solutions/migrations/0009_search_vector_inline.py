"""Keep each solution's search vector in the table row (STORAGE MAIN) instead of the TOAST table.

A broad search ("Stadt", thousands of matches) reads and ranks the vector of every match. Stored out of
line, each vector costs extra page reads from the TOAST table: at 10,000 solutions such a search took
60-110 ms, inline 30-45 ms (docs/search.md). The long description is moved out of line first instead.
The UPDATE stores the existing rows again under the new setting (the generated vector is recomputed; the
history triggers record nothing, as no tracked value changes).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("solutions", "0008_required_choices_and_requested_fields")]

    operations = [
        migrations.RunSQL(
            sql=[
                "ALTER TABLE solutions_solution ALTER COLUMN search_vector SET STORAGE MAIN",
                "UPDATE solutions_solution SET title = title",
            ],
            reverse_sql=["ALTER TABLE solutions_solution ALTER COLUMN search_vector SET STORAGE EXTENDED"],
        ),
    ]
