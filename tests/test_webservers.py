"""The published site behind real Apache 2 and nginx (Debian's), with the .htaccess and
nginx.conf `kg publish` wrote, at the root of a host and under a sub-path: the same content
negotiation as `kg serve`, 303s with Vary, the index at /, and no filesystem path anywhere."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from kg.server import OFFERED, negotiate
from kg.site import publish

from webservers import web_server

RESOURCE = "/id/organization/openai"
SERVERS = [("apache", "/"), ("apache", "/kg/"), ("nginx", "/"), ("nginx", "/kg/")]

# tests/test_server.py's matrix for `kg serve`: (Accept, suffix of the 303's target).
MATRIX = [
    ("text/html", ".html"),
    ("text/turtle", ".ttl"),
    ("application/ld+json", ".jsonld"),
    ("application/n-triples", ".nt"),
    ("application/rdf+xml", ".rdf"),
    ("text/turtle;q=0.5, application/n-triples", ".nt"),
    ("application/ld+json;q=0.9, text/turtle;q=0.95", ".ttl"),
    ("*/*;q=0.1, application/rdf+xml", ".rdf"),
    ("text/html;q=0, text/*", ".ttl"),
    ("*/*", ".html"),
    ("", ".html"),
    ("application/xhtml+xml, text/html;q=0.9, */*;q=0.8", ".html"),
]
UNACCEPTABLE = ["image/png", "application/pdf, image/*", "text/html;q=0", "garbage",
                ";;;,,,", "*/*;q=-1", "a/b/c", "text/html;q=abc"]
# Further headers whose answer must be the one `kg serve` gives: ranges, ties, case, spaces,
# parameters, three digits of q.
MORE = ["text/*", "application/*", "TEXT/TURTLE", "application/*;q=0.5, text/*;q=0.4",
        "text/turtle; charset=utf-8; q=0.7, application/ld+json;q=0.7",
        "application/rdf+xml;q=0.301, text/turtle;q=0.3", "text/turtle;q=0.300, text/html;q=0.3",
        "application/n-triples;q=1.0, text/html;q=0.999", "*/*;q=0.5, text/html;q=0.4",
        "text/html;q=0.1, application/*;q=0.2, application/ld+json;q=0.05",
        "text/turtle ;q=0.9 ,  application/rdf+xml ; q=0.95",
        "application/rdf+xml;q=0, */*", "text/turtle;level=1;q=0.2, text/html;q=0.1"]


@pytest.fixture(scope="module")
def site(built, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("webservers") / "site"
    publish(built, out)
    return out


@pytest.fixture(scope="module", params=SERVERS, ids=lambda s: f"{s[0]}{s[1]}")
def server(request, site):
    kind, prefix = request.param
    with web_server(kind, site, prefix) as base:
        yield base


def target(response: httpx.Response) -> str:
    """The absolute URL a 303 points to; it never holds a filesystem path."""
    location = response.headers["location"]
    assert "/tmp" not in location and "/site/" not in location, location
    return urljoin(str(response.url), location)


def kg_serve_suffix(accept: str) -> str | None:
    chosen = negotiate(accept or None, [m for m, _ in OFFERED])
    return None if chosen is None else dict(OFFERED)[chosen]


@pytest.mark.parametrize("accept,suffix", MATRIX)
def test_content_negotiation_as_kg_serve(server, accept, suffix):
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(server + RESOURCE, headers=headers)
    assert response.status_code == 303
    assert "accept" in response.headers["vary"].lower()
    assert target(response) == server + RESOURCE + suffix
    final = httpx.get(server + RESOURCE, headers=headers, follow_redirects=True)
    assert final.status_code == 200
    media = {s: m for m, s in OFFERED}[suffix]
    assert final.headers["content-type"].split(";")[0] == media
    assert kg_serve_suffix(accept) == suffix


@pytest.mark.parametrize("accept", UNACCEPTABLE)
def test_unacceptable_types_get_406_without_a_redirect(server, accept):
    response = httpx.get(server + RESOURCE, headers={"Accept": accept})
    assert response.status_code == 406
    assert "location" not in response.headers
    assert "accept" in response.headers["vary"].lower()
    assert kg_serve_suffix(accept) is None


def test_more_accept_headers_answer_as_kg_serve(server):
    for accept in MORE:
        response = httpx.get(server + RESOURCE, headers={"Accept": accept})
        expected = kg_serve_suffix(accept)
        assert expected is not None, accept
        assert response.status_code == 303, accept
        assert target(response) == server + RESOURCE + expected, accept


def test_every_resource_iri_redirects_and_nothing_else_does(server, site):
    pages = sorted(p.relative_to(site).as_posix()[:-5] for p in site.rglob("*.html")
                   if p.with_suffix(".ttl").is_file())
    assert len(pages) > 100 and "ontology" in pages
    with httpx.Client() as client:
        for page in pages:
            response = client.get(f"{server}/{page}", headers={"Accept": "text/turtle"})
            assert response.status_code == 303, page
            assert target(response) == f"{server}/{page}.ttl", page
        for path in ("/id/organization/nope", "/id/organization/nope.ttl", "/nothing/here"):
            response = client.get(server + path, headers={"Accept": "text/turtle"})
            assert response.status_code == 404, path
            assert "location" not in response.headers
            assert b"/tmp" not in response.content and b"/site" not in response.content


def test_the_index_at_the_root_of_the_site(server, site):
    for path in ("/", "/index.html"):
        response = httpx.get(server + path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert response.content == (site / "index.html").read_bytes(), path


@pytest.mark.parametrize("path,media", [
    (RESOURCE + ".ttl", "text/turtle"), (RESOURCE + ".jsonld", "application/ld+json"),
    (RESOURCE + ".nt", "application/n-triples"), (RESOURCE + ".rdf", "application/rdf+xml"),
    (RESOURCE + ".html", "text/html"), ("/void.ttl", "text/turtle"),
    ("/download/graph.trig", "application/trig"), ("/download/graph.nq", "application/n-quads"),
    ("/style.css", "text/css"), ("/sitemap.xml", "application/xml")])
def test_files_are_served_as_they_are_with_their_types(server, site, path, media):
    response = httpx.get(server + path, headers={"Accept": "image/png"})
    assert response.status_code == 200, path
    assert response.headers["content-type"].split(";")[0] == media
    assert response.content == (site / path.lstrip("/")).read_bytes()
    if media.startswith("text/"):
        assert "charset=utf-8" in response.headers["content-type"].lower()

