"""Check stage: quotes against figures, conversions, cross-source agreement, earned status."""

from __future__ import annotations

from ..factbase import FactBase


def run_checks(fb: FactBase) -> FactBase:
    """Run every check on a validated fact base, adding findings and derived statuses."""
    from . import agreement, consistency, dates, origins, quotes, staleness, status, verify

    verify.verify_quotes(fb)
    quotes.check_quotes(fb)
    agreement.check_agreement(fb)
    dates.check_dates(fb)
    consistency.check_consistency(fb)
    origins.check_attributions(fb)
    status.derive_statuses(fb)
    from .audit import run_audit

    run_audit(fb)
    staleness.check_staleness(fb)
    return fb
