"""PDF briefings: one PDF per page of the site and the full briefing, laid out by Typst.

The pages are rendered for print through the site's rendering path (:mod:`.chapters`),
written as Typst markup (:mod:`.markup`), put into documents (:mod:`.document`) styled by
one print template (``templates/print/briefing.typ``) and compiled (:mod:`.typeset`).

One PDF is written per page template (``funding.pdf``, ``overview.pdf`` for the home page...)
and one full briefing, ``briefing.pdf``, with every page in navigation order (hand-written
pages such as the methodology included), then the facts and sources (the parts of a register
split by fact file left out: see :func:`.chapters.in_full_briefing`). Output is reproducible:
dates come from :func:`build_scripts.dates.build_date`, never from the clock. Problems are
returned as findings; no PDF is written unless all succeed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..dates import build_date
from ..factbase import FactBase
from ..findings import Location, Report
from ..render.formatting import Formatter
from .chapters import in_full_briefing, order_chapters, render_chapters
from .document import TEMPLATE, Edition, PrintDocument, document_meta, source_text
from .names import FULL_BRIEFING, PDF_DIR, pdf_name
from .site_info import read_site_info
from .workers import Job, Typesetting, lay_out

PRINT_DIR = "print"


def export_pdfs(root: Path, out_dir: Path | None = None, fb: FactBase | None = None, only: list[str] | None = None) -> Report:
    """Write one PDF per page template and the full briefing into ``out_dir`` (default ``root/site/pdf``).

    With ``only`` (file names such as ``"briefing.pdf"``), just those. Returns the findings; on any
    error nothing is written.
    """
    report = Report()
    root = Path(root).resolve()
    try:
        if fb is None:
            from ..pipeline import check_project

            fb = check_project(root)
        report.extend(fb.report)
        if fb.report.failed():
            return report
        if out_dir is None:
            out_dir = root / fb.settings.site_dir / PDF_DIR
        outputs = build_pdfs(fb, report, only=only)
        if report.failed() or outputs is None:
            return report
        write_all(Path(out_dir), outputs, report)
    except Exception as exc:  # the last guard: a finding, never a traceback
        report.error(Location(template_rel(fb)), f"PDF export failed: {type(exc).__name__}: {exc}", "pdf")
    return report


def template_rel(fb: FactBase | None) -> str:
    """The print template's path relative to the root, where PDF findings are reported."""
    templates = fb.settings.templates_dir if fb is not None else "templates"
    return f"{templates}/{PRINT_DIR}/{TEMPLATE}"


def build_pdfs(
    fb: FactBase, report: Report, timings: dict[str, float] | None = None, only: list[str] | None = None, parallel: bool = True
) -> dict[str, bytes] | None:
    """Every PDF in memory (with ``only``, just those file names): ``{file name: bytes}``;
    ``None`` when a problem was reported (an unknown name in ``only`` is one).

    With ``parallel``, the page PDFs are laid out in batches in other processes, then the full
    briefing in this one (see :mod:`.workers`); the bytes are the same either way."""
    print_dir = fb.root / fb.settings.templates_dir / PRINT_DIR
    where = template_rel(fb)
    if not (print_dir / TEMPLATE).is_file():
        report.error(Location(where), f"print template missing: the PDFs need {where}", "pdf")
        return None
    site = read_site_info(fb.root, report)
    chapters = render_chapters(fb, site, report)
    if report.failed():
        return None
    if not chapters:
        report.warning(Location(fb.settings.templates_dir), "no page templates: no PDF written", "pdf")
        return {}
    ordered = order_chapters(chapters, site.nav)
    documents = [PrintDocument(pdf_name(c.page), c.title, [c]) for c in ordered if c.figures is not None]
    documents.append(PrintDocument(FULL_BRIEFING, "Full briefing", [c for c in ordered if in_full_briefing(c.page)], full=True))
    if only is not None:
        known = {d.file for d in documents}
        unknown = [name for name in only if name not in known]
        if unknown:
            report.error(
                Location(fb.settings.templates_dir),
                f"no PDF named {', '.join(unknown)}; the briefing's PDFs are {', '.join(sorted(known))}",
                "pdf",
            )
            return None
        documents = [d for d in documents if d.file in set(only)]
    edition = make_edition(fb, site, report)
    jobs = [Job(doc.file, source_text(doc, edition), document_meta(doc, edition)) for doc in documents]
    results = lay_out(jobs, Typesetting(print_dir, where, build_date(fb)), parallel=parallel)
    outputs: dict[str, bytes] = {}
    for job in jobs:  # findings in the documents' order, whichever process laid them out
        result = results.get(job.file)
        if result is None:  # not laid out: a document before it failed
            return None
        report.extend(result.findings)
        if timings is not None:
            timings[job.file] = result.seconds
        if result.pdf is None:
            return None
        outputs[job.file] = result.pdf
    return outputs


def make_edition(fb: FactBase, site, report: Report) -> Edition:
    """What every document shares; the dates from the records and the build date, never from the clock."""
    fmt = Formatter(fb.settings)
    built = build_date(fb, report)
    as_of = max((f.as_of for f in fb.facts.values()), default=None)
    return Edition(
        fb=fb,
        site=site,
        fmt=fmt,
        facts_as_of={"iso": as_of.isoformat(), "text": fmt.date(as_of)} if as_of else None,
        built={"iso": built.date().isoformat(), "text": fmt.date(built.date())},
        date=(built.year, built.month, built.day),
    )


def write_all(out_dir: Path, outputs: dict[str, bytes], report: Report) -> None:
    """Write every PDF through a temporary file, so that a reader never sees half a file."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, data in outputs.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}-", dir=out_dir)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.chmod(tmp, 0o644)
                os.replace(tmp, out_dir / name)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
    except OSError as exc:
        report.error(Location(str(out_dir)), f"cannot write the PDFs: {exc.strerror or exc}", "pdf")
