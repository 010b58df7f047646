"""The web server configurations shipped with the site, for content negotiation without
`kg serve`: Apache's .htaccess and an nginx server block, rendered from kg/templates/ with the
format table, so that every format the site serves has its media type, file extension and
rewrite rule in both.

>>> "AddType text/turtle .ttl" in htaccess()
True
"""

from __future__ import annotations

import re
from functools import lru_cache

import jinja2

from kg.formats import FORMATS, Format
from kg.pages import REPRESENTATIONS, TEMPLATES

# Site files that are not RDF, and their types in the nginx block (nginx's own mime.types is
# not included there).
OTHER_TYPES = (("text/html", "html"), ("text/css", "css"))
LAST_TYPES = (("application/xml", "xml"),)


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
    """Apache's .htaccess: a 303 to the representation the Accept header names."""
    return environment().get_template("htaccess.j2").render(
        formats=REPRESENTATIONS,
        charset=[".html"] + [f.extension for f in REPRESENTATIONS if plain_text(f)])


def nginx_conf() -> str:
    """An nginx server block: the representation the Accept header names, by try_files."""
    types = [*OTHER_TYPES, *((f.media_type, f.extension[1:]) for f in FORMATS), *LAST_TYPES]
    return environment().get_template("nginx.conf.j2").render(
        formats=REPRESENTATIONS, types=types,
        charset_types=[f.media_type for f in REPRESENTATIONS if plain_text(f)])


def files() -> dict[str, bytes]:
    """The configuration files of the site: name -> content."""
    return {".htaccess": htaccess().encode("utf-8"), "nginx.conf": nginx_conf().encode("utf-8")}
