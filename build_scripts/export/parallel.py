"""A forked helper process for the PDF export, and the two-way channel to it.

WeasyPrint lays out and writes on one core. The export gives the helper the
chapters at the back of the briefing and keeps those at the front (which side
gets which is decided by :func:`build_scripts.export.split.split_point`). Each
side lays out its chapters, writes their page PDFs, and writes its part of the
full briefing; the parent puts the parts together. The protocol itself lives in
:mod:`build_scripts.export.pdf`; this module only forks, carries messages and
notices when the helper stops.

The helper never waits for the parent to read: a thread of the parent receives
its messages as they come. If the helper stops early (a crash, or killed), its
channel ends and the parent does the rest of its work itself; the output is
the same.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import threading
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

from ..findings import Finding

log = logging.getLogger(__name__)


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


class Channel:
    """The helper's end: messages to the parent and from it."""

    def __init__(self, outgoing, incoming) -> None:
        self._out = outgoing
        self._in = incoming

    def send(self, message: Any) -> None:
        """Send ``message`` (picklable) to the parent."""
        self._out.send(message)

    def recv(self) -> Any:
        """The parent's next message."""
        return self._in.recv()


#: The last message of a helper that finished its work.
_END = "end"
#: The first element of the last message of a helper whose work raised.
_CRASH = "crash"


def _run(work: Callable[[Channel], None], outgoing, incoming) -> None:
    """The child: run ``work``, then say that it ended, or how it crashed."""
    try:
        work(Channel(outgoing, incoming))
        outgoing.send(_END)
    except BaseException:  # noqa: BLE001 - the parent takes over what is left
        try:
            outgoing.send((_CRASH, traceback.format_exc()))
        except Exception:  # noqa: BLE001
            pass
    finally:
        outgoing.close()


class Helper:
    """The forked helper running ``work(channel)``, seen from the parent."""

    def __init__(self, work: Callable[[Channel], None]) -> None:
        """Fork the helper. Fork before the parent touches WeasyPrint: the child sets up its own fonts."""
        context = multiprocessing.get_context("fork")
        from_child, child_out = context.Pipe(duplex=False)
        child_in, to_child = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(work, child_out, child_in), name="briefing-pdf", daemon=True)
        self._process.start()
        child_out.close()
        child_in.close()
        self._from_child, self._to_child = from_child, to_child
        self._inbox: queue.Queue = queue.Queue()
        self._over = False
        #: the kind (first element) of each message received so far
        self.received: list[str] = []
        # started after the fork, and joined in close(): the process forks nothing while it runs
        self._reader = threading.Thread(target=self._read, name="briefing-pdf-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        """Receive every message of the helper as it comes; ``None`` in the inbox once it stopped."""
        while True:
            try:
                message = self._from_child.recv()
            except (EOFError, OSError):
                message = (_CRASH, "the helper stopped")
            if message == _END or (isinstance(message, tuple) and message and message[0] == _CRASH):
                if message != _END:
                    log.debug("PDF helper stopped early: %s", message[1])
                self._inbox.put(None)
                return
            self._inbox.put(message)

    def recv(self) -> Any:
        """The helper's next message, waiting for it; ``None`` once the helper has stopped, for whatever reason."""
        if self._over:
            return None
        message = self._inbox.get()
        if message is None:
            self._over = True
        else:
            self.received.append(message[0])
        return message

    def send(self, message: Any) -> bool:
        """Send ``message`` to the helper; ``False`` if it has stopped."""
        if self._over:
            return False
        try:
            self._to_child.send(message)
            return True
        except (OSError, ValueError):
            return False

    def close(self) -> None:
        """Stop the helper if it still runs, reap it, and end the reading thread."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=5)
        self._reader.join(timeout=5)
        self._from_child.close()
        self._to_child.close()
