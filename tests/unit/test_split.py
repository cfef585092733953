"""The full briefing's split in two parts: where the chapters are cut, and what stands in for another's page."""

from __future__ import annotations

from types import SimpleNamespace

from build_scripts.export.split import PageSummary, StandIn, split_point


def test_split_point_balances_the_two_sides():
    assert split_point([10, 10, 10, 10]) == 2
    assert split_point([40, 10, 10, 10, 10]) == 1  # the parent's one big chapter against the rest
    assert split_point([10, 10, 10, 40]) == 3


def test_the_parents_head_start_moves_the_cut_forward():
    assert split_point([10, 10, 10, 10], head_start=20) == 1
    assert split_point([10] * 10, head_start=20) == 4


def test_each_side_keeps_a_chapter_and_one_chapter_stays_whole():
    assert split_point([1, 1000]) == 1 and split_point([1000, 1]) == 1
    assert split_point([5, 5], head_start=10_000) == 1
    assert split_point([7]) == 1 and split_point([]) == 0


def test_split_point_is_deterministic_at_ties():
    assert split_point([10, 10, 10]) == split_point([10, 10, 10]) == 1


def summary(anchors: dict, bookmarks: list) -> PageSummary:
    return PageSummary(595.0, 842.0, {"top": 0, "right": 0, "bottom": 0, "left": 0}, anchors, bookmarks)


def test_a_summary_followed_by_another_keeps_the_first_anchor_of_a_name():
    content = summary({"a": (1, 2, 3, 4), "b": (5, 6, 7, 8)}, [(1, "Title", (0, 10), "open")])
    furniture = summary({"b": (9, 9, 9, 9), "c": (0, 0, 1, 1)}, [(2, "Running", (0, 800), "open")])
    both = content.followed_by(furniture)
    assert both.anchors == {"a": (1, 2, 3, 4), "b": (5, 6, 7, 8), "c": (0, 0, 1, 1)}
    assert list(both.anchors) == ["a", "b", "c"]
    assert both.bookmarks == [(1, "Title", (0, 10), "open"), (2, "Running", (0, 800), "open")]
    assert (both.width, both.height) == (595.0, 842.0)


def test_a_summary_is_taken_from_a_laid_out_page():
    page = SimpleNamespace(width=10.0, height=20.0, bleed={"top": 1}, anchors={"x": (0, 0, 1, 1)}, bookmarks=[(1, "X", (0, 0), "open")])
    assert PageSummary.of(page) == PageSummary(10.0, 20.0, {"top": 1}, {"x": (0, 0, 1, 1)}, [(1, "X", (0, 0), "open")])


def test_a_stand_in_has_the_pages_anchors_and_no_links_and_draws_nothing():
    stand_in = StandIn(summary({"a": (1, 2, 3, 4)}, [(1, "T", (0, 1), "open")]))
    assert stand_in.anchors == {"a": (1, 2, 3, 4)} and stand_in.bookmarks == [(1, "T", (0, 1), "open")]
    assert stand_in.links == [] and stand_in.forms == {None: []}
    assert (stand_in.width, stand_in.height) == (595.0, 842.0)

    class Stream:
        def __getattr__(self, name):
            raise AssertionError(f"a stand-in drew: {name}")

    stand_in.paint(Stream(), 0.75)
