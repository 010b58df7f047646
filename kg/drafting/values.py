"""Money and quantities in an article's text, found by rules: a number with its scale word
("$1.4 trillion", "£400m"), its currency or unit, the qualifier before it, what it is per, and
a guess of the amount's role or the percentage's measure from the words around it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kg.drafting.text import sentences
from kg.factsheet.fields import CURRENCIES


@dataclass(frozen=True)
class Found:
    """A value found in the text: text[start:end] == item["text"], the item in the fact
    sheet's form, and why the reading is unsure (None when it is not)."""

    start: int
    end: int
    item: dict
    note: str | None = None


WORDS = dict(zip(("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                  "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                  "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
                  "sixty", "seventy", "eighty", "ninety"), [*range(21), *range(30, 100, 10)]))
SCALES = {"trillion": 10**12, "tn": 10**12, "trn": 10**12, "t": 10**12, "billion": 10**9,
          "bn": 10**9, "b": 10**9, "million": 10**6, "mn": 10**6, "mln": 10**6, "m": 10**6,
          "mm": 10**6, "thousand": 1000, "k": 1000, "hundred": 100}
FRACTIONS = {"half": Decimal("0.5"), "third": Decimal(1) / 3, "quarter": Decimal("0.25"),
             "fifth": Decimal("0.2"), "tenth": Decimal("0.1")}
_WORD = "|".join(sorted(WORDS, key=len, reverse=True))
NUMBER = (rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|(?:{_WORD})(?:-(?:{_WORD}))?)")
# Short scale words only stand right after the digits ("£400m", "$5B"); long ones may be spaced.
_SCALE = (r"(?:\s*(?P<scale>trillion|billion|million|thousand|bn|tn|trn|mn|mln)\b"
          r"|(?P<short>[mbkMBKT]|mm)\b)")
SYMBOLS = {"us$": "USD", "u.s.$": "USD", "c$": "CAD", "ca$": "CAD", "a$": "AUD", "au$": "AUD",
           "hk$": "HKD", "nz$": "NZD", "s$": "SGD", "r$": "BRL", "$": "USD", "€": "EUR",
           "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₣": "CHF"}
CURRENCY_WORDS = {"dollars": "USD", "u.s. dollars": "USD", "us dollars": "USD",
                  "canadian dollars": "CAD", "australian dollars": "AUD",
                  "hong kong dollars": "HKD", "singapore dollars": "SGD", "euros": "EUR",
                  "pounds": "GBP", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY",
                  "rupees": "INR", "francs": "CHF"}
_SYMBOL = "|".join(re.escape(s) for s in sorted(SYMBOLS, key=len, reverse=True))
_CODE = "|".join(sorted(c for c in {*SYMBOLS.values(), *CURRENCY_WORDS.values()}
                        if c in CURRENCIES))
_MONEY = re.compile(
    rf"(?<![\w$])(?:(?P<sym>{_SYMBOL})|(?P<code>{_CODE})\s?)(?P<num>\d{{1,3}}(?:,\d{{3}})+"
    rf"(?:\.\d+)?|\d+(?:\.\d+)?){_SCALE}?(?P<plus>-plus)?"
    rf"|(?<![\w$])(?P<wnum>{NUMBER}|half an?|an?)\s+(?P<wscale>trillion|billion|million)?\s*"
    rf"(?P<cword>{'|'.join(sorted(map(re.escape, CURRENCY_WORDS), key=len, reverse=True))})\b"
    r"|\b(?P<multi>multi-?(?:billion|million)|(?:(?:multiple|several|many)\s)?(?:billions|"
    r"millions) of|hundreds of (?:millions|billions) of)(?:[- ]dollars?\b)", re.I)
QUALIFIER_WORDS = [
    ("more-than", r"(?:a little |slightly |just |well |far )?(?:more than|over|upwards? of|"
                  r"in excess of|north of|exceed(?:s|ed|ing)?|surpass(?:es|ed|ing)?|"
                  r"(?<!the )top(?:s|ped|ping)?)"),
    ("at-least", r"at least|no less than|no fewer than|a minimum of"),
    ("up-to", r"up to|as much as|as many as|as high as|no more than|at most|a maximum of"),
    ("less-than", r"(?:just |slightly )?(?:less than|fewer than|under|below)"),
    ("about", r"about|roughly|approximately|around|nearly|almost|some|an estimated|close to|"
              r"circa|an? approximate"),
]
_QUALIFIER = re.compile(r"(?:^|(?<=[\s(—–-]))(?:" + "|".join(
    f"(?P<{q.replace('-', '_')}>{words})" for q, words in QUALIFIER_WORDS)
    + r")\s+(?:an?\s+)?$", re.I)
