"""Demo data for the marketplace (``manage.py seed_demo``) and the benchmark's URLconf."""
