"""A trigram index on the municipality name for the catalog's name search (ILIKE and word similarity).

Raw SQL on purpose: the model's Meta is not changed, so the migration state stays as it is and
makemigrations sees nothing to do; the index only speeds up ``name__icontains`` and
``name__trigram_word_similar``.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("municipalities", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunSQL(
            sql=(
                "CREATE INDEX IF NOT EXISTS municipality_name_trgm "
                "ON municipalities_municipality USING gin (name gin_trgm_ops)"
            ),
            reverse_sql="DROP INDEX IF EXISTS municipality_name_trgm",
        ),
    ]
