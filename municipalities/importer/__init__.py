"""Import of the official register of municipalities (Destatis Gemeindeverzeichnis, "Auszug GV 4Q").

``read_gv_file`` checks the whole file without touching the database; ``import_register`` applies it in one
transaction. Data © Statistisches Bundesamt (Destatis).
"""

from .gv_file import GVFile, GVFileError, read_gv_file
from .service import ImportSummary, import_register

__all__ = ["GVFile", "GVFileError", "ImportSummary", "import_register", "read_gv_file"]
