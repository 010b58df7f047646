"""HTTP done once for every answer of `kg serve`: content negotiation, CORS and pre-flight,
ETag and 304, gzip when asked, the security headers of pages, and HEAD with the length GET
would send.

finish() takes an answer as the application makes it, (status, headers, body), and the
request's method and headers, and gives the answer to send.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections import OrderedDict
from collections.abc import Mapping

# Browser-based clients (YASGUI, Comunica) read the endpoint and every representation from
# other origins; nothing is behind a credential, so any origin may.
CORS = {"Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "ETag, Location, Retry-After, X-KG-Truncated"}
ALLOWED_HEADERS = ("Accept, Accept-Language, Content-Language, Content-Type, If-None-Match, "
                   "Cache-Control")
PREFLIGHT_MAX_AGE = "86400"
# Pages load nothing from elsewhere: their style sheet, scripts and pictures are the site's.
SECURITY = {"X-Content-Type-Options": "nosniff"}
PAGE_SECURITY = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
STATIC_CACHE = "public, max-age=3600"
# Text formats worth compressing; pictures other than SVG already are.
COMPRESSIBLE = re.compile(r"text/|application/(.*[+/])?(json|xml|ld\+json|n-triples|n-quads|"
                          r"trig|javascript)\b|image/svg\+xml")
MIN_GZIP = 512  # bytes: below this gzip's header costs more than it saves
_compressed: OrderedDict[str, bytes] = OrderedDict()  # static bodies by ETag, most recent last
COMPRESSED_KEPT = 4096


def etag(body: bytes) -> str:
    """A strong entity tag for a body: its content's digest."""
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values; a malformed part is skipped, no header is */*."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not re.fullmatch(r"[\w.+*-]+/[\w.+*-]+", media):
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def negotiate(header: str | None, offered: list[str]) -> str | None:
    """The offered type the client prefers (most specific range decides its q), or None."""
    ranges = parse_accept(header)
    best, best_q = None, 0.0
    for media in offered:
        kind = media.split("/")[0] + "/*"
        q, specificity = 0.0, -1
        for pattern, value in ranges:
            rank = (2 if pattern == media else 1 if pattern == kind else
                    0 if pattern == "*/*" else -1)
            if rank > specificity:
                q, specificity = value, rank
        if specificity >= 0 and q > best_q:
            best, best_q = media, q
    return best


def preflight(methods: str, headers: Mapping[str, str]) -> tuple[int, dict[str, str], bytes]:
    """The answer to OPTIONS: the methods a path takes, and for a CORS pre-flight the headers
    a request may carry."""
    answer = {"Allow": methods, **CORS, **SECURITY}
    if "access-control-request-method" in headers:
        answer |= {"Access-Control-Allow-Methods": methods,
                   "Access-Control-Allow-Headers": ALLOWED_HEADERS,
                   "Access-Control-Max-Age": PREFLIGHT_MAX_AGE}
    return 204, answer, b""


def accepts_gzip(header: str | None) -> bool:
    """Whether an Accept-Encoding header takes gzip (by name, or by '*' unless refused)."""
    codings = {}
    for part in (header or "").split(","):
        name, _, params = part.strip().lower().partition(";")
        q = 1.0
        match = re.search(r"q\s*=\s*([0-9.]+)", params)
        if match:
            try:
                q = float(match.group(1))
            except ValueError:
                q = 0.0
        if name:
            codings[name.strip()] = q
    if "gzip" in codings:
        return codings["gzip"] > 0
    return codings.get("*", 0) > 0


def _matches(header: str | None, tag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    # Weak comparison (RFC 9110 13.1.2): W/ is ignored, and a gzip variant's tag matches too.
    bare = tag.strip('"')
    for candidate in header.split(","):
        value = candidate.strip().removeprefix("W/").strip('"')
        if value in (bare, bare + "-gzip"):
            return True
    return False


def finish(method: str, headers: Mapping[str, str], answer: tuple[int, dict[str, str], bytes],
           static: bool = False) -> tuple[int, dict[str, str], bytes]:
    """The answer as sent: CORS and security headers on all, ETag, Cache-Control and 304 on a
    static representation (a file of the site), gzip when asked and worth it, and for HEAD no
    body but GET's Content-Length."""
    status, out, body = answer
    out = {**out, **CORS, **SECURITY}
    media = out.get("Content-Type", "")
    if media.startswith("text/html"):
        out |= PAGE_SECURITY
    tag = None
    if static and status == 200:
        tag = etag(body)
        out |= {"ETag": tag, "Cache-Control": STATIC_CACHE}
    compressible = status in (200, 203) and bool(COMPRESSIBLE.match(media))
    if compressible:
        vary = [v.strip() for v in out.get("Vary", "").split(",") if v.strip()]
        out["Vary"] = ", ".join([*vary, "Accept-Encoding"])
    packed = (compressible and len(body) >= MIN_GZIP
              and accepts_gzip(headers.get("accept-encoding")))
    if packed and tag is not None:
        out["ETag"] = tag[:-1] + '-gzip"'  # another representation: another tag
    if tag is not None and _matches(headers.get("if-none-match"), tag):
        kept = {k: v for k, v in out.items() if k != "Content-Type"}
        return 304, kept, b""
    if packed:
        body = _gzip(body, tag)
        out["Content-Encoding"] = "gzip"
    out["Content-Length"] = str(len(body))
    return status, out, b"" if method == "HEAD" else body


def _gzip(body: bytes, tag: str | None) -> bytes:
    if tag is None:
        return gzip.compress(body, compresslevel=6, mtime=0)
    found = _compressed.get(tag)
    if found is None:
        found = _compressed[tag] = gzip.compress(body, compresslevel=6, mtime=0)
        if len(_compressed) > COMPRESSED_KEPT:
            _compressed.popitem(last=False)
    else:
        _compressed.move_to_end(tag)
    return found
