"""ClaimReview JSON-LD built from review records."""

from __future__ import annotations

import json
from pathlib import Path

from build_scripts.pipeline import check_project
from build_scripts.render.jsonld import claim_review, script_tag
from build_scripts.records.models import Review
from tests.schemaorg import vocabulary_problems

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "mini"


def _review(**over):
    data = dict(id="r", claim="23k Robots </script><b>", source="paper-two", fact="robots", rating="incorrect", explanation="Wrong.")
    data.update(over)
    return Review.model_validate(data)


def test_claim_review_is_schema_org_valid():
    fb = check_project(FIXTURE)
    block = claim_review(fb, _review(), "https://example.org/fact-checks/")
    assert vocabulary_problems(block) == []
    assert block["reviewRating"] == {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1, "alternateName": "Incorrect"}
    assert block["url"] == "https://example.org/fact-checks/#r"


def test_script_tag_cannot_be_closed_by_data():
    fb = check_project(FIXTURE)
    tag = str(script_tag(claim_review(fb, _review(), "")))
    assert tag.count("</script>") == 1
    body = tag[len('<script type="application/ld+json">') : -len("</script>")]
    assert "“23k Robots </script><b>”" in json.loads(body)["claimReviewed"]


def test_claim_carries_its_date_and_address_and_is_never_reviewed_before_it_appeared():
    import datetime as dt

    fb = check_project(FIXTURE)
    source = fb.sources["paper-two"]
    early = dt.date(2000, 1, 1)
    block = claim_review(fb, _review(date=early), "https://example.org/b/fact-checks/", "https://example.org/b/")
    claim = block["itemReviewed"]
    assert claim["datePublished"] == (source.published or source.accessed).isoformat()
    assert block["datePublished"] >= claim["datePublished"], "a review dated before the claim it reviews"
    assert claim["appearance"]["url"] == (source.url or source.archive_url or "https://example.org/b/sources/#source-paper-two")
    assert vocabulary_problems(block) == []


def test_claim_reviewed_is_a_standalone_sentence():
    """Who said it, their words, what it is about: not a headline fragment on its own."""
    fb = check_project(FIXTURE)
    sentence = claim_review(fb, _review(claim="Local Model + 23k Robots!"), "")["claimReviewed"]
    publisher = fb.sources["paper-two"].publisher
    assert sentence.startswith(publisher + " wrote “Local Model + 23k Robots!” about the ") and sentence.endswith(".")
    assert fb.facts["robots"].label[1:].rstrip(".") in sentence


def test_real_reviews_are_dated_no_earlier_than_their_claims():
    from tests.conftest import ROOT

    fb = check_project(ROOT)
    for review in fb.reviews.values():
        block = claim_review(fb, review, "")
        assert block["datePublished"] >= block["itemReviewed"]["datePublished"], review.id
