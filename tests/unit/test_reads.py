"""What a page reads from the fact base, and which pages an edit touches (render/reads.py)."""

from __future__ import annotations

import jinja2
import pytest

from build_scripts.pipeline import check_project
from build_scripts.render.reads import Changes, ReadingFactBase, Reads, file_hashes, record_changes, template_reads


@pytest.fixture
def fb(project):
    return check_project(project)


def test_records_asked_for_by_id_are_noted_and_nothing_outside_reading(fb):
    reader = ReadingFactBase(fb)
    fact_id = next(iter(fb.facts))
    reader.facts[fact_id]  # outside reading: nothing is noted, the plain records are given
    reads = Reads()
    with reader.reading(reads):
        reader.facts[fact_id]
        reader.status("other-fact") if "other-fact" in fb.facts else None
        source = next(iter(fb.sources))
        assert source in reader.sources
        reader.facts_of("funding")
        reader.cited_by(source)
        reader.reviews_of(fact_id)
        reader.where(fb.facts[fact_id])
        assert reader.root == fb.root and reader.settings is fb.settings
    assert reads.facts == {fact_id} and reads.sources == {source}
    assert reads.topics == {"funding"} and reads.cited == {source} and reads.reviewed == {fact_id}
    assert reads.files == {fb.facts[fact_id].file}
    assert not reads.kinds and not reads.everything


def test_walking_a_collection_or_asking_anything_else_reads_more(fb):
    reader = ReadingFactBase(fb)
    walked, other, missing = Reads(), Reads(), Reads()
    with reader.reading(walked):
        list(reader.sources.values())
        reader.topics
    with reader.reading(other):
        reader.conflicts
    with reader.reading(missing):
        with pytest.raises(KeyError):
            reader.facts["no-such-fact"]
    assert walked.kinds == {"sources", "facts"} and not walked.everything
    assert other.everything
    assert missing.facts == {"no-such-fact"}  # a page naming a fact that does not exist yet renders again when it does


def test_template_reads_follow_imports_and_includes(tmp_path):
    (tmp_path / "_macros.j2").write_text("{% macro table() %}{% for f in facts %}{{ f.id }}{% endfor %}{% endmacro %}")
    (tmp_path / "_part.j2").write_text("{{ last_updated }}")
    (tmp_path / "page.md.j2").write_text('{% import "_macros.j2" as m with context %}{{ m.table() }}{% include "_part.j2" %}')
    (tmp_path / "plain.md.j2").write_text('# Title\n{{ fig("a") }} {% for sources in [1] %}{{ sources }}{% endfor %}')
    (tmp_path / "dynamic.md.j2").write_text("{% include name %}")
    (tmp_path / "history.md.j2").write_text("{% for r in changes %}{% endfor %}")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))
    assert template_reads(env, "page.md.j2").kinds == {"facts", "sources", "reviews"}
    plain = template_reads(env, "plain.md.j2")
    assert not plain.kinds and not plain.everything  # a loop variable named like a context name reads nothing
    assert template_reads(env, "dynamic.md.j2").everything
    assert template_reads(env, "history.md.j2").everything


@pytest.mark.parametrize("page, others", [
    ('{% include "nope.j2" ignore missing %}ok', {}),  # a documented way to include what may not be there
    ('{% if false %}{% include "bad.j2" %}{% endif %}ok', {"bad.j2": "{% for %}"}),  # never loaded by the render
])
def test_a_template_the_render_may_never_load_reads_everything_and_raises_nothing(tmp_path, page, others):
    """`briefing build` renders these pages; the preview must not stop on them (it renders them on any change)."""
    (tmp_path / "page.md.j2").write_text(page)
    for name, text in others.items():
        (tmp_path / name).write_text(text)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))
    assert env.get_template("page.md.j2").render() == "ok"
    assert template_reads(env, "page.md.j2").everything


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_record_changes_name_what_an_edit_changed(project):
    old = check_project(project)
    old_files = file_hashes(project, project / "facts")
    fact = next(f for f in old.facts.values() if f.topic == "funding")
    _edit(project / "facts" / "funding.yaml", f"  label: {fact.label}\n", f"  label: {fact.label} (revised)\n")
    new = check_project(project)
    changes = record_changes(old, new, old_files, file_hashes(project, project / "facts"))
    assert changes.facts == {fact.id}
    assert changes.topics == {"funding"} and changes.cited == {c.source for c in fact.citations}
    assert not changes.sources and not changes.reviews and changes.files == {"facts/funding.yaml"}
    assert not record_changes(new, new, {}, {})  # the same records: nothing to render again


def test_a_page_is_touched_only_by_what_it_read():
    changes = Changes(facts={"a"}, topics={"funding"}, cited={"s1"}, files={"facts/funding.yaml"})
    assert Reads(facts={"a"}).touched_by(changes)
    assert not Reads(facts={"b"}, sources={"s1"}).touched_by(changes)
    assert Reads(topics={"funding"}).touched_by(changes)
    assert Reads(cited={"s1"}).touched_by(changes)
    assert Reads(kinds={"facts"}).touched_by(changes) and not Reads(kinds={"sources"}).touched_by(changes)
    assert Reads(files={"facts/funding.yaml"}).touched_by(changes)
    assert Reads(everything=True).touched_by(Changes(files={"facts/x.yaml"}))
    assert not Reads(everything=True).touched_by(Changes())
