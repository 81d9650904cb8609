"""German full-text search vectors, computed by PostgreSQL as stored generated columns.

A generated column is recomputed by the database on every INSERT and UPDATE, bulk updates included, so the
vector can never go stale. ``to_tsvector`` with an explicit configuration is immutable, as generated columns
require.
"""

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

SEARCH_CONFIG = "german"


def weighted_vector(title: str, summary: str, body: str) -> models.GeneratedField:
    return models.GeneratedField(
        expression=(
            SearchVector(title, weight="A", config=SEARCH_CONFIG)
            + SearchVector(summary, weight="B", config=SEARCH_CONFIG)
            + SearchVector(body, weight="C", config=SEARCH_CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
