"""The Fact checks page: every review with valid schema.org ClaimReview JSON-LD."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from build_scripts.pipeline import check_project
from tests.schemaorg import vocabulary_problems

pytestmark = pytest.mark.e2e


def test_every_review_is_published_with_claimreview(site_dir, built_project):
    fb = check_project(built_project)
    soup = BeautifulSoup((site_dir / "fact-checks" / "index.html").read_text(encoding="utf-8"), "lxml")
    blocks = [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]
    assert len(blocks) == len(fb.reviews) >= 6
    by_url = {b["url"].rsplit("#", 1)[1]: b for b in blocks}
    for review in fb.reviews.values():
        block = by_url[review.id]
        assert block["@type"] == "ClaimReview"
        # a standalone sentence: who made the claim, in their words, and what about
        assert f"“{review.claim}”" in block["claimReviewed"] and block["claimReviewed"].endswith(".")
        claim = block["itemReviewed"]
        assert claim["datePublished"] <= block["datePublished"], "a review dated before its claim"
        assert block["reviewRating"]["alternateName"].lower() == review.rating.value
        assert soup.find(id=review.id) is not None, "each review has an anchor"
        assert vocabulary_problems(block) == []


def test_vocabulary_check_catches_a_wrong_property():
    assert vocabulary_problems({"@type": "ClaimReview", "claimRating": 3})
    assert vocabulary_problems({"@type": "ClaimRevue"})
    assert vocabulary_problems({"@type": "ClaimReview", "reviewRating": {"@type": "Rating", "ratingValue": 1}}) == []
