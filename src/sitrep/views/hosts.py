"""Which Host headers the server answers: a guard against DNS rebinding.

A page on evil.example can make a browser resolve evil.example to 127.0.0.1 and then read
the local API as "same origin"; the request still says `Host: evil.example`, so answering
only the names a real client could have used stops it. Those names follow from the bind
address: the address itself, the loopback names, and the names configured in
`api.allowed_hosts`. A wildcard bind (0.0.0.0, ::) is reachable under any name the machine
has, so without configured names there is nothing to check against.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
# Below this many characters a token sent over a network is guessable by brute force
# (32 URL-safe characters carry about 190 bits; `secrets.token_urlsafe(32)` gives 43).
MIN_TOKEN_LENGTH = 32


def _normal(name: str) -> str:
    """A host name or address as compared: lower case, no trailing dot, no brackets."""
    name = name.strip().lower().rstrip(".")
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        return name


def is_wildcard(bind: str) -> bool:
    try:
        return ipaddress.ip_address(_normal(bind)).is_unspecified
    except ValueError:
        return False


def is_loopback(bind: str) -> bool:
    name = _normal(bind)
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def allowed_hosts(bind: str, configured: Sequence[str]) -> frozenset[str] | None:
    """The Host names to answer for a server bound to `bind`; None accepts any."""
    names = {_normal(n) for n in configured if n.strip()}
    if "*" in names:
        return None
    if is_wildcard(bind):
        return frozenset(names | LOOPBACK_NAMES) if names else None
    return frozenset(names | LOOPBACK_NAMES | {_normal(bind)})


def host_of(header: str) -> str:
    """The name in a Host header, without the port ("[::1]:8000" → "::1")."""
    header = header.strip()
    if header.startswith("["):
        end = header.find("]")
        return _normal(header[: end + 1]) if end > 0 else ""
    name, _, port = header.rpartition(":") if header.count(":") == 1 else (header, "", "")
    if port and not port.isdigit():
        return ""
    return _normal(name)


def host_allowed(header: str, allowed: frozenset[str] | None) -> bool:
    if allowed is None:
        return True
    name = host_of(header)
    return bool(name) and name in allowed


def token_warning(bind: str, token: str | None) -> str | None:
    """A warning when a short ingest token guards a server other machines can reach."""
    if token is None or is_loopback(bind) or len(token) >= MIN_TOKEN_LENGTH:
        return None
    return (
        f"warning: SITREP_TOKEN has {len(token)} characters but the server listens on {bind}, "
        f"reachable from other machines; use at least {MIN_TOKEN_LENGTH} random characters "
        '(python -c "import secrets; print(secrets.token_urlsafe(32))")'
    )


__all__ = [
    "LOOPBACK_NAMES",
    "MIN_TOKEN_LENGTH",
    "allowed_hosts",
    "host_allowed",
    "host_of",
    "token_warning",
]