_PER = re.compile(r"\s+(?:a|an|per|each|every)\s+(year|month|week|day|share)\b"
                  r"|\s+(annually|yearly|monthly|weekly|daily)\b", re.I)
_PER_ADVERB = {"annually": "year", "yearly": "year", "monthly": "month", "weekly": "week",
               "daily": "day"}
_ANNUAL = re.compile(r"\b(?:annual(?:ized|ised)?|yearly)\b", re.I)

# (role, cue): the role whose cue stands nearest the amount in its sentence wins; a cue right
# after the amount ("$19 billion purchase of") is nearer than one before.
ROLE_CUES = [
    ("backlog", r"backlog|remaining performance obligations?|\bRPO\b|order book"),
    ("market-value", r"market (?:value|capitali[sz]ation|cap)\b|market worth"),
    ("valuation", r"valu(?:ation|ations|ed|es|ing)\b|\bvalue[ds]? (?:\w+ ){0,3}at\b"),
    ("fee", r"\bfees?\b"),
    ("savings", r"\bsav(?:e|es|ed|ing|ings)\b"),
    ("profit", r"\bprofits?\b|net income|earnings"),
    ("revenue", r"\brevenues?\b|\bsales\b|\bturnover\b"),
    ("funding", r"\bfunding\b|\braise[ds]?\b|\braising\b|\bround\b"),
    ("commitment", r"\bcommit(?:s|ted|ting|ment|ments)?\b|\bpledge[ds]?\b|\borders?\b"),
    ("investment", r"\binvest(?:s|ed|ing|ment|ments)?\b|\bput(?:s|ting)?\b|\binto\b"),
    ("spending", r"\bspen[dt]\b|\bspending\b|\bcapex\b|capital expenditures?"),
    ("price", r"\bpa(?:y|id|ys|ying)\b|\bprice[ds]?\b|\bacqui(?:re|red|res|ring|sition)\b|"
              r"\bbuy(?:s|ing)?\b|\bbought\b|\bpurchase[ds]?\b|\bin cash\b|\bdeal\b|"
              r"\btakeover\b|\bmerger\b|\boffer(?:s|ed)?\b|\bsold\b|\bsell\b"),
]
_ROLE_CUES = [(role, re.compile(cue, re.I)) for role, cue in ROLE_CUES]
_STRONG = {"backlog": 60, "market-value": 40, "valuation": 20, "fee": 20, "commitment": 10,
           "savings": 10}
NOTE_ROLE = "no cue for the amount's role"
NOTE_VAGUE = "a vague amount: the number is a bound the words imply"

# Units of quantities written after the number, and the words that write them.
UNIT_WORDS = [("percent", r"%|\s?(?:percent|per cent|pct)\b|\s(?:percentage points?)\b"),
              ("gigawatt", r"\s?(?:gigawatts?|GW)\b"), ("megawatt", r"\s?(?:megawatts?|MW)\b"),
              ("year", r"[\s-]years?\b(?!-old)"), ("month", r"[\s-]months?\b"),
              ("week", r"[\s-]weeks?\b"), ("day", r"[\s-]days?\b")]
_COUNT_SCALE = r"(?:\s+(?P<scale>(?i:trillion|billion|million|thousand|hundred))\b)?"
_QUANTITY = re.compile(
    rf"(?<![\w$€£¥.,/-])(?P<num>{NUMBER}){_COUNT_SCALE}(?P<unit>"
    + "|".join(f"(?P<{u}>{w})" for u, w in UNIT_WORDS) + ")", re.I)
# An age: "a 28-year-old founder", or the news convention "Wang, 28, is ...".
_AGE = re.compile(rf"(?<![\w.,-])(?P<num>{NUMBER})-years?-old\b|(?<=[A-Z][a-z]{{2}}, )"
                  r"(?P<age>[1-9]\d)(?=, [a-z])", re.I)
