"""The cue lexicons of the drafter: the words that name a kind of deal, its status and
instrument, a kind of clause, a kind of event, and reporting ("according to", "reportedly")."""

from __future__ import annotations

import re


def _cues(table):
    return [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in table]


# First match wins: a purchase of capacity is a supply deal before it is an acquisition. The
# last, generic words ("the deal") name a kind only when no earlier agreement has the parties.
AGREEMENT_CUES = _cues([
    ("JointVenture", r"\bjoint venture\b|\bventure\b"),
    ("HiringDeal", r"\b(?:hire[sd]?|hiring|poach(?:ed|ing)?|acqui-?hire|joined)\b"),
    ("FinancingRound", r"\b(?:funding round|series [a-h]\b|financing round|round of funding|"
                       r"rais(?:e|es|ed|ing) (?:about |roughly |more than |nearly |some )?[$€£])"),
    ("SupplyAgreement", r"\b(?:suppl(?:y|ies|ier)|customer|client|vendor|computing power|"
                        r"compute|capacity|chips?|power purchase|offtake|electricity|"
                        r"gigawatts?|megawatts?|"
                        r"purchase agreement|contract to (?:buy|purchase))\b"),
    ("Investment", r"\b(?:invest(?:s|ed|ing|ment)?|stake)\b|\bbuy \d+(?:\.\d+)?\s*(?:%|"
                   r"percent)"),
    ("Acquisition", r"\b(?:acquir(?:e|es|ed|ing)|acquisition|buy(?:s|ing)?|bought|takeover|"
                    r"take over|merg(?:e|er|es|ed|ing)|paid\b[^.]{0,30}\bfor|purchase of)\b"),
    # In lower case: "Ostby Partners" is a name.
    ("Partnership", r"\b(?:(?<!general )(?<!managing )(?<!limited )(?-i:[Pp]artner(?:s|ed|ing|"
                    r"ship)?(?<!Partners))|"
                    r"collaborat\w*|alliance|tie-up|licens\w+)\b"),
    ("Acquisition", r"\b(?:approach(?:ed)?|(?:takeover |buyout )?(?:bid|offer|proposal) (?:for|to "
                    r"buy|worth)|offered|bidding)\b"),
])
APART = {"Rejected", "Terminated", "Proposed", "Talks", "NonBinding"}
JOINING = re.compile(r"\b(?:took part|participat\w+|joined the round|also invested|"
                     r"co-led)\b", re.I)
GENERIC = re.compile(r"\b(?:agreement|deal|pact|contract|arrangement|transaction|memorandum|"
                     r"letter of intent|term sheet)\b", re.I)
BOTH = re.compile(r"\b(?:the two|both) (?:companies|sides|firms)\b|\bthe pair\b", re.I)
STATUS_CUES = _cues([
    ("Blocked", r"\bblock(?:ed|s)?\b"),
    ("Terminated", r"\b(?:terminat\w+|called off|scrapped|abandoned|fell apart|collapsed|"
                   r"walked away)\b"),
    ("Rejected", r"\b(?:reject\w*|turned down|spurned|rebuffed)\b"),
    ("NonBinding", r"\b(?:non-?binding|memorandum of understanding|letter of intent|"
                   r"term sheet)\b"),
    ("Completed", r"\b(?:completed|closed the|finali[sz]ed|bought|paid)\b"),
    ("Definitive", r"\b(?:agreed to|has agreed|have agreed|signed|definitive|struck|"
                   r"reached an? (?:deal|agreement))\b"),
    ("Talks", r"\b(?:in talks|talks|discussions|negotiat\w+|exploring)\b"),
    ("Proposed", r"\b(?:offer(?:ed|s)?|proposed|proposal|bid)\b"),
])
INSTRUMENT_CUES = _cues([
    ("MemorandumOfUnderstanding", r"\bmemorandum of understanding\b"),
    ("LetterOfIntent", r"\bletter of intent\b"), ("TermSheet", r"\bterm sheet\b"),
    ("Contract", r"\bcontract\b"),
])
CLAUSE_CUES = _cues([
    ("RightOfFirstRefusal", r"\bright of first refusal\b|\bROFR\b"),
    ("TerminationFee", r"\b(?:termination|break-?up|break|reverse break-?up) fee\b|"
                       r"\bowe\w* [^.]{0,60}\bfee\b"),
    ("EscapeClause", r"\bescape clause\b|\bexit clause\b|\bclause that would (?:end|terminate|"
                     r"cut|close)"),
    ("Exclusivity", r"\bexclusiv\w*\b|\bno other\b|\bsole\b"),
    ("RevenueShare", r"\brevenue[- ]shar\w*|\broyalt\w+"),
    ("Warrant", r"\bwarrants?\b"),
    ("EquityStake", r"\b(?:stake|equity)\b|\bowns? (?:about |roughly |nearly )?\d+(?:\.\d+)?"
                    r"\s*(?:%|percent)(?!\w)|\bbuy \d+(?:\.\d+)?\s*(?:%|percent) of\b"),
    ("LicenceRights", r"\blicen[cs]\w*|\brights to\b|\bintellectual property\b"),
    ("Governance", r"\bboard seats?\b|\bseats? on\b|\bdirectors\b|\bboard will\b|"
                   r"\b(?:join|stay|remain|sit|seat)(?:s|ed)? on (?:the|its|\w+(?:’s|'s)) board\b|"
                   r"\bjoin(?:s|ed)? (?:the|its|\w+(?:’s|'s)) board\b|\bboard (?:seat|member)|"
                   r"\bvoting\b|\bgovernance\b|\bcontrol of\b"),
    ("Condition", r"\bsubject to\b|\bapproval\w*\b|\bclearance\b|\bconditions?\b|"
                  r"\bcontingent\b|\bmilestones?\b|\bif (?:it|they|the|regulators|\w+) [^.]{0,40}"
                  r"\b(?:block|back|fall|fail|terminat|walk)\w*"),
    ("CapacityCommitment", r"\b(?:deploy|roll(?:s|ing)? out|supply|deliver|provide|build|buy)\w*"
                           r"\b[^.]{0,40}\b(?:giga|mega)watts?\b"),
    ("PurchaseCommitment", r"\bcommit(?:ted|ment|s)? to (?:buy|purchase|spend)|"
                           r"\bpurchase commitment|\bto (?:buy|purchase) (?:about |roughly )?\$"),
    ("Consideration", r"\bupfront\b|\bup-front\b|\bmilestone payments?\b|\bin cash\b|"
                      r"\bin stock\b|\ball-stock\b|\ball-cash\b|\bper share\b|\ba share\b"),
    ("TermClause", r"\bruns? through\b|\bterm of\b|\bexpires?\b|\b\d+-year (?:term|contract|"
                   r"agreement|deal|pact)\b"),
    ("Permission", r"\b(?:option to|allow(?:s|ed)?|permit(?:s|ted)?|approved [^.]{0,30}ability|"
                   r"free to|may now)\b"),
    ("Covenant", r"\b(?:will remain|remain available|will not|agreed not to|non-?compete|"
                 r"will continue to|stay on|will (?:become|design|develop|deploy|keep|"
                 r"provide|supply|sell|use|run|pay|build|share|distribute))\b"),
])
SEVERAL = {"Condition", "Covenant", "Exclusivity", "Permission"}
VALUED = re.compile(r"[$€£¥]\s?\d|\d\s?(?:%|percent\b)")
CONDITION_KINDS = _cues([("RegulatoryApproval", r"regulat\w+|antitrust|clearance"),
                         ("CustomaryConditions", r"customary"), ("Milestone", r"milestone"),
                         ("Deadline", r"\bdeadline\b|\bby the end of\b")])
