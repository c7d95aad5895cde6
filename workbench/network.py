"""The address phones in the hall use to reach this laptop.

No packet is sent to find it: the addresses come from the machine's own name and
interfaces. ``CDS_PUBLIC_URL`` overrides the guess when a laptop has several networks.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess

DEFAULT_PORT = 8501


def _is_lan(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.version == 4 and not ip.is_loopback and not ip.is_link_local and not ip.is_unspecified


def lan_addresses() -> list[str]:
    """IPv4 addresses of this machine other than loopback, private ranges first."""
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


def lan_url(port: int = DEFAULT_PORT, path: str = "") -> str | None:
    """``http://192.168.1.10:8501/<path>``, or None when the laptop has no network."""
    base = os.environ.get("CDS_PUBLIC_URL")
    if not base:
        addresses = lan_addresses()
        if not addresses:
            return None
        base = f"http://{addresses[0]}:{port}"
    return base.rstrip("/") + ("/" + path.lstrip("/") if path else "")