# One unit before "after", "earlier": "a day after", "a year earlier".
_INTERVAL = re.compile(r"\b(?P<num>an?) (?P<unit>day|week|month|year)(?= (?:after|before|"
                       r"earlier|later)\b)", re.I)
_MULTIPLE = {"double": 2, "doubled": 2, "doubling": 2, "twice": 2, "triple": 3, "tripled": 3,
             "tripling": 3, "quadruple": 4, "quadrupled": 4, "halved": 0.5, "by half": 0.5}
# A count: a number, at most three modifiers, and a plural noun ("four million U.S. homes").
_MODIFIER = r"(?:[A-Z][\w.&'’-]*|U\.S\.|[a-z]+(?:-[a-z]+)+|[a-z]{3,}(?<!s))"
_COUNT = re.compile(
    rf"(?<![\w$€£¥.,/-])(?P<num>(?i:{NUMBER})){_COUNT_SCALE}\s+(?P<mods>(?:{_MODIFIER}\s+){{0,3}}?)"
    r"(?P<noun>[A-Za-z]+(?<![su]s)(?<!ss)s|people|staff|children|men|women|personnel)\b")
_NOT_NOUNS = {"is", "was", "has", "its", "his", "this", "us", "as", "does", "yes", "plus",
              "times", "dollars", "euros", "pounds", "points", "percent", "cents", "bps",
              "years", "months", "weeks", "days", "hours", "minutes", "seconds", "gigawatts",
              "megawatts", "whereas", "less", "thus", "always", "perhaps", "versus"}
_RATIO = re.compile(r"\b(?P<mult>" + "|".join(_MULTIPLE) + r")\b(?![- ](?:digits?|down)\b)|"
                    r"(?<![\w.,-])(?P<xr>\d+(?:\.\d+)?) (?:[A-Z][\w.&'’-]* ){0,3}shares?"
                    r"(?= (?:for each|for every|per) )|"
                    rf"(?<![\w.-])(?P<x>\d+(?:\.\d+)?)(?:x|-fold)\b|"
                    rf"(?<![\w.-])(?P<num>{NUMBER})\s+times\s+(?=the|as|more|larger|bigger|"
                    r"higher|greater|that|what)|\ban?\s+(?P<frac>half|third|quarter|fifth|tenth)"
                    r"\s+of\b", re.I)
_CHANGE_BEFORE = re.compile(
    r"\b(?P<verb>(?:r[oi]se|rises|rising|risen|jump(?:s|ed|ing)?|gain(?:s|ed|ing)?|"
    r"climb(?:s|ed|ing)?|gr[eo]w|grows|growing|grown|growth of|premium of|surg(?:e|es|ed|ing)|"
    r"soar(?:s|ed|ing)?|increas(?:e|es|ed|ing)|rais(?:e|es|ed|ing)|boost(?:s|ed|ing)?|"
    r"up)|(?P<fall>f[ae]ll|falls|falling|fallen|drop(?:s|ped|ping)?|declin(?:e|es|ed|ing)|"
    r"slid(?:e|es|ing)?|s[ai]nk|sinks|sinking|plung(?:e|es|ed|ing)|tumbl(?:e|es|ed|ing)|"
    r"decreas(?:e|es|ed|ing)|cut(?:s|ting)?|down|lost|lose|loses|shed|shrink|shrank|"
    r"discount of))"
    r"(?:\s+(?:\w+\s+){0,5}?by)?\s+(?:(?:about|roughly|nearly|almost|more than|over|some|"
    r"around)\s+)?$", re.I)
_CHANGE_AFTER = re.compile(r"^\s+(?:(?P<rise>higher|more|increase|rise|gain|jump|growth)|"
                           r"(?P<fall>lower|less|decrease|decline|drop|fall))\b", re.I)
# (measure, cue) for a percentage, nearest in its sentence wins; the stake cue right after the
# number ("a 10% stake") is nearest of all.
MEASURE_CUES = [("equity", r"\bstakes?\b|\bownership\b|\bequity\b|\bowns?\b|\bowned\b|"
                           r"\bholding\b|\bbuy(?:s|ing)?\b|\bbought\b|\bacquir\w*|\bsell\b|"
                           r"\bsold\b"),
                ("voting power", r"\bvoting\b|\bvotes\b"),
                ("market share", r"\bmarket share\b"), ("premium", r"\bpremium\b"),
                ("share price", r"\bshares\b|\bstock\b"),
                ("valuation", r"\bvaluation\b|\bvalue\b"),
                ("revenue", r"\brevenues?\b|\bsales\b"),
                ("profit", r"\bprofits?\b|\bmargins?\b|\bearnings\b")]
