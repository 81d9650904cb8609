"""Uploads that try to exhaust the worker or confuse the type check: too many declared pixels,
decompression bombs, files that are not what their name claims. Each gets a form message, never a 500,
and no logo upload makes the worker grow by 100 MB."""

import io
import json
import random
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from solutions import uploads
from solutions.models import SolutionDocument

from .conftest import image_bytes
from .crafted_images import png, webp_header

pytestmark = pytest.mark.django_db

TOO_MANY_PIXELS = (
    "This image has more than 4.2 megapixels. "
    "Please scale it down to at most 2048 × 2048 pixels and upload it again."
)
NOT_AN_IMAGE = "This file is not a PNG, JPEG or WebP image."


@pytest.fixture(params=["solution", "organisation"])
def logo_url(request, draft, vendor):
    """Both logo pages: a listing's and the organisation's (the vendor fixture's owner may use both)."""
    if request.param == "solution":
        return reverse("vendor:solution_logo", kwargs={"pk": draft.pk})
    return reverse("vendor:organisation_logo", kwargs={"pk": vendor.pk})


def _post_logo(client, url, content, name="logo.png", content_type="image/png"):
    return client.post(url, {"logo": SimpleUploadedFile(name, content, content_type=content_type)})


def _stored_logos(draft, vendor) -> list[str]:
    draft.refresh_from_db()
    vendor.refresh_from_db()
    return [name for name in (draft.logo.name, vendor.logo.name) if name]


@pytest.mark.parametrize("size", [(20000, 20000), (3000, 3000), (8193, 513)])
def test_logo_declaring_too_many_pixels_is_refused_before_decoding(
    client, owner, draft, vendor, logo_url, size
):
    client.force_login(owner)
    # The file holds no real image data: only the header can have caused the message.
    response = _post_logo(client, logo_url, png(*size, pixels=False))
    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == [TOO_MANY_PIXELS]
    assert TOO_MANY_PIXELS in response.content.decode()
    assert _stored_logos(draft, vendor) == []


def test_logo_page_names_the_limits(client, owner, logo_url):
    client.force_login(owner)
    form = client.get(logo_url).context["form"]
    assert str(form["logo"].help_text) == (
        "PNG, JPEG or WebP, at most 2 MB and 2048 × 2048 pixels; we scale it to at most 512 × 512 pixels. "
        "SVG is not accepted."
    )


def test_logo_pixel_limit_is_a_setting(client, owner, draft, vendor, settings):
    settings.PORTAL_LOGO_MAX_SOURCE_PIXELS = 1000 * 1000
    client.force_login(owner)
    url = reverse("vendor:solution_logo", kwargs={"pk": draft.pk})
    response = _post_logo(client, url, image_bytes(size=(1001, 1000)))
    assert response.context["form"].errors["logo"] == [
        "This image has more than 1.0 megapixels. "
        "Please scale it down to at most 1000 × 1000 pixels and upload it again."
    ]
    response = _post_logo(client, url, image_bytes(size=(1000, 1000)))
    assert response["Location"] == reverse("vendor:solution", kwargs={"pk": draft.pk})
    draft.refresh_from_db()
    with draft.logo.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as stored:
        assert stored.size == (512, 512)


def _webp(size) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (20, 90, 160, 128)).save(out, format="WEBP")
    return out.getvalue()


def _progressive_jpeg(size) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(out, format="JPEG", progressive=True)
    return out.getvalue()


# Runs process_logo alone in a fresh interpreter and reads the peak resident size of its memory (VmHWM):
# a peak only grows, so each file needs its own process for its number to mean anything. (ru_maxrss would
# start at the size of the forking test process on Linux, hiding the growth.)
MEASURE = r"""
import json, sys
import django
from django.conf import settings
settings.configure(**json.loads(sys.argv[1]))
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from solutions.uploads import process_logo

def peak_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

upload = SimpleUploadedFile("logo.png", sys.stdin.buffer.read())
before = peak_kib()
try:
    outcome = "stored" if process_logo(upload).size else "empty"
except ValidationError as error:
    outcome = error.code
print(json.dumps({"outcome": outcome, "grown_mib": (peak_kib() - before) / 1024}))
"""

SIDE = 2048  # the default limit of 2048 × 2048 pixels


