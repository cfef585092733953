"""Typst lays out and writes each PDF (the ``typst`` wheel's public API: ``typst.Compiler``).

One compiler serves every document of an export, so the fonts are read once. Only the fonts
the compiler carries are used (never the machine's), the creation date is the build date, and
every PDF is tagged for screen readers to PDF/UA-1: the same input gives the same bytes on any
machine. Typst's errors and warnings become findings at the print template.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..findings import Location, Report

#: Tagged PDF for screen readers, to the PDF/UA-1 standard (title, language, structure, alt text).
PDF_STANDARDS = ["ua-1"]


class Typesetter:
    """Compiles Typst sources whose imports are found in ``print_dir``."""

    def __init__(self, print_dir: Path, where: str, built: dt.datetime) -> None:
        import typst

        self.where = where
        self.timestamp = int(built.timestamp())
        self.compiler = typst.Compiler(root=str(print_dir), ignore_system_fonts=True)

    def pdf(self, name: str, source: str, meta: str, report: Report) -> bytes | None:
        """The PDF of ``source`` (``meta`` is the template's JSON input); ``None`` after an error, in ``report``."""
        import typst

        try:
            data, warnings = self.compiler.compile_with_warnings(
                input=source.encode("utf-8"),
                format="pdf",
                sys_inputs={"meta": meta},
                pdf_standards=PDF_STANDARDS,
                timestamp=self.timestamp,
            )
        except typst.TypstError as exc:
            report.error(self._location(exc), f"{name}: the layout failed: {_describe(exc)}", "pdf")
            return None
        for warning in warnings:
            report.warning(self._location(warning), f"{name}: {_describe(warning)}", "pdf")
        return data

    def _location(self, problem) -> Location:
        """Where in the print template Typst found the problem (its first line there), else the template."""
        name = Path(self.where).name
        for path, line, column in _PLACE.findall(getattr(problem, "diagnostic", "") or ""):
            if Path(path).name == name:
                return Location(self.where, int(line), int(column))
        return Location(self.where)


#: A place in Typst's diagnostic text: "┌─ templates/print/briefing.typ:14:9".
_PLACE = re.compile(r"┌─ (\S+?):(\d+):(\d+)")


def _describe(problem) -> str:
    """Typst's message with its hints, on one line."""
    message = getattr(problem, "message", None) or str(problem)
    hints = list(getattr(problem, "hints", None) or [])
    return " ".join([message.strip(), *(f"(hint: {h.strip()})" for h in hints)])
