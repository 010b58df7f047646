"""The index's network picture: well-formed SVG, every organization and agreement a link."""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from pyoxigraph import Literal, NamedNode, Quad

from kg import network
from kg.namespaces import KGO, RDFS
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


def test_an_empty_graph_draws_an_empty_picture():
    svg = ET.fromstring(network_svg(Graph([], [], BASE), Paths(BASE), "index"))
    assert svg.findall(f".//{SVG}circle") == []


# ------------------------------------------------------------------ laid out by Graphviz

@pytest.fixture
def neato():
    """Graphviz's neato must be there (Debian package graphviz, installed by .ci/run): the
    layout tests fail without it rather than pass on the fallback."""
    assert shutil.which("neato"), "install Graphviz (Debian: apt-get install graphviz)"


needs_neato = pytest.mark.usefixtures("neato")
BOX = re.compile(r"M(-?[\d.]+) (-?[\d.]+)h(\d+)v(\d+)h-\d+z")
CORPUS = Path(__file__).resolve().parent.parent / "benchmarks" / "corpus.py"


def boxes(svg_text: str) -> list[tuple[float, float, float, float]]:
    """(left, top, right, bottom) of every node's box, one per link."""
    found = []
    for a in ET.fromstring(svg_text).findall(f"{SVG}a"):
        (d,) = [p.get("d") for p in a.findall(f"{SVG}path") if "box" in p.get("class", "")]
        x, y, w, h = map(float, BOX.fullmatch(d).groups())
        found.append((x, y, x + w, y + h))
    return found


def overlaps(found: list[tuple[float, float, float, float]]) -> list[tuple]:
    """The pairs of boxes that share any area (touching edges do not count)."""
    found = sorted(found)
    pairs = []
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            if b[0] >= a[2]:  # sorted by left edge: no later box reaches back into a
                break
            if b[1] < a[3] and a[1] < b[3]:
                pairs.append((a, b))
    return pairs


def nodes_of(graph: Graph) -> int:
    agreements = {t.subject.value for t in graph.triples if t.predicate.value == KGO + "hasParty"}
    parties = {o.value for a in agreements for o in graph.values(a, KGO + "hasParty")}
    return len(agreements | parties)


@pytest.fixture(scope="module")
def corpus_site(corpus_built) -> tuple[Graph, dict[str, bytes]]:
    """The site graph and the files of the six articles (seeds and examples) built together."""
    from kg.iris import prefixes
    from kg.site import build_site, dataset_base, published, read_built
    quads = read_built(corpus_built)
    base = dataset_base(quads, corpus_built / "graph.trig")
    return (Graph(published(quads), ontology_triples(), base),
            build_site(quads, prefixes(base), base))


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Graph:
    """The network of benchmarks/corpus.py's 200 articles: each fact sheet's organizations and
    agreements with their parties, read from the YAML (building them would take half a minute)."""
    sys.path.insert(0, str(CORPUS.parent))
    try:
        import corpus
    finally:
        sys.path.remove(str(CORPUS.parent))
    folder = tmp_path_factory.mktemp("generated")
    corpus.make_corpus(folder, 200, seed=0)
    quads = set()
    for sheet in sorted(folder.glob("*.yaml")):
        facts = yaml.safe_load(sheet.read_text(encoding="utf-8"))
        for org in facts.get("organizations") or ():
            iri = NamedNode(f"{BASE}id/organization/{org['id']}")
            quads.add(Quad(iri, NamedNode(RDFS + "label"), Literal(org["name"])))
        for deal in facts.get("agreements") or ():
            iri = NamedNode(f"{BASE}id/agreement/{deal['id']}")
            quads.add(Quad(iri, NamedNode(RDFS + "label"), Literal(deal["name"])))
            for party in deal["parties"]:
                quads.add(Quad(iri, NamedNode(KGO + "hasParty"),
                               NamedNode(f"{BASE}id/organization/{party}")))
    return Graph(sorted(quads, key=str), [], BASE)


@needs_neato
def test_no_two_labels_overlap_on_the_six_articles(corpus_site):
    graph, _ = corpus_site
    svg_text = network_svg(graph, Paths(graph.base), "index")
    assert 'class="network laid-out"' in svg_text
    found = boxes(svg_text)
    assert len(found) == nodes_of(graph) > 50
    assert overlaps(found) == []


@needs_neato
def test_no_two_labels_overlap_at_200_articles(generated):
    started = time.monotonic()
    svg_text = network_svg(generated, Paths(BASE), "index")
    assert time.monotonic() - started < network.NEATO_TIMEOUT
    found = boxes(svg_text)
    assert len(found) == nodes_of(generated) > 500
    assert overlaps(found) == []
    # Every box lies inside the picture.
    width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', svg_text).groups())
    assert all(x0 >= 0 and y0 >= 0 and x1 <= width and y1 <= height for x0, y0, x1, y1 in found)


