"""Topics: the kind, the tags of forums and initiatives with the source's words, and the pages that show them.

Through ``python -m generator check`` (exact messages with line:col) and through the
rendered pages of a small atlas with two topics.
"""

from __future__ import annotations

import json

from conftest import VALID_ATLAS, XP, X, forum_x
from html_helpers import parse

from generator.pipeline import build_atlas
from generator.render.pages import render_pages

DEBRIS = """\
id: debris
kind: topic
name: Space debris
synonyms: [orbital debris, space junk, "<b>ASAT</b>"]
summary: Objects in orbit that no longer serve a purpose.
sources:
  - title: Example brief
    url: https://example.org/brief
    accessed: 2026-01-10
last_reviewed: 2026-01-15
"""
SPECTRUM = DEBRIS.replace("id: debris", "id: spectrum").replace("name: Space debris", "name: Spectrum").replace(
    'synonyms: [orbital debris, space junk, "<b>ASAT</b>"]', "synonyms: [radio frequency]"
)
TOPICS = {"topics/debris.yaml": DEBRIS, "topics/spectrum.yaml": SPECTRUM}


def rows(markdown: str) -> list[dict[str, str]]:
    """The rows of the first table in ``markdown``, each as header → cell text."""
    head, *body = parse(markdown).tables[0].rows
    return [dict(zip(head, row, strict=True)) for row in body]


def hrefs(markdown: str) -> list[str]:
    return [t.attrs["href"] for t in parse(markdown).tags if t.name == "a" and "href" in t.attrs]


def section(markdown: str, title: str) -> str:
    """The Markdown of the section under ``## title``, up to the next one."""
    return markdown.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def tags(*items: tuple[str, str, str]) -> str:
    """``topics:`` of forums/x.yaml (line 10), one tag per (topic, evidence, source), three lines each."""
    return "topics:\n" + "".join(f"  - topic: {t}\n    evidence: {json.dumps(e)}\n    source: {s}\n" for t, e, s in items)


def test_a_tagged_forum_and_its_topics_are_valid(check):
    text = forum_x(tags(("debris", "It tracks debris.", "https://example.org/brief")))
    result = check({X: text, **TOPICS}, "--strict")
    assert (result.returncode, result.stdout) == (0, ""), result


def test_a_tag_names_a_topic_that_exists(errors):
    text = forum_x(tags(("debriss", "It tracks debris.", "https://example.org/brief")))
    lines = errors({X: text, **TOPICS})
    assert lines == [f"{XP}:11:12: error: 'topics[0].topic' names 'debriss', but there is no topic with that id; did you mean 'debris'?"]


def test_a_tag_cites_one_of_the_entry_s_sources(errors):
    text = forum_x(tags(("debris", "It tracks debris.", "https://example.org/other")))
    assert errors({X: text, **TOPICS}) == [
        f"{XP}:13:13: error: 'topics[0].source' is 'https://example.org/other', which is not one of this entry's sources; "
        "give the url or document of a source listed under 'sources'"
    ]


def test_a_topic_is_tagged_once(errors):
    text = forum_x(tags(("debris", "It tracks debris.", "https://example.org/brief"), ("debris", "Again.", "https://example.org/brief")))
    assert errors({X: text, **TOPICS}) == [
        f"{XP}:14:12: error: 'topics[1].topic' repeats 'debris' (already in topics[0]); tag each topic once"
    ]


def test_a_tag_needs_its_evidence(errors):
    text = forum_x("topics:\n  - topic: debris\n    source: https://example.org/brief\n")
    lines = errors({X: text, **TOPICS})
    assert lines == [f"{XP}:11:5: error: missing required field 'topics[0].evidence' "
                     "(Verbatim quote from the source that says the entry deals with the topic ('…' skips words))"]


def test_a_brief_quote_of_a_tag_is_checked(check, tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "brief.md").write_text("Operators share data to reduce collision risks.\n", encoding="utf-8")
    cites_brief = {"    url: https://example.org/brief\n": "    document: brief\n"}
    good = forum_x(tags(("debris", "share data to reduce collision risks", "brief")), cites_brief)
    assert check({X: good, **TOPICS}, "--content", "content").returncode == 0
    bad = forum_x(tags(("debris", "share debris data", "brief")), cites_brief)
    result = check({X: bad, **TOPICS}, "--content", "content")
    assert result.returncode == 1
    assert result.lines[0].startswith(f"{XP}:12:15: error: 'topics[0].evidence': quote not found in 'brief'"), result.lines


