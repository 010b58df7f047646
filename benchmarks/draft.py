"""Figures of `kg draft` (rules only): precision and recall per type against the reviewed fact
sheets, over the six shipped articles and, separately, over benchmarks/articles/ (articles
written for this measure, never used to write the rules); seconds per article; quotes anchored.

Each shipped article is drafted with the gazetteer of the other shipped articles only (leave
one out), so that no article finds its own reviewed names.

Run: python benchmarks/draft.py [--misses] [--markdown]
(--markdown prints the README's table of both sets.)
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.anchor import Document  # noqa: E402
from kg.drafting.drafter import draft  # noqa: E402
from kg.drafting.evaluate import KINDS, evaluate  # noqa: E402
from kg.sources import read_text  # noqa: E402

SHIPPED = sorted([*(ROOT / "seeds").glob("*.txt"), *(ROOT / "examples").glob("*.txt")])
OWN = sorted((ROOT / "benchmarks" / "articles").glob("*.txt"))
CORPUS = [ROOT / "seeds", ROOT / "examples"]


def quotes(sheet: dict):
    for section in ("organizations", "people", "products", "agreements", "clauses", "events"):
        for entry in sheet.get(section) or []:
            for quote in entry.get("evidence", []):
                yield quote["quote"] if isinstance(quote, dict) else quote


def measure(articles: list[Path], title: str, show_misses: bool) -> dict:
    totals: dict[str, Counter] = {kind: Counter() for kind in KINDS}
    seconds, anchored, all_quotes = [], 0, 0
    missed: Counter = Counter()
    for article in articles:
        gold = yaml.safe_load(read_text(article.with_suffix(".yaml")))
        started = time.perf_counter()
        result = draft(article, gold["article"]["published"], CORPUS)
        seconds.append(time.perf_counter() - started)
        text = read_text(article)
        document = Document(text)
        for quote in quotes(result.sheet):
            all_quotes += 1
            anchored += document.find(quote) is not None
        for score in evaluate(result.sheet, gold, text):
            totals[score.kind].update(tp=score.true_positives, fp=score.false_positives,
                                      fn=score.false_negatives)
            for item in score.missed:
                missed[(score.kind, item)] += 1
            if show_misses:
                for item in score.missed:
                    print(f"  miss {article.stem[:28]} {score.kind}: {item}")
    print(f"\n{title}: {len(articles)} articles")
    print(f"{'type':<14}{'gold':>6}{'drafted':>9}{'matched':>9}{'precision':>11}{'recall':>8}")
    for kind, c in totals.items():
        gold, drafted = c["tp"] + c["fn"], c["tp"] + c["fp"]
        p = f"{c['tp'] / drafted:.2f}" if drafted else "-"
        r = f"{c['tp'] / gold:.2f}" if gold else "-"
        print(f"{kind:<14}{gold:>6}{drafted:>9}{c['tp']:>9}{p:>11}{r:>8}")
    print(f"seconds per article: median {statistics.median(seconds):.2f}, max "
          f"{max(seconds):.2f} (first, with spaCy's start: {seconds[0]:.2f})")
    print(f"quotes anchored: {anchored} of {all_quotes}")
    return {"totals": totals, "median": statistics.median(seconds), "max": max(seconds),
            "anchored": anchored, "quotes": all_quotes, "articles": len(articles)}


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "-"


def markdown(shipped: dict, own: dict) -> str:
    """The README's table: precision and recall per type, both sets side by side."""
    lines = ["| type | shipped: gold | precision | recall | own: gold | precision | recall |",
             "|---|---|---|---|---|---|---|"]
    for kind in KINDS:
        a, b = shipped["totals"][kind], own["totals"][kind]
        lines.append(f"| {kind} | {a['tp'] + a['fn']} | {ratio(a['tp'], a['tp'] + a['fp'])} | "
                     f"{ratio(a['tp'], a['tp'] + a['fn'])} | {b['tp'] + b['fn']} | "
                     f"{ratio(b['tp'], b['tp'] + b['fp'])} | {ratio(b['tp'], b['tp'] + b['fn'])} |")
    for name, run in (("shipped", shipped), ("own", own)):
        lines.append(f"\n{name}: {run['articles']} articles, {run['anchored']} of "
                     f"{run['quotes']} quotes anchored, {run['median']:.2f} s per article "
                     f"(median; at most {run['max']:.2f} s)")
    return "\n".join(lines)


if __name__ == "__main__":
    show = "--misses" in sys.argv
    shipped = measure(SHIPPED, "shipped articles (seed and examples)", show)
    own = measure(OWN, "own test articles (benchmarks/articles)", show)
    if "--markdown" in sys.argv:
        print("\n" + markdown(shipped, own))
