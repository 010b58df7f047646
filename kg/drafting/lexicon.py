"""The words the rules read names by: titles, the nouns that say what kind of entity a name
is, sources a story cites without naming them, places, and the capitalised words that are not
names."""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from kg.factsheet import times

# A title, as news writes it, and the title the fact sheet gives; True when it heads the org.
TITLES = {"ceo": ("chief executive officer", True), "chief executive": ("chief executive officer",
          True), "chief executive officer": ("chief executive officer", True),
          "cfo": ("chief financial officer", False),
          "chief financial officer": ("chief financial officer", False),
          "coo": ("chief operating officer", False),
          "chief operating officer": ("chief operating officer", False),
          "cto": ("chief technology officer", False),
          "chief technology officer": ("chief technology officer", False),
          "chief strategy officer": ("chief strategy officer", False),
          "president": ("president", False), "chairman": ("chairman", False),
          "chairwoman": ("chairwoman", False), "chair": ("chair", False),
          "founder": ("founder", False), "co-founder": ("co-founder", False),
          "cofounder": ("co-founder", False), "head of research": ("head of research", False),
          "general counsel": ("general counsel", False), "spokesperson": ("spokesperson", False),
          "spokesman": ("spokesperson", False), "spokeswoman": ("spokesperson", False),
          "analyst": ("analyst", False), "director": ("director", False),
          "vice president": ("vice president", False), "partner": ("partner", False),
          "reporter": ("reporter", False), "editor": ("editor", False),
          "correspondent": ("correspondent", False), "columnist": ("columnist", False)}
TITLE_WORDS = {w for t in TITLES for w in t.split()} | {"executive", "officer", "interim",
                                                         "senior", "former", "chief"}
TITLE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, TITLES), key=len, reverse=True))
                    + r")\b", re.IGNORECASE)
# Nouns that say the next or previous name is a company, or a product.
ORG_CUES = {"startup", "start-up", "company", "firm", "rival", "maker", "giant", "developer",
            "operator", "group", "lender", "bank", "investor", "insurer", "carrier", "retailer",
            "conglomerate", "chipmaker", "automaker", "drugmaker", "biotech", "provider",
            "supplier", "utility", "outlet", "newspaper", "publisher", "fund", "owner",
            "subsidiary", "unit", "parent", "competitor", "partner", "buyer", "acquirer",
            "regulator", "agency", "producer", "manufacturer", "platform", "network"}
PRODUCT_CUES = {"chip", "chips", "model", "models", "platform", "service", "services", "app",
                "apps", "software", "processor", "processors", "gpus", "gpu", "api", "chatbot",
                "assistant", "accelerators", "accelerator", "drug", "therapy", "vaccine",
                "device", "devices", "phone", "phones", "system", "systems", "engine", "tool",
                "tools", "suite", "cloud", "database", "browser", "headset", "console", "car",
                "vehicle", "truck", "satellite", "satellites", "brand", "product", "products",
                "maker", "developer", "candidate", "treatment"}
# "the ChatGPT maker": the cue names the product's owner, so the name is a product only there.
PRODUCT_OWNER_CUES = {"maker", "developer"}
# "the drug Veltrana", "arthritis drug Veltrana", "competing clouds, including Azure".
PRODUCT_BEFORE = (r"\b(?:" + "|".join(sorted(PRODUCT_CUES - PRODUCT_OWNER_CUES - {"cloud"}))
                  + r")\s*,?\s*$|\b(?:products?|services?|models?|chips?|apps?|drugs?|brands?|"
                  r"clouds?|platforms?|devices?)\s*,?\s+(?:like|such as|including)\s+$")
SAY = {"said", "says", "told", "wrote", "added", "announced", "confirmed", "declined", "noted",
       "reported", "reports", "disclosed", "stated", "argued", "explained"}
