"""Lay out the PDF chapters on two cores: a forked helper works from the last chapter backwards.

WeasyPrint lays out on one core, and a chapter whose repeated citations land
on other pages than their footnotes is laid out two or three times
(:meth:`~build_scripts.export.pdf._Renderer.lay_out`). The laid-out pages
cannot cross a process boundary (they hold Pango objects), but what the passes
decide can: the citations that get a footnote of their own. So the helper
takes the chapters from the back, lays each out with all its passes, writes
its page PDF when one is wanted, and sends the PDF's bytes, the promoted
citations and its findings. The parent takes chapters from the front, and
whenever the helper has finished one, uses that instead: it needs that
chapter's layout itself only for the full briefing, and then lays it out
once, with the promotions already known. The two meet in the middle; a shared
flag per chapter keeps them from doing one twice.

The result is the same as laying out every document in one process, byte for
byte: each document's layout depends only on its own HTML and the shared
fonts, and the findings are put back into document order.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import traceback
from dataclasses import dataclass, field
from typing import Callable

from ..findings import Finding

#: ``claimed`` flags: nobody yet, the parent, the helper.
FREE, PARENT, HELPER = 0, 1, 2


def available(count: int) -> bool:
    """Whether to fork a helper for ``count`` chapters: two or more, ``fork`` exists, and no thread runs.

    Forking a process that runs threads can copy a lock some thread holds, so that the child
    waits for it forever (see build/background.py): such processes lay out in one process.
    """
    if count < 2 or threading.active_count() != 1 or "fork" not in multiprocessing.get_all_start_methods():
        return False
    try:  # threads of native code too (Linux): Python's count does not see them
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return True


@dataclass
class Finished:
    """A chapter the helper laid out: its promotions, its page PDF (if wanted), its findings."""

    promoted: set[int]
    pdf: bytes | None
    findings: list[Finding] = field(default_factory=list)
    failed: bool = False
    seconds: float = 0.0


def _helper(work: Callable[[int], Finished], count: int, claimed, lock, conn) -> None:
    """The child: claim chapters from the back until one is the parent's, send each result, then ``None``."""
    try:
        for index in reversed(range(count)):
            with lock:
                if claimed[index] != FREE:
                    break
                claimed[index] = HELPER
            result = work(index)
            conn.send((index, result))
            if result.failed:
                break
        conn.send(None)
    except BaseException:  # noqa: BLE001 - the parent takes over what is left
        try:
            conn.send(("crash", traceback.format_exc()))
        except Exception:  # noqa: BLE001
            pass
    finally:
        conn.close()


class Helper:
    """The forked helper of :func:`_helper` and the parent's side of the shared chapter flags."""

    def __init__(self, work: Callable[[int], Finished], count: int) -> None:
        """Fork the helper; ``work(index)`` lays out chapter ``index`` in the child.

        Fork before the parent touches WeasyPrint: the child sets up its own fonts.
        """
        context = multiprocessing.get_context("fork")
        self.count = count
        self._claimed = context.RawArray("b", count)
        self._lock = context.Lock()
        self._conn, child_conn = context.Pipe(duplex=False)
        self.finished: dict[int, Finished] = {}
        self._over = False
        self._process = context.Process(
            target=_helper, args=(work, count, self._claimed, self._lock, child_conn), name="briefing-pdf", daemon=True
        )
        self._process.start()
        child_conn.close()

    def claim_next(self) -> int | None:
        """Claim the first chapter nobody has taken, for the parent; ``None`` if none is left."""
        with self._lock:
            for index in range(self.count):
                if self._claimed[index] == FREE:
                    self._claimed[index] = PARENT
                    return index
        return None

    def receive(self, wait: bool) -> None:
        """Collect the helper's results (waiting for one if ``wait``) into :attr:`finished`."""
        while not self._over and (wait or self._conn.poll()):
            wait = False
            try:
                message = self._conn.recv()
            except (EOFError, OSError):
                message = ("crash", "the helper stopped")
            if message is None or (isinstance(message, tuple) and message and message[0] == "crash"):
                self._give_back()
                self._over = True
            else:
                index, result = message
                self.finished[index] = result

    def _give_back(self) -> None:
        """The helper stopped: the chapters it claimed but did not finish are free again (for the parent)."""
        with self._lock:
            for index in range(self.count):
                if self._claimed[index] == HELPER and index not in self.finished:
                    self._claimed[index] = FREE

    @property
    def over(self) -> bool:
        """Whether the helper has sent its last result."""
        return self._over

    def close(self) -> None:
        """Stop the helper if it still runs and reap it."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=5)
        self._conn.close()
