"""Signed payment tokens for sandbox QR codes (issue 5).

A desk QR carries a URL to this laptop (``http://<LAN>/pay?t=<token>``), never a bank
payload. The token is signed with HMAC-SHA256 under a key made on first use for *this*
installation and kept in the data folder (``install.key``, mode 0600), never in the repo:
a token made by another copy of the workbench, or edited by hand, does not verify.
"Once" and "before expiry" are checked against the payment request in the sandbox
database (``payments.desk_qr``), on the sandbox clock.

The token is letters, digits, ``-`` and ``_`` only, and is re-drawn until it holds no run
of digits long enough to look like a bank account number.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from workbench import store
from workbench.errors import Refusal

KEY_FILE = "install.key"
KEY_BYTES = 32
TYPED_CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S, 8/B look-alikes
TYPED_CODE_LENGTH = 6
_LONG_DIGITS = re.compile(r"\d{6,}")
# Markers of a real bank QR (EMVCo/VietQR): a token holding one by chance is re-drawn, so no
# sandbox payload can ever carry them (tests/test_qr_safety.py).
BANK_QR_MARKERS = ("000201", "A000000727", "QRIBFTTA", "QRIBFTTC", "9704")


class TokenError(Refusal):
    """A payment code that is malformed, expired, spent or from another installation."""


def key_path() -> Path:
    return store.data_dir() / KEY_FILE


def install_key() -> bytes:
    """This installation's signing key, made on first use (0600, never overwritten)."""
    path = key_path()
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        pass
    store.ensure_data_dir()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another thread or process made it first: use theirs
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(KEY_BYTES))
    if os.name != "nt":
        os.chmod(path, 0o600)
    return bytes.fromhex(path.read_text().strip())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _message(nonce: str, expires_at: str, amount: int, payee_id: str, reference: str) -> bytes:
    return "|".join(["cds-pay-v1", nonce, expires_at, str(int(amount)), payee_id, reference]).encode("utf-8")


def signature(nonce: str, expires_at: str, amount: int, payee_id: str, reference: str) -> str:
    digest = hmac.new(install_key(), _message(nonce, expires_at, amount, payee_id, reference), hashlib.sha256)
    return _b64(digest.digest()[:18])


def new_token(expires_at: str, amount: int, payee_id: str, reference: str) -> tuple[str, str]:
    """``(nonce, token)``: the token binds the nonce to what is to be paid and until when."""
    while True:
        nonce = _b64(secrets.token_bytes(12))
        token = f"{nonce}.{signature(nonce, expires_at, amount, payee_id, reference)}"
        if not _LONG_DIGITS.search(token) and not looks_like_bank_qr(token):
            return nonce, token


def looks_like_bank_qr(text: str) -> bool:
    upper = (text or "").upper()
    return any(marker in upper for marker in BANK_QR_MARKERS)


def nonce_of(token: str) -> str:
    """The nonce part of a well-formed token, or TokenError ``payment.error.invalid_code``."""
    token = (token or "").strip()
    parts = token.split(".")
    if len(parts) != 2 or not all(re.fullmatch(r"[A-Za-z0-9_-]{16,32}", p) for p in parts):
        raise TokenError("payments.error.invalid_code")
    return parts[0]


def check(token: str, expires_at: str, amount: int, payee_id: str, reference: str) -> None:
    """Raise TokenError unless ``token`` was signed by this installation for exactly this request."""
    nonce = nonce_of(token)
    given = token.strip().split(".")[1]
    if not hmac.compare_digest(given, signature(nonce, expires_at, amount, payee_id, reference)):
        raise TokenError("payments.error.invalid_code")


def new_typed_code() -> str:
    return "".join(secrets.choice(TYPED_CODE_ALPHABET) for _ in range(TYPED_CODE_LENGTH))


def normalise_typed_code(text: str) -> str:
    """What a person typed (``k7m-4qx``, spaces, dashes) → ``K7M4QX``."""
    return re.sub(r"[^A-Za-z0-9]", "", text or "").upper()


def format_typed_code(code: str) -> str:
    return f"{code[:3]}-{code[3:]}" if len(code) == TYPED_CODE_LENGTH else code


def short_id(prefix: str) -> str:
    """A payment's or a request's id, short enough to read aloud: ``GD-K7M4QXAC``."""
    return prefix + "-" + new_typed_code() + new_typed_code()[:2]
