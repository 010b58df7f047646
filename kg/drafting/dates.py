"""Times in an article's text, found by own patterns and read against the publication date the
way kg.factsheet.times checks them; dateparser reads only the full dates the patterns find."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import dateparser

from kg.drafting.text import sentences
from kg.drafting.values import Found
from kg.factsheet import times as build_times

# The build's own names (kg.factsheet.times), as an article writes them.
MONTHS = [m.capitalize() for m in build_times.MONTHS]
WEEKDAYS = [d.capitalize() for d in build_times.WEEKDAYS]
SEASONS = build_times.SEASONS
STEP = {"last": -1, "this": 0, "the": 0, "next": 1}
QUARTERS = {**{w: i for i, w in enumerate(("first", "second", "third", "fourth"), 1)},
            **{f"{i}{s}": i for i, s in zip(range(1, 5), ("st", "nd", "rd", "th"))},
            **{f"q{i}": i for i in range(1, 5)}}
# A month in full or abbreviated with its point; without the point only before a day
# ("Jan 20"), since "Jan" and "May" are also a name and a verb.
_FULL = "|".join(MONTHS)
_ABBR = r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\."
_BARE = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?![:%.,]?\d)"
_YEAR = r"(?P<year>(?:19|20)\d\d)\b(?![-/]\d|%)"
_PRE = (r"(?:(?P<pre>(?i:(?:back |just |separately |late |early )?(?:as of|since|until|till|"
        r"through|by|from|before|after|on|in|into|during|starting(?: in| on)?|beginning(?: in| "
        r"on)?|begin(?:s|ning)? in|end(?:s|ing)? in|effective))) )?")
_MOD = r"(?:(?P<mod>early|late|mid|the end of|the start of|the beginning of|the middle of)[\s-])?"
_Y = re.IGNORECASE


def _c(pattern: str, flags: int = 0) -> re.Pattern:
    return re.compile(r"(?<![\w$€£¥.,/-])" + pattern, flags)


# (kind, pattern): every pattern is tried; of overlapping matches the longest is kept.
PATTERNS = [
    ("iso", _c(r"(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b")),
    ("numeric", _c(r"(?P<numeric>[01]?\d/[0-3]?\d/(?:19|20)\d\d)\b")),
    ("full", _c(_PRE + rf"(?P<m>{_FULL}|{_ABBR}|{_BARE})\s+{_DAY},?\s+{_YEAR}")),
    ("full", _c(_PRE + rf"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<m>{_FULL}|{_ABBR}),?\s+"
                + _YEAR)),
    ("monthday", _c(_PRE + rf"(?P<m>{_FULL}|{_ABBR}|{_BARE})\s+{_DAY}")),
    ("dayfirst", _c(_PRE + rf"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<m>{_FULL})\b")),
    ("monthyear", _c(_PRE + _MOD + rf"(?P<m>{_FULL}|{_ABBR}),?\s+{_YEAR}")),
    ("month", _c(r"(?:(?P<step>last|this|next|(?i:last|this|next)) )?" + _PRE + _MOD
                 + rf"(?P<m>{'|'.join(m for m in MONTHS if m != 'May')}|{_ABBR})(?!\w|\.?\s*\d)")),
    ("month", _c(r"(?:(?P<step>last|this|next|Last|This|Next) |(?P<pre>(?i:in|since|until|by|"
                 r"through|from|during|early|late|mid|of)) )(?P<m>May)\b(?!\s*\d)")),
    ("weekday", _c(r"(?:(?P<step>last|this|next|(?i:last|this|next)) |(?P<pre>(?:(?i:separately "
                   r"|late |early )?(?i:on|by|until|since|from|before|after)|(?i:late|early))) )?"
                   rf"(?P<weekday>{'|'.join(WEEKDAYS)})(?!s\b)")),
    ("season", _c(r"(?:(?i:early |late )?(?P<pre>(?i:in|during|since|until|by|through)) )?"
                  r"(?i:(?:early |late )?(?P<step>last|this|next) (?P<season>spring|summer|autumn|"
                  r"fall|winter))\b")),
    ("season", _c(r"(?i:(?:(?P<pre>in|during|since|until|by|through) )?(?:the )?(?P<season>spring|"
                  r"summer|autumn|fall)(?: of)? )" + _YEAR)),
    ("half", _c(r"(?i:(?:(?P<pre>in|during|since|until|by|through|from|starting in|beginning "
                r"in|for) )?(?:the )?(?P<half>first|second|1st|2nd) half of )(?:(?P<ystep>"
                r"(?i:last|this|next|the)) year\b|" + _YEAR + ")")),
    ("half", _c(r"(?P<half>H[12])\s+" + _YEAR)),
    ("quarter", _c(r"(?i:(?:(?P<pre>in|during|since|until|by|through|from|for) )?(?:the )?"
                   r"(?:fiscal )?(?P<quarter>first|second|third|fourth|1st|2nd|3rd|4th) "
                   r"quarter\b)" + rf"(?:(?i:(?: of)? (?:fiscal )?){_YEAR}|(?i: of (?P<ystep>last|"
                   r"this|next|the) year\b))?")),
    ("quarter", _c(r"(?:(?P<pre>(?i:in|during|since|until|by|through|from|for)) )?(?:fiscal )?"
                   rf"(?P<quarter>Q[1-4])\b(?:\s+(?:of\s+)?(?:fiscal\s+)?{_YEAR})?")),
    ("range", _c(r"(?i:(?P<pre>from|between) )(?P<y1>(?:19|20)\d\d) (?i:to|through|until|and) "
                 r"(?P<y2>(?:19|20)\d\d)\b")),
    ("year", _c(r"(?:(?P<pre>(?:(?i:back |as early as |as late as )?(?i:in|during|for|since|until"
                r"|till|through|by|from|before|after|into|starting in|beginning in|begin in|"
                r"begins in|end in|ends in|of|as of|effective)|(?i:early|late|mid|the end of|"
                r"the start of|the beginning of|by the end of|until the end of|at the end of|"
                r"before the end of|through the end of"
                r")))[\s-])?(?:(?P<fiscal>(?i:fiscal(?: year)?|FY)) ?)?" + _YEAR + r"(?![.,]\d)")),
    ("relyear", _c(r"(?i:(?:(?P<pre>by|until|through|before|into|at|since)\s+)?"
                   r"(?P<end>the end of )?"
                   r"(?:(?:earlier|later|early|late|mid)[\s-])?(?P<step>last|this|next|the) "
                   r"(?P<unit>year|month|week)\b)")),
    ("day", _c(r"(?i:(?P<day_word>today|yesterday))\b")),
    ("vague", _c(r"(?i:(?:in|over|during) the (?:coming|next|following) (?:few )?(?:days|weeks|"
                 r"months|years)|(?:a few |several |some )?(?:days|weeks|months|years) ago)\b")),
]
_PAST = re.compile(r"\b(?:said|says|announced|reported|told|wrote|confirmed|disclosed|released|"
                   r"signed|agreed|took|began|launched|completed|closed|made|unveiled|filed|"
                   r"posted|rose|fell|jumped|was|were|had|did|came|met|"
                   r"[a-z]{3,}(?<!expect)(?<!schedul)(?<!plann)(?<!slat)ed)\s*,?\s*$", _Y)
_FUTURE = re.compile(r"\b(?:will|'ll|’ll|shall|expects?|expected|expecting|plans?|planned|"
                     r"planning|intends?|aims?|hopes?|scheduled|slated|set to|due to|is to|are to|"
                     r"would|upcoming|coming|next)\b", _Y)
NOTE_FORWARD = ("read forward from the publication date (future tense): valid only on an "
                "event with planned: true")


def times(text: str, published: dt.date) -> list[Found]:
    """The time expressions of the text, each read against the publication date, in text
    order. An item with "_future" looks ahead (the lead may set planned)."""
    matches = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if m.group().strip():
                matches.append((m.start(), m.end(), kind, m))
    matches.sort(key=lambda x: (x[0] - x[1], x[0]))
    kept: list[tuple[int, int, str, re.Match]] = []
    for one in matches:
        if not any(one[0] < k[1] and k[0] < one[1] for k in kept):
            kept.append(one)
    spans = [(s.start, s.end) for s in sentences(text)]
    found = []
    for start, end, kind, m in sorted(kept, key=lambda k: k[0]):
        if kind == "weekday" and re.match(r",?\s+(?:" + _FULL + "|" + _ABBR + r")\s*\d",
                                          text[end:end + 16]):
            continue  # "Tuesday, March 3": the date says it
        if kind == "year" and not m.group("pre") and not m.group("fiscal") and \
                re.match(r"\s+[a-z]+s\b", text[end:end + 20]):
            continue  # "2000 employees": a count, not a year
        floor = next((a for a, b in spans if a <= start < b), max(0, start - 80))
        ahead = _ahead(text, start, end, floor)
        reading = _read(kind, m, published, ahead)
        if reading is None:
            continue
        item, note = reading
        item["text"] = text[start:end]
        if not note and re.match(r"(?:after|before)\b", item["text"], _Y):
            note = "the words give a bound: the time named itself lies outside the span"
        first, last = _first_day(item), _last_day(item)
        if (first or last) and (first or last) > published:
            ahead = True
        elif last and last < published:
            ahead = False
        if ahead:
            item["_future"] = True
        found.append(Found(start, end, item, note))
    return found


def _ahead(text: str, start: int, end: int, floor: int) -> bool:
    """Whether the words around a time look ahead: future tense before it in its clause, or
    after it when the time opens the clause."""
    words = text[start:end]
    if re.search(r"\b(?:next|coming|upcoming|later)\b", words, _Y):
        return True
    before = text[max(floor, start - 50):start]
    if _PAST.search(before):
        return False
    if _FUTURE.search(before):
        return True
    if not before.strip() or before.rstrip().endswith((",", ";")):
        after = text[end:end + 50]
        cue = re.search(r"\b(?:will|is set to|are set to|plans to|expects to)\b", after, _Y)
        past = re.search(r"\b(?:said|says|announced|reported|[a-z]{3,}ed)\b", after, _Y)
        return bool(cue and (not past or cue.start() < past.start()))
    return False


def _read(kind: str, m: re.Match, published: dt.date, ahead: bool):
    """The item (without its text) and a note, or None when the words give no time."""
    g = m.groupdict()
    pre = _direction(g.get("pre") or "")
    note = None
    if kind in ("iso", "numeric", "full"):
        at = min(m.start(k) for k in ("iso", "numeric", "m", "day") if g.get(k))
        day = _parse(m.string[at:m.end()], published)
        if kind == "full":
            try:
                own = dt.date(int(g["year"]), _month(g["m"]), int(g["day"]))
            except ValueError:
                return None
            if day != own:
                note, day = f"dateparser read {day}; the words say {own}", own
        if day is None or str(day.year) not in m.group():
            return None
        return {**_point(pre, "date", day.isoformat())}, (
            "a numeric date, read month first" if kind == "numeric" else note)
    if kind == "monthday":
        month, day = _month(g["m"]), int(g["day"])
        forward = ahead or "next" in m.group().lower()
        year = _nearest_year(published, month, day, forward)
        try:
            value = dt.date(year, month, day).isoformat()
        except ValueError:
            return None
        return {**_point(pre, "date", value), "relative": True}, \
            NOTE_FORWARD if forward and value > published.isoformat() and "next" not in \
            m.group().lower() else None
    if kind == "dayfirst":  # the build reads "3 March" as March: the day is kept in the note
        month = _month(g["m"])
        year = _nearest_year(published, month, 1, ahead)
        return {**_point(pre, "month", f"{year:04d}-{month:02d}"), "relative": True}, \
            f"the day {int(g['day'])} is left out: the build checks a day written after its month"
    if kind == "monthyear":
        return _point(pre, "month", f"{g['year']}-{_month(g['m']):02d}"), None
    if kind == "month":
        month = _month(g["m"])
        forward = ahead or "next" in m.group().lower()
        year = _nearest_year(published, month, 1, forward)
        value = f"{year:04d}-{month:02d}"
        return {**_point(pre, "month", value), "relative": True}, \
            NOTE_FORWARD if forward and (year, month) > (published.year, published.month) and \
            "next" not in m.group().lower() else None
    if kind == "weekday":
        index = WEEKDAYS.index(g["weekday"])
        back = (published.weekday() - index) % 7
        forward = ahead or "next" in m.group().lower()
        if forward and back:
            back -= 7
            if "next" not in m.group().lower():
                note = NOTE_FORWARD
        return {"date": (published - dt.timedelta(days=back)).isoformat(), "relative": True}, note
    if kind == "season":
        if g.get("year"):
            first = SEASONS[g["season"].lower()]
            year = int(g["year"])
            return {"from": f"{year}-{first:02d}", "until": f"{year}-{first + 2:02d}"}, None
        window = _season(published, g["season"].lower(), STEP[g["step"].lower()])
        return {"from": window[0], "until": window[1], "relative": True}, None
    if kind == "half":
        first = 1 if g["half"].lower() in ("first", "1st", "h1") else 7
        if g.get("ystep"):
            year, relative = published.year + STEP[g["ystep"].lower()], True
        else:
            year, relative = int(g["year"]), False
        item = {"from": f"{year}-{first:02d}", "until": f"{year}-{first + 5:02d}"}
        return ({**item, "relative": True} if relative else item), None
    if kind == "quarter":
        q = QUARTERS[g["quarter"].lower()]
        fiscal = "fiscal" in m.group().lower()
        if g.get("ystep"):
            year = published.year + STEP[g["ystep"].lower()]
            return {"from": f"{year}-{3 * q - 2:02d}", "until": f"{year}-{3 * q:02d}",
                    "relative": True}, None
        if not g.get("year"):
            if not g.get("pre"):
                return None  # "Q3 results": a label, not a time
            return {"relative": True}, "a quarter without its year (perhaps fiscal): not placed"
        year = int(g["year"])
        return {"from": f"{year}-{3 * q - 2:02d}", "until": f"{year}-{3 * q:02d}"}, (
            "a fiscal quarter: its months depend on the fiscal year" if fiscal else None)
    if kind == "range":
        return {"from": int(g["y1"]), "until": int(g["y2"])}, None
    if kind == "year":
        if g.get("fiscal"):
            note = "a fiscal year: it may not be the calendar year"
        return _point(pre, "year", int(g["year"])), note
    if kind == "relyear":
        if g["step"].lower() == "the" and not (g.get("end") and g["unit"].lower() == "year"):
            return None  # "the year" alone is no time; "the end of the year" is
        step, unit = STEP[g["step"].lower()], g["unit"].lower()
        until = _direction((g.get("pre") or "") + " the end of" * bool(g.get("end"))) == "until"
        if unit == "year":
            year = published.year + step
            return {("until" if until else "year"): year, "relative": True}, None
        if unit == "month":
            index = published.month - 1 + step
            value = f"{published.year + index // 12:04d}-{index % 12 + 1:02d}"
            return {("until" if until else "month"): value, "relative": True}, None
        monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=step)
        return {"from": monday.isoformat(), "until": (monday + dt.timedelta(days=6)).isoformat(),
                "relative": True}, None
    if kind == "day":
        back = 1 if g["day_word"].lower() == "yesterday" else 0
        return {"date": (published - dt.timedelta(days=back)).isoformat(), "relative": True}, None
    if kind == "vague":
        return {"relative": True}, "the words place the time nowhere: kept as text only"
    return None


def _direction(pre: str) -> str:
    """"until" for a deadline ("by 2030", "by the end of 2029", "into 2028"), "from" for
    "after", else "" for a point: "through 2030", "since 2019" and "until 2029" name the
    year in which a thing ends, begins or happens, which starts or ends (the field) carries."""
    words = re.sub(r"^(?:back|just|separately|late|early|as early as|as late as)\s+", "",
                   " ".join(pre.lower().split()))
    if re.fullmatch(r"by|before|into|(?:by|until|till|through|before) the end of", words):
        return "until"
    return "from" if words == "after" else ""


def _point(pre: str, precision: str, value) -> dict:
    """A point, or the span that begins or ends with it ("since March 3", "by June 2026")."""
    return {pre: value} if pre else {precision: value}


def _month(word: str) -> int:
    return next(i for i, m in enumerate(MONTHS, 1) if m.lower().startswith(word[:3].lower()))


def _nearest_year(published: dt.date, month: int, day: int, forward: bool) -> int:
    """The year of the latest such day on or before the publication date, or with `forward`
    the first on or after it (as kg.factsheet.times reads it)."""
    if forward:
        return published.year + ((month, day) < (published.month, published.day))
    return published.year - ((month, day) > (published.month, published.day))


def _season(published: dt.date, season: str, step: int) -> tuple[str, str]:
    """The first and last month of last (this, next) season, as kg.factsheet.times reads it."""
    first, year = SEASONS[season], published.year

    def last_day(y: int) -> dt.date:
        end_month, end_year = (first + 1) % 12 + 1, y + (first + 2 > 12)
        return dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])

    if step == -1:
        while last_day(year) >= published:
            year -= 1
    elif step == 1:
        while dt.date(year, first, 1) <= published:
            year += 1
    end_month, end_year = (first + 1) % 12 + 1, year + (first + 2 > 12)
    return f"{year:04d}-{first:02d}", f"{end_year:04d}-{end_month:02d}"


def _parse(span: str, published: dt.date) -> dt.date | None:
    """A full date read by dateparser: it is handed only the words a pattern found (its first
    call loads its data, which only an article with a full date pays for)."""
    settings = {"RELATIVE_BASE": dt.datetime.combine(published, dt.time()),
                "DATE_ORDER": "MDY", "PREFER_DAY_OF_MONTH": "first",
                "REQUIRE_PARTS": ["day", "month", "year"]}
    parsed = dateparser.parse(span, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def _first_day(item: dict) -> dt.date | None:
    value = next((item[k] for k in ("date", "month", "year", "from") if k in item), None)
    return None if value is None else _bound(str(value), first=True)


def _last_day(item: dict) -> dt.date | None:
    value = next((item[k] for k in ("date", "month", "year", "until") if k in item), None)
    return None if value is None else _bound(str(value), first=False)


def _bound(written: str, first: bool) -> dt.date:
    parts = [int(p) for p in written.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else (1 if first else 12)
    day = parts[2] if len(parts) > 2 else (1 if first else calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)
