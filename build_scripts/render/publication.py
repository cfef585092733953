"""Where the briefing is published and who publishes it: the addresses behind the publisher's furniture.

The addresses are mkdocs' own settings (``site_url``, ``repo_url``, ``edit_uri``
in ``mkdocs.yml``, filled from the environment by ``deploy.yml``), read from the
mkdocs configuration as mkdocs loaded it. An address that is not set is empty,
and every link that needs it is left out: a local build names no made-up host.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass(frozen=True)
class Publication:
    """The published addresses of one build; empty strings where none is set."""

    site_url: str = ""  # "https://desk.github.io/briefing/", with its final slash (mkdocs adds it)
    repo_url: str = ""  # "https://github.com/desk/briefing"
    edit_uri: str = ""  # below repo_url: "edit/main/" opens a file in the repository's web editor

    @classmethod
    def from_config(cls, config) -> "Publication":
        """The addresses of a loaded mkdocs configuration (``None`` and unset become empty)."""
        return cls(config.get("site_url") or "", config.get("repo_url") or "", config.get("edit_uri") or "")

    def edit_href(self, path: str, line: int | None = None) -> str:
        """The address that opens ``path`` (relative to the repository's root) in the repository's web editor,
        at ``line``; empty when the repository or its editor address is not set."""
        if not (self.repo_url and self.edit_uri):
            return ""
        if self.edit_uri.startswith(("http://", "https://")):
            base = self.edit_uri
        else:
            base = self.repo_url.rstrip("/") + "/" + self.edit_uri.lstrip("/")
        return base.rstrip("/") + "/" + path + (f"#L{line}" if line else "")

    def issue_href(self, title: str, body: str) -> str:
        """A new issue in the repository with ``title`` and ``body`` filled in (GitHub's form); empty without a repository."""
        if not self.repo_url:
            return ""
        return self.repo_url.rstrip("/") + "/issues/new?" + urlencode({"title": title, "body": body})

    def report_href(self, title: str) -> str:
        """A new issue reporting an error in the briefing called ``title``; empty without a repository."""
        return self.issue_href(f"Correction: {title}", "Page:\nWhat is wrong, and which source says so:\n")


def last_updated(fb) -> dt.date | None:
    """The newest date in the records (a fact's ``as_of``, a source read, a review): when the briefing last changed.

    Taken from the records, not the clock, so that the same records build the same pages.
    """
    from ..dates import EPOCH, records_date

    newest = records_date(fb)
    return None if newest == EPOCH else newest.date()


def furniture(fb, publication: Publication) -> dict:
    """What the footer of every page says (theme override ``templates/theme/partials/copyright.html``): who publishes
    the briefing, when it last changed, the licence of the desk's own text and data, where to report an error."""
    from .formatting import Formatter

    updated = last_updated(fb)
    settings = fb.settings
    return {
        "desk": settings.desk,
        "licence": settings.licence,
        "licence_url": settings.licence_url or "",
        "updated": Formatter(settings).date(updated) if updated else "",
        "updated_iso": updated.isoformat() if updated else "",
        "report_href": publication.report_href(settings.title),
        "contact": settings.corrections_contact or "",
        "repo_url": publication.repo_url,
    }
