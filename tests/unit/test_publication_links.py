"""The published addresses behind the correction links, and the plural forms of counts."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from build_scripts.render.formatting import plural
from build_scripts.render.publication import Publication


def test_no_repository_means_no_links():
    assert Publication().edit_href("facts/a.yaml", 3) == ""
    assert Publication().issue_href("t", "b") == ""
    assert Publication(repo_url="https://github.com/d/b").edit_href("facts/a.yaml", 3) == "", "no editor address: no edit link"


@pytest.mark.parametrize(
    "edit_uri, expected",
    [
        ("edit/main/", "https://github.com/d/b/edit/main/facts/a.yaml#L12"),
        ("/edit/main", "https://github.com/d/b/edit/main/facts/a.yaml#L12"),
        ("https://git.example/d/b/-/edit/main/", "https://git.example/d/b/-/edit/main/facts/a.yaml#L12"),
    ],
)
def test_edit_link_opens_the_file_at_its_line(edit_uri, expected):
    assert Publication(repo_url="https://github.com/d/b/", edit_uri=edit_uri).edit_href("facts/a.yaml", 12) == expected


def test_issue_link_is_prefilled_and_encoded():
    href = Publication(repo_url="https://github.com/d/b").issue_href("Correction: ¥1 & more", "Line one\nLine two")
    parts = urlsplit(href)
    assert parts.path == "/d/b/issues/new"
    assert parse_qs(parts.query) == {"title": ["Correction: ¥1 & more"], "body": ["Line one\nLine two"]}


@pytest.mark.parametrize("count, expected", [(0, "0 sources"), (1, "1 source"), (2, "2 sources"), (1000, "1,000 sources")])
def test_plural_follows_the_locale_rule(count, expected):
    assert plural(count, "source", "sources") == expected


def test_plural_in_a_locale_where_zero_is_singular():
    assert plural(0, "source", "sources", "fr") == "0 source"
