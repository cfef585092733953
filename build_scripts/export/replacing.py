"""Replace one name of WeasyPrint's for the length of a block: how the export's workarounds hook in.

Why this exists: WeasyPrint offers no hooks for what the export speeds up
(:mod:`.footnote_area`, :mod:`.stylesheets`, :mod:`.margin_boxes`), so each
replaces one function or method while a document is laid out. They all need the
same care: step aside when the name is missing (another WeasyPrint) or already
replaced by someone else, and put back what was there, after an error too.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator


@contextmanager
def replaced(owner: Any, name: str, original: Any, replacement: Any, ours: tuple = ()) -> Iterator[bool]:
    """While the block runs, ``owner.name`` is ``replacement``, and what was there comes back after it.

    Yields ``False`` and changes nothing unless ``owner.name`` is ``original`` or one of ``ours`` (the
    replacements the caller knows, so that its blocks nest): for example, with no ``owner`` (a
    WeasyPrint without the name), or inside a block that already replaced it.
    """
    current = getattr(owner, name, None) if owner is not None else None
    if original is None or (current is not original and current not in ours):
        yield False
        return
    setattr(owner, name, replacement)
    try:
        yield True
    finally:
        setattr(owner, name, current)
