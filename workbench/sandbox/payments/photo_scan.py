"""The wallet's own "Quét mã QR" (issue 14): a photo of a desk QR, decoded on this laptop.

Real people pay by opening their bank or wallet app and scanning inside it. A live camera in
the browser needs https, which a hall's LAN does not have, but a photo does not: the phone's
file picker offers the camera over plain http. The photo is read here with zxing-cpp.

A photo is untrusted bytes from a phone, so it is bounded before any pixel is decoded: at most
``MAX_PHOTO_BYTES`` on the wire and ``MAX_PHOTO_PIXELS`` once open (a decompression-bomb PNG
is refused from its header, in milliseconds), and it is shrunk to ``DECODE_SIDE`` pixels a side
before zxing reads it, which bounds the time too.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import zxingcpp
from PIL import Image

from workbench.sandbox import photos
from workbench.sandbox.payments import tokens
from workbench.sandbox.payments.schema import PaymentError

MAX_PHOTO_BYTES = 8 * 1024 * 1024      # a 12-megapixel phone photo is 2–5 MB as JPEG
MAX_PHOTO_PIXELS = 40_000_000          # a 48-megapixel sensor saves 12 MP by default
DECODE_SIDE = 1600                     # a desk QR fills a good part of the photo: plenty
TYPED_PREFIX = "MO-PHONG-"             # what a desk QR holds when the laptop has no network


def open_photo(data: bytes) -> Image.Image:
    """The photo as a small greyscale image, or PaymentError saying what to do instead."""
    if not data:
        raise PaymentError("payments.error.photo_empty", "photo")
    try:
        image, _ = photos.open_grey(data, DECODE_SIDE, max_bytes=MAX_PHOTO_BYTES, max_pixels=MAX_PHOTO_PIXELS)
    except photos.Unreadable as refused:
        key = {"image_too_large": "photo_too_large", "image_too_many_pixels": "photo_too_many_pixels",
               "not_an_image": "photo_not_image"}[refused.reason]
        raise PaymentError(f"payments.error.{key}", "photo", max_mb=MAX_PHOTO_BYTES // (1024 * 1024),
                           max_mp=MAX_PHOTO_PIXELS // 1_000_000) from None
    return image  # zxing reads a QR at any angle: no need to turn it


def read_qr_texts(data: bytes) -> list[str]:
    """Every QR code's text in the photo (usually one)."""
    image = open_photo(data)
    return [found.text for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            if found.text]


def payment_in(text: str) -> dict | None:
    """``{"token": …}`` or ``{"code": …}`` when ``text`` is a sandbox desk QR; None otherwise.

    Only the token of a ``…/pay?t=<token>`` link is used, never the address: a QR pointing at
    another host is still this installation's only if its token verifies (``desk_qr.scan``)."""
    text = (text or "").strip()
    if text.upper().startswith(TYPED_PREFIX):
        return {"code": text[len(TYPED_PREFIX):]}
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and parts.path.rstrip("/").endswith("/pay"):
        token = (parse_qs(parts.query).get("t") or [""])[0]
        if token:
            return {"token": token}
    return None


def payment_from_photo(data: bytes) -> dict:
    """The sandbox payment a photo's QR names (``{"token"}`` or ``{"code"}``), or PaymentError:
    no QR found, or a QR that is not a sandbox payment (a real bank's QR says so)."""
    texts = read_qr_texts(data)
    if not texts:
        raise PaymentError("payments.error.photo_no_qr", "photo")
    for text in texts:
        found = payment_in(text)
        if found:
            return found
    if any(tokens.looks_like_bank_qr(text) for text in texts):
        raise PaymentError("payments.error.photo_bank_qr", "photo")
    raise PaymentError("payments.error.photo_not_sandbox", "photo")