def test_a_topic_has_no_tags_or_claims_of_its_own(errors):
    lines = errors({**TOPICS, "topics/debris.yaml": DEBRIS + "pathway: universal\n"})
    assert len(lines) == 1 and "'pathway'" in lines[0] and lines[0].startswith("entries/topics/debris.yaml:11:1: error:"), lines


# --- the atlas and its pages --------------------------------------------------------------------


def _atlas(make_entries):
    files = {**TOPICS, X: forum_x(tags(("debris", "It tracks <script>debris</script>.", "https://example.org/brief")))}
    return build_atlas(make_entries(files))


def test_the_atlas_lists_each_topic_s_entries(make_entries):
    atlas = _atlas(make_entries)
    assert [t.id for t in atlas.topics] == ["debris", "spectrum"]
    assert [e.id for e in atlas.topic_entries("debris")] == ["x"]
    assert atlas.topic_entries("spectrum") == []


def test_a_topic_page_lists_its_forums_with_the_source_s_words(make_entries):
    pages = render_pages(_atlas(make_entries))
    markdown = pages["topics/debris.md"].markdown
    html = parse(markdown)
    assert "orbital debris" in html.text and "space junk" in html.text  # the synonyms are in the page's text, where search finds them
    assert "<b>ASAT</b>" in html.text and not [t for t in html.tags if t.name in ("b", "script")]  # and shown as typed
    (row,) = rows(section(markdown, "Forums and initiatives"))
    assert row["Name"] == "X Forum" and row["Kind"] == "forum" and row["Pathway"] == "—"
    assert row["Evidence"] == "It tracks <script>debris</script>. [1]"
    links = hrefs(markdown)
    assert "../../forums/x/#source-1" in links and "../../forums/x/" in links
    assert "../../relations/#relations-debris" in links and "../../timeline/?topic=debris" in links
    empty = parse(pages["topics/spectrum.md"].markdown)
    assert "No forum or initiative in the atlas is tagged with this topic yet." in empty.text


def test_a_forum_page_shows_its_topics_with_the_evidence(make_entries):
    pages = render_pages(_atlas(make_entries))
    topics = section(pages["forums/x.md"].markdown, "Topics")
    assert rows(topics) == [{"Topic": "Space debris", "Evidence": "It tracks <script>debris</script>. [1]"}]
    assert "../../topics/debris/" in hrefs(topics)


def test_the_topics_index_counts_the_tagged_entries(make_entries):
    pages = render_pages(_atlas(make_entries))
    index = rows(pages["topics/index.md"].markdown)
    assert [(r["Name"], r["Synonyms"], r["Forums and initiatives"]) for r in index] == [
        ("Space debris", "orbital debris, space junk, <b>ASAT</b>", "1"),
        ("Spectrum", "radio frequency", "0"),
    ]


def test_the_minimal_atlas_needs_no_topic():
    assert not any(path.startswith("topics/") for path in VALID_ATLAS)


def test_the_exports_carry_the_tags_and_each_topic_s_entries(make_entries):
    import csv
    import io

    from generator.exports import atlas_document, export_files

    atlas = _atlas(make_entries)
    records = {r["id"]: r for r in atlas_document(atlas)["entries"]}
    assert records["debris"]["tagged"] == ["x"] and records["spectrum"]["tagged"] == []
    assert records["x"]["topics"] == [{"topic": "debris", "evidence": "It tracks <script>debris</script>.", "source": "https://example.org/brief"}]
    files = export_files(atlas)
    forums = {r["id"]: r for r in csv.DictReader(io.StringIO(files["forums.csv"].decode()))}
    assert forums["x"]["topics"] == "debris" and forums["alpha-forum"]["topics"] == ""
    topics = list(csv.DictReader(io.StringIO(files["topics.csv"].decode())))
    assert [(t["id"], t["synonyms"]) for t in topics] == [("debris", "orbital debris; space junk; <b>ASAT</b>"), ("spectrum", "radio frequency")]
