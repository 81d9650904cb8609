"""``manage.py import_modellprojekte FILE [--dry-run]``: mark the "Modellprojekte Smart Cities" (rounds 2019,
2020, 2021) on the register from a CSV with the columns name, round, land, kind, source_url."""

from django.core.management.base import BaseCommand, CommandError

from municipalities.importer.modellprojekte import (
    ModelProjectFileError,
    import_model_projects,
    read_model_projects,
)


class Command(BaseCommand):
    help = (
        "Mark the Modellprojekte Smart Cities on the register (is_model_project, model_project_round) from a "
        "CSV (name, round, land, kind, source_url); every partner of an inter-municipal project is marked. "
        "Run it after the official register has been imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file, UTF-8, comma-separated, with a header row")
        parser.add_argument("--dry-run", action="store_true", help="show what would change; save nothing")

    def handle(self, *args, file: str, dry_run: bool, **options):
        try:
            rows = read_model_projects(file)
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except ModelProjectFileError as error:
            lines = [f"The file was not imported; nothing changed. {len(error.errors)} problem(s):"]
            raise CommandError("\n".join(lines + error.errors)) from None
        report = import_model_projects(rows, dry_run=dry_run)
        for match in report.rows:
            row = match.row
            found = [
                f"{partner.text} -> {partner.municipality.ars} {partner.municipality.name}"
                for partner in match.partners
                if partner.municipality is not None
            ]
            self.stdout.write(f"Row {row.line} ({row.round}) {row.name}: {', '.join(found) or '-'}")
            for partner in match.partners:
                if partner.municipality is None:
                    self.stdout.write(f"  not matched: {partner.text} ({partner.problem})")
        for conflict in report.conflicts:
            self.stdout.write(f"Conflict: {conflict}")
        self.stdout.write(report.line())