EVENT_CUES = _cues([
    ("MarketMove", r"\b(?:shares|stock)\b[^.]{0,30}\b(?:rose|fell|jumped|climbed|dropped|"
                   r"slid|gained|surged|sank|tumbled)\b"),
    ("LegalAction", r"\b(?:lawsuits?|sued|sues|antitrust (?:suit|case)s?|investigation)\b"),
    ("Rejection", r"\b(?:rejected|turned down|spurned|rebuffed)\b"),
    ("Closing", r"\b(?:to close|closing|completed|closed)\b"),
    ("Hiring", r"\b(?:hired|hires|hire|appointed|named [^.]{0,30} as|joined)\b"),
    ("LeadershipChange", r"\b(?:ousted|stepped down|steps down|resign\w*|taking over as|"
                         r"took over as|replac\w+ [^.]{0,20} as)\b"),
    ("RelationshipChange", r"\b(?:cut ties|pull(?:s|ing|ed)? back|winding down|strained|"
                           r"deepen\w*|reliance|moved beyond|rewrite|rift|tensions?|tie-up)\b"),
    ("Departure", r"\b(?:leav(?:e|es|ing)|departed|departure)\b"),
    ("Founding", r"\bfounded\b"),
    ("Deliberation", r"\b(?:consider\w*|weigh(?:s|ed|ing)|exploring|mull\w*|reviewing)\b"),
    ("Offer", r"\b(?:offered|offer|bid|approach(?:ed)?)\b"),
    ("Negotiation", r"\b(?:talks|negotiat\w+)\b"),
    ("AgreementFormation", r"\b(?:agreed to|has agreed|have agreed|signed|struck|"
                           r"finali[sz]ed a deal|reached an? (?:deal|agreement)|partner(?:ed)? "
                           r"with|bought|acquired|took a stake|invested)\b"),
    ("Announcement", r"\b(?:announc\w+|unveil\w*|said on|confirmed)\b"),
    ("FinancialResult", r"\b(?:revenue|brought in|profit\w*|earnings|results|backlog|"
                        r"performance obligations|loss(?:es)?)\b"),
    ("Report", r"\breported\b|\baccording to\b"),
    ("Statement", r"\b(?:said|says|told|wrote)\b"),
    ("Reaction", r"\b(?:angered|welcomed|criticized|criticised|criticism|praised|concerns?|"
                 r"electrified|puzzle|declined to comment|opposes|opposition|urged)\b"),
])
SOURCE_BEFORE = re.compile(r"\b(?:according to|citing|reported by)\s+(?:the\s+)?$",
                            re.IGNORECASE)


# What others say, beyond the build's reporting words: unnamed sources and spokespeople.
SECONDHAND = re.compile(r"\bfamiliar with\b|\bciting\b|\bsources?\b|\bspokes(?:person|man|"
                        r"woman)\b|\bpeople close to\b|\bis said to\b|\bare said to\b|"
                        r"\b(?:companies|company|people|firms?|two) (?:said|say|says|told)\b",
                        re.IGNORECASE)
