"""Put the full briefing's parts together: one part's pages, some of them taken from another part.

Why this exists: see :mod:`.split`. Every part is the whole document, and the
pages a part does not own are blank stand-ins with the same size, anchors and
bookmarks. The first part is the base: its catalog, outline, named destinations
and metadata are the document's. For each page another part owns, the base page
takes that part's content stream, resources (its fonts, with the glyphs its
pages use) and link annotations. Internal links name their destination
(``/Dest (name)``), which the base's name tree resolves, so they point into the
whole document.

qpdf (through pikepdf) copies the objects and writes the result with object
streams, as compact as WeasyPrint's own output, in a few hundredths of a second.
The output is reproducible: the file identifier is computed from the content.
"""

from __future__ import annotations

import io
from typing import Iterable

#: What a page takes from the part that owns it.
PAGE_KEYS = ("/Contents", "/Resources", "/Annots")


def replace_pages(base: bytes, donors: Iterable[tuple[bytes, Iterable[int]]]) -> bytes:
    """``base`` with the pages numbered (from 0) in each donor's list taken from that donor's PDF.

    Every donor must have the same number of pages as the base.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(base)) as pdf:
        opened = []
        try:
            for data, numbers in donors:
                donor = pikepdf.open(io.BytesIO(data))
                opened.append(donor)
                if len(donor.pages) != len(pdf.pages):
                    raise ValueError(f"a part has {len(donor.pages)} pages, the base {len(pdf.pages)}")
                for number in numbers:
                    target, source = pdf.pages[number].obj, donor.pages[number].obj
                    for key in PAGE_KEYS:
                        if key in source:
                            target[key] = _copied(pdf, source.get(key))
                        elif key in target:
                            del target[key]
            out = io.BytesIO()
            pdf.save(
                out,
                min_version=pdf.pdf_version,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
                deterministic_id=True,
            )
            return out.getvalue()
        finally:
            for donor in opened:
                donor.close()


def _copied(pdf, value):
    """``value`` of another PDF, made an object of ``pdf``, with every object it refers to copied."""
    import pikepdf

    if getattr(value, "is_indirect", False):
        return pdf.copy_foreign(value)
    if isinstance(value, pikepdf.Array):  # e.g. a direct array of references to annotations
        return pikepdf.Array([_copied(pdf, item) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copied(pdf, item) for key, item in value.items()})
    return value  # a name, number or string: the same in any PDF
