"""The index's network picture: well-formed SVG, every organization and agreement a link."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from kg.namespaces import KGO
from kg.network import network_svg
from kg.pages import Graph, Paths
from kg.resources import ontology_triples

BASE = "https://kg.example.org/"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def graph(seed_dataset) -> Graph:
    return Graph(seed_dataset[1], ontology_triples(), BASE)


@pytest.fixture(scope="module")
def svg(graph) -> ET.Element:
    return ET.fromstring(network_svg(graph, Paths(BASE), "index"))


def test_a_circle_per_organization_a_square_per_agreement(graph, svg):
    agreements = {t.subject.value for t in graph.triples if t.predicate.value == KGO + "hasParty"}
    parties = {t.object.value for t in graph.triples if t.predicate.value == KGO + "hasParty"}
    assert len(svg.findall(f".//{SVG}circle")) == len(parties) == 6
    assert len(svg.findall(f".//{SVG}rect")) == len(agreements)
    edges = sum(len(graph.values(a, KGO + "hasParty")) for a in agreements)
    assert len(svg.findall(f".//{SVG}line")) == edges


def test_every_node_links_to_its_page(svg):
    links = [a.get("href") for a in svg.findall(f"{SVG}a")]
    assert links and all(h.startswith("id/") and h.endswith(".html") for h in links)
    assert "id/organization/openai.html" in links
    labels = {t.text for t in svg.iter(f"{SVG}text")}
    assert {"Microsoft", "OpenAI", "Oracle"} <= labels


def test_the_picture_is_the_same_every_time(graph):
    paths = Paths(BASE)
    assert network_svg(graph, paths, "index") == network_svg(graph, paths, "index")
    assert 'viewBox="0 0 640 640"' in network_svg(graph, paths, "index")


def test_an_empty_graph_draws_an_empty_picture():
    svg = ET.fromstring(network_svg(Graph([], [], BASE), Paths(BASE), "index"))
    assert svg.findall(f".//{SVG}circle") == []