_MEASURE_CUES = [(m, re.compile(c, re.I)) for m, c in MEASURE_CUES]
NOTE_MEASURE = "no cue for what the percentage measures: give of or measure"


def number(written: str) -> Decimal | None:
    """The value of a number as written: digits with commas, or number words."""
    w = written.lower().replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return Decimal(w)
    parts = w.split("-")
    if not all(p in WORDS for p in parts) or len(parts) > 2 or (
            len(parts) == 2 and not (WORDS[parts[0]] >= 20 and WORDS[parts[1]] < 10)):
        return None
    return Decimal(sum(WORDS[p] for p in parts))


def plain(value: Decimal) -> int | float:
    """An int when whole, else a float: 650000000, 12.5."""
    return int(value) if value == value.to_integral_value() else float(value)


def _sentences(text: str):
    """Where the sentence around an offset begins and ends."""
    spans = [(s.start, s.end) for s in sentences(text)]
    return lambda at: next(((a, b) for a, b in spans if a <= at < b), (at, at))


def _qualified(text: str, start: int, floor: int) -> tuple[int, str | None]:
    """Where the qualifier before a number begins, and which it is (or start, None)."""
    window = text[max(floor, start - 40):start]
    if not (match := _QUALIFIER.search(window)):
        return start, None
    which = next(k for k, v in match.groupdict().items() if v)
    return start - len(window) + match.start(which), which.replace("_", "-")


def _nearest(cues, before: str, after: str, bonus: dict | None = None) -> str | None:
    """The name of the cue nearest the value: before it in its clause, or just after it
    (where a cue counts as nearer: "$19 billion purchase", "a 10% stake")."""
    best: tuple[float, str] | None = None
    for name, cue in cues:
        extra = (bonus or {}).get(name, 0)
        for c in cue.finditer(before):
            best = min(best or (1e9, ""), (len(before) - c.end() - extra, name))
        c = cue.search(after[:40])
        if c and not re.search(r"[;—–]|\b(?:and|but|while|after|before)\b", after[:c.start()]):
            best = min(best or (1e9, ""), (c.start() * 0.5 - 5 - extra, name))
    return best[1] if best else None


def _money(m: re.Match) -> tuple[Decimal, str, str | None, list[str]] | None:
    """The value, currency, qualifier and notes of a match of _MONEY."""
    if word := (m.group("multi") or "").lower():
        scale, note = Decimal(10**9 if "billion" in word else 10**6), [NOTE_VAGUE]
        if re.match(r"multi-?(?:billion|million)$", word):
            return scale, "USD", "more-than", note
        return scale * (200 if word.startswith("hundreds") else 2), "USD", "at-least", note
    if m.group("cword"):
        wnum = m.group("wnum").lower()
        base = (Decimal("0.5") if wnum.startswith("half") else Decimal(1)
                if wnum in ("a", "an") else number(wnum))
        if base is None or (wnum in ("a", "an") and not m.group("wscale")):
            return None
        currency = CURRENCY_WORDS[" ".join(m.group("cword").lower().split())]
        return base * SCALES.get((m.group("wscale") or "").lower(), 1), currency, None, []
    symbol = (m.group("sym") or "").lower()
    notes = ["¥ is read as yen (JPY); it may be yuan (CNY)"] if symbol == "¥" else []
    scale = "tn" if m.group("short") == "T" else (m.group("scale") or m.group("short") or "")
    value = Decimal(m.group("num").replace(",", "")) * SCALES.get(scale.lower(), 1)
    return (value, SYMBOLS[symbol] if symbol else m.group("code").upper(),
            "more-than" if m.group("plus") else None, notes)