@pytest.mark.parametrize(
    ("make", "outcome"),
    [
        pytest.param(lambda: png(20000, 20000, pixels=False), "too_many_pixels", id="declares-20000x20000"),
        # Just under Pillow's own bomb limit: it would decode 81 MB of grey and convert it to 324 MB.
        pytest.param(lambda: png(9000, 9000, color_type=0), "too_many_pixels", id="grey-9000x9000"),
        pytest.param(lambda: webp_header(9000, 9000), "too_many_pixels", id="webp-declares-9000x9000"),
        # Pillow would keep up to 64 MB of decompressed text chunks; a logo needs none of them.
        pytest.param(lambda: png(SIDE, SIDE, text_mib=60), "not_image", id="png-with-60-mb-of-text"),
        pytest.param(lambda: png(SIDE, SIDE), "stored", id="rgba-png-at-limit"),
        pytest.param(lambda: png(SIDE, SIDE, bit_depth=16), "stored", id="rgba16-png-at-limit"),
        pytest.param(lambda: png(SIDE, SIDE, color_type=0, bit_depth=16), "stored", id="grey16-png-at-limit"),
        pytest.param(lambda: png(SIDE, SIDE, color_type=3), "stored", id="palette-png-at-limit"),
        pytest.param(lambda: _webp((SIDE, SIDE)), "stored", id="webp-at-limit"),
        pytest.param(lambda: _progressive_jpeg((SIDE, SIDE)), "stored", id="progressive-jpeg-at-limit"),
    ],
)
def test_no_logo_upload_grows_the_worker_by_100_mb(make, outcome):
    limits = {
        name: getattr(django_settings, name)
        for name in ("PORTAL_LOGO_MAX_BYTES", "PORTAL_LOGO_MAX_PIXELS", "PORTAL_LOGO_MAX_SOURCE_PIXELS")
    }
    assert limits["PORTAL_LOGO_MAX_SOURCE_PIXELS"] == SIDE * SIDE
    data = make()
    assert len(data) <= limits["PORTAL_LOGO_MAX_BYTES"]
    run = subprocess.run(
        [sys.executable, "-c", MEASURE, json.dumps(limits)],
        input=data,
        capture_output=True,
        cwd=django_settings.BASE_DIR,
        timeout=60,
        check=True,
    )
    measured = json.loads(run.stdout)
    assert measured["outcome"] == outcome
    assert measured["grown_mib"] < 100, measured


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"<!DOCTYPE html><html><body>Hallo</body></html>", NOT_AN_IMAGE),
        (
            "logo.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "SVG files are not accepted; please upload a PNG, JPEG or WebP image.",
        ),
        ("logo.png", b"%PDF-1.7\n%%EOF\n", NOT_AN_IMAGE),
        ("logo.png", _truncated(image_bytes(size=(300, 300))), NOT_AN_IMAGE),
        ("logo.jpg", _truncated(image_bytes("JPEG", size=(300, 300))), NOT_AN_IMAGE),
        ("logo.webp", _truncated(image_bytes("WEBP", size=(300, 300))), NOT_AN_IMAGE),
        ("logo.gif", image_bytes("GIF", size=(30, 30)), NOT_AN_IMAGE),
        ("logo.png", b"", "The submitted file is empty."),
    ],
    ids=["html", "svg", "pdf", "truncated-png", "truncated-jpeg", "truncated-webp", "gif", "empty"],
)
def test_logo_whose_content_is_not_a_logo_gets_a_message(
    client, owner, draft, vendor, logo_url, name, content, message
):
    client.force_login(owner)
    response = _post_logo(client, logo_url, content, name=name)
    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == [message]
    assert _stored_logos(draft, vendor) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", "This file is not a PDF document."),
        (image_bytes(), "This file is not a PDF document."),
    ],
    ids=["empty", "truncated", "png"],
)
def test_document_whose_content_is_not_a_pdf_gets_a_message(client, owner, draft, content, message):
    client.force_login(owner)
    response = client.post(
        reverse("vendor:documents", kwargs={"pk": draft.pk}),
        {
            "kind": "brochure",
            "title": "Blatt",
            "file": SimpleUploadedFile("blatt.pdf", content, "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert not SolutionDocument.objects.exists()


def _photo_with_orientation(size, orientation: int) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = orientation  # EXIF Orientation
    Image.new("RGB", size, (20, 90, 160)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_logo_keeps_the_rotation_a_photo_declares_in_exif():
    # Orientation 6: the camera was turned, the photo is shown rotated by 90° clockwise.
    stored = uploads.process_logo(SimpleUploadedFile("foto.jpg", _photo_with_orientation((1200, 600), 6)))
    with Image.open(stored) as image:
        assert (image.format, image.size) == ("PNG", (256, 512))


def test_damaged_images_get_a_message_or_a_logo_never_an_exception():
    seeds = [image_bytes(fmt, size=(60, 40)) for fmt in ("PNG", "JPEG", "WEBP")]
    seeds += [png(64, 48, color_type=3), _photo_with_orientation((60, 40), 8)]
    rng = random.Random(20260101)
    outcomes = set()
    for _ in range(500):
        data = bytearray(rng.choice(seeds))
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        else:
            for _flip in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            uploads.process_logo(SimpleUploadedFile("logo.png", bytes(data)))
        except ValidationError as error:
            outcomes.add(error.code)
        else:
            outcomes.add("stored")
    assert outcomes <= {"stored", "not_image", "too_many_pixels", "svg"}
    assert {"stored", "not_image"} <= outcomes
