"""schema.org ClaimReview records of the desk's fact checks, as JSON-LD.

Built as plain dictionaries and serialised with :mod:`json`; the tests check
every type and property against the schema.org vocabulary.
"""

from __future__ import annotations

import json

from markupsafe import Markup

from ..factbase import FactBase
from ..records.models import Review
from .figures import source_name

#: schema.org Rating scale: 1 is worst. The word is kept as ``alternateName``.
RATING_VALUE = {"incorrect": 1, "misleading": 2, "unsupported": 3, "imprecise": 4, "accurate": 5}


def claim_sentence(fb: FactBase, review: Review) -> str:
    """The claim as a sentence that stands on its own: who made it, in their words, and what it is about
    (a review's ``claim`` is the source's verbatim wording, often a headline fragment)."""
    source = fb.sources[review.source]
    fact = fb.facts[review.fact]
    label = fact.label
    about = label[:1].lower() + label[1:] if label[1:2].islower() else label  # "AI-equipped" keeps its capitals
    return f"{source_name(source)} wrote “{review.claim.strip()}” about the {about.rstrip('.')}."


def claim_date(fb: FactBase, review: Review):
    """When the claim appeared: its document's publication date, else the day the desk read it (the claim was
    public by then)."""
    source = fb.sources[review.source]
    return source.published or source.accessed


def claim_review(fb: FactBase, review: Review, page_url: str, site_url: str = "") -> dict:
    """The ClaimReview of one review record.

    The claim carries its date and the address where it appeared (the document's, its archived copy's, or,
    when neither is known, its entry on the site's Sources page); the review is never dated before it.
    """
    source = fb.sources[review.source]
    fact = fb.facts[review.fact]
    claimed = claim_date(fb, review)
    appearance: dict = {"@type": "CreativeWork", "headline": source.title, "publisher": {"@type": "Organization", "name": source.publisher}}
    address = source.url or source.archive_url or (f"{site_url}sources/#source-{source.id}" if site_url else "")
    if address:
        appearance["url"] = address
    if source.published:
        appearance["datePublished"] = source.published.isoformat()
    claim: dict = {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": source.publisher},
        "datePublished": claimed.isoformat(),
        "appearance": appearance,
    }
    if address:
        claim["url"] = address
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{page_url}#{review.id}",
        "claimReviewed": claim_sentence(fb, review),
        "datePublished": max(review.date or fact.as_of, claimed).isoformat(),
        "author": {"@type": "Organization", "name": fb.settings.desk},
        "itemReviewed": claim,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_VALUE[review.rating.value],
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": review.rating.value.capitalize(),
        },
        "reviewBody": review.explanation,
    }


def script_tag(data: dict) -> Markup:
    """A ``<script type="application/ld+json">`` element; ``<`` is escaped so no text can close it early."""
    text = json.dumps(data, ensure_ascii=False, indent=None, sort_keys=False).replace("<", "\\u003c")
    return Markup('<script type="application/ld+json">{}</script>').format(Markup(text))
