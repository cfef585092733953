"""The build date of a project: the one function every output that states a date asks.

Outputs are reproducible, so the date never comes from the clock: it is ``SOURCE_DATE_EPOCH``
when the person building sets it (the reproducible-builds convention), else the newest date in
the records (a fact's ``as_of``, a source's ``accessed``, a review's date). The same records give the same date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os

from .factbase import FactBase
from .findings import Location, Report

#: The date when a project has no records at all.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def records_date(fb: FactBase) -> dt.datetime:
    """Midnight UTC of the newest date in the records (:data:`EPOCH` without records)."""
    dates = [f.as_of for f in fb.facts.values()] + [s.accessed for s in fb.sources.values()]
    dates += [r.date for r in fb.reviews.values() if r.date]
    if not dates:
        return EPOCH
    return dt.datetime.fromtimestamp(calendar.timegm(max(dates).timetuple()), tz=dt.timezone.utc)


#: The largest SOURCE_DATE_EPOCH taken: the last second of the year 9999 (dates beyond cannot be written).
MAX_EPOCH = 253402300799


def epoch_problem(value: str | None) -> str | None:
    """What is wrong with a ``SOURCE_DATE_EPOCH`` value (a count of seconds since 1970), if anything:
    the one rule of every command (``briefing build`` refuses such a value, the PDF export warns)."""
    if value is None:
        return None
    if not value.isascii() or not value.isdigit():
        return f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds since 1970-01-01 (digits only); unset it or fix it"
    if int(value) > MAX_EPOCH:
        return f"SOURCE_DATE_EPOCH={value} is after the year 9999; unset it or fix it"
    return None


def build_date(fb: FactBase, report: Report | None = None, environ: dict | None = None) -> dt.datetime:
    """When the project was built, as far as its outputs say: ``SOURCE_DATE_EPOCH``, else the records' newest date.

    A ``SOURCE_DATE_EPOCH`` that is not a number of seconds is reported (a warning, when
    ``report`` is given) and the records' date used instead.
    """
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        if epoch_problem(epoch) is None:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        if report is not None:
            report.warning(
                Location("SOURCE_DATE_EPOCH"),
                f"SOURCE_DATE_EPOCH is not a number of seconds: {epoch!r}; using the records' newest date",
                "build",
            )
    return records_date(fb)
