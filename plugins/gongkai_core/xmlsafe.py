"""URLs and text for the XML the build writes (sitemap.xml, Atom feeds): always well-formed.

An entry's address comes from its file name, which an editor chose and which may hold anything
(`a&b<c>.md`, `50%.md`, `第1号#附.md`, spaces, Chinese). In a URL each path segment is
percent-encoded as RFC 3986 asks (UTF-8, everything but unreserved characters, sub-delims, `:`
and `@`), so `#`, `?` and `%` in a name stay part of the name; in XML the URL is escaped once
more. Text put into XML loses the characters XML 1.0 cannot carry. No Pelican here.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

# RFC 3986 pchar without "%": a literal % in a file name is %25, never the start of an escape
_PATH_SAFE = "/!$&'()*+,;=:@~"
# a configured SITEURL is already a URL (IRI): keep its delimiters and escapes, encode the rest
_IRI_SAFE = ":/?#[]@!$&'()*+,;=%~"
# characters XML 1.0 does not allow (C0 other than tab/LF/CR, surrogates, U+FFFE/U+FFFF)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}
_ESCAPE_RE = re.compile("[&<>\"']")


def url_path(rel: str) -> str:
    """An output-relative path (`policy/a&b 1.html`) as the path of a URL (`policy/a&b%201.html`)."""
    return quote(rel, safe=_PATH_SAFE, errors="surrogateescape")  # an undecodable name: its own bytes


def site_url(url: str) -> str:
    """The configured SITEURL as an ASCII URL without a trailing slash (a Chinese host name in
    IDNA, `xn--…`, as a browser sends it; the rest percent-encoded)."""
    parts = urlsplit(xml_chars(url).rstrip("/"))
    netloc = parts.netloc
    if not netloc.isascii():
        userinfo, _, hostport = netloc.rpartition("@")
        host, colon, port = hostport.partition(":")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:  # not a valid host name: percent-encoded below, as any other text
            pass
        netloc = (userinfo + "@" if userinfo else "") + host + colon + port
    return quote(urlunsplit(parts._replace(netloc=netloc)), safe=_IRI_SAFE)


def absolute(base: str, rel: str) -> str:
    """`base` (site_url()) joined with the encoded path of `rel`."""
    return f"{base}/{url_path(rel)}"


def xml_chars(text: str) -> str:
    """Text without the characters XML 1.0 forbids (they cannot even be written as &#…;)."""
    return _NOT_XML.sub("", text)


def escape(text: str) -> str:
    """Text for XML content or a quoted attribute value."""
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], xml_chars(text))
