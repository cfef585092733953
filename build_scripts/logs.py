"""Log records kept in memory: how what mkdocs logs becomes findings (or is logged again)."""

from __future__ import annotations

import logging


class Records(logging.Handler):
    """A logging handler that keeps every record at or above ``level`` that reaches it."""

    def __init__(self, level: int = logging.WARNING) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    @property
    def messages(self) -> list[str]:
        """The records' messages, in the order they were logged."""
        return [record.getMessage() for record in self.records]
