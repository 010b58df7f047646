"""Turn checked fact sheets into quads: a facts graph and a provenance graph per article."""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode, Quad

from kg import __version__, order
from kg.anchor import mentions
from kg.collisions import Minted, Owner
from kg.factsheet import (
    PER_UNITS,
    QUALIFIERS,
    UNITS,
    Amount,
    Entry,
    FactSheet,
    Quantity,
    TimeValue,
    kgo_classes,
    links,
    valued,
)
from kg.factsheet.scalars import precision
from kg.factsheet.vocabulary import AMOUNT_ROLES
from kg.gcpause import paused
from kg.iris import Minter
from kg.namespaces import KGO, OA, ORG, OWL, PROV, RDF, RDFS, SCHEMA, TIME, WD, XSD
from kg.rdfterms import FALSE, TRUE, decimal, sha256, slugify, text, typed

TYPE = NamedNode(RDF + "type")
# The vocabularies whose terms the graph holds (rdf:type is written 'a' or '@type'): the data
# files declare no others, which spares the writers a scan for each prefix they cannot use.
VOCABULARIES = (KGO, OA, ORG, OWL, PROV, RDFS, SCHEMA, TIME, WD, XSD)
TIME_PROPERTY = {"date": "inXSDDate", "month": "inXSDgYearMonth", "year": "inXSDgYear"}
TIME_DATATYPE = {"date": "date", "month": "gYearMonth", "year": "gYear"}
# The time fields of an entry: (field, suffix of its node's slug, property).
TIMES = (("time", "", TIME + "hasTime"), ("starts", "-start", KGO + "startsAt"),
         ("ends", "-end", KGO + "endsAt"))
ENTRY_CLASS = {"person": SCHEMA + "Person", "product": SCHEMA + "Product"}


_PREDICATES: dict[str, NamedNode] = {}  # a few dozen properties, each made once


class _Graph:
    """Collects the quads of one named graph."""

    def __init__(self, iri: str):
        self.name = NamedNode(iri)
        self.quads: list[Quad] = []

    def add(self, subject: NamedNode, predicate: str, obj: NamedNode | Literal) -> None:
        node = _PREDICATES.get(predicate)
        if node is None:
            node = _PREDICATES[predicate] = NamedNode(predicate)
        self.quads.append(Quad(subject, node, obj, self.name))

    def add_type(self, subject: NamedNode, *classes: str) -> None:
        for cls in classes:
            self.add(subject, RDF + "type", NamedNode(cls))


