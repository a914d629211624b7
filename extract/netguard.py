"""Refuse private, loopback, link-local and other non-public addresses unless configured."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from extract.errors import BlockedAddress, FetchFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses the system resolver gives for host:port."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


class AddressPolicy:
    """Decides whether an address may be contacted: public ones always, others only if allowed."""

    def __init__(self, allow_private: bool | Sequence[str] = False, resolver: Resolver = system_resolver):
        self.allow_all = allow_private is True
        nets = allow_private if isinstance(allow_private, list | tuple) else []
        self.allowed_nets = [ipaddress.ip_network(n, strict=False) for n in nets]
        self.resolver = resolver

    def allows_ip(self, ip: IPAddress) -> bool:
        """True if `ip` is public, or non-public but explicitly allowed."""
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if ip.is_global and not ip.is_multicast:
            return True
        return self.allow_all or any(ip in net for net in self.allowed_nets)

    def check_url(self, url: str) -> list[str]:
        """Resolve the URL's host and raise BlockedAddress unless every address is allowed."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BlockedAddress(f"not an http(s) URL: {url}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            addrs = self.resolver(parts.hostname, port)
        except OSError as exc:
            raise FetchFailed("failed", f"cannot resolve {parts.hostname}: {exc}") from None
        for addr in addrs:
            if not self.allows_ip(ipaddress.ip_address(addr.split("%")[0])):
                raise BlockedAddress(
                    f"refused non-public address {addr} for {parts.hostname} "
                    "(set allow_private_networks to allow it)"
                )
        return addrs
