"""QR images for things a phone in the hall should open (the app's LAN URL, a join link).

Large modules and a generous quiet zone so a phone can read the code from the back of a
hall on a projector.
"""

from __future__ import annotations

import io
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M


@lru_cache(maxsize=64)
def png(payload: str, box_size: int = 12, border: int = 4) -> bytes:
    """The PNG of ``payload``. Kept once made: the trainer's page draws the same join QR on each
    of its reruns (one each time a phone joins), and making it took ~25 ms of the laptop's CPU."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(payload)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