class _ArticleBuilder:
    """Builds the two graphs of one article from its fact sheet."""

    def __init__(self, sheet: FactSheet, mint: Minter, minted: Minted | None = None):
        self.sheet, self.mint = sheet, mint
        self.path = str(sheet.source.factsheet)
        self.minted = Minted()  # memberships: their ids are entry ids, shared by articles
        self.shared = minted or Minted()  # annotations and role titles, across articles
        slug = sheet.source.slug
        self.slug = slug
        self.facts = _Graph(mint.facts_graph(slug))
        self.prov = _Graph(mint.provenance_graph(slug))
        self.article = NamedNode(mint.id("article", slug))
        self.activity = NamedNode(mint.id("activity", f"build-{slug}"))
        # Value nodes (amounts, shares, times, memberships) of each entry, with the words
        # that must stand in a quote for that quote to be their evidence.
        self.value_nodes: dict[str, list[tuple[NamedNode, str]]] = {}
        self.roles: set[NamedNode] = set()

    def node(self, entry_id: str, kinds: tuple[str, ...] = ()) -> NamedNode:
        # The entry may be another article's: ids are corpus-wide (kg.corpus).
        return NamedNode(self.mint.id(self.sheet.find(entry_id, kinds).kind, entry_id))

    def build(self) -> list[Quad]:
        for entry in self.sheet.entries.values():
            self.entry(entry)
        self.provenance()
        return self.facts.quads + self.prov.quads

    # ------------------------------------------------------------ facts
    def entry(self, entry: Entry) -> None:
        g, v, node = self.facts, entry.values, self.node(entry.id)
        self.value_nodes[entry.id] = []
        if entry.kind in ENTRY_CLASS:
            g.add_type(node, ENTRY_CLASS[entry.kind])
        else:
            g.add_type(node, *(KGO + c for c in kgo_classes(entry.kind, v.get("type"))))
        g.add(node, RDFS + "label", text(entry.name))
        g.add(node, SCHEMA + "name", text(entry.name))
        if "description" in v:
            g.add(node, SCHEMA + "description", text(v["description"]))
        for alias in v.get("aliases", []):
            g.add(node, SCHEMA + "alternateName", text(alias))
        for name in v.get("former_names", []):
            g.add(node, KGO + "formerName", text(name))
        if "wikidata" in v:
            g.add(node, OWL + "sameAs", NamedNode(WD + v["wikidata"]))
        for fieldname, f in valued(entry.kind):
            if fieldname in v:
                value = v[fieldname]
                g.add(node, f.property, (TRUE if value else FALSE) if isinstance(value, bool)
                      else NamedNode(KGO + f.names[value]))
        # The links between entries, as the fact sheet schema declares them: properties from
        # this entry to those it names, and inverses from those back to it.
        for fieldname, ref in links(entry.kind):
            targets = v.get(fieldname, [])
            for target in targets if isinstance(targets, list) else [targets]:
                other = self.node(target, ref.kinds)
                for predicate in ref.properties:
                    g.add(node, predicate, other)
                if ref.inverse:
                    g.add(other, ref.inverse, node)
        if entry.kind == "agreement" and v["type"] == "JointVenture":
            for member in v["parties"]:
                g.add(node, KGO + "hasMember", self.node(member))
        for role in v.get("roles", []):
            self.membership(entry, node, role)
        for n, amount in enumerate(v.get("amounts", []), 1):
            self.amount(entry, node, n, amount)
        for n, quantity in enumerate(v.get("quantities", []), 1):
            self.quantity(entry, node, n, quantity)
        for fieldname, suffix, predicate in TIMES:
            if fieldname in v:
                g.add(node, predicate, self.time(entry, entry.id + suffix, v[fieldname],
                                                 fieldname))

    def value_node(self, entry: Entry, kind: str, slug: str, written: str, what: str,
                   line: int, *, shared: bool = False) -> NamedNode:
        """The node of a value written in this article: an amount, a quantity or a time is
        what this article says (its IRI starts with the article's slug, so that two articles
        giving one deal's price make two readings, not one node with two prices); a
        membership, shared, is one fact whichever article states it."""
        owner = Owner(self.path, line, entry.id, what)
        if shared:
            iri = self.mint.id(kind, slug)
            self.minted.claim(iri, owner)
        else:
            iri = self.mint.id(kind, f"{self.slug}-{slug}")
            self.shared.claim(iri, owner)
        node = NamedNode(iri)
        self.value_nodes[entry.id].append((node, written))
        self.facts.add(node, KGO + "asWritten", text(written))
        return node

    def membership(self, entry: Entry, person: NamedNode, role) -> None:
        g = self.facts
        org = self.node(role.organization)
        # One membership per person and organization; a further role in the same one (a
        # founder who is also chief executive) is a membership of its own, named by its title.
        slug = f"{entry.id}-{role.organization}"
        earlier = [r for r in entry.values["roles"] if r.organization == role.organization]
        if earlier[0] is not role:
            slug += f"-{slugify(role.title)}"
        node = self.value_node(entry, "membership", slug, role.text,
                               f"roles (in '{role.organization}')", role.line, shared=True)
        role_iri = self.mint.id("role", slugify(role.title))
        self.shared.claim_title(role_iri, role.title,
                                Owner(self.path, role.line, entry.id, "roles (title)"))
        role_node = NamedNode(role_iri)
        g.add_type(node, ORG + "Membership")
        org_name = self.sheet.find(role.organization, ("organization",)).name
        g.add(node, RDFS + "label", text(f"{entry.name}, {role.title}, {org_name}"))
        g.add(node, ORG + "member", person)
        g.add(node, ORG + "organization", org)
        g.add(node, ORG + "role", role_node)
        if role_node not in self.roles:  # people of one article may share a title
            self.roles.add(role_node)
            g.add_type(role_node, ORG + "Role")
            g.add(role_node, RDFS + "label", text(role.title))
        if role.former:
            # A role held no longer: the membership says so, and the shortcuts that mean
            # 'is a member now' (org:memberOf, org:headOf) are not written.
            g.add(node, KGO + "former", TRUE)
            return
        g.add(person, ORG + "memberOf", org)
        if role.head:
            g.add(person, ORG + "headOf", org)

    def number(self, node: NamedNode, value, qualifier: str, per: str | None) -> None:
        """The number of an amount or quantity: exact or approximate as schema:value, a bound
        as schema:minValue or schema:maxValue, with the qualifier the words give it."""
        g = self.facts
        individual, prop = QUALIFIERS[qualifier]
        g.add(node, SCHEMA + prop, decimal(value))
        g.add(node, KGO + "qualifier", NamedNode(KGO + individual))
        if qualifier == "about":
            g.add(node, KGO + "approximate", TRUE)
        if per:
            g.add(node, KGO + "per", text(per))
            if PER_UNITS[per]:
                g.add(node, KGO + "perUnitCode", text(PER_UNITS[per]))

    def amount(self, entry: Entry, owner: NamedNode, n: int, amount: Amount) -> None:
        g = self.facts
        node = self.value_node(entry, "amount", f"{entry.id}-{n}", amount.text,
                               f"amounts (item {n})", amount.line)
        g.add_type(node, SCHEMA + "MonetaryAmount")
        g.add(node, RDFS + "label", text(amount.text))
        self.number(node, amount.value, amount.qualifier, amount.per)
        g.add(node, SCHEMA + "currency", text(amount.currency))
        if amount.role:
            g.add(node, KGO + "amountRole", NamedNode(KGO + AMOUNT_ROLES[amount.role]))
        if amount.description:
            g.add(node, SCHEMA + "description", text(amount.description))
        g.add(owner, KGO + "hasMonetaryAmount", node)

    def quantity(self, entry: Entry, owner: NamedNode, n: int, q: Quantity) -> None:
        g = self.facts
        node = self.value_node(entry, "quantity", f"{entry.id}-{n}", q.text,
                               f"quantities (item {n})", q.line)
        g.add_type(node, SCHEMA + "QuantitativeValue")
        g.add(node, RDFS + "label", text(q.text))
        self.number(node, q.value, q.qualifier, q.per)
        g.add(node, SCHEMA + "unitCode", text(UNITS[q.unit]))
        g.add(node, SCHEMA + "unitText", text(q.counts or q.unit))
        if q.of:
            g.add(node, KGO + "of", self.node(q.of))
        if q.measure:
            g.add(node, KGO + "measure", text(q.measure))
        if q.recipient:
            g.add(node, KGO + "shareRecipient", self.node(q.recipient))
        if q.change:
            g.add(node, KGO + "change", TRUE)
        if q.description:
            g.add(node, SCHEMA + "description", text(q.description))
        g.add(owner, KGO + "hasQuantity", node)

    def time(self, entry: Entry, slug: str, t: TimeValue, what: str) -> NamedNode:
        """A point as a time:Instant, a span as a time:ProperInterval between instants, and
        words that place the time nowhere as a time:TemporalEntity with only its words."""
        g = self.facts
        if t.value:
            node = self.instant(entry, slug, t.value, t.precision, t, what)
        elif t.is_span:
            node = self.value_node(entry, "interval", slug, t.text, what, t.line)
            g.add_type(node, TIME + "ProperInterval")
            shown = f"{t.start or '…'} to {t.until or '…'}"
            g.add(node, RDFS + "label", text(f"{t.text} ({shown})"))
            for bound, suffix, predicate in ((t.start, "from", "hasBeginning"),
                                             (t.until, "until", "hasEnd")):
                if bound:
                    instant = self.instant(entry, f"{slug}-{suffix}", bound, precision(bound), t,
                                           f"{what} ({suffix})")
                    g.add(node, TIME + predicate, instant)
        else:
            node = self.value_node(entry, "temporal", slug, t.text, what, t.line)
            g.add_type(node, TIME + "TemporalEntity")
            g.add(node, RDFS + "label", text(t.text))
        if not t.value:
            self.words(node, t)
        for key in ("after", "before"):
            if getattr(t, key):
                g.add(node, KGO + key, self.node(getattr(t, key)))
        return node

    def instant(self, entry: Entry, slug: str, value: str, form: str, t: TimeValue,
                what: str) -> NamedNode:
        g = self.facts
        node = self.value_node(entry, "instant", slug, t.text, what, t.line)
        g.add_type(node, TIME + "Instant")
        g.add(node, RDFS + "label", text(f"{t.text} ({value})"))
        g.add(node, TIME + TIME_PROPERTY[form], typed(value, TIME_DATATYPE[form]))
        self.words(node, t)
        return node

    def words(self, node: NamedNode, t: TimeValue) -> None:
        """The words that give a time, and the date they were read against when relative."""
        self.facts.add(node, KGO + "timeExpression", text(t.text))
        if t.relative:
            self.facts.add(node, KGO + "resolvedAgainst", self.article)

    # ------------------------------------------------------------ provenance
    def provenance(self) -> None:
        p, sheet, article = self.prov, self.sheet, self.article
        meta = sheet.article
        p.add_type(article, SCHEMA + "NewsArticle", PROV + "Entity")
        p.add(article, RDFS + "label", text(meta.title))
        p.add(article, SCHEMA + "headline", text(meta.title))
        p.add(article, SCHEMA + "datePublished", typed(meta.published.isoformat(), "date"))
        p.add(article, SCHEMA + "inLanguage", text(meta.language))
        if meta.publisher:
            p.add(article, SCHEMA + "publisher", self.node(meta.publisher))
        for author in meta.authors:
            p.add(article, SCHEMA + "author", self.node(author))
        if meta.url:
            p.add(article, SCHEMA + "url", NamedNode(meta.url))
        # The text is in the graph so that offsets can be checked with SPARQL alone.
        p.add(article, SCHEMA + "text", text(sheet.text))
        p.add(article, KGO + "sha256", text(sha256(sheet.text)))
        p.add(article, KGO + "characterCount", typed(str(len(sheet.text)), "nonNegativeInteger"))

        factsheet = NamedNode(self.mint.id("factsheet", self.slug))
        p.add_type(factsheet, PROV + "Entity")
        p.add(factsheet, RDFS + "label", text(f"fact sheet {sheet.source.factsheet.name}"))
        p.add(factsheet, KGO + "sha256", text(sha256(sheet.factsheet_text)))

        agent = NamedNode(self.mint.id("agent", f"kg-{__version__}"))
        p.add_type(agent, PROV + "SoftwareAgent")
        p.add(agent, RDFS + "label", text(f"kg {__version__}"))
        p.add(agent, SCHEMA + "softwareVersion", text(__version__))

        p.add_type(self.activity, PROV + "Activity")
        p.add(self.activity, RDFS + "label", text(f"kg build of {self.slug}"))
        p.add(self.activity, PROV + "used", article)
        p.add(self.activity, PROV + "used", factsheet)
        p.add(self.activity, PROV + "wasAssociatedWith", agent)
        for graph in (self.facts.name, self.prov.name):
            p.add_type(graph, PROV + "Entity")
            p.add(graph, PROV + "wasGeneratedBy", self.activity)
            p.add(graph, PROV + "wasDerivedFrom", article)
            p.add(graph, PROV + "wasDerivedFrom", factsheet)

        for entry in sheet.entries.values():
            node = self.node(entry.id)
            p.add(node, PROV + "wasDerivedFrom", article)
            for value_node, _ in self.value_nodes[entry.id]:
                p.add(value_node, PROV + "wasDerivedFrom", article)
            for n, quote in enumerate(entry.evidence, 1):
                self.annotation(entry, node, n, quote)

    def annotation(self, entry: Entry, node: NamedNode, n: int, quote) -> None:
        p, a = self.prov, quote.anchor
        iri = self.mint.id("annotation", f"{self.slug}-{entry.id}-{n}")
        self.shared.claim(iri, Owner(self.path, quote.line, entry.id, f"evidence (quote {n})"))
        ann, target = NamedNode(iri), NamedNode(iri + "#target")
        by_quote, by_position = NamedNode(iri + "#quote"), NamedNode(iri + "#position")
        p.add_type(ann, OA + "Annotation")
        p.add(ann, OA + "motivatedBy", NamedNode(OA + "linking"))
        p.add(ann, OA + "hasBody", node)
        for value_node, written in self.value_nodes[entry.id]:
            if mentions(a.exact, written):
                p.add(ann, OA + "hasBody", value_node)
        p.add(ann, OA + "hasTarget", target)
        p.add(ann, KGO + "assertionStatus", NamedNode(KGO + ("Reported" if quote.reported
                                                             else "Stated")))
        if quote.source:
            p.add(ann, KGO + "attributedTo", self.node(quote.source))
        p.add(ann, PROV + "wasGeneratedBy", self.activity)
        p.add_type(target, OA + "SpecificResource")
        p.add(target, OA + "hasSource", self.article)
        p.add(target, OA + "hasSelector", by_quote)
        p.add(target, OA + "hasSelector", by_position)
        p.add_type(by_quote, OA + "TextQuoteSelector")
        p.add(by_quote, OA + "exact", text(a.exact))
        if a.prefix:
            p.add(by_quote, OA + "prefix", text(a.prefix))
        if a.suffix:
            p.add(by_quote, OA + "suffix", text(a.suffix))
        p.add_type(by_position, OA + "TextPositionSelector")
        p.add(by_position, OA + "start", typed(str(a.start), "nonNegativeInteger"))
        p.add(by_position, OA + "end", typed(str(a.end), "nonNegativeInteger"))


