"""Peak memory of a process and every process it starts, together.

``os.wait4`` reports the largest resident size of any one process; the PDF export runs processes
side by side, so what a machine must hold is their sum. :class:`TreePeak` samples it from
``/proc`` (Linux) while the command runs.
"""

from __future__ import annotations

import threading
from pathlib import Path

#: Seconds between samples: short against the runs measured (one second and more).
INTERVAL = 0.02


class TreePeak(threading.Thread):
    """Samples the summed resident size (kB) of ``pid`` and its descendants until :meth:`stop`."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(INTERVAL):
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(p) for p in _tree(self.pid)))

    def stop(self) -> int:
        """Stop sampling; the peak in kB (0 where ``/proc`` is not there)."""
        self._done.set()
        self.join()
        return self.peak_kb


def _tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])  # the name may hold spaces and brackets
            parents.setdefault(parent, []).append(int(entry.name))
    found, i = [root], 0
    while i < len(found):
        found.extend(parents.get(found[i], ()))
        i += 1
    return found


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0
