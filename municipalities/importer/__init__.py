"""Import of the official register of municipalities (Destatis Gemeindeverzeichnis, "Auszug GV 4Q"), and of
the default register shipped with the code (derived from BKG VG250) for a database without the official file.

``read_gv_file`` and ``read_default_register`` check a whole file without touching the database;
``import_register`` applies either in one transaction and records the source (``RegisterSource``).
Data © Statistisches Bundesamt (Destatis); default register © GeoBasis-DE / BKG (see default_register/).
"""

from .default_file import DEFAULT_REGISTER, load_default_register, read_default_register
from .gv_file import GVFile, GVFileError, read_gv_dates, read_gv_file
from .service import ImportSummary, import_register

__all__ = [
    "DEFAULT_REGISTER",
    "GVFile",
    "GVFileError",
    "ImportSummary",
    "import_register",
    "load_default_register",
    "read_default_register",
    "read_gv_dates",
    "read_gv_file",
]
