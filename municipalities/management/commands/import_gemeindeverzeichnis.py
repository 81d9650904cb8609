"""``manage.py import_gemeindeverzeichnis FILE [--dry-run] [--if-newer]``: the official register from
Destatis' quarterly "Gemeindeverzeichnis, Auszug GV 4Q" (Excel). Data © Statistisches Bundesamt (Destatis)."""

import time

from django.core.management.base import BaseCommand, CommandError

from municipalities.importer import GVFileError, import_register, read_gv_dates, read_gv_file
from municipalities.models import RegisterSource

MAX_ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import the official register of municipalities (Destatis Gemeindeverzeichnis, Auszug GV 4Q, .xlsx): "
        "all Länder, Regierungsbezirke, Kreise, Gemeindeverbände and Gemeinden, in one transaction. "
        "Data © Statistisches Bundesamt (Destatis)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the Excel file (AuszugGV4QAktuell_<year>.xlsx)")
        parser.add_argument("--dry-run", action="store_true", help="show what would change; save nothing")
        parser.add_argument(
            "--if-newer",
            action="store_true",
            help="do nothing when the register already reflects an official file as new as this one "
            "(reads only the file's header; used by make run)",
        )

    def handle(self, *args, file: str, dry_run: bool, if_newer: bool, **options):
        started = time.monotonic()
        try:
            if if_newer and self.already_imported(file):
                return
            source = read_gv_file(file)
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except GVFileError as error:
            shown = error.errors[:MAX_ERRORS_SHOWN]
            more = len(error.errors) - len(shown)
            lines = [f"The file was not imported; nothing changed. {len(error.errors)} problem(s):", *shown]
            if more:
                lines.append(f"… and {more} more.")
            raise CommandError("\n".join(lines)) from None
        summary = import_register(source, dry_run=dry_run)
        dates = (
            f"Gebietsstand {source.territory_date:%d.%m.%Y}, "
            f"population as of {source.population_date:%d.%m.%Y}"
        )
        self.stdout.write(
            f"{dates}: " + ", ".join(f"{count} {level}" for level, count in summary.by_level.items())
        )
        self.stdout.write(summary.line())
        self.stdout.write(
            f"Took {time.monotonic() - started:.1f} s. Data © Statistisches Bundesamt (Destatis)."
        )

    def already_imported(self, file: str) -> bool:
        territory_date, population_date = read_gv_dates(file)
        newest = RegisterSource.objects.newest()
        if (
            newest is None
            or not newest.is_official
            or newest.territory_date < territory_date
            or newest.population_date is None
            or newest.population_date < population_date
        ):
            return False
        self.stdout.write(
            f"The register already reflects the official register of Gebietsstand "
            f"{newest.territory_date:%d.%m.%Y} (population as of {newest.population_date:%d.%m.%Y}); "
            "nothing imported."
        )
        return True
