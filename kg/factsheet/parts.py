"""The parts of an entry written in the article's words: quotes and evidence, amounts,
quantities, times and roles, each declared once with its fields and what they mean."""

from __future__ import annotations

from kg.factsheet.fields import Bool, Currency, OneOf, Ref, Text
from kg.factsheet.scalars import Date, Decimal, Month, When, Year
from kg.factsheet.values import (
    PER_UNITS,
    QUALIFIERS,
    UNITS,
    AmountValue,
    Evidence,
    Mapping,
    QuantityValue,
    RoleOf,
    TimeOf,
)
from kg.factsheet.vocabulary import AMOUNT_ROLES
from kg.namespaces import KGO, ORG

QUOTE = Mapping({
    "quote": Text("The words of the article, copied exactly; straight or curly quotation "
                  "marks and any spacing match. At least three words.", required=True),
    "reported": Bool("true when the entry rests on a claim the article reports (the quote "
                     "says 'reported', 'reportedly' or 'according to'); false when the quote, "
                     "though it has such words, states the entry plainly. Required when the "
                     "quote has reporting words."),
    "source": Ref(("organization", "person"), "The id of the organization or person the "
                  "article names as the one who reported or said it (a newspaper, a party to "
                  "the deal, an executive).",
                  named=False, property=KGO + "attributedTo"),
}, "A quote with what kind of claim it carries.")

EVIDENCE = Evidence(QUOTE, "The quotes from the article that say what this entry asserts: one "
                    "or more, each a text or a mapping with quote, reported and source. Every "
                    "entry linked from this one (where it must be named) and every value "
                    "written here must stand in one of them.", required=True)

def _qualifier() -> OneOf:
    return OneOf(QUALIFIERS, "How the words qualify the number: exact (the default), about "
                 "('about', 'roughly', 'nearly'), more-than ('more than', 'over', 'upward of', "
                 "'exceed'), at-least, up-to ('up to', 'as much as') or less-than. A bound is "
                 "written schema:minValue or schema:maxValue, never an exact schema:value; about "
                 "is schema:value with kgo:approximate true.")


def _per() -> OneOf:
    return OneOf(PER_UNITS, "The unit the value is given per, when it is a rate or a unit "
                 "price: '$60 billion a year' is per year, '$600 a share' per share.")


AMOUNT = AmountValue({
    "value": Decimal("The amount as a plain number, in units of the currency (650000000 for "
                     "$650 million): at most 30 digits before the decimal point and 10 after "
                     "it, as written out in the graph (so 6.5e8 is fine, 1e31 is not).",
                     minimum=0, below="an amount cannot be negative "
                     "({value})", required=True),
    "currency": Currency("The ISO 4217 code of the currency, such as USD or EUR.",
                         required=True),
    "text": Text("The amount as the article writes it, such as '$650 million'; it must stand "
                 "in one of the entry's quotes.", required=True),
    "qualifier": _qualifier(),
    "role": OneOf(AMOUNT_ROLES, "What the amount is: the price paid, a valuation, an "
                  "investment, a commitment, a fee, revenue, a market value, profit, "
                  "spending, funding, a backlog, savings or other."),
    "per": _per(),
    "description": Text("What the amount is the amount of, in your own words."),
}, "A sum of money the article gives, as a schema:MonetaryAmount.")

QUANTITY = QuantityValue({
    "value": Decimal("The number, in the unit (4.5 for 'about 4.5 gigawatts', 49 for '49%', "
                     "160000000 for '160 million shares'); at most 10 digits after the "
                     "decimal point.", required=True),
    "unit": OneOf(UNITS, "The unit of the value; in the graph its UN/CEFACT common code "
                  "(schema:unitCode): percent P1, ratio and count C62, gigawatt A90, megawatt "
                  "MAW, year ANN, month MON, week WEE, day DAY.", required=True),
    "text": Text("The quantity as the article writes it, such as 'about 4.5 gigawatts'; it "
                 "must stand in one of the entry's quotes.", required=True),
    "qualifier": _qualifier(),
    "of": Ref(("organization", "agreement", "product"), "The id of the whole the value is a "
              "part of: '49% of Scale AI' is of scale-ai.", named=False, property=KGO + "of"),
    "measure": Text("What is measured, in a few words: equity, voting power, revenue, "
                    "electric power, term, age. A percentage gives of or measure."),
    "counts": Text("With unit count, what is counted: shares, chips, homes."),
    "recipient": Ref("organization", "The id of the organization that receives the share "
                     "(of revenue, of profit).", named=False, property=KGO + "shareRecipient"),
    "change": Bool("true when the value is a change (a rise or a fall: 'rose 359%', '39% "
                   "higher'), not a level."),
    "per": _per(),
    "description": Text("What the quantity is, in your own words."),
}, "A number with a unit the article gives, as a schema:QuantitativeValue.")


def time_field(doc: str, required: bool = False) -> TimeOf:
    return TimeOf({
        "date": Date("The day, written YYYY-MM-DD, when the words name a day."),
        "month": Month("The month, written YYYY-MM, when the words name a month but no day."),
        "year": Year("The year, written YYYY, when the words name only a year."),
        "from": When("Where a span begins ('from 2027', 'the second half of 2026' from "
                     "2026-07): a date, month or year, as precise as the words."),
        "until": When("Where a span ends ('through 2029', 'by the end of 2029' until 2029); "
                      "a span may give only one of from and until."),
        "text": Text("The words of the article that give the time, such as 'back in June'; "
                     "they must stand in one of the entry's quotes.", required=True),
        "relative": Bool("true when the words are relative to the publication date (a "
                         "weekday, a month without its year, 'last year', 'last week', 'last "
                         "summer', 'today' or 'now'): kg checks the time against that date. "
                         "With only text, the time is not placed ('months ago')."),
        "after": Ref("event", "The id of an event the time comes after ('two weeks after the "
                     "announcement').", named=False, property=KGO + "after"),
        "before": Ref("event", "The id of an event the time comes before.", named=False,
                      property=KGO + "before"),
    }, doc + " Give one of date, month or year, or a span (from and/or until), as precise as "
       "the words and no more.", required=required)

# The references a time (to events) and a quantity (to its whole, its recipient) may hold.
TIME_REFS = {k: f for k, f in time_field("").spec.items() if isinstance(f, Ref)}
QUANTITY_REFS = {k: f for k, f in QUANTITY.spec.items() if isinstance(f, Ref)}

ROLE = RoleOf({
    "organization": Ref("organization", "The id of the organization the person holds the role "
                        "in.", named=False, property=ORG + "organization", required=True),
    "title": Text("The role's title in plain words, such as 'chief executive officer'; people "
                  "with the same title share one org:Role.", required=True),
    "text": Text("The words of the article that give the role, such as 'OpenAI CEO Sam "
                 "Altman'; they must stand in one of the person's quotes.", required=True),
    "head": Bool("true when the role makes the person the head of the organization "
                 "(org:headOf), as a chief executive is."),
    "former": Bool("true when the person held the role before and holds it no longer ('a "
                   "former Uber executive')."),
}, "A position the person holds, as an org:Membership.")
