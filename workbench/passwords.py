"""One way to store a secret: scrypt, with its cost written into the stored string.

The sandbox's passwords and passcodes are fake, but they are stored the way real ones must be;
the tracker's are real. Each caller passes the cost it needs (``SANDBOX`` keeps a hall of 40
phones quick on a 2-core laptop; ``TRACKER`` guards real accounts). The cost travels with the
hash, so a hash made at one cost is checked at that cost, and tests can lower the costs
(``tests/conftest.py``) without changing what is checked.

A passcode (the VNeID app's, the wallet's) is six digits, and the rule is written here once:
``is_passcode`` is what the sandbox and its pages check before anything is hashed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SANDBOX = {"n": 2**12, "r": 8, "p": 1}
TRACKER = {"n": 2**14, "r": 8, "p": 1}
PASSCODE_DIGITS = 6


def hash_secret(secret: str, cost: dict) -> str:
    """``scrypt$n$r$p$salt$digest`` for ``secret`` (a new salt each time)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(str(secret).encode("utf-8"), salt=salt, dklen=32, **cost)
    return f"scrypt${cost['n']}${cost['r']}${cost['p']}${salt.hex()}${digest.hex()}"


def check_secret(secret: str | None, stored: str | None) -> bool:
    """True when ``secret`` is the one ``stored`` was made from; False for anything malformed."""
    if not stored or not isinstance(stored, str) or not stored.startswith("scrypt$"):
        return False
    try:
        _, n, r, p, salt, digest = stored.split("$")
        found = hashlib.scrypt(str(secret or "").encode("utf-8"), salt=bytes.fromhex(salt), dklen=32,
                               n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return hmac.compare_digest(found.hex(), digest)


def is_passcode(text) -> bool:
    """Whether ``text`` has a passcode's shape: exactly six ASCII digits (nothing stripped)."""
    return isinstance(text, str) and len(text) == PASSCODE_DIGITS and text.isascii() and text.isdigit()
