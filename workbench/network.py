"""The address phones in the hall use to reach this laptop: the one source of truth for every
QR code and link a phone may open (issue 14: all but the workshop's said port 8501 whatever
port ``make run`` served on).

The port is the one ``make run`` prints: ``scripts/serve.py`` puts it in ``CDS_PUBLIC_PORT``
for the server it starts. Streamlit's own ``server.port`` is not it, because Streamlit sits
behind Caddy on an internal port. No packet is sent to find the host: the addresses come from
the machine's own name and interfaces. ``CDS_PUBLIC_URL`` overrides host and port both, when a
laptop has several networks.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import time

DEFAULT_PORT = 8501
PUBLIC_PORT_ENV = "CDS_PUBLIC_PORT"
PUBLIC_URL_ENV = "CDS_PUBLIC_URL"


def _is_lan(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.version == 4 and not ip.is_loopback and not ip.is_link_local and not ip.is_unspecified


_REMEMBERED: dict[str, tuple[float, list[str]]] = {}
REMEMBER_SECONDS = 30.0


def lan_addresses() -> list[str]:
    """IPv4 addresses of this machine other than loopback, private ranges first.

    Remembered for 30 s: pages ask on every rerun, and ``hostname -I`` is a subprocess (the
    trainer's page reran it twice per joining phone). A new wifi is seen within half a minute."""
    now = time.monotonic()
    remembered = _REMEMBERED.get("addresses")
    if remembered and now - remembered[0] < REMEMBER_SECONDS:
        return list(remembered[1])
    found = _look_up_lan_addresses()
    _REMEMBERED["addresses"] = (now, found)
    return list(found)


def _look_up_lan_addresses() -> list[str]:
    found: list[str] = []
    try:
        found += socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        pass
    if not any(_is_lan(a) for a in found) and os.name != "nt":
        try:
            output = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=2).stdout
            found += output.split()
        except (OSError, subprocess.SubprocessError):
            pass
    unique = list(dict.fromkeys(a for a in found if _is_lan(a)))
    return sorted(unique, key=lambda a: (not ipaddress.ip_address(a).is_private, a))


def public_port() -> int:
    """The port phones use: ``CDS_PUBLIC_PORT`` (set by scripts/serve.py), else 8501."""
    value = os.environ.get(PUBLIC_PORT_ENV, "").strip()
    return int(value) if value.isdigit() and 0 < int(value) < 65536 else DEFAULT_PORT


def public_url(path: str = "", *, port: int | None = None) -> str | None:
    """``http://192.168.1.10:<public port>/<path>``, or None when the laptop has no network.

    Every QR code and link meant for a phone comes from here. ``port`` is only for the CLI,
    which prints the address before the server (and so ``CDS_PUBLIC_PORT``) exists."""
    base = os.environ.get(PUBLIC_URL_ENV)
    if not base:
        addresses = lan_addresses()
        if not addresses:
            return None
        base = f"http://{addresses[0]}:{port or public_port()}"
    return base.rstrip("/") + ("/" + path.lstrip("/") if path else "")

