"""Bytes to text for HTML in the WHATWG order: a byte-order mark, then the transport (Content-Type)
charset, then <meta charset> / http-equiv, then detection (UTF-8 if the bytes are valid UTF-8, else a
detector's guess, with windows-1252 for the Western single-byte family, as browsers do)."""

from __future__ import annotations

import codecs
from email.message import Message

from bs4.dammit import EncodingDetector
from charset_normalizer import from_bytes

from core.staging import Fetch
from extract.errors import FetchFailed
from extract.rawstore import RawStore

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


# Single-byte Western encodings a detector confuses on short text; windows-1252 (a superset of Latin-1's
# printable range) is what browsers use for them, so "Café" does not come out as "Cafķ".
WESTERN = {"cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_4", "iso8859_9",
           "iso8859_13", "iso8859_15", "mac_roman", "mac_latin2", "cp850", "cp437"}


def _detected(body: bytes) -> str | None:
    try:
        body[:200_000].decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > 199_990:  # a character cut by the sample's end
            return "utf-8"
    best = from_bytes(body[:200_000]).best()
    enc = _known(best.encoding) if best is not None else None
    return "cp1252" if enc in WESTERN else enc


def sniff_encoding(body: bytes, content_type: str = "") -> tuple[str, str]:
    """Return (encoding, where it came from): bom, header, meta, detected or default."""
    _, bom_enc = EncodingDetector.strip_byte_order_mark(body[:4])
    if enc := _known(bom_enc):
        return enc, "bom"
    if enc := _known(header_charset(content_type)):
        return enc, "header"
    declared = EncodingDetector.find_declared_encoding(body[:SNIFF_BYTES], is_html=True)
    if enc := _known(declared):
        return enc, "meta"
    if enc := _detected(body):
        return enc, "detected"
    return "utf-8", "default"


# Media types a page may be served as and still be HTML (servers mislabel pages as text/plain or as
# octet-stream; the bytes are sniffed then). Anything else (application/pdf, image/png, ...) is not a page.
PAGE_TYPES = ("text/", "application/xhtml", "application/xml", "application/html", "application/octet-stream")


def media_type(content_type: str) -> str:
    """The media type of a Content-Type header, lowercased, without parameters ("" when absent)."""
    return content_type.split(";", 1)[0].strip().lower()


def decode_html(body: bytes, content_type: str = "") -> str:
    """Decode an HTML body to str, raising FetchFailed(not_article) for a body that is not a page: one served
    as another media type ("not HTML (application/pdf)"), or binary data served as text."""
    kind = media_type(content_type)
    if kind and not kind.startswith(PAGE_TYPES):
        raise FetchFailed("not_article", f"not HTML ({kind})")
    if looks_binary(body):
        raise FetchFailed("not_article", "binary content, not text")
    encoding, source = sniff_encoding(body, content_type)
    if source == "bom":
        body = EncodingDetector.strip_byte_order_mark(body)[0]
    return body.decode(encoding, errors="replace").lstrip("\ufeff")


def page_html(store: RawStore, fetch: Fetch) -> str:
    """Decoded HTML of a fetched record; FetchFailed saying why there is none (not fetched, not HTML,
    binary, or the kept body missing or corrupt)."""
    sha = fetch.get("raw_sha256")
    if fetch.get("state") not in ("ok", "not_modified") or not sha:
        raise FetchFailed("not_article", "no body was fetched")
    try:
        body = store.get(sha)
    except OSError as exc:  # absent or corrupt (CorruptRaw) bytes
        raise FetchFailed("failed", f"the kept body {sha[:12]} cannot be read: {exc}") from None
    return decode_html(body, fetch.get("content_type", ""))
