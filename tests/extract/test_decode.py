import codecs

import pytest

from extract.decode import decode_html, header_charset, sniff_encoding
from extract.errors import FetchFailed

TEXT = "<html><body><p>Caf\u00e9 \u201cquoted\u201d \u2013 na\u00efve</p></body></html>"


def test_header_charset_before_meta():
    body = ('<meta charset="utf-8">' + TEXT).encode("cp1252")
    assert sniff_encoding(body, "text/html; charset=windows-1252") == ("cp1252", "header")
    assert decode_html(body, "text/html; charset=windows-1252").endswith(TEXT)


def test_a_byte_order_mark_wins_over_the_transport_charset():
    body = codecs.BOM_UTF8 + TEXT.encode("utf-8")
    assert sniff_encoding(body, "text/html; charset=windows-1252") == ("utf-8", "bom")
    assert decode_html(body, "text/html; charset=windows-1252") == TEXT
    utf16 = codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")
    assert decode_html(utf16, "text/html; charset=iso-8859-1") == TEXT


def test_latin1_without_any_declaration_is_read_as_western():
    body = "<html><body><p>Caf\u00e9 society returns to the harbour.</p></body></html>".encode("latin-1")
    assert sniff_encoding(body, "text/html") == ("cp1252", "detected")
    assert "Caf\u00e9 society" in decode_html(body, "text/html")


def test_bom_before_meta():
    body = codecs.BOM_UTF8 + ('<meta charset="iso-8859-1">' + TEXT).encode("utf-8")
    assert sniff_encoding(body, "text/html")[1] == "bom"
    assert "\u201cquoted\u201d" in decode_html(body, "text/html")


def test_meta_charset_and_http_equiv():
    body = ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">' + TEXT).encode("cp1252")
    assert sniff_encoding(body, "text/html") == ("cp1252", "meta")
    assert "\u201cquoted\u201d" in decode_html(body, "text/html")


def test_detection_when_nothing_is_declared_never_latin1_default():
    body = ("<html><body>" + "Beijing\u2019s testing drive \u2014 \u201cresidents queue\u201d. " * 20
            + "</body></html>").encode("utf-8")
    enc, source = sniff_encoding(body, "text/html")
    assert source == "detected"
    assert enc == "utf-8"
    assert "\u2019" in decode_html(body, "text/html")


def test_header_charset_parsing():
    assert header_charset('text/html; charset="UTF-8"') == "utf-8"
    assert header_charset("text/html") is None


def test_binary_served_as_html_is_not_an_article():
    with pytest.raises(FetchFailed) as err:
        decode_html(bytes(range(256)) * 10, "text/html")
    assert err.value.state == "not_article"
