"""The printable Markterkundung as a tagged PDF (PDF/UA-1), rendered by WeasyPrint without any network.

The document is the printable page's own HTML (templates/shortlist/export_pdf.html), styled by pdf.css
beside this file with the DejaVu fonts shipped in fonts/ (fonts/SOURCE.md). WeasyPrint may fetch only
those files: every other URL (links in the text are never fetched, but an image or stylesheet someone adds
later would be) is refused by LocalFilesOnly, so rendering never reaches the network or the file system
beyond this folder.
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from PIL import ImageFile
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

# Importing WeasyPrint switches Pillow to accepting truncated images, for the whole process. The logo
# uploads (solutions/uploads.py) rely on Pillow refusing them, and the Markterkundung holds no raster
# image, so the default is put back.
ImageFile.LOAD_TRUNCATED_IMAGES = False

HERE = Path(__file__).resolve().parent
STYLESHEET = HERE / "pdf.css"
TEMPLATE = "shortlist/export_pdf.html"


class LocalFilesOnly(URLFetcher):
    """Fetches file: URLs inside this package's folder (the fonts); refuses everything else."""

    def fetch(self, url, headers=None):
        if not url.startswith("file:"):
            raise ValueError(f"Refused to fetch {url!r}: only the shipped fonts are read")
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not path.is_file() or not path.is_relative_to(HERE):
            raise ValueError(f"Refused to fetch {url!r}: not a file shipped with the export")
        return super().fetch(path.as_uri(), headers)


def render_pdf(context: dict, *, request=None) -> bytes:
    """The PDF of the printable page for ``context`` (the context of templates/shortlist/export.html)."""
    html = render_to_string(TEMPLATE, context, request=request)
    fetcher = LocalFilesOnly(allowed_protocols=["file"])
    document = HTML(string=html, base_url=HERE.as_uri() + "/", url_fetcher=fetcher)
    stylesheet = CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/ua-1", pdf_tags=True)
