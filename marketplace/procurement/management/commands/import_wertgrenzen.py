"""manage.py import_wertgrenzen DIR: the value limits and per-Land notes from DIR (see importer.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from marketplace.procurement.importer import WertgrenzenError, import_directory


class Command(BaseCommand):
    help = "Import the procurement value limits (wertgrenzen.csv, laender_meta.csv) from a directory."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="e.g. ../shared/data/vergabe-wertgrenzen")

    def handle(self, *args, directory: Path, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory")
        try:
            counts = import_directory(directory)
        except WertgrenzenError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Value limits: {counts.limits_created} created, {counts.limits_updated} updated. "
            f"Länder: {counts.lands_created} created, {counts.lands_updated} updated."
        )
