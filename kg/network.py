"""The index page's picture of the graph: organizations on a circle, the agreements between
them inside it, a line from each agreement to each of its parties, every node a link to its page.
Plain SVG, laid out without randomness so that the site is the same on every run."""

from __future__ import annotations

import html
import math

from kg.namespaces import KGO
from kg.pages import Graph, Paths


def network_svg(graph: Graph, paths: Paths, from_path: str, size: int = 640) -> str:
    """Organizations on a circle, agreements inside, a line for every party: plain SVG."""
    agreements = sorted(s.value for t in graph.triples if t.predicate.value == KGO + "hasParty"
                        for s in [t.subject])
    agreements = sorted(set(agreements))
    parties = {a: sorted({o.value for o in graph.values(a, KGO + "hasParty")}) for a in agreements}
    organizations = sorted({o for ps in parties.values() for o in ps})
    centre, radius = size / 2, size / 2 - 90
    position = {}
    for i, org in enumerate(organizations):
        angle = 2 * math.pi * i / max(len(organizations), 1) - math.pi / 2
        position[org] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle))
    for a in agreements:
        xs = [position[o][0] for o in parties[a]]
        ys = [position[o][1] for o in parties[a]]
        x, y = sum(xs) / len(xs), sum(ys) / len(ys)
        # Pull the agreement towards the centre so that two-party deals do not sit on a chord.
        position[a] = (centre + (x - centre) * 0.55, centre + (y - centre) * 0.55)
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
            f'aria-labelledby="network-title" class="network">'),
           '<title id="network-title">Organizations and the agreements between them</title>']
    for a in agreements:
        ax, ay = position[a]
        for o in parties[a]:
            ox_, oy = position[o]
            out.append(f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{ox_:.1f}" y2="{oy:.1f}" '
                       'class="edge"/>')
    for kind, nodes in (("agreement", agreements), ("organization", organizations)):
        for node in nodes:
            x, y = position[node]
            href = paths.href(from_path, node) or "#"
            label = html.escape(graph.label(node))
            if kind == "agreement":
                shape = (f'<rect x="{x - 7:.1f}" y="{y - 7:.1f}" width="14" height="14" '
                         f'class="{kind}"/>')
            else:
                shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" class="{kind}"/>'
            anchor = "middle"
            dy = 24 if kind == "organization" and y > centre else -14
            out.append(f'<a href="{html.escape(href)}">{shape}<text x="{x:.1f}" y="{y + dy:.1f}" '
                       f'text-anchor="{anchor}" class="{kind}-label">{label}</text></a>')
    out.append("</svg>")
    return "\n".join(out)
