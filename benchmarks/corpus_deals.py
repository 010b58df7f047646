"""The newer vocabulary of the fact sheet in the synthetic articles of benchmarks/corpus.py: equity
stakes and acquisitions with their status and instrument, supply deals with quantities in
gigawatts, megawatts and chips, amounts with qualifiers and per-year or per-share amounts,
headcounts and users, clause lifecycles across articles (a later article extends, replaces or
ends an earlier article's partnership, by its id, without declaring it), and a few planted
conflicts between articles that `kg check` lists.

A mixin of corpus.Draft: it writes the sentences and the entries together, with the Draft's
random stream, so that everything still depends only on the seed and the article's number."""


from __future__ import annotations

from corpus_pool import MONTHS, Basics, Org, _money, basics, ev

# How the words qualify a number: (the words before it, the fact sheet's qualifier, weight).
QUALIFIERS = (("", "exact", 6), ("about ", "about", 5), ("more than ", "more-than", 3),
              ("at least ", "at-least", 1), ("up to ", "up-to", 2), ("less than ", "less-than", 1),
              ("exactly ", "exact", 1))
# Where a deal stands, as often as news reports it: (status, weight).
STATUSES = (("Talks", 3), ("Proposed", 2), ("NonBinding", 2), ("Definitive", 5),
            ("Completed", 3), ("Rejected", 1), ("Terminated", 1), ("Blocked", 1))
NON_BINDING = (("LetterOfIntent", "a non-binding letter of intent"),
               ("MemorandumOfUnderstanding", "a non-binding memorandum of understanding"),
               ("TermSheet", "a non-binding term sheet"))
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                10: "ten", 12: "twelve", 15: "fifteen"}
CHIPS = ("AI accelerators", "server chips", "modem chips", "custom processors")
LOOKBACK = 60  # how far back (in article numbers) a later article looks for an earlier one
# How often an article has each part (the probabilities the docstring of corpus.py gives).
P_EQUITY, P_SUPPLY, P_USERS, P_EARLIER = 0.3, 0.25, 0.15, 0.25  # headcounts: corpus_pool
# The planted conflicts, by article number (n % 100): an earlier announcement dated again, months
# off; an earlier partnership's end given again, two years later; an earlier article's
# headcount given again, two or three times too high.
MISDATED, MISENDED, MISCOUNTED = 17, 37, 71


def _amount(value, currency: str, text: str, qualifier: str, role: str, description: str,
            per: str | None = None) -> dict:
    amount = {"value": value, "currency": currency, "text": text}
    if qualifier != "exact":
        amount["qualifier"] = qualifier
    amount["role"] = role
    if per:
        amount["per"] = per
    amount["description"] = description
    return amount


def _quantity(value, unit: str, text: str, qualifier: str = "exact", **more) -> dict:
    quantity = {"value": value, "unit": unit, "text": text}
    if qualifier != "exact":
        quantity["qualifier"] = qualifier
    quantity.update(more)
    return quantity


def _month_words(day) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


