"""Synthetic fact bases for tests and benchmarks: ``python benchmarks/synth.py N OUT [--seed S]``.

A development tool of the repository, not part of the installed package: it copies
the repository's own reference templates (``--repo DIR``, by default the checkout
this file is in).

Writes a complete project root of ``N`` facts that ``briefing check`` accepts
without errors and ``briefing build`` turns into a site:

* ``facts/sources.yaml``: about one source per twenty facts, of every kind and
  from a pool of plausible publishers;
* ``facts/<topic>-<programme>.yaml``: facts in files of 100 records, mixing
  yen and dollar amounts (many with a dollar or yen conversion in the quote and
  a reference exchange-rate fact per file), counts, percentages, years,
  ranges, lists of names, texts and dates, with qualifiers, periods, notes and
  1-3 citations whose quotes state the figure in its usual written forms; a few
  facts carry a differing ``states:`` figure, a wrong conversion or an
  editor's status, as real fact bases do (warnings, never errors);
* ``facts/reviews.yaml``: a review for about one fact in a hundred;
* ``templates/``: one page per topic file placing each fact with ``fig()``,
  an index, the reference pages of disagreements and fact checks copied from
  the repository's own ``templates/``, and the Facts and Sources pages split as
  a large fact base needs them (``facts/[topic].md.j2``: the records of one
  briefing a page; ``sources/[letter].md.j2``: the sources by initial), so
  that no page grows with the fact base;
* ``docs/`` and ``mkdocs.yml``, whose navigation holds the overview and the
  reference pages (the overview lists every briefing), so that the navigation
  every page carries does not grow with the fact base either.

The output depends only on ``N`` and the seed: the same call writes the same
bytes. File names and page headings carry no digits, since headings are prose
that the figure promise scans.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import random
import re
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

#: Facts per topic file.
PER_FILE = 100
#: The repository's reference page templates, copied into the synthetic root. The Facts and Sources
#: pages are split instead (see SPLIT_TEMPLATES): one page per briefing's facts, one per letter of sources.
REFERENCE_TEMPLATES = ("_macros.j2", "disagreements.md.j2", "fact-checks.md.j2")
#: The checkout whose templates/ and docs/assets/ are copied (this file is in its benchmarks/ folder).
REPO_ROOT = Path(__file__).resolve().parent.parent

FIRST_DAY = dt.date(2021, 1, 4)
LAST_DAY = dt.date(2025, 12, 19)  # latest as_of and publication date
LAST_READ = dt.date(2026, 6, 30)  # latest date a source was read; "today" of the data (BRIEFING_TODAY=2026-07-01)
RECENT_READ = dt.date(2025, 9, 1)

TOPICS = [
    ("funding", "public funding"), ("semiconductors", "chip manufacturing"), ("robotics", "robot deployment"),
    ("energy", "the power grid"), ("telecoms", "mobile networks"), ("health", "hospital digitisation"),
    ("transport", "autonomous transport"), ("labour", "the labour market"), ("trade", "export controls"),
    ("research", "university research"), ("space", "satellite launches"), ("climate", "emission cuts"),
    ("agriculture", "smart farming"), ("finance", "digital payments"), ("education", "digital schooling"),
    ("defence", "defence procurement"), ("housing", "housing supply"), ("tourism", "inbound tourism"),
    ("water", "water infrastructure"), ("cities", "smart cities"),
]
PROGRAMME_HEADS = [
    "Hika", "Tsuba", "Kaze", "Mira", "Sora", "Yama", "Kiri", "Naga", "Haru", "Aki", "Tomo", "Rei", "Shin", "Kei",
    "Taka", "Yoshi", "Masa", "Nori", "Hoshi", "Kumo", "Umi", "Mori", "Fuyu", "Natsu", "Asa",
]
PROGRAMME_TAILS = ["ri", "sa", "to", "ne", "ka", "mi", "ra", "ko", "ya", "no", "se", "ma"]
PROGRAMME_EXTRA = ["", " Next", " Plus", " West", " East", " North", " South", " Prime"]

PUBLISHERS = {
    "government": [
        ("Ministry of Economy, Trade and Industry", "meti.go.jp"), ("Cabinet Office", "cao.go.jp"),
        ("Ministry of Finance", "mof.go.jp"), ("Ministry of Internal Affairs and Communications", "soumu.go.jp"),
        ("New Energy and Industrial Technology Development Organization", "nedo.go.jp"),
        ("Ministry of Health, Labour and Welfare", "mhlw.go.jp"), ("Digital Agency", "digital.go.jp"),
        ("Ministry of Land, Infrastructure, Transport and Tourism", "mlit.go.jp"),
        ("Ministry of Education, Culture, Sports, Science and Technology", "mext.go.jp"),
        ("Ministry of the Environment", "env.go.jp"), ("Japan Aerospace Exploration Agency", "jaxa.jp"),
    ],
    "wire": [
        ("Kyodo News", "kyodonews.net"), ("Jiji Press", "jiji.com"), ("Reuters", "reuters.com"),
        ("Bloomberg", "bloomberg.com"), ("Associated Press", "apnews.com"), ("Agence France-Presse", "afp.com"),
    ],
    "news": [
        ("The Japan Times", "japantimes.co.jp"), ("Nikkei Asia", "asia.nikkei.com"), ("The Asahi Shimbun", "asahi.com"),
        ("The Mainichi", "mainichi.jp"), ("The Yomiuri Shimbun", "yomiuri.co.jp"), ("NHK World", "nhk.or.jp"),
        ("Financial Times", "ft.com"), ("The Wall Street Journal", "wsj.com"), ("South China Morning Post", "scmp.com"),
        ("The Korea Herald", "koreaherald.com"), ("TechCrunch", "techcrunch.com"), ("Rest of World", "restofworld.org"),
    ],
    "analysis": [
        ("Center for Strategic and International Studies", "csis.org"), ("Tokyo Foundation for Policy Research", "tkfd.or.jp"),
        ("RAND Corporation", "rand.org"), ("Brookings Institution", "brookings.edu"), ("Japan Research Institute", "jri.co.jp"),
        ("Mitsubishi Research Institute", "mri.co.jp"), ("Nomura Research Institute", "nri.com"),
    ],
    "aggregator": [
        ("Gate", "gate.com"), ("Yahoo! News Japan", "news.yahoo.co.jp"), ("SmartNews", "smartnews.com"),
        ("NewsPicks", "newspicks.com"), ("Flipboard", "flipboard.com"),
    ],
    "dataset": [
        ("Statistics Bureau of Japan (e-Stat)", "e-stat.go.jp"), ("International Federation of Robotics", "ifr.org"),
        ("OECD Data Explorer", "data-explorer.oecd.org"), ("World Bank Open Data", "data.worldbank.org"),
        ("IMF Data", "data.imf.org"), ("Japan Robot Association", "jara.jp"),
    ],
}
KIND_WEIGHTS = {"government": 15, "wire": 15, "news": 35, "analysis": 15, "aggregator": 10, "dataset": 10}
COMPANIES = [
    "SoftBank", "NEC", "Sony Group", "Honda", "Fujitsu", "Hitachi", "Toyota", "Panasonic", "Toshiba",
    "Mitsubishi Electric", "Fanuc", "Yaskawa Electric", "Kawasaki Heavy Industries", "Preferred Networks",
    "Sakana AI", "Rakuten", "NTT", "KDDI", "Denso", "Omron", "Kyocera", "Renesas Electronics", "Rapidus",
    "Tokyo Electron", "Murata Manufacturing", "Keyence", "Sharp", "Canon", "Nikon", "Takeda", "Astellas",
    "Mitsui", "Sumitomo", "Marubeni", "Itochu", "Nissan", "Subaru", "Mazda", "Seiko Epson", "Ricoh",
]
BODIES = ["the industry ministry", "the Cabinet Office", "NEDO", "the finance ministry", "the Digital Agency", "the government"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
OPENINGS = [
    "In a statement released on Tuesday,", "According to the draft seen by reporters,", "Speaking at a press conference,",
    "The document, approved by the cabinet, says", "People familiar with the matter said", "In its latest update,",
    "Under the revised strategy,", "The minister told lawmakers that", "As reported earlier this week,",
]
CLOSINGS = [
    "officials said", "pending approval by the Diet", "the report added", "though details remain to be settled",
    "a spokesperson confirmed", "the ministry said in a written answer", "subject to yearly reviews",
]
NOTES = [
    "A ceiling, not a fixed budget: later tranches depend on yearly reviews, so the amount finally paid may stay below it.",
    "The sources round this figure differently; the desk records the most precise one and keeps the others as citations.",
    "Stated in a press conference and repeated in the written release; the release is the wording quoted first.",
    "The span is the desk's reading of the announcement, which gives no exact dates for the start and the end.",
    "The wire report and the ministry's release agree; later coverage repeats the wire report without new information.",
    "Projections, not commitments: the strategy calls them goals and attaches no penalty to missing them.",
]
NUMBER_WORDS = "one two three four five six seven eight nine ten eleven twelve".split()

COUNT_UNITS = {
    # unit: (label noun phrases, quote noun, value range (low, high), big numbers may be scaled)
    "robots": (["AI robots to be deployed", "service robots in use", "industrial robots installed"], "robots", (2_000, 20_000_000)),
    "companies": (["companies taking part", "member firms", "suppliers certified"], "companies", (3, 900)),
    "investors": (["expected investors", "private backers"], "investors", (5, 250)),
    "sectors": (["sectors covered", "industries targeted"], "sectors", (3, 20)),
    "people": (["engineers to be trained", "workers affected", "researchers hired"], "people", (200, 3_000_000)),
    "models": (["foundation models planned", "model releases scheduled"], "models", (1, 12)),
    "years": (["length of the programme", "duration of the subsidy"], "years", (2, 12)),
}
KIND_MIX = [
    ("jpy", 22), ("usd", 10), ("count", 20), ("percent", 12), ("year", 7), ("range", 5),
    ("names", 8), ("text", 8), ("date", 8),
]


@dataclass
class SourceSpec:
    id: str
    title: str
    publisher: str
    kind: str
    domain: str
    url: str | None
    archive_url: str | None
    published: dt.date | None
    accessed: dt.date


@dataclass
class Citation:
    source: str
    quote: str
    locator: str | None = None
    states: Decimal | None = None


@dataclass
class FactSpec:
    id: str
    label: str
    value: object
    unit: str
    as_of: dt.date
    qualifier: str = "exact"
    period: str | None = None
    status: str | None = None
    note: str | None = None
    citations: list[Citation] = field(default_factory=list)
    comment: str | None = None


# -- numbers in words ------------------------------------------------------------

SCALES = [(Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")]
QUALIFIER_PHRASES = {
    "exact": [""],
    "about": ["about ", "approximately ", "around ", "roughly ", "nearly "],
    "up-to": ["up to ", "as much as ", "a maximum of "],
    "at-least": ["at least ", "no less than "],
    "more-than": ["more than ", "over ", "in excess of "],
    "less-than": ["less than ", "under "],
}


def plain(value: Decimal) -> str:
    """``Decimal`` without exponent or trailing zeros."""
    text = format(value.normalize(), "f")
    return text


def grouped(value: Decimal) -> str:
    whole = int(value)
    return f"{whole:,}" if value == whole else f"{whole:,}" + plain(value - whole)[1:]


def scaled(value: Decimal) -> tuple[str, str] | None:
    """``("387.3", "billion")`` for 387300000000; ``None`` below a million."""
    for size, word in SCALES:
        if abs(value) >= size:
            return plain(value / size), word
    return None


def sig(value: Decimal, digits: int) -> Decimal:
    """``value`` rounded to ``digits`` significant digits."""
    if not value:
        return value
    return value.quantize(Decimal(1).scaleb(value.adjusted() - digits + 1)).normalize()


def date_words(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# -- the generator -----------------------------------------------------------------


class Synth:
    """Draws every record from one seeded random stream."""

    def __init__(self, n: int, seed: int = 0) -> None:
        self.n = n
        self.rng = random.Random(f"briefing-synth:{seed}:{n}")
        self.files = (n + PER_FILE - 1) // PER_FILE
        self.sources: list[SourceSpec] = []
        self.rates: list[FactSpec] = []
        self.programmes = self._programmes(self.files)

    # ---- helpers
    def day(self, start: dt.date = FIRST_DAY, end: dt.date = LAST_DAY) -> dt.date:
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def opening(self) -> str:
        """A clause that sources put before the figure (no digits)."""
        if self.rng.random() < 0.3:
            return ""
        return self.rng.choice(OPENINGS) + " "

    def closing(self) -> str:
        if self.rng.random() < 0.5:
            return ""
        return ", " + self.rng.choice(CLOSINGS)

    def pick_qualifier(self, weights=(55, 14, 12, 7, 8, 4)) -> str:
        return self.rng.choices(list(QUALIFIER_PHRASES), weights=weights)[0]

    def phrase(self, qualifier: str) -> str:
        return self.rng.choice(QUALIFIER_PHRASES[qualifier])

    def _programmes(self, count: int) -> list[tuple[str, str, str]]:
        """(file stem, topic title, programme name) per file, all distinct and free of digits."""
        names = [h + t + e for e in PROGRAMME_EXTRA for h in PROGRAMME_HEADS for t in PROGRAMME_TAILS]
        if count > len(names) * len(TOPICS):
            raise ValueError(f"at most {len(names) * len(TOPICS) * PER_FILE} facts")
        order = list(range(len(names)))
        self.rng.shuffle(order)
        out = []
        for i in range(count):
            topic, theme = TOPICS[i % len(TOPICS)]
            name = names[order[i // len(TOPICS)]]
            out.append((f"{topic}-{slug(name)}", theme, name))
        return out

    # ---- sources
    def make_sources(self) -> None:
        count = max(8, self.n // 20)
        kinds = list(KIND_WEIGHTS)
        seen: set[str] = set()
        for i in range(count):
            kind = kinds[i] if i < len(kinds) else self.rng.choices(kinds, weights=list(KIND_WEIGHTS.values()))[0]
            publisher, domain = self.rng.choice(PUBLISHERS[kind])
            topic, theme = self.rng.choice(TOPICS)
            title = self._title(kind, theme, publisher)
            base = f"{slug(publisher)[:24].strip('-')}-{slug(theme)[:20].strip('-')}"
            sid = base
            k = 2
            while sid in seen:
                sid, k = f"{base}-{k}", k + 1
            seen.add(sid)
            published = self.day() if self.rng.random() < 0.8 else None
            # most sources were re-read within the last year before LAST_READ; some were not (stale)
            since = max(published or FIRST_DAY, RECENT_READ) if self.rng.random() < 0.75 else (published or FIRST_DAY)
            accessed = self.day(since, LAST_READ)
            url = None
            if self.rng.random() < 0.9:
                path = "/".join([str((published or accessed).year), f"{(published or accessed).month:02d}", slug(title)[:60].strip("-")])
                url = f"https://www.{domain}/{path}"
            archive = f"https://web.archive.org/web/{accessed:%Y%m%d}000000/{url}" if url and self.rng.random() < 0.3 else None
            self.sources.append(SourceSpec(sid, title, publisher, kind, domain, url, archive, published, accessed))

    def _title(self, kind: str, theme: str, publisher: str) -> str:
        thing = theme[0].upper() + theme[1:]
        n = self.rng.randrange(2, 60)
        options = {
            "government": [f"Basic policy on {theme}", f"Budget request for {theme}, fiscal {self.rng.randrange(2021, 2027)}",
                           f"Revised strategy for {theme}", f"Press release: support measures for {theme}"],
            "wire": [f"Japan to expand support for {theme}", f"Government unveils {n} measures on {theme}",
                     f"Tokyo sets targets for {theme}"],
            "news": [f"{thing}: what Japan's new plan means", f"Inside Japan's push on {theme}",
                     f"Why {theme} is Tokyo's next big bet", f"{thing} plan draws {n} companies"],
            "analysis": [f"Assessing Japan's {theme} strategy", f"{thing} in Japan: costs, risks and targets",
                         f"Working paper: the economics of {theme}"],
            "aggregator": [f"Japan {theme} plan, summarised", f"Top stories on {theme}"],
            "dataset": [f"Statistical tables on {theme}", f"{thing} indicators, annual series"],
        }
        return self.rng.choice(options[kind])

    def cite_sources(self) -> list[SourceSpec]:
        k = self.rng.choices([1, 2, 3], weights=[25, 50, 25])[0]
        return self.rng.sample(self.sources, min(k, len(self.sources)))

    # ---- exchange rates
    @staticmethod
    def rate_on(day: dt.date) -> Decimal:
        """A smooth yen-per-dollar path, to one decimal."""
        t = (day - FIRST_DAY).days
        return Decimal(f"{103 + 0.03 * t + 6 * math.sin(t / 97):.1f}")

    def reference(self, day: dt.date) -> Decimal:
        """The rate the checker will pick for a fact dated ``day``: nearest date, then smallest id."""
        if not hasattr(self, "_rate_days"):
            first: dict[dt.date, FactSpec] = {}
            for f in sorted(self.rates, key=lambda f: f.id):
                first.setdefault(f.as_of, f)
            self._rate_days = sorted(first)
            self._rate_first = first
        days = self._rate_days
        at = bisect.bisect_left(days, day)
        near = [self._rate_first[d] for d in days[max(0, at - 1) : at + 1]]
        best = min(near, key=lambda f: (abs((f.as_of - day).days), f.id))
        return best.value  # type: ignore[return-value]

    # ---- amounts as sources write them
    def yen_text(self, value: Decimal) -> str:
        s = scaled(value)
        forms = []
        if s:
            m, w = s
            forms += [f"{m} {w} yen", f"{m} {w} yen", f"¥{m} {w}", f"JPY {m} {w}"]
            if w != "million":
                forms.append(f"¥{m}{'bn' if w == 'billion' else 'tn'}")
        if value < Decimal(10) ** 13:
            forms.append(f"{grouped(value)} yen")
        return self.rng.choice(forms)

    def dollar_text(self, value: Decimal) -> str:
        s = scaled(value)
        if not s:
            return self.rng.choice([f"${grouped(value)}", f"US${grouped(value)}"])
        m, w = s
        forms = [f"${m} {w}", f"US${m} {w}", f"{m} {w} USD", f"USD {m} {w}", f"{m} {w} dollars"]
        forms.append("$" + m + {"million": "M", "billion": "bn", "trillion": "tn"}[w])
        return self.rng.choice(forms)

    def count_text(self, value: Decimal, noun: str) -> str:
        if value <= len(NUMBER_WORDS) and value == int(value) and self.rng.random() < 0.5:
            return f"{NUMBER_WORDS[int(value) - 1]} {noun}"
        s = scaled(value)
        if s and self.rng.random() < 0.6:
            return f"{s[0]} {s[1]} {noun}"
        return f"{grouped(value)} {noun}"

    def percent_text(self, value: Decimal) -> str:
        v = plain(value)
        return self.rng.choice([f"{v}%", f"{v}%", f"{v} percent", f"{v} per cent"])

    def mantissa_amount(self, low_exp: int, high_exp: int) -> Decimal:
        """A round-looking amount between 10**low_exp and 10**high_exp (e.g. 387.3 billion)."""
        exp = self.rng.randrange(low_exp, high_exp)
        digits = self.rng.choice([1, 2, 2, 3, 3, 4])
        mant = Decimal(self.rng.randrange(10 ** (digits - 1), 10**digits))
        return (mant * Decimal(10) ** exp / Decimal(10) ** (digits - 1)).normalize()

    # ---- facts
    def make_rate(self, fid: str, day: dt.date) -> FactSpec:
        rate = self.rate_on(day)
        fact = FactSpec(fid, "Reference yen-dollar exchange rate used for conversions", rate, "JPY-per-USD", day, qualifier="about")
        fact.note = "Not an official rate: the rate implied by a wire report giving an amount in both currencies."
        return fact

    def rate_quote(self, rate: Decimal) -> str:
        yen = self.mantissa_amount(9, 12)
        usd = sig(yen / rate, 4)
        return f"{self.yen_text(yen)} (approximately {plain(usd / 10**9)} billion USD)" if usd >= 10**9 else (
            f"{self.yen_text(yen)} (approximately {plain(usd / 10**6)} million USD)"
        )

    def make_fact(self, fid: str, file_index: int) -> FactSpec:
        stem, theme, programme = self.programmes[file_index]
        kind = self.rng.choices([k for k, _ in KIND_MIX], weights=[w for _, w in KIND_MIX])[0]
        day = self.day()
        make = getattr(self, f"_fact_{kind}")
        fact: FactSpec = make(fid, day, theme, programme)
        self._decorate(fact)
        return fact

    def _decorate(self, fact: FactSpec) -> None:
        r = self.rng.random()
        if r < 0.004:
            fact.status, fact.note = "disputed", "The desk doubts this figure: the ministry has not confirmed it on the record."
        elif r < 0.006:
            fact.status, fact.note = "retracted", "Withdrawn by the desk after the publisher corrected its report."
        elif r < 0.4 and fact.note is None:
            fact.note = self.rng.choice(NOTES)
        if self.rng.random() < 0.05:
            fact.comment = self.rng.choice(["checked against the original release", "figure confirmed by phone with the ministry", "see the editors' log for the wording"])
        for c in fact.citations:
            if self.rng.random() < 0.2:
                c.locator = self.rng.choice(["first paragraph", "summary", "table of key figures", "press conference transcript", "page three"])

    def _amount_citations(self, fact: FactSpec, text_of, lead_ins, tails, convert=None) -> None:
        for src in self.cite_sources():
            qual = fact.qualifier if self.rng.random() < 0.85 else "exact"
            said = self.phrase(qual) + text_of(fact.value)
            if convert is not None and self.rng.random() < 0.5:
                said += f" ({self.phrase(self.rng.choice(['exact', 'about']))}{convert(fact)})"
            quote = f"{self.opening()}{self.rng.choice(lead_ins)} {said} {self.rng.choice(tails)}{self.closing()}"
            fact.citations.append(Citation(src.id, quote))
        self._maybe_disagree(fact, text_of)

    def _maybe_disagree(self, fact: FactSpec, text_of) -> None:
        if len(fact.citations) >= 2 and isinstance(fact.value, Decimal) and self.rng.random() < 0.02:
            other = sig(fact.value * Decimal(self.rng.choice(["0.5", "0.7", "1.4", "2"])), 2)
            if fact.unit == "percent":
                other = min(other, Decimal(99))
            elif fact.unit not in ("JPY", "USD"):
                other = max(Decimal(1), other.quantize(Decimal(1)))
            c = fact.citations[-1]
            # the checker reads the source's own figure from the quote: no 'states:' needed
            c.quote = f"{self.rng.choice(['Another report put it at', 'One outlet gave'])} {text_of(other)}"

    def _fact_jpy(self, fid, day, theme, programme) -> FactSpec:
        value = self.mantissa_amount(8, 13)
        label = self.rng.choice([f"Public funding ceiling for {programme}", f"First-year allocation for {programme}",
                                 f"Government subsidy for {theme}", f"Budget set aside for {theme}", f"Capital raised by {programme}"])
        fact = FactSpec(fid, label, value, "JPY", day, qualifier=self.pick_qualifier())
        if self.rng.random() < 0.4:
            y = day.year
            fact.period = self.rng.choice([f"FY{y}", f"FY{y}-FY{y + 4}", f"{y}-{y + 2}"])
        rate = self.reference(day)
        wrong = self.rng.random() < 0.005

        def convert(f: FactSpec) -> str:
            usd = sig(f.value / rate, 3)
            if wrong:
                usd = sig(usd / 1000, 3)
            return self.dollar_text(usd)

        self._amount_citations(
            fact, self.yen_text,
            ["the ministry said it would provide", "the government plans to spend", "the budget sets aside",
             f"{programme} is expected to receive", "officials earmarked", "the plan commits"],
            [f"for {theme}", "over the next five years", f"in fiscal {day.year}", "according to the draft budget", "to the programme"],
            convert,
        )
        return fact

    def _fact_usd(self, fid, day, theme, programme) -> FactSpec:
        value = self.mantissa_amount(6, 11)
        label = self.rng.choice([f"Foreign investment pledged to {programme}", f"Dollar value of contracts for {theme}",
                                 f"Venture funding raised for {theme}"])
        fact = FactSpec(fid, label, value, "USD", day, qualifier=self.pick_qualifier())
        rate = self.reference(day)
        self._amount_citations(
            fact, self.dollar_text,
            ["investors pledged", "the deal is worth", "the companies raised", "contracts totalling"],
            [f"for {theme}", "this year", "according to people familiar with the matter", "the filing shows"],
            lambda f: self.yen_text(sig(f.value * rate, 3)),
        )
        return fact

    def _fact_count(self, fid, day, theme, programme) -> FactSpec:
        unit = self.rng.choice(list(COUNT_UNITS))
        labels, noun, (lo, hi) = COUNT_UNITS[unit]
        raw = Decimal(int(10 ** self.rng.uniform(math.log10(lo), math.log10(hi))))
        value = max(Decimal(lo), min(Decimal(hi), sig(raw, self.rng.choice([1, 2, 2, 3])))).quantize(Decimal(1))
        fact = FactSpec(fid, f"{self.rng.choice(labels).capitalize()} under {programme}", value, unit, day, qualifier=self.pick_qualifier())
        if unit == "years":
            fact.label = f"Length of the {programme} programme"
            leads, tails = ["the programme will run for", "the subsidy is granted for"], ["under the plan", f"from fiscal {day.year}"]
        else:
            leads = ["the plan envisages", "officials expect", "the strategy counts", "the ministry aims for", "the survey found"]
            tails = [f"in {theme}", f"by {day.year + self.rng.randrange(3, 15)}", "nationwide", "across the country", "so far"]
        self._amount_citations(fact, lambda v: self.count_text(v, noun), leads, tails)
        return fact

    def _fact_percent(self, fid, day, theme, programme) -> FactSpec:
        value = Decimal(self.rng.randrange(1, 95)) if self.rng.random() < 0.7 else Decimal(self.rng.randrange(5, 990)) / 10
        label = self.rng.choice([f"Targeted market share in {theme}", f"Share of firms adopting {theme} tools",
                                 f"Expected cost reduction from {programme}", "Annual growth rate of the sector"])
        fact = FactSpec(fid, label, value.normalize(), "percent", day, qualifier=self.pick_qualifier())
        self._amount_citations(
            fact, self.percent_text,
            ["the target is", "the ministry projects", "surveyed firms reported", "the share rose to"],
            [f"in {theme}", f"by {day.year + self.rng.randrange(3, 15)}", "of the world market", "last year"],
        )
        return fact

    def _fact_year(self, fid, day, theme, programme) -> FactSpec:
        value = Decimal(day.year + self.rng.randrange(2, 20))
        fact = FactSpec(fid, self.rng.choice([f"Target year for {theme}", f"Year {programme} is due to finish"]), value, "year", day)
        for src in self.cite_sources():
            quote = self.rng.choice([f"by {value}, the government wants {theme} to be self-sufficient",
                                     f"the {value} target for {theme} remains unchanged",
                                     f"{programme} is scheduled to run until {value}"])
            fact.citations.append(Citation(src.id, self.opening() + quote + self.closing()))
        return fact

    def _fact_range(self, fid, day, theme, programme) -> FactSpec:
        if self.rng.random() < 0.5:
            low = self.mantissa_amount(9, 12)
            high = sig(low * Decimal(self.rng.choice(["1.2", "1.5", "2", "3"])), 3)
            fact = FactSpec(fid, f"Estimated cost of {programme}", {"low": low, "high": high}, "JPY", day)
            text = lambda a, b: f"between {self.yen_text(a)} and {self.yen_text(b)}"  # noqa: E731
        else:
            low = Decimal(self.rng.randrange(10, 90))
            high = low + self.rng.randrange(5, 40)
            fact = FactSpec(fid, f"Companies expected to join {programme}", {"low": low, "high": high}, "companies", day)
            text = lambda a, b: self.rng.choice([f"between {a} and {b} companies", f"from {a} to {b} companies"])  # noqa: E731
        for src in self.cite_sources():
            fact.citations.append(Citation(src.id, f"{self.opening()}{self.rng.choice(['estimates range', 'officials expect'])} {text(low, high)} for {theme}{self.closing()}"))
        return fact

    def _fact_names(self, fid, day, theme, programme) -> FactSpec:
        names = self.rng.sample(COMPANIES, self.rng.randrange(2, 5))
        label = self.rng.choice([f"Core shareholders of {programme}", f"Companies leading {theme}", f"Members of the {programme} consortium"])
        fact = FactSpec(fid, label, names, "names", day)
        cited = self.cite_sources()
        for i, src in enumerate(cited):
            part = names if i == 0 or self.rng.random() < 0.5 else names[: max(1, len(names) // 2)]
            listed = ", ".join(part[:-1]) + (" and " if len(part) > 1 else "") + part[-1]
            fact.citations.append(Citation(src.id, f"{self.opening()}{listed} {self.rng.choice(['will each take a stake in', 'are behind', 'lead'])} {programme}{self.closing()}"))
        return fact

    def _fact_text(self, fid, day, theme, programme) -> FactSpec:
        value, quote = self.rng.choice([
            (f"Money is released in stages: each year the government checks whether {programme} met its milestones "
             "before deciding on the next payment.",
             "The government will evaluate milestone achievements annually before deciding on subsequent funding"),
            (f"Paid to {programme} itself as a commissioned-development fee, not as a grant to its shareholders.",
             f"as part of the development commission fee paid to {programme}"),
            (f"The plan aims to reduce reliance on foreign suppliers for {theme}.",
             f"the aim is to reduce dependence on overseas platforms for {theme}"),
        ])
        fact = FactSpec(fid, self.rng.choice([f"How funding for {programme} is released", f"Purpose of the {programme} plan"]), value, "text", day)
        for src in self.cite_sources():
            fact.citations.append(Citation(src.id, quote))
        return fact

    def _fact_date(self, fid, day, theme, programme) -> FactSpec:
        fact = FactSpec(fid, self.rng.choice([f"Date {programme} was announced", f"Date the {theme} strategy was revised"]), day, "date", day)
        for src in self.cite_sources():
            fact.citations.append(Citation(src.id, f"{self.rng.choice(BODIES).capitalize()} announced on {date_words(day)} that it would back {programme}{self.closing()}"))
        return fact

    # ---- the whole base
    def generate(self) -> tuple[list[SourceSpec], list[tuple[str, str, str, list[FactSpec]]]]:
        self.make_sources()
        # one reference rate per file, at the head of the file, drawn first so conversions can use them
        rate_days = [self.day() for _ in range(self.files)]
        self.rates = [self.make_rate(f"{self.programmes[i][0]}-jpy-usd-rate", rate_days[i]) for i in range(self.files)]
        files = []
        made = 0
        for i, (stem, theme, programme) in enumerate(self.programmes):
            count = min(PER_FILE, self.n - made)
            facts = []
            rate = self.rates[i]
            for src in self.rng.sample(self.sources, 1 if self.rng.random() < 0.7 else 2):
                rate.citations.append(Citation(src.id, self.rate_quote(rate.value)))  # type: ignore[arg-type]
            facts.append(rate)
            for j in range(1, count):
                facts.append(self.make_fact(f"{stem}-{j:02d}", i))
            files.append((stem, theme, programme, facts))
            made += count
        return self.sources, files


# -- YAML, written by hand so that it reads like an editor's file ------------------

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.'()/-]*[A-Za-z0-9.)]$")
_RESERVED = {"yes", "no", "true", "false", "null", "on", "off", "y", "n", "~"}


def scalar(text: str) -> str:
    if _PLAIN.match(text) and ": " not in text and " #" not in text and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def folded(text: str, indent: int) -> list[str]:
    """A long text as a folded block scalar (``>-``), wrapped at about 88 columns."""
    pad = " " * indent
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > 88 - indent:
            lines.append(pad + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(pad + line)
    return lines


def number(value: Decimal) -> str:
    return plain(value) if value == int(value) else quoted(plain(value))


def fact_yaml(f: FactSpec) -> list[str]:
    out = []
    if f.comment:
        out.append(f"# {f.comment}")
    out.append(f"- id: {f.id}")
    out.append(f"  label: {scalar(f.label)}")
    if f.unit == "names":
        out.append("  value: [" + ", ".join(scalar(n) for n in f.value) + "]")  # type: ignore[attr-defined]
    elif f.unit == "text":
        out.append("  value: >-")
        out.extend(folded(str(f.value), 4))
    elif f.unit == "date":
        out.append(f"  value: {f.value.isoformat()}")  # type: ignore[attr-defined]
    elif isinstance(f.value, dict):
        out.append("  value:")
        out.append(f"    low: {number(f.value['low'])}")
        out.append(f"    high: {number(f.value['high'])}")
    else:
        out.append(f"  value: {number(f.value)}")  # type: ignore[arg-type]
    out.append(f"  unit: {f.unit}")
    if f.qualifier != "exact":
        out.append(f"  qualifier: {f.qualifier}")
    out.append(f"  as_of: {f.as_of.isoformat()}")
    if f.period:
        out.append(f"  period: {f.period}")
    if f.status:
        out.append(f"  status: {f.status}")
    if f.note:
        out.append("  note: >-")
        out.extend(folded(f.note, 4))
    out.append("  citations:")
    for c in f.citations:
        out.append(f"    - source: {c.source}")
        out.append(f"      quote: {quoted(c.quote)}")
        if c.locator:
            out.append(f"      locator: {c.locator}")
        if c.states is not None:
            out.append(f"      states: {number(c.states)}")
    return out


def source_yaml(s: SourceSpec) -> list[str]:
    out = [f"- id: {s.id}", f"  title: {scalar(s.title)}", f"  publisher: {scalar(s.publisher)}", f"  kind: {s.kind}"]
    if s.url:
        out.append(f"  url: {s.url}")
    if s.archive_url:
        out.append(f"  archive_url: {s.archive_url}")
    if s.published:
        out.append(f"  published: {s.published.isoformat()}")
    out.append(f"  accessed: {s.accessed.isoformat()}")
    return out


def review_yaml(rid: str, fact: FactSpec, rng: random.Random) -> list[str]:
    c = fact.citations[0]
    rating = rng.choice(["accurate", "accurate", "imprecise", "misleading", "incorrect", "unsupported"])
    explanation = {
        "accurate": "The claim matches the desk's record and the source's own wording.",
        "imprecise": "The claim rounds the figure loosely; the desk's record is more precise.",
        "misleading": "The claim presents a ceiling as money already committed.",
        "incorrect": "The claim contradicts the figure the primary sources state.",
        "unsupported": "No source the desk holds supports the claim as worded.",
    }[rating]
    return [
        f"- id: {rid}",
        f"  claim: {quoted(c.quote)}",
        f"  source: {c.source}",
        f"  fact: {fact.id}",
        f"  rating: {rating}",
        f"  explanation: {quoted(explanation)}",
    ]


# -- templates and site -----------------------------------------------------------

MKDOCS_YML = """\
site_name: "Synthetic briefing"
site_description: A generated fact base for tests and benchmarks.
site_url: https://example.org/synthetic/
docs_dir: docs

