"""Checks and re-encoding for vendor uploads: the content decides the type, never the name.

Logos are decoded by Pillow and re-encoded as PNG (which drops anything hidden in the original file);
SVG and everything Pillow cannot decode is refused. PDFs are recognised by their header and trailer.
Stored names are random, so nothing the uploader typed reaches the storage or the response headers.
"""

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}


def _read_limited(upload, limit: int) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; at most %(limit)s are allowed.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}, code="too_large"
        )
    return data


def random_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


def process_logo(upload) -> ContentFile:
    """Validate an uploaded logo and return it re-encoded as a PNG of at most PORTAL_LOGO_MAX_PIXELS."""
    data = _read_limited(upload, settings.PORTAL_LOGO_MAX_BYTES)
    head = data[:512].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) or b"<svg" in head:
        raise ValidationError(
            _("SVG files are not accepted; please upload a PNG, JPEG or WebP image."), code="svg"
        )
    try:
        with warnings.catch_warnings():
            # A decompression bomb warning must refuse the file, not only log a warning.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                image_format = probe.format
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise ValidationError(_("This file is not a PNG, JPEG or WebP image."), code="not_image") from exc
    if image_format not in LOGO_FORMATS:
        raise ValidationError(_("This file is not a PNG, JPEG or WebP image."), code="not_image")
    # Photos from phones carry their rotation in EXIF, which the re-encoded file no longer has.
    image = ImageOps.exif_transpose(image).convert("RGBA")
    box = settings.PORTAL_LOGO_MAX_PIXELS
    image.thumbnail((box, box))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=random_name("png"))


def check_pdf(upload) -> ContentFile:
    """Validate an uploaded PDF by its content and return it under a random name."""
    data = _read_limited(upload, settings.PORTAL_DOCUMENT_MAX_BYTES)
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("This file is not a PDF document."), code="not_pdf")
    return ContentFile(data, name=random_name("pdf"))