@needs_neato
def test_a_box_holds_its_label_at_the_widest_usual_font():
    for label in ("OpenAI", "Existing OpenAI–Broadcom co-development and supply agreements"):
        width, height = network.label_box(label)
        lines = network.label_lines(label)
        assert " ".join(lines) == label and len(lines) == (1 if len(label) <= 32 else 2)
        assert width >= max(map(network.text_width, lines)) + network.MARK
        assert height == network.LINE * len(lines) + 2 * network.PAD_Y


@needs_neato
def test_the_laid_out_picture_is_the_same_every_time(corpus_site, generated):
    graph, _ = corpus_site
    paths = Paths(graph.base)
    assert network_svg(graph, paths, "index") == network_svg(graph, paths, "index")
    assert network_svg(generated, Paths(BASE), "index") == network_svg(generated, Paths(BASE),
                                                                        "index")


@needs_neato
def test_every_node_of_the_index_picture_links_to_a_page_of_the_site(corpus_site):
    graph, site = corpus_site
    page = site["index.html"].decode()
    svg_text = page[page.index("<svg"):page.index("</svg>") + len("</svg>")]
    svg = ET.fromstring(svg_text)
    links = [a.get("href") for a in svg.findall(f"{SVG}a")]
    assert len(links) == nodes_of(graph)
    assert all(h in site for h in links), [h for h in links if h not in site]
    # The page's policy forbids inline style.
    assert "style=" not in svg_text and "<style" not in svg_text


# ------------------------------------------------------------------ without Graphviz

def test_without_graphviz_the_circle_is_drawn(graph, monkeypatch):
    monkeypatch.setattr(network.shutil, "which", lambda name: None)
    svg_text = network_svg(graph, Paths(BASE), "index")
    assert 'viewBox="0 0 640 640"' in svg_text and "laid-out" not in svg_text
    assert "<!--" not in svg_text
    assert len(ET.fromstring(svg_text).findall(f".//{SVG}circle")) == 6


def fake_neato(folder: Path, body: str, monkeypatch) -> None:
    script = folder / "neato"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")


def test_a_neato_that_overruns_is_killed_and_the_circle_drawn(graph, tmp_path, monkeypatch):
    fake_neato(tmp_path, f'sleep 30 & echo $! > {tmp_path}/child\nwait', monkeypatch)
    monkeypatch.setattr(network, "NEATO_TIMEOUT", 1)
    started = time.monotonic()
    svg_text = network_svg(graph, Paths(BASE), "index")
    assert time.monotonic() - started < 10
    assert 'viewBox="0 0 640 640"' in svg_text
    assert "<!-- neato failed or took over 1 s: drawn on a circle -->" in svg_text
    # What neato started is killed with it (at most a zombie waiting for its reaper).
    child = int((tmp_path / "child").read_text())
    time.sleep(0.2)
    status = Path(f"/proc/{child}/status")
    assert not status.exists() or "\nState:\tZ" in status.read_text()


@pytest.mark.parametrize("body, why", [
    ("exit 3", "neato failed"),
    ("cat > /dev/null; echo '{\"objects\": []}'", "neato gave no position for every node"),
    ("cat > /dev/null; echo 'not json'", "neato gave no position for every node"),
])
def test_a_neato_that_fails_gives_the_circle(graph, tmp_path, monkeypatch, body, why):
    fake_neato(tmp_path, body, monkeypatch)
    svg_text = network_svg(graph, Paths(BASE), "index")
    assert 'viewBox="0 0 640 640"' in svg_text and f"<!-- {why}" in svg_text


def test_a_graph_past_the_bound_is_not_given_to_neato(graph, tmp_path, monkeypatch):
    fake_neato(tmp_path, f"touch {tmp_path}/ran", monkeypatch)
    monkeypatch.setattr(network, "MAX_NODES", 3)
    svg_text = network_svg(graph, Paths(BASE), "index")
    assert "past the 3 given to neato" in svg_text and not (tmp_path / "ran").exists()


def test_kg_stopped_while_neato_runs_takes_neato_with_it(graph, tmp_path, monkeypatch):
    import signal
    fake_neato(tmp_path, f"echo $$ > {tmp_path}/pid\nexec sleep 30", monkeypatch)

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        with pytest.raises(KeyboardInterrupt):
            network_svg(graph, Paths(BASE), "index")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    status = Path(f"/proc/{int((tmp_path / 'pid').read_text())}/status")
    assert not status.exists() or "\nState:\tZ" in status.read_text()