MONTHS = set(times.MONTHS) | {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                              "oct", "nov", "dec"}
WEEKDAYS = set(times.WEEKDAYS)
# Sources a news story cites without naming them, kept as groups.
GROUPS = re.compile(r"\b(?:(?:several|some|two|three|four|five|many|other|a|one)\s+)?"
                    r"(?:people|persons?|sources?)\s+(?:familiar|close|briefed)\s+(?:with|to|on)"
                    r"\s+(?:the|its|his|her|their)\s+\w+"
                    r"|\b[Aa]n?\s+[A-Z][\w-]*\s+spokes(?:person|man|woman)\b", re.IGNORECASE)
# Plural nouns of the people or companies a story speaks of as a group.
GROUP_NOUNS = re.compile(r"\b(?:(?:[A-Z][\w-]*(?:’s|'s)?|some|other|former|rival|commercial|"
                         r"large|more|many|several|existing|new|corporate|antitrust)\s+){0,2}"
                         r"(?i:analysts|investors|regulators|shareholders|executives|employees|"
                         r"customers|developers|suppliers|providers|partners|rivals|startups|"
                         r"bankers|lawyers|enforcers|drugmakers|lenders|banks|miners)\b")


@lru_cache(maxsize=1)
def places() -> set[str]:
    names = {c.name for c in pycountry.countries} | {getattr(c, "common_name", c.name)
                                                     for c in pycountry.countries}
    names |= {s.name for s in pycountry.subdivisions.get(country_code="US")}
    return names | STATE_ABBREVIATIONS | {
        "U.S.", "US", "U.K.", "UK", "EU", "Europe", "Asia", "Africa", "America", "Silicon Valley",
        "Wall Street", "Washington", "Beijing", "London", "Tokyo", "New York", "San Francisco",
        "Paris", "Berlin", "Seoul", "Taiwan", "Israel"}


# The AP style's abbreviations of U.S. states ("Cambridge, Mass.").
STATE_ABBREVIATIONS = {"Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.", "Fla.", "Ga.",
                       "Ill.", "Ind.", "Kan.", "Ky.", "La.", "Md.", "Mass.", "Mich.", "Minn.",
                       "Miss.", "Mo.", "Mont.", "Neb.", "Nev.", "N.H.", "N.J.", "N.M.", "N.Y.",
                       "N.C.", "N.D.", "Okla.", "Ore.", "Pa.", "R.I.", "S.C.", "S.D.", "Tenn.",
                       "Vt.", "Va.", "Wash.", "W.Va.", "Wis.", "Wyo."}


NEWS = re.compile(r"\b(?:Times|Journal|Post|News|Daily|Insider|Reuters|Bloomberg|Press|Herald|"
                  r"Tribune|Gazette|Telegraph|Guardian|Wire|Review|Information|Verge|Axios|"
                  r"CNBC|CNN|BBC|Politico|Semafor|TechCrunch|Financial Times)\b")
# Acronyms of things, not of names.
ACRONYMS = {"AI", "AGI", "API", "APIs", "GPU", "GPUs", "CPU", "CPUs", "IPO", "ROFR", "M&A",
            "ESG", "R&D", "LLM", "LLMs", "IT", "PC", "TV", "EV", "EVs", "CEO", "CFO", "COO",
            "CTO", "GW", "MW", "ARR", "EPS", "GDP", "FY", "HQ", "OK"}
STOP = {"the", "a", "an", "in", "on", "at", "for", "and", "but", "or", "as", "it", "its",
         "this", "that", "these", "those", "such", "once", "under", "after", "before",
         "while", "with", "we", "our", "they", "their", "he", "she", "his", "her", "i",
         "if", "when", "neither", "both", "each", "some", "many", "most", "other", "spread",
         "founded", "purchases", "delivering", "analysts", "investors", "shares", "still",
         "there", "here", "because", "although", "though", "last", "next", "since", "until",
         "according", "also", "meanwhile", "however", "yet", "so", "one", "two", "three",
         "prior", "to", "by", "from", "of", "chief", "separately", "series", "instead",
         "executive", "image", "follow", "vector", "skip", "read", "related", "more",
         "advertisement", "mr", "ms", "mrs"}


LOCATIVE = re.compile(r"\b(?:in|near|outside|across|throughout|based in|headquartered in)"
                       r"\s+(?:the\s+)?$")


