"""The index page's picture of the graph: organizations and the agreements between them, a line
from each agreement to each of its parties, every node a link to its page. Graphviz's neato lays
it out when installed (labels as boxes that never overlap); otherwise a circle, drawn the same
on every run."""

from __future__ import annotations

import contextlib
import html
import json
import math
import os
import shutil
import signal
import subprocess

from kg.namespaces import KGO
from kg.pages import Graph, Paths

NEATO_TIMEOUT = 60  # seconds; past it neato is killed and the circle is drawn
MAX_NODES = 3000  # beyond this the circle is drawn: neato's stress layout grows as n squared
# neato's options: its seed fixed, boxes pushed apart by prism with a gap, components packed.
# overlap_scaling=0: no blanket spreading before prism, which keeps the picture compact.
NEATO_ARGS = ("-Tjson0", "-Gstart=1", "-Goverlap=prism", "-Goverlap_scaling=0", "-Gsep=+8",
              "-Gpack=true", "-Gsplines=false", "-Gmaxiter=600")
FONT = 13  # px, as style.css sets svg text
LINE = 16  # px between the lines of a label
PAD_X, PAD_Y, MARK = 5, 4, 12  # padding in a box; room for the circle or square before the text
WRAP = 32  # characters: a longer label is drawn on two lines
# Advance widths of DejaVu Sans (the widest of the usual system fonts), in hundredths of an em,
# for ASCII 32-126; other characters count 0.7 em. A label box is its text at these widths.
_WIDTHS = bytes([32, 40, 46, 84, 64, 95, 78, 27, 39, 39, 50, 84, 32, 36, 32, 34, 64, 64, 64, 64,
                 64, 64, 64, 64, 64, 64, 34, 34, 84, 84, 84, 53, 100, 68, 69, 70, 77, 63, 58, 77,
                 75, 29, 29, 66, 56, 86, 75, 79, 60, 79, 69, 63, 61, 73, 68, 99, 69, 61, 69, 39,
                 34, 39, 84, 50, 50, 61, 63, 55, 63, 62, 35, 63, 63, 28, 28, 58, 28, 97, 63, 61,
                 63, 63, 41, 52, 39, 63, 59, 82, 59, 59, 52, 64, 34, 64, 84])

Network = tuple[list[str], dict[str, list[str]], list[str]]


def network_svg(graph: Graph, paths: Paths, from_path: str, size: int = 640) -> str:
    """The picture as plain SVG: laid out by neato when it is on PATH, else on a circle."""
    network = _network(graph)
    boxes = {node: label_box(graph.label(node)) for node in network[0] + network[2]}
    position, why = neato_layout(network, boxes) if network[0] else (None, "")
    if position is None:
        svg = circle_svg(graph, paths, from_path, network, size)
        # Say in the page why the circle is drawn although Graphviz is installed.
        return svg.replace("</title>", f"</title>\n<!-- {why} -->", 1) if why else svg
    return boxes_svg(graph, paths, from_path, network, boxes, position)


def _network(graph: Graph) -> Network:
    agreements = sorted({t.subject.value for t in graph.triples
                         if t.predicate.value == KGO + "hasParty"})
    parties = {a: sorted({o.value for o in graph.values(a, KGO + "hasParty")}) for a in agreements}
    organizations = sorted({o for ps in parties.values() for o in ps})
    return agreements, parties, organizations


def text_width(text: str) -> float:
    """The width in px of text at FONT px, by DejaVu Sans's advance widths."""
    return sum(_WIDTHS[ord(c) - 32] if 32 <= ord(c) < 127 else 70 for c in text) * FONT / 100


def label_lines(label: str) -> list[str]:
    """The label on one line, or on two split at the space nearest its middle when long."""
    if len(label) <= WRAP or " " not in label:
        return [label]
    spaces = [i for i, c in enumerate(label) if c == " "]
    cut = min(spaces, key=lambda i: (abs(2 * i - len(label)), i))
    return [label[:cut], label[cut + 1:]]


def label_box(label: str) -> tuple[int, int]:
    """Width and height in px of a node: its marker and its label's lines, padded."""
    lines = label_lines(label)
    width = MARK + max(text_width(line) for line in lines) + 2 * PAD_X
    return math.ceil(width), LINE * len(lines) + 2 * PAD_Y