def build_quads(sheets: Iterable[FactSheet], mint: Minter,
                sources: dict[str, str] | None = None) -> list[Quad]:
    """All quads of the dataset, for each article its facts graph and its provenance graph,
    in canonical order (kg.order), so that the writers need not sort them again. With
    `sources`, each node an entry made is mapped to "file:line, entry 'id'" there."""
    graphs: list[list[Quad]] = []
    minted = Minted()
    with paused():
        for sheet in sheets:
            builder = _ArticleBuilder(sheet, mint, minted)
            builder.build()
            graphs += [builder.facts.quads, builder.prov.quads]
            if sources is not None:
                for entry in sheet.entries.values():
                    _source(sources, builder.node(entry.id).value,
                            Owner(str(entry.path), entry.line, entry.id, ""))
                for iri, owner in builder.minted.owners.items():
                    _source(sources, iri, owner)
        if sources is not None:
            for iri, owner in minted.owners.items():
                _source(sources, iri, owner)
        return order.join_graphs(graphs)


def _source(sources: dict[str, str], iri: str, owner: Owner) -> None:
    said = f"{owner.path}:{owner.line}, entry '{owner.entry}'"
    if iri not in sources:
        sources[iri] = said
    elif said not in sources[iri]:
        sources[iri] += f"; {said}"  # an entity that several articles declare