def amounts(text: str) -> list[Found]:
    """The sums of money the text writes, in text order."""
    around = _sentences(text)
    found = []
    for m in _MONEY.finditer(text):
        if (read := _money(m)) is None:
            continue
        value, currency, qualifier, notes = read
        (floor, ceiling), start, end = around(m.start()), m.start(), m.end()
        begin, said = _qualified(text, start, floor)
        if said:
            start, qualifier = begin, said
        item: dict = {"value": plain(value), "currency": currency,
                      **({"qualifier": qualifier} if qualifier else {})}
        per = _PER.match(text, end)
        if per:
            item["per"], end = per.group(1) or _PER_ADVERB[per.group(2).lower()], per.end()
        elif _ANNUAL.search(text[max(floor, start - 30):min(ceiling, end + 25)]):
            item["per"] = "year"  # "$1 billion in annual revenue", "annualized revenue of"
        if role := _role(text, m.start(), m.end(), floor, ceiling, item):
            item["role"] = role
        else:
            notes.append(NOTE_ROLE)
        item["text"] = text[start:end]
        found.append(Found(start, end, _ordered(item), "; ".join(notes) or None))
    return _ranges(text, found)


def _ranges(text: str, found: list[Found]) -> list[Found]:
    """Both ends of a range ("$10 billion to $20 billion") noted as such."""
    out = list(found)
    for i, (low, high) in enumerate(zip(found, found[1:])):
        if re.fullmatch(r"\s*(?:to|and|-|–|or)\s*", text[low.end:high.start]):
            note = f"one end of the range “{text[low.start:high.end]}”"
            for j, f in ((i, low), (i + 1, high)):
                out[j] = Found(f.start, f.end, f.item, "; ".join(filter(None, (f.note, note))))
    return out


ORDER = ("value", "currency", "unit", "text", "qualifier", "role", "of", "measure", "counts",
         "change", "per")


def _ordered(item: dict) -> dict:
    return {k: item[k] for k in ORDER if k in item}


def _role(text: str, start: int, end: int, floor: int, ceiling: int, item: dict) -> str | None:
    """The role whose cue stands nearest the amount in its sentence, or None."""
    before, after = text[floor:start], text[end:ceiling]
    # A cue before the amount counts only in its own clause ("paid ..., and took a £400m charge").
    before = re.split(r"[;—–]|,\s+(?:and|but|while|whereas)\b", before)[-1]
    if re.search(r"\b(?:shares?|stock)\b", text[floor:ceiling], re.I) and \
            re.search(r"\b(?:at|to)\s+$", before) and item["value"] < 10**5 and "per" not in item:
        item["per"] = "share"  # "shares ... closed at $356.70": a price a share
        return "price"
    if re.search(r"\b(?:buy|buys|buying|bought|purchas\w+|procur\w+|order\w*)\s+(?:\w+\s+){0,2}$",
                 before, re.I) and re.match(r"(?:\s+[\w-]+)?\s+of\b", after):
        return "commitment"  # "purchase about $300 billion of computing power"
    return _nearest(_ROLE_CUES, before, after, _STRONG) or (
        "price" if item.get("per") == "share" else None)