class Deals:
    """The sections of an article that use the newer vocabulary (mixed into corpus.Draft)."""

    def newer(self, a: Org, b: Org, main: dict, announcement: dict) -> None:
        rng = self.rng
        if rng.random() < P_EQUITY:
            self.equity_deal(a, b)
        if rng.random() < P_SUPPLY:
            self.supply_deal(a, b)
        slot = self.n % 100
        if self.start.counted:
            self.headcount(self.start.counted, self.published.year - 1)
        if rng.random() < P_USERS:
            owned = self.pool.products.get(a.id, []) + self.pool.products.get(b.id, [])
            if owned:
                product = rng.choice(owned)
                sentence = f"{product.name} has more than {product.users} million users."
                self.product(product, sentence)
                self.link(self.products[product.id], quantities=[_quantity(
                    product.users * 1_000_000, "count", f"more than {product.users} million users",
                    "more-than", counts="users")])
                self.paragraph(sentence)
        if rng.random() < P_EARLIER:
            earlier = self.earlier()
            if earlier is not None:
                self.follow_up(earlier)
        if slot == MISDATED:
            earlier = self.earlier()
            if earlier is not None:
                self.misdate(earlier)
        if slot == MISCOUNTED:
            earlier = self.earlier(lambda e: e.counted is not None
                                   and e.counted is not self.start.counted)
            if earlier is not None:
                self.headcount(earlier.counted, earlier.published.year - 1, wrong=True)
        if slot == MISENDED:
            earlier = self.earlier(lambda e: "term" in e.kinds)
            if earlier is not None:
                self.misend(earlier)

    # ---------------------------------------------------------- helpers
    def qualify(self, allowed: tuple[str, ...] | None = None) -> tuple[str, str]:
        """The words that qualify a number, and the qualifier: ("about ", "about")."""
        choices = [q for q in QUALIFIERS if allowed is None or q[1] in allowed]
        words, qualifier, _ = self.rng.choices(choices, [q[2] for q in choices])[0]
        return words, qualifier

    def link(self, entry: dict, **fields) -> dict:
        """Add fields to an entry, its evidence kept last."""
        evidence = entry.pop("evidence")
        for key, value in fields.items():
            if value:
                entry[key] = entry.get(key, []) + value if isinstance(value, list) else value
        entry["evidence"] = evidence
        return entry

    def agreement(self, stamp: bool = True, **fields) -> dict:
        entry = {k: v for k, v in fields.items() if v is not None and v != []}
        if stamp:  # one article's agreement: its month names it too
            entry["name"] = f"{entry['name']} ({self.start.stamp})"
        entry["evidence"] = entry.pop("evidence")
        self.agreements.append(entry)
        return entry

    def add_clause(self, **fields) -> dict:
        entry = {k: v for k, v in fields.items() if v is not None and v != []}
        entry["name"] = f"{entry['name']} ({self.start.stamp})"
        entry["evidence"] = entry.pop("evidence")
        self.clauses.append(entry)
        return entry

    def earlier(self, fits=None) -> Basics | None:
        """One of the nearest articles before this one, by number and by publication date."""
        found = []
        for number in range(self.n - 1, max(-1, self.n - LOOKBACK), -1):
            start, _ = basics(number, self.seed, self.pool)
            if start.published < self.published and (fits is None or fits(start)):
                found.append(start)
                if len(found) == 4:
                    break
        return self.rng.choice(found) if found else None

    # ---------------------------------------------------------- stakes and acquisitions
    def equity_deal(self, a: Org, b: Org) -> None:
        rng = self.rng
        investor, target = (a, b) if rng.random() < 0.5 else self.pick_orgs(2, exclude=(a, b))
        acquisition = rng.random() < 0.4
        status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
        money_text, value, currency = _money(rng)
        words, qualifier = self.qualify()
        price = f"{words}{money_text}"
        kind = "acquisition" if acquisition else "investment"
        deal_id = f"{investor.id}-{target.id}-{kind}-{self.n}"
        if acquisition:
            what, name = f"buy {target.name} for {price}", f"{investor.short}’s acquisition of {target.short}"
        else:
            pct = rng.choice([5, 7.5, 10, 15, 19.9, 20, 25, 33, 40, 49])
            pct_words, pct_qualifier = self.qualify(("exact", "about", "up-to", "at-least"))
            pct_text = f"{pct_words}{pct:g} percent"
            what, name = (f"buy {pct_text} of {target.name} for {price}",
                          f"{investor.short}’s investment in {target.short}")
        inv, tgt, short = investor.name, target.name, investor.short
        instrument, binding, reported = None, None, False
        if status == "Talks":
            sentence = f"{inv} is in talks to {what}, according to people familiar with the matter."
            reported = True
        elif status == "Proposed":
            sentence = f"{inv} has offered to {what}."
        elif status == "NonBinding":
            instrument, document = rng.choice(NON_BINDING)
            sentence = f"{inv} and {tgt} signed {document} under which {short} would {what}."
            binding = False
        elif status == "Definitive":
            sentence = f"{inv} and {tgt} signed a definitive agreement under which {short} will {what}."
            instrument, binding = "Contract", True
        elif status == "Completed":
            sentence = f"{inv} completed its deal to {what}."
        elif status == "Rejected":
            sentence = f"{tgt} rejected an offer from {inv} to {what}."
        elif status == "Terminated":
            sentence = f"{inv} and {tgt} called off a plan under which {short} would {what}."
        else:
            sentence = f"Regulators blocked a plan by {inv} to {what}."
        quote = ev(sentence, reported=reported)
        self.org(investor, sentence)
        self.org(target, sentence)
        paragraph = [sentence]
        deal = self.agreement(
            id=deal_id, type="Acquisition" if acquisition else "Investment", name=name,
            description=f"{investor.name}’s {kind} in {target.name} ({status}).",
            status=status, instrument=instrument, binding=binding,
            parties=[investor.id, target.id], buyer=investor.id, target=target.id,
            amounts=[_amount(value, currency, price, qualifier, "price",
                             f"price of the {kind}")] if acquisition else None,
            evidence=[quote])
        if rng.random() < 0.5:
            worth_text, worth, worth_currency = _money(rng)
            worth_words, worth_qualifier = self.qualify(("exact", "about", "more-than", "at-least"))
            valued = f"The deal values {target.short} at {worth_words}{worth_text}."
            paragraph.append(valued)
            self.link(deal, amounts=[_amount(worth, worth_currency, f"{worth_words}{worth_text}",
                                             worth_qualifier, "valuation",
                                             f"valuation of {target.name}")])
            deal["evidence"].append(valued)
        stake = None
        if not acquisition:
            evidence = [quote]
            voting = None
            if rng.random() < 0.4:
                voting = rng.random() < 0.5
                said = (f"The stake carries full voting rights, {target.short} said." if voting
                        else f"The stake carries no voting power, {target.short} said.")
                evidence.append(said)
                paragraph.append(said)
            stake = self.add_clause(
                id=f"{deal_id}-stake", type="EquityStake", agreement=deal_id,
                name=f"{investor.short}’s {pct:g} percent stake in {target.short}",
                description=f"The stake {investor.name} takes in {target.name}.",
                holder=investor.id, issuer=target.id, voting=voting,
                quantities=[_quantity(pct, "percent", pct_text, pct_qualifier, of=target.id,
                                      measure="equity")],
                amounts=[_amount(value, currency, price, qualifier, "investment",
                                 f"what {investor.name} pays for the stake")],
                evidence=evidence)
        condition = None
        if status in ("NonBinding", "Definitive") and rng.random() < 0.7:
            year = self.published.year + 1
            closing = (f"The deal is subject to regulatory approval and is expected to close in "
                       f"the second half of {year}.")
            paragraph.append(closing)
            condition = self.add_clause(
                id=f"{deal_id}-regulatory-approval", type="Condition", agreement=deal_id,
                name=f"Regulatory approval of {name}", condition="RegulatoryApproval",
                description="The deal needs the approval of regulators.", evidence=[closing])
            self.event("Closing", f"{kind}-closing", f"{name} expected to close",
                       f"The {kind} is expected to close in the second half of {year}.",
                       [closing], planned=True, concerns=deal_id,
                       time={"from": f"{year}-07", "until": f"{year}-12",
                             "text": f"the second half of {year}"})
        if stake and condition:
            self.link(stake, subject_to=[condition["id"]])
        if acquisition and rng.random() < 0.6:
            per_share = rng.choice([12, 18.5, 24, 31, 48, 56.75, 72, 95, 130])
            paid = f"{short} will pay ${per_share:g} a share in cash for {target.short}."
            paragraph.append(paid)
            self.add_clause(
                id=f"{deal_id}-consideration", type="Consideration", agreement=deal_id,
                name=f"Price per share of {name}", description="What each share is paid.",
                buyer=investor.id, issuer=target.id,
                subject_to=[condition["id"]] if condition else None,
                amounts=[_amount(per_share, "USD", f"${per_share:g}", "exact", "price",
                                 f"price of each {target.name} share", per="share")],
                evidence=[paid])
        if acquisition and status == "Definitive" and rng.random() < 0.5:
            fee_text, fee, fee_currency = _money(rng)
            owed = f"{short} would owe {target.short} a {fee_text} breakup fee if the deal collapses."
            paragraph.append(owed)
            self.add_clause(
                id=f"{deal_id}-termination-fee", type="TerminationFee", agreement=deal_id,
                name=f"Breakup fee of {name}", description="The fee owed if the deal fails.",
                grants_right_to=[target.id], obligates=[investor.id],
                amounts=[_amount(fee, fee_currency, fee_text, "exact", "fee", "breakup fee")],
                evidence=[owed])
        participants = [investor.id, target.id]
        event = {"Talks": ("Negotiation", "talks"), "Proposed": ("Offer", "offer"),
                 "NonBinding": ("AgreementFormation", "signing"),
                 "Definitive": ("AgreementFormation", "signing"),
                 "Completed": ("Closing", "completion"), "Rejected": ("Offer", "offer"),
                 "Terminated": ("RelationshipChange", "called-off"),
                 "Blocked": ("LegalAction", "blocked")}[status]
        links = ({"establishes": deal_id} if event[0] == "AgreementFormation"
                 else {"concerns": deal_id})
        if status == "Terminated":
            links["terminates"] = [deal_id]
        first = self.event(event[0], f"{kind}-{event[1]}", f"{name}: {event[1].replace('-', ' ')}",
                           f"{name} ({status}).", [quote], participants=participants, **links)
        if status == "Rejected":
            self.event("Rejection", f"{kind}-rejection", f"{target.short} rejects {name}",
                       f"{target.name} rejects the offer.", [quote], participants=participants,
                       concerns=deal_id, caused_by=first["id"])
        self.paragraph(*paragraph)

    # ---------------------------------------------------------- supply deals
    def supply_deal(self, a: Org, b: Org) -> None:
        rng = self.rng
        seller, buyer = a, (b if rng.random() < 0.6 else self.pick_orgs(1, exclude=(a, b))[0])
        resource = self.start.deal[1]
        status = rng.choices(["Definitive", "NonBinding", "Talks"], [6, 2, 1])[0]
        words, qualifier = self.qualify(("exact", "about", "up-to", "more-than", "at-least"))
        years = rng.choice(list(NUMBER_WORDS))
        begins = self.published.year + rng.choice([0, 1, 2])
        form = rng.choice(["gigawatt", "megawatt", "count"])
        if form == "gigawatt":
            number = rng.choice([0.5, 1, 1.5, 2, 3, 4.5, 6, 10])
            text = f"{words}{number:g} gigawatts"
            things = f"{text} of {resource}"
            quantity = _quantity(number, "gigawatt", text, qualifier, measure="electric power")
        elif form == "megawatt":
            number = rng.choice([50, 120, 200, 300, 450, 800])
            text = f"{words}{number} megawatts"
            things = f"{text} of {resource}"
            quantity = _quantity(number, "megawatt", text, qualifier, measure="electric power")
        else:
            number = rng.choice([10_000, 50_000, 100_000, 250_000, 1_000_000])
            chips = rng.choice(CHIPS)
            text = f"{words}{number:,} {chips}"
            things = text
            quantity = _quantity(number, "count", text, qualifier, counts="chips")
        money_text, value, currency = _money(rng)
        money_words, money_qualifier = self.qualify(("exact", "about", "up-to", "more-than"))
        term = f"{NUMBER_WORDS[years]} years"
        deal = (f"buy {things} from {seller.name} over {term}, starting in {begins}, in a deal "
                f"worth {money_words}{money_text} a year")
        if status == "Talks":
            sentence = f"{buyer.name} is in talks to {deal}, according to people familiar with the matter."
            instrument, binding = None, None
        elif status == "NonBinding":
            sentence = f"{buyer.name} signed a non-binding memorandum of understanding to {deal}."
            instrument, binding = "MemorandumOfUnderstanding", False
        else:
            sentence = f"{buyer.name} signed a contract to {deal}."
            instrument, binding = "Contract", True
        quote = ev(sentence, reported=status == "Talks")
        self.org(buyer, sentence)
        self.org(seller, sentence)
        deal_id = f"{buyer.id}-{seller.id}-supply-agreement-{self.n}"
        name = f"{seller.short}’s {resource} deal with {buyer.short}"
        self.agreement(id=deal_id, type="SupplyAgreement", name=name,
                       description=f"{buyer.name} buys {resource} from {seller.name}.",
                       status=status, instrument=instrument, binding=binding,
                       parties=[buyer.id, seller.id], buyer=buyer.id, seller=seller.id,
                       starts={"year": begins, "text": f"starting in {begins}"},
                       evidence=[quote])
        kind = "PurchaseCommitment" if form == "count" else "CapacityCommitment"
        self.add_clause(
            id=f"{deal_id}-commitment", type=kind, agreement=deal_id,
            name=f"{buyer.short}’s commitment to buy {resource} from {seller.short}",
            description=f"What {buyer.name} commits to buy, and for how long.",
            obligates=[buyer.id], buyer=buyer.id, seller=seller.id,
            starts={"year": begins, "text": f"starting in {begins}"},
            quantities=[quantity, _quantity(years, "year", term, measure="term")],
            amounts=[_amount(value, currency, f"{money_words}{money_text}", money_qualifier,
                             "commitment", "yearly value of the commitment", per="year")],
            evidence=[quote])
        self.paragraph(sentence)

    # ---------------------------------------------------------- organizations' figures
    def headcount(self, org: Org, year: int, wrong: bool = False) -> None:
        """How many people an organization employs: the pool's figure, or (planted, `wrong`) one
        that contradicts it, which `kg check` lists against every article giving the right one."""
        # The pool's headcount, grown 10% a year since 2017: each year's is a measure of its own.
        people = int(round(org.employees * 1.1 ** (year - 2017), -2))
        people *= self.rng.choice([2, 3]) if wrong else 1
        sentence = f"{org.name} employed about {people:,} people at the end of {year}."
        entry = self.org(org, sentence, max_quotes=9)
        self.link(entry, quantities=[_quantity(
            people, "count", f"about {people:,} people", "about", counts="employees",
            measure=f"headcount at the end of {year}")])
        self.paragraph(sentence)

    # ---------------------------------------------------------- an earlier article's partnership
    def follow_up(self, e: Basics) -> None:
        """What became of the partnership an earlier article declares: referred to by its id,
        and named in the quotes by its name."""
        rng = self.rng
        domain, resource = e.deal[0], e.deal[1]
        until = max(e.term_year, self.published.year) + rng.randrange(1, 5)
        how = rng.choices(["extend", "replace", "end"], [4, 3, 3])[0]
        parties = [e.a.id, e.b.id]
        if how == "extend":
            sentence = (f"Separately, {e.a.name} and {e.b.name} agreed to extend the {e.main_name}, "
                        f"which they reworked in {_month_words(e.announced)}, through {until}.")
            new_id = f"{e.main_id}-extension-{self.n}"
            self.agreement(id=new_id, type="Partnership",
                           name=f"Extension of the {e.main_name} through {until}",
                           description=f"{e.a.name} and {e.b.name} extend their {domain} "
                                       "partnership.",
                           status="Definitive", parties=parties, extends=e.main_id,
                           ends={"year": until, "text": f"through {until}"}, evidence=[sentence])
            if "term" in e.kinds:
                self.add_clause(id=f"{new_id}-term", type="TermClause", agreement=new_id,
                                name=f"Term of the {e.main_name} through {until}",
                                description="The longer term of the partnership.",
                                extends=e.clause_id("term"),
                                ends={"year": until, "text": f"through {until}"},
                                evidence=[sentence])
            kind, name = "AgreementFormation", f"{e.a.short} and {e.b.short} extend their {domain} partnership to {until}"
            links = {"establishes": new_id}
            paragraph = [sentence]
        elif how == "replace":
            sentence = (f"{e.a.name} and {e.b.name} have replaced the {e.main_name} with a broader "
                        f"agreement that runs through {until}.")
            new_id = f"{e.a.id}-{e.b.id}-{domain.replace(' ', '-').lower()}-agreement-{self.n}"
            new_name = f"{e.a.short}–{e.b.short} {domain} agreement through {until}"
            self.agreement(id=new_id, type="Partnership", name=new_name,
                           description=f"The agreement that replaces the {e.main_name}.",
                           status="Definitive", parties=parties, supersedes=e.main_id,
                           ends={"year": until, "text": f"through {until}"}, evidence=[sentence])
            paragraph = [sentence]
            if "rofr" in e.kinds:
                back = (f"Under it, {e.b.short} again buys all of its {resource} from "
                        f"{e.a.short}, in place of the right of first refusal.")
                paragraph.append(back)
                self.add_clause(id=f"{new_id}-exclusivity", type="Exclusivity", agreement=new_id,
                                name=f"{e.a.short}’s renewed exclusivity on {e.b.short}’s {resource}",
                                description="The exclusivity that replaces the right of first "
                                            "refusal.", grants_right_to=[e.a.id],
                                obligates=[e.b.id],
                                supersedes=e.clause_id("right-of-first-refusal"),
                                evidence=[back])
            kind, name = "AgreementFormation", f"{e.a.short} and {e.b.short} replace their {domain} partnership"
            links = {"establishes": new_id}
        else:
            when = self.start.announced_words
            sentence = (f"{e.b.name} said {when} that it would end the {e.main_name}, its deal "
                        f"with {e.a.short}, which was last reworked in {_month_words(e.announced)}.")
            ended = [e.main_id] + ([e.clause_id("term")] if "term" in e.kinds else [])
            kind, name = "RelationshipChange", f"{e.b.short} ends the {e.main_name}"
            links = {"concerns": e.main_id, "terminates": ended,
                     "time": {"date": self.start.announced.isoformat(), "text": when,
                              "relative": True}}
            paragraph = [sentence]
        self.org(e.a, sentence)
        self.org(e.b, sentence)
        self.event(kind, f"follow-up-{how}", name, f"What became of the {e.main_name}.",
                   [sentence], participants=parties, **links)
        self.paragraph(*paragraph)

    def misdate(self, e: Basics) -> None:
        """A planted conflict: the earlier article's announcement declared again, dated a few
        months before the day that article gives it."""
        back = self.rng.randrange(2, 6)
        month = e.announced.month - back
        year = e.announced.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        words = f"{MONTHS[month - 1]} {year}"
        sentence = (f"{e.a.name} and {e.b.name} first announced changes to the {e.main_name} in "
                    f"{words}.")
        self.org(e.a, sentence)
        self.org(e.b, sentence)
        entry = {"id": e.announcement_id, "type": "Announcement", "name": e.announcement_name,
                 "description": f"The announcement of changes to the {e.main_name}.",
                 "participants": [e.a.id, e.b.id], "concerns": e.main_id,
                 "time": {"month": f"{year}-{month:02d}", "text": words},
                 "evidence": [sentence]}
        self.events.append(entry)
        self.paragraph(sentence)

    def misend(self, e: Basics) -> None:
        """A planted conflict: the earlier article's partnership declared again, running two
        years longer than that article says (an agreement has one end)."""
        until = e.term_year + 2
        sentence = (f"The {e.main_name} between {e.a.name} and {e.b.name} runs through "
                    f"{until}.")
        self.org(e.a, sentence)
        self.org(e.b, sentence)
        self.agreement(stamp=False, id=e.main_id, type="Partnership", name=e.main_name,
                       description=f"The {e.deal[0]} partnership of {e.a.name} and {e.b.name}.",
                       parties=[e.a.id, e.b.id], ends={"year": until, "text": f"through {until}"},
                       evidence=[sentence])
        self.paragraph(sentence)
