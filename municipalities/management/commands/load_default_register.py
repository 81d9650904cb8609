"""``manage.py load_default_register [--force]``: the register of municipalities shipped with the code.

Every Land, Regierungsbezirk, Kreis, Gemeindeverband and Gemeinde with keys, names, kinds, areas and centres
from the BKG's VG250 (Gebietsstand older than the official register, see
municipalities/importer/default_register/SOURCE.md), so that a fresh clone works without the official file.
Does nothing when the register already reflects a newer source such as an imported official extract; a
second run changes nothing."""

import time

from django.core.management.base import BaseCommand

from municipalities.importer import load_default_register


class Command(BaseCommand):
    help = (
        "Load the default register of municipalities shipped with the code (© GeoBasis-DE / BKG, VG250), "
        "unless the register already reflects a newer source such as the official extract of Destatis."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="load it even over a newer or unrecorded source"
        )

    def handle(self, *args, force: bool, **options):
        started = time.monotonic()
        source, summary, reason = load_default_register(force=force)
        if summary is None:
            self.stdout.write(f"Default register not loaded: {reason}")
            return
        self.stdout.write(
            f"Default register, Gebietsstand {source.territory_date:%d.%m.%Y}: "
            + ", ".join(f"{count} {level}" for level, count in summary.by_level.items())
        )
        self.stdout.write(summary.line())
        self.stdout.write(f"Took {time.monotonic() - started:.1f} s. {source.attribution}.")
