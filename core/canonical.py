"""URL canonicalisation: one spelling per URL so the ledger and article ids are stable."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "ref_src", "_hsenc",
     "_hsmi", "mkt_tok", "ocid", "cmpid", "at_medium", "at_campaign", "guccounter", "s_cid"}
)
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(key: str) -> bool:
    k = key.lower()
    return k.startswith(("utm_", "__twitter", "_ga")) or k in TRACKING_PARAMS


def canonical_url(url: str, base: str | None = None) -> str | None:
    """Return the canonical spelling of `url` (resolved against `base`), or None if it is not http(s)."""
    url = url.strip()
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _is_tracking(k)])
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


def host_of(url: str) -> str:
    """The host[:port] part of a canonical URL, the unit of politeness and of fetch sharding."""
    return urlsplit(url).netloc
