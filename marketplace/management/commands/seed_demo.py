"""``manage.py seed_demo``: deterministic demo data, safe to run twice (see marketplace/demo/seed.py)."""

from django.core.management.base import BaseCommand, CommandError

from marketplace.demo.seed import seed as seed_database
from solutions.models import Solution


class Command(BaseCommand):
    help = (
        "Create or update deterministic demo data on the register of municipalities (the default register is "
        "loaded first when it is empty): vendors, N published solutions (plus some in other editorial "
        "states), pilots and references at real Kreise, kreisfreie Städte and a fixed choice of Gemeinden."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--solutions", type=int, default=300, help="number of published solutions (default 300)"
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed; same seed, same rows (default 1)"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when any solution exists (used by make run)"
        )
        parser.add_argument(
            "--without-triggers",
            action="store_true",
            help="benchmark databases only: no history rows or foreign-key checks while loading (superuser)",
        )

    def handle(self, *args, solutions: int, seed: int, if_empty: bool, without_triggers: bool, **options):
        if solutions < 1:
            raise CommandError("--solutions must be at least 1.")
        if if_empty and Solution.objects.exists():
            self.stdout.write("Solutions exist already; demo data left unchanged.")
            return
        summary = seed_database(solutions=solutions, seed=seed, without_triggers=without_triggers)
        self.stdout.write(summary.line())
