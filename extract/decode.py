"""Bytes to text for HTML: declared charset, then BOM, then <meta>, then detection; never Latin-1 by default."""

from __future__ import annotations

import codecs
from email.message import Message

from bs4.dammit import EncodingDetector
from charset_normalizer import from_bytes

from extract.errors import FetchFailed

SNIFF_BYTES = 4096


def header_charset(content_type: str) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    msg = Message()
    msg["content-type"] = content_type
    charset = msg.get_param("charset")
    return str(charset).strip().lower() if charset else None


def _known(encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def looks_binary(body: bytes) -> bool:
    """True for bytes that are not text in any encoding we would accept (NULs, control bytes)."""
    head = body[:SNIFF_BYTES]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return b"\x00" in head or controls / len(head) > 0.05


def sniff_encoding(body: bytes, content_type: str = "") -> tuple[str, str]:
    """Return (encoding, where it came from): header, bom, meta or detected."""
    if enc := _known(header_charset(content_type)):
        return enc, "header"
    _, bom_enc = EncodingDetector.strip_byte_order_mark(body[:4])
    if enc := _known(bom_enc):
        return enc, "bom"
    declared = EncodingDetector.find_declared_encoding(body[:SNIFF_BYTES], is_html=True)
    if enc := _known(declared):
        return enc, "meta"
    best = from_bytes(body[:200_000]).best()
    if best is not None and (enc := _known(best.encoding)):
        return enc, "detected"
    return "utf-8", "default"


def decode_html(body: bytes, content_type: str = "") -> str:
    """Decode an HTML body to str, raising FetchFailed(not_article) for binary data served as text."""
    if looks_binary(body):
        raise FetchFailed("not_article", "binary content, not text")
    encoding, _ = sniff_encoding(body, content_type)
    text = body.decode(encoding, errors="replace")
    return text.lstrip("\ufeff")
