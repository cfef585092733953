"""What a reader's tools see of a PDF, page by page: text, links, named destinations, outline, metadata.

Two PDFs with the same shape read, navigate and link the same, whatever their objects are.
The full briefing's tests compare the one put together from two parts with one written whole.
"""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_shape(data: bytes) -> dict:
    """The shape of the PDF ``data``; coordinates rounded to a hundredth of a point."""
    reader = PdfReader(io.BytesIO(data), strict=True)
    number = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}

    def place(destination) -> tuple:
        return (number[destination[0].idnum], *(round(float(x), 2) for x in destination[2:4]))

    pages = []
    for page in reader.pages:
        links = []
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            target = str(annotation["/Dest"]) if "/Dest" in annotation else str(annotation["/A"]["/URI"])
            links.append((tuple(round(float(x), 2) for x in annotation["/Rect"]), target))
        pages.append({"text": " ".join((page.extract_text() or "").split()), "links": links, "box": [float(x) for x in page.mediabox]})
    names = {}
    tree = reader.trailer["/Root"].get("/Names", {}).get("/Dests")
    if tree is not None:
        pairs = tree.get_object()["/Names"]
        names = {str(pairs[i]): place(pairs[i + 1]) for i in range(0, len(pairs), 2)}
    outline = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                outline.append((depth, item.title, reader.get_destination_page_number(item), round(float(item.left or 0), 2), round(float(item.top or 0), 2)))

    walk(reader.outline, 0)
    return {"pages": pages, "names": names, "outline": outline, "metadata": dict(reader.metadata or {})}