def neato_layout(network: Network, boxes: dict[str, tuple[int, int]]
                 ) -> tuple[dict[str, tuple[int, int]] | None, str]:
    """Each node's centre in px (y down) as neato places the boxes; or None and why not ("" when
    neato is not installed), when the graph is past MAX_NODES or neato fails or overruns."""
    neato = shutil.which("neato")
    agreements, parties, organizations = network
    nodes = organizations + agreements
    if neato is None:
        return None, ""
    if len(nodes) > MAX_NODES:
        return None, f"{len(nodes)} nodes, past the {MAX_NODES} given to neato: drawn on a circle"
    ids = {node: f"n{i}" for i, node in enumerate(nodes)}
    # Graphviz measures in inches of 72 points; a point is drawn as a px.
    dot = ["graph{", 'node[shape=box fixedsize=true label=""]']
    dot += [f"{ids[n]}[width={boxes[n][0] / 72:.4f} height={boxes[n][1] / 72:.4f}]"
            for n in nodes]
    dot += [f"{ids[a]}--{ids[o]}" for a in agreements for o in parties[a]]
    dot.append("}")
    out = _run([neato, *NEATO_ARGS], "\n".join(dot))
    if out is None:
        return None, f"neato failed or took over {NEATO_TIMEOUT} s: drawn on a circle"
    try:
        found = {o["name"]: tuple(float(v) for v in o["pos"].split(","))
                 for o in json.loads(out)["objects"]}
        centres = [found[ids[n]] for n in nodes]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None, "neato gave no position for every node: drawn on a circle"
    # Shift into a margin of 2 px and flip y: Graphviz's y grows upwards.
    left = min(x - boxes[n][0] / 2 for n, (x, _) in zip(nodes, centres))
    top = max(y + boxes[n][1] / 2 for n, (_, y) in zip(nodes, centres))
    return {n: (round(x - left) + 2, round(top - y) + 2)
            for n, (x, y) in zip(nodes, centres)}, ""


def _run(command: list[str], text: str) -> str | None:
    """The command's output for text on stdin, or None when it fails or overruns the time."""
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True, start_new_session=True) as proc:
        try:
            out, _ = proc.communicate(text, timeout=NEATO_TIMEOUT)
        except subprocess.TimeoutExpired:
            return None
        finally:
            # Overrun, or kg stopped by a signal: neato's whole group goes, nothing left running.
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    return out if proc.returncode == 0 else None


def boxes_svg(graph: Graph, paths: Paths, from_path: str, network: Network,
              boxes: dict[str, tuple[int, int]], position: dict[str, tuple[int, int]]) -> str:
    """The laid-out picture: a line per party between box edges, then each box with its marker
    and label, drawn at its natural size (the page scrolls it when wider than the column)."""
    agreements, parties, organizations = network
    width = max(position[n][0] + (boxes[n][0] + 1) // 2 for n in position) + 2
    height = max(position[n][1] + (boxes[n][1] + 1) // 2 for n in position) + 2
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-labelledby="network-title" '
            'class="network laid-out">'),
           '<title id="network-title">Organizations and the agreements between them</title>']
    for a in agreements:
        for o in parties[a]:
            (x1, y1), (x2, y2) = _clip(position[a], boxes[a], position[o]), \
                _clip(position[o], boxes[o], position[a])
            out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                       'class="edge"/>')
    for kind, nodes in (("agreement", agreements), ("organization", organizations)):
        for node in nodes:
            (x, y), (w, h) = position[node], boxes[node]
            left, top = x - w / 2, y - h / 2
            href = paths.href(from_path, node) or "#"
            lines = label_lines(graph.label(node))
            # The box is a path, not a rect: a rect stands for an agreement's square.
            box = f'<path d="M{left:.1f} {top:.1f}h{w}v{h}h-{w}z" class="box {kind}-box"/>'
            mx, my = left + PAD_X + 4, top + PAD_Y + LINE / 2
            if kind == "agreement":
                mark = (f'<rect x="{mx - 4:.1f}" y="{my - 4:.1f}" width="8" height="8" '
                        f'class="{kind}"/>')
            else:
                mark = f'<circle cx="{mx:.1f}" cy="{my:.1f}" r="4.5" class="{kind}"/>'
            tx, ty = left + PAD_X + MARK, top + PAD_Y + LINE - 4
            if len(lines) == 1:
                body = html.escape(lines[0])
            else:
                body = "".join(f'<tspan x="{tx:.1f}" y="{ty + i * LINE:.1f}">{html.escape(s)}'
                               '</tspan>' for i, s in enumerate(lines))
            out.append(f'<a href="{html.escape(href)}">{box}{mark}<text x="{tx:.1f}" '
                       f'y="{ty:.1f}" class="{kind}-label">{body}</text></a>')
    out.append("</svg>")
    return "\n".join(out)


def _clip(centre: tuple[int, int], box: tuple[int, int], towards: tuple[int, int]
          ) -> tuple[float, float]:
    """Where the segment from the box's centre towards a point leaves the box."""
    (x, y), (w, h), (tx, ty) = centre, box, towards
    dx, dy = tx - x, ty - y
    if dx == 0 and dy == 0:
        return float(x), float(y)
    t = min(w / 2 / abs(dx) if dx else math.inf, h / 2 / abs(dy) if dy else math.inf, 1.0)
    return x + dx * t, y + dy * t


def circle_svg(graph: Graph, paths: Paths, from_path: str, network: Network,
               size: int = 640) -> str:
    """Organizations on a circle, agreements inside, a line for every party: without Graphviz."""
    agreements, parties, organizations = network
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
