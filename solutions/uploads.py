"""Checks and re-encoding for vendor uploads: the content decides the type, never the name.

Logos are decoded by Pillow and re-encoded as PNG (which drops anything hidden in the original file);
SVG and everything Pillow cannot decode is refused. PDFs are recognised by their header and trailer.
Stored names are random, so nothing the uploader typed reaches the storage or the response headers.

A logo is refused by the size its header declares before a single pixel is decoded, and is scaled down
without a second full-size copy, so no upload grows a worker by more than about 75 MB (a WebP at the
limit; PNG and JPEG stay near 35 MB; measured in tests/solutions/portal/test_upload_limits.py).
"""

import io
import math
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, PngImagePlugin, UnidentifiedImageError

LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}

# Pillow keeps the text chunks of a PNG (zTXt, iTXt) decompressed in memory: by default up to 64 MB for
# a file of a few kilobytes. Real logos carry at most some XMP metadata. This is a process-wide Pillow
# setting; this module is the only place the project decodes images.
PngImagePlugin.MAX_TEXT_MEMORY = 4 * 1024 * 1024

# What Pillow raises for files it cannot read (truncated, damaged, or lying about their content).
DECODE_ERRORS = (
    UnidentifiedImageError,
    Image.DecompressionBombWarning,
    Image.DecompressionBombError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
)

# Rows are converted and averaged a strip at a time; about a million pixels keeps each strip at 4 MB.
STRIP_PIXELS = 1024 * 1024

# EXIF orientation -> the transposition that shows the photo upright (as in ImageOps.exif_transpose).
ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


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


def _not_an_image() -> ValidationError:
    return ValidationError(_("This file is not a PNG, JPEG or WebP image."), code="not_image")


def _too_many_pixels(limit: int) -> ValidationError:
    return ValidationError(
        _(
            "This image has more than %(megapixels)s megapixels. "
            "Please scale it down to at most %(side)d × %(side)d pixels and upload it again."
        )
        % {
            "megapixels": number_format(round(limit / 1_000_000, 1), decimal_pos=1),
            "side": math.isqrt(limit),
        },
        code="too_many_pixels",
    )


def _decode(data: bytes, *, max_pixels: int, box: int) -> Image.Image:
    """Decode a logo whose header declares an accepted type and at most `max_pixels` pixels."""
    try:
        # Opening reads the header only: format and size are known before any pixel is decoded.
        with Image.open(io.BytesIO(data)) as probe:
            image_format, (width, height) = probe.format, probe.size
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise _too_many_pixels(max_pixels) from exc
    except DECODE_ERRORS as exc:
        raise _not_an_image() from exc
    if image_format not in LOGO_FORMATS:
        raise _not_an_image()
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        # JPEG decodes at 1/2 to 1/8 scale right away when the result is still twice the box.
        image.draft(None, (2 * box, 2 * box))
        image.load()
    except DECODE_ERRORS as exc:
        raise _not_an_image() from exc
    return image


def _shrink(image: Image.Image, box: int) -> Image.Image:
    """The image scaled to fit box × box pixels, as RGBA, without a second full-size copy of it.

    Pillow's thumbnail() first converts the whole image (to premultiplied alpha, or from a palette to
    RGBA) and only then reduces it; here each strip of rows is converted and averaged on its own, so the
    decoded image stays the only large buffer.
    """
    width, height = image.size
    scale = min(box / width, box / height, 1)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    # As thumbnail(reducing_gap=2): average whole blocks first, resample the remaining factor (< 2) after.
    factor = (max(1, width // (2 * size[0])), max(1, height // (2 * size[1])))
    rows = factor[1] * max(1, STRIP_PIXELS // (width * factor[1]))
    reduced = Image.new("RGBa", (-(-width // factor[0]), -(-height // factor[1])))
    for top in range(0, height, rows):
        strip = image.crop((0, top, width, min(top + rows, height))).convert("RGBA").convert("RGBa")
        reduced.paste(strip.reduce(factor), (0, top // factor[1]))
    return reduced.resize(size, Image.Resampling.BICUBIC).convert("RGBA")


def process_logo(upload) -> ContentFile:
    """Validate an uploaded logo and return it re-encoded as a PNG of at most PORTAL_LOGO_MAX_PIXELS.

    Refused: more than PORTAL_LOGO_MAX_BYTES, SVG, anything but PNG, JPEG and WebP, and images whose
    header declares more than PORTAL_LOGO_MAX_SOURCE_PIXELS pixels (width × height).
    """
    data = _read_limited(upload, settings.PORTAL_LOGO_MAX_BYTES)
    head = data[:512].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) or b"<svg" in head:
        raise ValidationError(
            _("SVG files are not accepted; please upload a PNG, JPEG or WebP image."), code="svg"
        )
    box = settings.PORTAL_LOGO_MAX_PIXELS
    with warnings.catch_warnings():
        # Pillow reads what it can of damaged metadata (EXIF, palettes) and warns; the logo is still fine.
        warnings.simplefilter("ignore", UserWarning)
        # Pillow's own bomb check only warns below twice its limit; here a warning refuses the file too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _decode(data, max_pixels=settings.PORTAL_LOGO_MAX_SOURCE_PIXELS, box=box)
        try:
            # Photos from phones carry their rotation in EXIF, which the re-encoded file no longer has.
            transpose = ORIENTATION.get(image.getexif().get(ExifTags.Base.Orientation))
            logo = _shrink(image, box)
        except DECODE_ERRORS as exc:
            raise _not_an_image() from exc
        finally:
            image.close()
    if transpose is not None:
        logo = logo.transpose(transpose)
    out = io.BytesIO()
    logo.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=random_name("png"))


def check_pdf(upload) -> ContentFile:
    """Validate an uploaded PDF by its content and return it under a random name."""
    data = _read_limited(upload, settings.PORTAL_DOCUMENT_MAX_BYTES)
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("This file is not a PDF document."), code="not_pdf")
    return ContentFile(data, name=random_name("pdf"))
