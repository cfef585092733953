"""Status from independent origins (issue 19, point 5).

Outlets relaying one report are one origin (``via:``); publishers are compared
after Unicode normalisation; names and dates are checked across quotes; a dissent
the desk rated ``incorrect`` does not make a fact disputed; every status says why.
"""

from __future__ import annotations

import pytest

from build_scripts.check.origins import origin_key, same_outlet
from build_scripts.pipeline import check_project
from tests.conftest import ROOT, SHARED_SOURCES, write_facts


def source(id, publisher, kind="news", via=None):
    text = f"- id: {id}\n  title: T {id}\n  publisher: \"{publisher}\"\n  kind: {kind}\n  accessed: 2026-06-30\n"
    if via:
        text += "  via:\n" + "".join(f"    - {v}\n" for v in via)
    return text


def fact(id, value, unit, citations, qualifier=None):
    text = f"- id: {id}\n  label: L\n  value: {value}\n  unit: {unit}\n"
    if qualifier:
        text += f"  qualifier: {qualifier}\n"
    text += "  as_of: 2026-06-30\n  citations:\n"
    for src, quote, *more in citations:
        text += f'    - source: {src}\n      quote: "{quote}"\n' + "".join(f"      {m}\n" for m in more)
    return text


def check(tmp_path, sources, facts, reviews=None):
    files = {"sources.yaml": "".join(sources), "a.yaml": "".join(facts)}
    if reviews:
        files["reviews.yaml"] = reviews
    return check_project(write_facts(tmp_path / "root", files))


@pytest.fixture(autouse=True)
def no_snapshots(monkeypatch):
    monkeypatch.delenv("BRIEFING_SNAPSHOTS", raising=False)


# -- origins ---------------------------------------------------------------------------------------


def test_four_outlets_relaying_one_report_are_one_origin(tmp_path):
    sources = [source(f"s{i}", f"Outlet {i}", via=["Nikkei"]) for i in range(4)]
    fb = check(tmp_path, sources, [fact("firms", 44, "companies", [(f"s{i}", "44 companies") for i in range(4)])])
    assert fb.status("firms") == "reported"
    assert fb.derived["firms"].reason.startswith("reported: only Nikkei")


def test_two_independent_origins_confirm_and_the_reason_names_them(tmp_path):
    sources = [source("a", "ABAB News", via=["Kyodo News"]), source("b", "Aggregator", via=["Nikkei"])]
    fb = check(tmp_path, sources, [fact("firms", 44, "companies", [("a", "44 companies"), ("b", "44 companies")])])
    assert fb.status("firms") == "confirmed"
    assert fb.derived["firms"].reason == "confirmed: Kyodo News and Nikkei, independently"


def test_an_official_document_confirms_alone(tmp_path):
    fb = check(tmp_path, [source("m", "Ministry", kind="government")], [fact("firms", 44, "companies", [("m", "44 companies")])])
    assert fb.status("firms") == "confirmed" and fb.derived["firms"].reason == "confirmed: an official document (Ministry)"


def test_a_citation_can_name_its_own_origin(tmp_path):
    sources = [source("a", "Paper A", via=["The Japan Times"]), source("b", "Paper B", via=["Nikkei Asia"])]
    facts = [fact("firms", 44, "companies", [("a", "expected to increase to 44", "via: [Nikkei]"), ("b", "44 companies")])]
    fb = check(tmp_path, sources, facts)
    # "Nikkei" and "Nikkei Asia" are one outlet: one origin, not two
    assert fb.status("firms") == "reported", fb.derived["firms"].reason


@pytest.mark.parametrize(
    "twin",
    [
        "Kyоdo News",  # Cyrillic o
        "Kyodo \u200bNews",  # a zero-width space beside the space
        "Kyodo\u200bNews",  # a zero-width space instead of the space
        "\u200eKyodo News\u200f",  # direction marks
        "Kyodo\u00a0News",  # no-break space
        "KYODO   NEWS",  # case and spacing
        "Ｋｙｏｄｏ News",  # full-width letters
        "the Kyodo News",
    ],
)
def test_look_alike_publisher_names_are_one_origin(tmp_path, twin):
    sources = [source("a", "Kyodo News"), source("b", twin)]
    fb = check(tmp_path, sources, [fact("firms", 44, "companies", [("a", "44 companies"), ("b", "44 companies")])])
    assert fb.status("firms") == "reported", fb.derived["firms"].reason


def test_origin_key_normalises_unicode():
    assert origin_key("Kyоdo\u200b News") == origin_key("kyodo news") == "kyodo news"
    assert origin_key("Νikkei") == "nikkei"  # Greek capital Nu
    assert same_outlet("Nikkei", "the Nikkei business daily") and not same_outlet("Nikkei", "Kyodo News")


def test_an_attributed_quote_without_origin_is_a_warning(tmp_path):
    facts = [
        fact("a1", 44, "companies", [("p", "44 companies, the Nikkei business daily reported")]),
        fact("a2", 45, "companies", [("p", "Media reports said 45 companies would join")]),
        fact("a3", 46, "companies", [("p", "according to Kyodo, 46 companies")]),
        fact("ok", 47, "companies", [("q", "according to Kyodo, 47 companies")]),
        fact("plain", 48, "companies", [("p", "48 companies have joined")]),
    ]
    fb = check(tmp_path, [source("p", "Paper"), source("q", "ABAB", via=["Kyodo News"])], facts)
    found = [f for f in fb.report if f.code == "attribution"]
    assert len(found) == 3, fb.report.format()
    assert {f.location.line for f in found} == {8, 16, 24}, fb.report.format()
    assert "'Nikkei business daily'" in found[0].message and "via:" in found[0].message
    assert "to other reports" in found[1].message


