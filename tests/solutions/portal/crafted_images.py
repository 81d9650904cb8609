"""Image files built byte by byte for the upload tests: a PNG may declare any size and inflate to any
amount without the test process ever holding the decoded pixels."""

import io
import struct
import zlib

CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # PNG colour type -> samples per pixel


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(
    width: int,
    height: int,
    *,
    color_type: int = 6,
    bit_depth: int = 8,
    pixels: bool = True,
    text_mib: int = 0,
) -> bytes:
    """A PNG of one flat colour, compressed row by row (so a 9000 × 9000 file is built in small memory).

    With `pixels=False` the image data is a token few bytes: the header alone declares the size.
    `text_mib` adds that many compressed text chunks (zTXt) of 1 MiB each, about 1 KiB in the file.
    """
    out = io.BytesIO()
    out.write(b"\x89PNG\r\n\x1a\n")
    out.write(_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)))
    if color_type == 3:
        out.write(_chunk(b"PLTE", bytes(range(256)) * 3))
    text = zlib.compress(b"a" * (1024 * 1024 - 64), 9)
    for index in range(text_mib):
        out.write(_chunk(b"zTXt", b"note%d\0\0" % index + text))
    if pixels:
        compressor = zlib.compressobj(9)
        row = b"\0" + b"\x7f" * (width * CHANNELS[color_type] * bit_depth // 8)
        parts = [compressor.compress(row) for _ in range(height)]
        parts.append(compressor.flush())
        out.write(_chunk(b"IDAT", b"".join(parts)))
    else:
        out.write(_chunk(b"IDAT", zlib.compress(b"\0" * 64)))
    out.write(_chunk(b"IEND", b""))
    return out.getvalue()


def webp_header(width: int, height: int) -> bytes:
    """A lossless WebP of 1 × 1 pixel whose header claims `width` × `height` (at most 16384 each)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (1, 1)).save(out, format="WEBP", lossless=True)
    data = bytearray(out.getvalue())
    # VP8L chunk: fourcc, length, signature 0x2f, then 14 bits width - 1 and 14 bits height - 1.
    start = data.index(b"VP8L") + 9
    bits = int.from_bytes(data[start : start + 4], "little") & ~((1 << 28) - 1)
    bits |= (width - 1) | ((height - 1) << 14)
    data[start : start + 4] = bits.to_bytes(4, "little")
    return bytes(data)
