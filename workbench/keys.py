"""The installation's signing key (Ed25519) and its fingerprint in words (issue 16).

A commune's weekly package to the province is signed with a key made once, at set-up, on the
commune's laptop. It lives in the data folder (never in git) as ``installation-key.pem``,
readable by its owner only (0600). The province learns the public key from the first package
and trusts it only after an official has heard its fingerprint read out on the phone: eight
words of ``key_words.WORDS``, one per byte of the SHA-256 of the public key.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from workbench import store
from workbench.key_words import WORDS

KEY_FILE = "installation-key.pem"
FINGERPRINT_WORDS = 8
SEPARATOR = " · "


def key_path() -> Path:
    return store.data_dir() / KEY_FILE


def ensure_key() -> Path:
    """Make the installation key once; an existing key is never replaced (the province knows it)."""
    path = key_path()
    if path.exists():
        return path
    store.ensure_data_dir()
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    try:  # O_EXCL: two processes setting up at once keep the first key; 0600 from the first byte
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(handle, "wb") as out:
        out.write(pem)
    return path


def private_key() -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(ensure_key().read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise store.StoreError("store.error.corrupt", path=str(key_path()), reason="not an Ed25519 key")
    return key


def public_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_b64(key: Ed25519PrivateKey | None = None) -> str:
    return base64.b64encode(public_bytes(key or private_key())).decode("ascii")


def fingerprint_words(public_key: str | bytes) -> list[str]:
    """Eight words for a public key (raw bytes or base64): what officials read to each other."""
    raw = base64.b64decode(public_key) if isinstance(public_key, str) else public_key
    return [WORDS[b] for b in hashlib.sha256(raw).digest()[:FINGERPRINT_WORDS]]


def fingerprint(public_key: str | bytes) -> str:
    return SEPARATOR.join(fingerprint_words(public_key))


def sign(data: bytes, key: Ed25519PrivateKey | None = None) -> str:
    return base64.b64encode((key or private_key()).sign(data)).decode("ascii")


def verify(public_key_b64: str, signature_b64: str, data: bytes) -> bool:
    """True when ``signature_b64`` is the key's signature of ``data``; False for anything else
    (a bad signature, a key or signature that is not valid base64 or the wrong length)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64, validate=True))
        key.verify(base64.b64decode(signature_b64, validate=True), data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
