"""The read-only JSON API under /api/v1/ (namespace "api"); docs/open-data.md describes it."""
