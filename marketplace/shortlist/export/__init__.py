"""The Markterkundung export of the Merkliste (issue 13 item 3): CSV, XLSX, a printable page and a PDF.

``data`` gathers what every format shows (one row per published solution, the verified references, the
source); ``tables`` writes CSV and XLSX, ``pdf`` renders the printable page with WeasyPrint, ``views``
serves them for the visitor's own list and under a signed share link. Columns: docs/markterkundung.md.
"""
