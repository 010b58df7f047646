"""The canonical order: unique statements, by subject with rdf:type first, graph by graph."""

from __future__ import annotations

import random

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import order

EX = "http://example.org/"
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def node(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


def test_triples_are_unique_sorted_by_subject_with_types_first():
    a, b, p, q = node("a"), node("b"), node("p"), node("q")
    given = [ox.Triple(b, p, ox.Literal("1")), ox.Triple(a, q, b), ox.Triple(a, TYPE, node("Z")),
             ox.Triple(a, p, ox.Literal("x")), ox.Triple(a, q, b)]
    assert order.triples(given) == [ox.Triple(a, TYPE, node("Z")), ox.Triple(a, p, ox.Literal("x")),
                                    ox.Triple(a, q, b), ox.Triple(b, p, ox.Literal("1"))]


def test_quads_are_grouped_graph_by_graph_in_the_order_of_the_names():
    g1, g2, a, p = node("g1"), node("g2"), node("a"), node("p")
    quads = [ox.Quad(a, p, ox.Literal("2"), g2), ox.Quad(a, p, ox.Literal("1"), g1),
             ox.Quad(a, TYPE, node("T"), g2), ox.Quad(a, p, ox.Literal("1"), g1)]
    assert order.dataset(quads) == [ox.Quad(a, p, ox.Literal("1"), g1),
                                    ox.Quad(a, TYPE, node("T"), g2),
                                    ox.Quad(a, p, ox.Literal("2"), g2)]


def test_the_triples_of_quads_merge_the_graphs():
    a, p = node("a"), node("p")
    quads = [ox.Quad(a, p, ox.Literal("1"), node("g1")), ox.Quad(a, p, ox.Literal("1"), node("g2"))]
    assert order.triples(quads) == [ox.Triple(a, p, ox.Literal("1"))]


def test_ordered_statements_are_not_sorted_again_and_keep_their_triples():
    dataset = order.dataset([ox.Quad(node("b"), node("p"), node("c"), node("g")),
                             ox.Quad(node("a"), node("p"), node("c"), node("g"))])
    assert order.dataset(dataset) is dataset
    triples = order.triples(dataset)
    assert order.triples(dataset) is triples and order.triples(triples) is triples
    assert [t.subject for t in triples] == [node("a"), node("b")]


def test_literals_that_spell_rdf_type_do_not_move():
    text = ox.Literal(" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ")
    a = node("a")
    triples = order.triples([ox.Triple(a, node("z"), text), ox.Triple(a, TYPE, node("T"))])
    assert triples == [ox.Triple(a, TYPE, node("T")), ox.Triple(a, node("z"), text)]


terms = st.sampled_from([node(n) for n in "abcd"])
objects = st.one_of(terms, st.text(max_size=4).map(ox.Literal),
                    st.sampled_from([ox.Literal("x", language="en"), ox.Literal("x"),
                                     ox.Literal("1", datatype=node("int"))]))
quads = st.lists(st.builds(ox.Quad, terms, st.sampled_from([TYPE, node("p"), node("q")]),
                           objects, st.sampled_from([node("g1"), node("g2")])), max_size=30)


@settings(max_examples=60, deadline=None)
@given(quads, st.randoms(use_true_random=False))
def test_the_order_does_not_depend_on_the_input_order(generated, rnd):
    shuffled = list(generated)
    rnd.shuffle(shuffled)
    assert order.dataset(shuffled) == order.dataset(generated)
    assert order.triples(shuffled) == order.triples(generated)
    assert set(order.dataset(generated)) == set(generated)
    assert len(order.dataset(generated)) == len(set(generated))



def test_a_large_shuffled_dataset_gives_the_same_bytes():
    rnd = random.Random(7)
    quads = [ox.Quad(node(f"s{i % 97}"), node(f"p{i % 5}"), ox.Literal(str(i)), node(f"g{i % 3}"))
             for i in range(5000)]
    first = ox.serialize(order.dataset(quads), format=ox.RdfFormat.N_QUADS)
    rnd.shuffle(quads)
    assert ox.serialize(order.dataset(quads), format=ox.RdfFormat.N_QUADS) == first
