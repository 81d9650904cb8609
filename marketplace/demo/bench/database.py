"""The benchmark's own database: created, if missing, next to the configured one, with the full register."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from municipalities.models import Municipality

from .rows import BENCH_SUFFIX, DEFAULT_SOLUTIONS


class BenchDatabaseMixin:
    def switch_to_bench_database(self, solutions: int = DEFAULT_SOLUTIONS) -> None:
        """Connect to NAME_bench, or NAME_bench_N for another size than the default: a 100,000 run then
        neither reseeds nor replaces the 10,000 database the everyday benchmark keeps."""
        connection = connections["default"]
        name = self.bench_database_name(connection.settings_dict["NAME"], solutions)
        self.create_database(connection.settings_dict, name)
        connection.close()
        if hasattr(connection, "close_pool"):
            connection.close_pool()
        connection.settings_dict["NAME"] = name
        settings.DATABASES["default"]["NAME"] = name
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            (current,) = cursor.fetchone()
        if current != name:  # never seed or measure anything but the benchmark database
            raise CommandError(f"Expected to be connected to {name}, but the database is {current}.")

    @staticmethod
    def bench_database_name(configured: str, solutions: int = DEFAULT_SOLUTIONS) -> str:
        name = configured if configured.endswith(BENCH_SUFFIX) else configured + BENCH_SUFFIX
        return name if solutions == DEFAULT_SOLUTIONS else f"{name}_{solutions}"

    def prepare_register(self) -> bool:
        """Load the default register (the whole register, about 13,000 rows) unless a newer one is loaded.
        True when the demo content predates the register (invented sample towns) and must be seeded again."""
        call_command("load_default_register", stdout=self.stderr)
        return Municipality.objects.filter(is_demo=True).exists()

    @staticmethod
    def create_database(settings_dict: dict, name: str) -> None:
        """CREATE DATABASE through the ``postgres`` maintenance database unless it exists."""
        import psycopg
        from psycopg import sql

        params = {
            key: value
            for key, value in {
                "user": settings_dict.get("USER"),
                "password": settings_dict.get("PASSWORD"),
                "host": settings_dict.get("HOST"),
                "port": settings_dict.get("PORT"),
            }.items()
            if value
        }
        for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
            if key in settings_dict.get("OPTIONS", {}):
                params[key] = settings_dict["OPTIONS"][key]
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
