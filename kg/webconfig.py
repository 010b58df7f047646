"""The web server configurations shipped with the site, for content negotiation without
`kg serve`: Apache's .htaccess and nginx's maps and server block, rendered from kg/templates/
with the format table. Both negotiate as `kg serve` does (q-values, the most specific media
range deciding, ties in its order), with the comparisons written as rewrite rules and maps.

>>> "AddType text/turtle .ttl" in htaccess()
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import jinja2

from kg.formats import FORMATS, Format
from kg.pages import REPRESENTATIONS, TEMPLATES

# Site files that are not RDF, and their types in the nginx block (nginx's own mime.types is
# not included there).
OTHER_TYPES = (("text/html", "html"), ("text/css", "css"), ("image/svg+xml", "svg"),
               ("application/json", "json"), ("text/javascript", "js"))
LAST_TYPES = (("application/xml", "xml"), ("text/plain", "txt conf"))
PAGE = ("text/html", ".html")  # what a resource IRI gives when the client prefers nothing


@dataclass(frozen=True)
class Range:
    """A media range the rules look for in the Accept header; key names its variables."""

    key: str
    media: str


@dataclass(frozen=True)
class Offered:
    """A representation of every resource, with the ranges that name it (least specific
    first) and the offered types before and after it in the order of preference."""

    key: str
    media: str
    extension: str
    ranges: tuple[str, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]


def negotiation() -> tuple[list[Range], list[Offered]]:
    """The media ranges and the offered types of the rules, in the order of `kg serve`."""
    types = [PAGE] + [(f.media_type, f.extension) for f in REPRESENTATIONS]
    keys = [extension[1:] for _, extension in types]
    majors = list(dict.fromkeys(media.split("/")[0] for media, _ in types))
    ranges = ([Range("any", "*/*")] + [Range(m, m + "/*") for m in majors]
              + [Range(k, media) for k, (media, _) in zip(keys, types)])
    offered = [Offered(k, media, extension, ("any", media.split("/")[0], k),
                       tuple(keys[:i]), tuple(keys[i + 1:]))
               for i, (k, (media, extension)) in enumerate(zip(keys, types))]
    return ranges, offered


def plain_text(fmt: Format) -> bool:
    """Whether the format is text with no encoding of its own: JSON and XML declare theirs."""
    return not fmt.media_type.endswith(("json", "xml"))


def regex(text: str) -> str:
    """The text as a regular expression (Apache and nginx) that matches it literally."""
    return re.sub(r"([.+*?()\[\]{}|^$\\])", r"\\\1", text)


def pad(text: str, width: int) -> str:
    """The text and spaces up to width, and at least one space."""
    return text.ljust(width - 1) + " "


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Jinja2 for configuration files: nothing escaped, an unknown name an error."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=False,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.filters.update(regex=regex, pad=pad)
    return env


def htaccess() -> str:
    """Apache's .htaccess: a 303 to the representation the Accept header prefers."""
    ranges, offered = negotiation()
    return environment().get_template("htaccess.j2").render(
        types=FORMATS, ranges=ranges, offered=offered,
        charset=[".html", ".css"] + [f.extension for f in FORMATS if plain_text(f)])


def nginx_conf() -> str:
    """nginx's maps and server block: a 303 to the representation the Accept header prefers."""
    types = [*OTHER_TYPES, *((f.media_type, f.extension[1:]) for f in FORMATS), *LAST_TYPES]
    ranges, offered = negotiation()
    return environment().get_template("nginx.conf.j2").render(
        ranges=ranges, offered=offered, types=types,
        charset_types=["text/css"] + [f.media_type for f in FORMATS if plain_text(f)])


def files() -> dict[str, bytes]:
    """The configuration files of the site: name -> content."""
    return {".htaccess": htaccess().encode("utf-8"), "nginx.conf": nginx_conf().encode("utf-8")}
