"""What the site may publish of the dataset, and under which terms: the dataset's license,
the rights statement of each article's text (its publisher's, not the dataset's license), and
the choice of publishing that text in full or leaving it out; kg.site applies them. No RDF
library here: the command line reads these choices at start-up."""

from __future__ import annotations

from kg.errors import InputError
from kg.iris import web_iri_problem

DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
ARTICLE_TEXT = ("full", "omit")  # what `kg publish --article-text` accepts


def check_license(iri: str | None) -> str:
    """The dataset's license: an absolute http(s) IRI, CC BY 4.0 when none is given."""
    license_iri = iri or DEFAULT_LICENSE
    problem = web_iri_problem(license_iri)
    if problem:
        raise InputError(f"--license must be the IRI of a license: {problem}")
    return license_iri


def rights_statement(publisher: str | None) -> str:
    """The rights statement of an article's text, naming its publisher when known.

    >>> rights_statement("The Verge")[:63]
    'The text of this article and the quotes from it are © The Verge'
    """
    holder = f"{publisher}, its publisher" if publisher else "its publisher"
    return (f"The text of this article and the quotes from it are \u00a9 {holder}: they are "
            "published here as evidence of the facts, not under the dataset's license.")
