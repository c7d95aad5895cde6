"""Is a photo of a paper good enough to read? Checked when a citizen uploads one (issue 14).

The real services (VNeID's card photo, a bank's eKYC) refuse a photo that is blurred, too dark
or too small and say "chụp lại"; the sandbox did not, so a learner never met that message. The
checks are cheap enough for a hall of phones on a 2-core laptop: the picture is decoded at a
reduced size (JPEG ``draft``), made grey and at most ``MEASURE_SIDE`` pixels long, then

- blur: the variance of its Laplacian (edges of letters give large values; a blurred photo has
  none), below ``MIN_SHARPNESS``;
- darkness: the mean brightness, below ``MIN_BRIGHTNESS`` of 255;
- size: the shorter side, below ``MIN_SIDE`` pixels; and, before anything is decoded, more than
  ``MAX_PIXELS`` pixels (a few bytes of PNG can claim a huge picture) or ``MAX_BYTES`` bytes.

Only Pillow is needed. The thresholds were set on the sandbox's own pictures (bench figures in
the issue 14 note): a sharp paper measures in the hundreds or more, a Gaussian blur of radius
1.5 about 50, the gallery's "blurry" picture about 1.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageFilter, ImageStat

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; phones take 12 by default
MIN_SIDE = 300
MEASURE_SIDE = 800
MIN_SHARPNESS = 25.0
MIN_BRIGHTNESS = 45.0
LAPLACIAN = ImageFilter.Kernel((3, 3), [0, 1, 0, 1, -4, 1, 0, 1, 0], scale=1, offset=128)

# The reasons, each a message ``dossiers.error.<reason>`` saying what to do.
REASONS = ("image_too_large", "not_an_image", "image_too_many_pixels", "image_too_small", "image_too_dark",
           "image_blurred")


def limits() -> dict:
    """The numbers the messages quote."""
    return {"max_mb": MAX_BYTES // (1024 * 1024), "min_side": MIN_SIDE, "max_mp": MAX_PIXELS // 1_000_000}


def sharpness(grey: Image.Image) -> float:
    """The variance of the Laplacian of a grey picture. Pillow leaves the outermost pixels
    unfiltered, so they are cut off before measuring."""
    edges = grey.filter(LAPLACIAN)
    edges = edges.crop((1, 1, edges.width - 1, edges.height - 1))
    return ImageStat.Stat(edges).var[0]


class Unreadable(Exception):
    """Why an uploaded picture cannot be read at all: ``reason`` is ``image_too_large``,
    ``image_too_many_pixels`` or ``not_an_image``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def open_grey(data: bytes, side: int, *, max_bytes: int = MAX_BYTES,
              max_pixels: int = MAX_PIXELS) -> tuple[Image.Image, tuple[int, int]]:
    """An uploaded picture as a grey image at most ``side`` pixels long, and its own size.

    Bounded before any pixel is decoded: the bytes, then the pixels the header claims (a
    decompression-bomb PNG is refused in milliseconds); a JPEG is decoded at a reduced size.
    The one guard for every picture a user sends (a paper's photo here, the wallet's QR scan)."""
    if len(data) > max_bytes:
        raise Unreadable("image_too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                size = image.size
                if size[0] * size[1] > max_pixels:
                    raise Unreadable("image_too_many_pixels")
                image.draft("L", (side, side))  # JPEG decodes at 1/2, 1/4 or 1/8: much cheaper
                grey = image.convert("L")
    except Unreadable:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Unreadable("image_too_many_pixels") from None
    except Exception:  # any undecodable or truncated file is "not a picture", never a stack trace
        raise Unreadable("not_an_image") from None
    grey.thumbnail((side, side))
    return grey, size


def measured(data: bytes) -> dict:
    """``{"width", "height", "sharpness", "brightness"}`` of a picture, decoded small."""
    grey, (width, height) = open_grey(data, MEASURE_SIDE)
    return {"width": width, "height": height, "sharpness": sharpness(grey),
            "brightness": ImageStat.Stat(grey).mean[0]}


def problem(data: bytes) -> str | None:
    """The first thing wrong with an uploaded photo (one of ``REASONS``), or None when it reads."""
    try:
        found = measured(data)
    except Unreadable as refused:
        return refused.reason
    if min(found["width"], found["height"]) < MIN_SIDE:
        return "image_too_small"
    if found["brightness"] < MIN_BRIGHTNESS:
        return "image_too_dark"
    if found["sharpness"] < MIN_SHARPNESS:
        return "image_blurred"
    return None
