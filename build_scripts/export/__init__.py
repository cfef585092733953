"""Exports of the briefing beyond the site: the PDF briefings (:mod:`build_scripts.export.pdf`).

``export_pdfs`` is imported lazily so that importing this package (the mkdocs
plugin does, for the PDF link names) does not load the typesetter.
"""

from __future__ import annotations

__all__ = ["export_pdfs"]


def __getattr__(name: str):
    if name == "export_pdfs":
        from .pdf import export_pdfs

        return export_pdfs
    raise AttributeError(name)