def quantities(text: str) -> list[Found]:
    """The percentages and other quantities (not money, years or dates), in text order."""
    around = _sentences(text)
    taken = [(f.start, f.end) for f in amounts(text)]
    found: list[Found] = []

    def add(start: int, end: int, item: dict, notes: list[str], core: int | None = None,
            verb: int | None = None):
        """Keep a quantity overlapping nothing taken, from its qualifier or change verb."""
        if any(a < (core or end) and start < b for a, b in taken):
            return
        begin, qualifier = _qualified(text, start, around(start)[0])
        # "over four years" is a period, not more than four years
        if qualifier and not (item["unit"] in ("year", "month", "week", "day")
                              and text[begin:start].strip().lower() == "over"):
            start, item["qualifier"] = begin, qualifier
        elif verb is not None:
            start = verb
        item["text"] = text[start:end]
        taken.append((start, end))
        found.append(Found(start, end, _ordered(item), "; ".join(notes) or None))

    for m in _AGE.finditer(text):
        if (value := number(m.group("num") or m.group("age"))) is not None:
            add(m.start(), m.end(), {"value": plain(value), "unit": "year", "measure": "age"},
                [] if m.group("num") else ["an age, as 'Name, 28,' writes one"])
    for m in _INTERVAL.finditer(text):
        add(m.start(), m.end(), {"value": 1, "unit": m.group("unit").lower()},
            ["an interval between two times"])
    for m in _QUANTITY.finditer(text):
        value = _scaled(m)
        unit = next(u for u, _ in UNIT_WORDS if m.group(u))
        if value is None or _excluded(text, m.start(), m.group("num")) or (
                m.group(unit).startswith("-") and re.search(r"\w{3,}est\s+$", text[:m.start()])):
            continue  # "the biggest one-day gain": a kind of gain, not a duration
        item, notes, end, verb = {"value": plain(value), "unit": unit}, [], m.end(), None
        if unit == "percent":
            verb = _percent(text, m, around(m.start()), item, notes)
            per = _PER.match(text, m.end())
            if per and (per.group(1) or "").lower() in ("year", "month"):
                item["per"], end = per.group(1).lower(), per.end()
        add(m.start(), end, item, notes, verb=verb)
    for m in _RATIO.finditer(text):
        end, item = m.end(), {"unit": "ratio"}
        if m.group("frac"):
            value, end = FRACTIONS[m.group("frac").lower()], m.end() - len(" of")
        elif m.group("mult"):
            value = Decimal(_MULTIPLE[m.group("mult").lower()])
            if m.group("mult").lower() != "twice":
                item["change"] = True
        elif m.group("x") or m.group("xr"):
            value = Decimal(m.group("x") or m.group("xr"))
            if m.group("xr"):
                item["measure"] = "exchange ratio"
        else:
            value, end = number(m.group("num")), m.end("num") + len(" times")
        if value is not None and value > 0:
            item["value"] = plain(value.quantize(Decimal("0.0001")) if value < 1 else value)
            add(m.start(), end, item, ["a ratio: say of what"])
    for m in _COUNT.finditer(text):
        value, noun = _scaled(m), m.group("noun")
        if value is None or noun.lower() in _NOT_NOUNS or _excluded(text, m.start(), m["num"]) \
                or (not m["scale"] and re.fullmatch(r"(?:1[89]|20)\d\d", m["num"])) \
                or re.search(r"\bthe\s+$", text[max(0, m.start() - 5):m.start()], re.I):
            continue  # a year; "the two companies", a reference to ones named, not a count
        add(m.start(), m.end(), {"value": plain(value), "unit": "count", "counts": noun},
            [] if noun[:1].islower() else ["the counted noun is capitalised: check it"],
            core=m.end("scale") if m.group("scale") else m.end("num"))
    return sorted(found, key=lambda f: (f.start, f.end))


def _scaled(m: re.Match) -> Decimal | None:
    n = number(m["num"])
    return None if n is None else n * SCALES.get((m["scale"] or "").lower(), 1)


def _excluded(text: str, start: int, written: str) -> bool:
    """Not a quantity: "1 in 5", a day ("March 3"), a phone number, "one of the"."""
    before = text[max(0, start - 12):start]
    if re.search(r"\b(?:\d+|one|a)\s+in\s+$|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov"
                 r"|dec)[a-z]*\.?\s+$", before, re.I):
        return True
    after = text[start + len(written):start + len(written) + 4]
    return bool(re.match(r"[-.]\d", after)) or (written.lower() == "one" and after == " of ")


def _percent(text: str, m: re.Match, sentence: tuple[int, int], item: dict,
             notes: list[str]) -> int | None:
    """A percentage's change and measure from its words; the offset of a verb just before."""
    before, after = text[sentence[0]:m.start()], text[m.end():sentence[1]]
    change, rise_fall = _CHANGE_BEFORE.search(before[-60:]), _CHANGE_AFTER.match(after)
    verb = None
    if change or rise_fall:
        item["change"] = True
        if (change and change.group("fall")) or (rise_fall and rise_fall.group("fall")):
            notes.append("a fall: the value is the number written, the words say its sign")
        if change and re.fullmatch(r"\s+(?:by\s+)?", change.group()[change.end(1) -
                                                                    change.start():]):
            verb = m.start() - len(before[-60:]) + change.start(1)
    if m.group("percent").strip().lower().startswith("percentage"):
        notes.append("percentage points")
    cues = [c for c in _MEASURE_CUES if c[0] != "share price" or "change" in item]
    if measure := _nearest(cues, before, after):
        item["measure"] = measure
    else:
        notes.append(NOTE_MEASURE)
    return verb
