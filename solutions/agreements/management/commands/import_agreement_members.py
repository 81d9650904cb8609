"""Import the member municipalities of a purchasing organisation or municipal IT provider from a file with
one ARS (Amtlicher Regionalschlüssel) per line:
``manage.py import_agreement_members <organisation slug> <file> [--replace]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from solutions.agreements.models import Organisation
from solutions.agreements.services import import_memberships


class Command(BaseCommand):
    help = "Make the municipalities listed by ARS (one per line) members of an organisation."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="slug of the organisation")
        parser.add_argument("file", help="UTF-8 text or CSV file, one ARS per line (first column)")
        parser.add_argument("--replace", action="store_true", help="remove members missing from the file")

    def handle(self, *args, organisation, file, replace, **options):
        target = Organisation.objects.filter(slug=organisation).first()
        if target is None:
            raise CommandError(f"No organisation with the slug {organisation!r}.")
        try:
            lines = Path(file).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        result = import_memberships(organisation=target, lines=lines, replace=replace)
        self.stdout.write(
            f"{result.added} added, {result.already} already members, {len(result.unknown)} unknown."
        )
        for key in result.unknown:
            self.stderr.write(f"Unknown or dissolved ARS: {key}")