def test_the_quote_names_which_relayed_outlet_is_its_origin(tmp_path):
    sources = [source("agg", "Aggregator", via=["The Japan Times", "Nikkei"]), source("k", "ABAB", via=["Kyodo News"])]
    facts = [fact("firms", 44, "companies", [("agg", "44 companies, the Nikkei business daily reported"), ("k", "44 companies")])]
    fb = check(tmp_path, sources, facts)
    assert fb.derived["firms"].origins == ["Nikkei", "Kyodo News"]


# -- names and dates across quotes ---------------------------------------------------------------------


def test_a_quote_naming_a_different_set_of_leaders_clashes(tmp_path):
    facts = [fact("lead", "[SoftBank]", "names", [("a", "a new company led by SoftBank"), ("b", "the consortium led by SoftBank and Sony")])]
    fb = check(tmp_path, [source("a", "A"), source("b", "B")], facts)
    (f,) = [f for f in fb.report if f.code == "disagreement"]
    assert f.location.line == 10 and "Sony not among them" in f.message
    assert fb.status("lead") == "disputed"
    assert [c.kind for c in fb.conflicts] == ["values"]


def test_the_same_names_in_another_order_do_not_clash(tmp_path):
    facts = [fact("core", "[SoftBank, NEC, Sony Group]", "names", [("a", "with SoftBank, NEC and Sony Group at its core"), ("b", "including Sony, SoftBank and NEC")])]
    fb = check(tmp_path, [source("a", "A"), source("b", "B")], facts)
    assert not [f for f in fb.report if f.code == "disagreement"], fb.report.format()
    assert fb.status("core") == "confirmed"


def test_a_quote_giving_another_date_clashes(tmp_path):
    facts = [fact("day", "2026-06-30", "date", [("a", "announced on June 30, 2026"), ("b", "announced on 29 June 2026")])]
    fb = check(tmp_path, [source("a", "A"), source("b", "B")], facts)
    (f,) = [f for f in fb.report if f.code == "disagreement"]
    assert "2026-06-29" in f.message and fb.status("day") == "disputed"


def test_a_text_fact_may_give_only_figures_its_quotes_state(tmp_path):
    ok = fact("t", "Money comes in 5 yearly tranches", "text", [("a", "paid in 5 tranches, one a year")])
    bad = fact("u", "Money comes in 6 yearly tranches", "text", [("a", "paid in 5 tranches, one a year")])
    fb = check(tmp_path, [source("a", "A")], [ok, bad])
    (f,) = [f for f in fb.report if f.code == "text-figure"]
    assert f.location.line == 11 and "'6'" in f.message


# -- reviews rated incorrect ---------------------------------------------------------------------------

ROBOTS = [
    fact("robots", 10000000, "robots", [("a", "approximately 10 million robots"), ("b", "approximately 10 million robots"), ("g", "Local Model + 23k Robots!")], qualifier="about"),
]
SOURCES = [source("a", "A"), source("b", "B"), source("g", "Gate")]


def review(rating):
    return (
        f'- id: r1\n  claim: "Local Model + 23k Robots!"\n  source: g\n  fact: robots\n  rating: {rating}\n'
        "  explanation: The target is ten million.\n"
    )


def test_a_dissent_rated_incorrect_reads_as_confirmed_with_the_rejected_claim(tmp_path):
    fb = check(tmp_path, SOURCES, ROBOTS, review("incorrect"))
    assert fb.status("robots") == "confirmed"
    reason = fb.derived["robots"].reason
    assert reason.startswith("confirmed: A and B, independently") and "rejected claim: “Local Model + 23k Robots!” (Gate, rated incorrect)" in reason
    assert fb.derived["robots"].rejected == ["r1"]
    # the checker still reports the disagreement to editors, as a note: the desk has settled it
    assert [(f.code, f.severity.value) for f in fb.report] == [("disagreement", "note")]
    assert "rated incorrect (review 'r1')" in list(fb.report)[0].message


@pytest.mark.parametrize("rating", ["misleading", "imprecise", "unsupported"])
def test_other_ratings_leave_the_fact_disputed(tmp_path, rating):
    fb = check(tmp_path, SOURCES, ROBOTS, review(rating))
    assert fb.status("robots") == "disputed"
    assert fb.derived["robots"].reason == "disputed: Gate disagrees with the other sources"
    assert [(f.code, f.severity.value) for f in fb.report] == [("disagreement", "warning")]  # still for an editor


def test_without_a_review_the_fact_is_disputed(tmp_path):
    assert check(tmp_path, SOURCES, ROBOTS).status("robots") == "disputed"


# -- the real project ----------------------------------------------------------------------------------


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="../shared/sources is not beside the repository")
def test_real_statuses_say_why():
    fb = check_project(ROOT)
    assert fb.status("robot-deployment-target") == "confirmed"
    assert "rejected claim: “Local Model + 23k Robots!”" in fb.derived["robot-deployment-target"].reason
    assert fb.derived["noetra-first-year-allocation"].reason == "confirmed: Kyodo News and Ary News, independently"
    assert fb.status("noetra-lead-company") == "disputed"  # "led by SoftBank and Sony" is found by the engine
    for fact_id in fb.facts:
        assert fb.derived[fact_id].reason.startswith(fb.status(fact_id) + ":"), fact_id