theme:
  name: material
  font: false
  language: en
  features:
    - content.footnote.tooltips
    - content.tooltips
    - navigation.sections
    - navigation.top

plugins:
  - search
  - briefing

extra_css:
  - assets/briefing.css

nav:
  - Overview: index.md
  - Facts: facts.md
  - Sources: sources.md
  - Where sources disagree: disagreements.md
  - Fact checks: fact-checks.md
  - About: about.md

markdown_extensions:
  - abbr
  - attr_list
  - md_in_html
  - tables
  - footnotes
  - toc:
      permalink: true
"""

ABOUT_MD = """\
# About this briefing

This site is generated from synthetic fact records. Every figure on its pages
is rendered from a record and footnoted to the sources that state it.
"""

INDEX_TEMPLATE_HEAD = """\
# Synthetic briefing

A desk's briefings on Japan's industrial policy, one page per programme. Every
figure comes from a checked fact record; see [Facts](facts.md) and
[Sources](sources.md).

## Briefings

"""


#: The split Facts and Sources pages of a large fact base: an index each, and one page per topic file or initial.
SPLIT_TEMPLATES = {
    "facts.md.j2": """\
# Facts

Every figure in these briefings comes from a checked fact record. The records of
each briefing are on a page of their own, each with the value as the desk holds
it, its status, the date it refers to and the sources that state it, quoted word
for word.

