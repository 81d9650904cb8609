"""The benchmark of `make bench`: server time, SQL queries and bytes of the main pages at scale.

Runs against a separate database (the configured name + ``_bench``), created, migrated and seeded on first
use, so the data of the configured database is never touched. Requests go through Django's test client
in-process (all middleware, no network), with DEBUG off. See docs/performance.md.
"""