{% for topic in topics %}
- [{{ topic | replace("-", " ") | capitalize }}](facts/{{ topic }}.md)
{% endfor %}
""",
    "facts/[topic].md.j2": """\
{% import "_macros.j2" as m with context %}
# Facts: {{ topic | replace("-", " ") | capitalize }}

The fact records of the [{{ topic | replace("-", " ") }} briefing](../{{ topic }}.md). Each row
has a permanent address: follow the label to copy a link to it.

{{ m.fact_table(fb.facts_of(topic)) }}
""",
    "sources.md.j2": """\
# Sources

The documents these briefings draw on, by the initial of their identifier, each
with the facts that cite it.

{% for s in sources | map(attribute="id") | map("first") | unique %}
- [Sources under {{ s | upper }}](sources/{{ s }}.md)
{% endfor %}
""",
    "sources/[letter].md.j2": """\
{% import "_macros.j2" as m with context %}
# Sources under {{ letter | upper }}

{% for s in sources if s.id.startswith(letter) %}
{{ m.source_entry(s) }}

{% endfor %}
""",
}


def topic_template(stem: str, theme: str, programme: str, facts: list[FactSpec]) -> str:
    lines = [
        f"# {theme[0].upper() + theme[1:]}: {programme}",
        "",
        f"What the sources establish about {programme} and {theme}, each figure with its",
        "status and the passage that states it.",
        "",
        "## Key figures",
        "",
    ]
    for f in facts:
        call = "names" if f.unit == "names" else "text" if f.unit == "text" else "fig"
        extra = f', {{{{ period("{f.id}") }}}}' if f.period else ""
        lines.append(f'- **{{{{ label("{f.id}") }}}}:** {{{{ {call}("{f.id}") }}}}{extra}')
    lines += ["", f"See the [fact records](facts/{stem}.md) for every citation.", ""]
    return "\n".join(lines)


def write(root: Path, n: int, seed: int = 0, repo: Path = REPO_ROOT) -> dict:
    """Write the synthetic project into ``root`` (replacing its facts, templates and docs); return counts.

    ``repo`` is the checkout whose reference templates and stylesheet are copied."""
    if n < 1:
        raise ValueError("N must be at least 1")
    synth = Synth(n, seed)
    sources, files = synth.generate()
    root.mkdir(parents=True, exist_ok=True)
    for part in ("facts", "templates", "docs"):
        shutil.rmtree(root / part, ignore_errors=True)
    facts_dir, templates_dir, docs_dir = root / "facts", root / "templates", root / "docs"
    facts_dir.mkdir()
    templates_dir.mkdir()
    (docs_dir / "assets").mkdir(parents=True)

    lines = ["# Bibliography of the synthetic briefing: every source document, once.", ""]
    for s in sources:
        lines += source_yaml(s) + [""]
    _write(facts_dir / "sources.yaml", lines)

    index = [INDEX_TEMPLATE_HEAD]
    all_facts: list[FactSpec] = []
    for stem, theme, programme, facts in files:
        lines = [f"# {theme[0].upper() + theme[1:]}: facts of the {programme} briefing.", ""]
        for f in facts:
            lines += fact_yaml(f) + [""]
        _write(facts_dir / f"{stem}.yaml", lines)
        (templates_dir / f"{stem}.md.j2").write_text(topic_template(stem, theme, programme, facts), encoding="utf-8")
        index.append(f"- [{theme[0].upper() + theme[1:]}: {programme}]({stem}.md)\n")
        all_facts += facts

    reviewable = [f for f in all_facts if f.citations and not f.status and f.unit != "JPY-per-USD"]
    review_rng = random.Random(f"briefing-synth-reviews:{seed}:{n}")
    picked = review_rng.sample(reviewable, min(len(reviewable), max(1, n // 100)))
    lines = ["# Reviews of third-party claims against the desk's records.", ""]
    for fact in sorted(picked, key=lambda f: f.id):
        lines += review_yaml(f"review-{fact.id}", fact, review_rng) + [""]
    _write(facts_dir / "reviews.yaml", lines)

    (templates_dir / "index.md.j2").write_text("".join(index), encoding="utf-8")
    for name, text in SPLIT_TEMPLATES.items():
        (templates_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (templates_dir / name).write_text(text, encoding="utf-8")
    for name in REFERENCE_TEMPLATES:
        src = repo / "templates" / name
        if not src.is_file():
            raise FileNotFoundError(f"reference template {src} not found; synth needs the repository's templates/")
        shutil.copyfile(src, templates_dir / name)
    print_dir = repo / "templates" / "print"  # the PDF layout, if the repository has one
    if print_dir.is_dir():
        shutil.copytree(print_dir, templates_dir / "print")
    css = repo / "docs" / "assets" / "briefing.css"
    if css.is_file():
        shutil.copyfile(css, docs_dir / "assets" / "briefing.css")
    else:
        (docs_dir / "assets" / "briefing.css").write_text("", encoding="utf-8")
    (docs_dir / "about.md").write_text(ABOUT_MD, encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return {"facts": len(all_facts), "sources": len(sources), "files": len(files), "reviews": len(picked)}


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``python benchmarks/synth.py N OUT [--seed S] [--repo DIR]``: write a synthetic project."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="synth.py", description="Write a synthetic briefing project of N facts (for tests and benchmarks).")
    parser.add_argument("n", type=int, metavar="N", help="number of facts")
    parser.add_argument("out", type=Path, metavar="OUT", help="folder to write the project root into")
    parser.add_argument("--seed", type=int, default=0, help="random seed (same N and seed: same bytes)")
    parser.add_argument("--repo", type=Path, default=REPO_ROOT, help="checkout whose reference templates are copied (default: this one)")
    args = parser.parse_args(argv)
    try:
        counts = write(args.out, args.n, seed=args.seed, repo=args.repo)
    except (ValueError, FileNotFoundError) as exc:
        print(f"synth: {exc}", file=sys.stderr)
        return 1
    print(f"{counts['facts']} facts in {counts['files']} files, {counts['sources']} sources, {counts['reviews']} reviews written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
