"""One declaration of the kinds drives every output: a field declared once shows up everywhere it should.

The key test declares one more field, ``motto``, on a copy of the forum kind (a fact, and an
index and CSV column) and finds it in validation, the JSON Schema, the skeleton of ``new``,
the issue form, the Fields page, the facts box, the forum index and forums.csv. Other tests
check that the typed model agrees with the declaration, and say what to add when it does not.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re

import pytest
from conftest import TODAY_EPOCH, XP, X, forum_x

from generator.cli import main
from generator.kinds import declaration
from generator.kinds.agreement import fact_problems, model_problems
from generator.kinds.declaration import CSV_TAIL, KINDS, Kind
from generator.kinds.fields import Field, ListOf, Record, Text, Year
from generator.kinds.forms import issue_form
from generator.kinds.model import Entry, Membership
from generator.kinds.scaffold import skeleton
from generator.kinds.schema import kind_schema
from generator.pipeline import build_atlas
from generator.render.entry_html import FACT_SEPARATOR
from generator.render.field_html import ValueHtml
from generator.render.pages import render_pages

MOTTO = Field("motto", Text(max_length=200), "What it says of itself, in a few words", example="Safe skies for all", fact="Motto")


@dataclasses.dataclass
class MottoEntry(Entry):
    """The entry of the fixture: the model with the field the fixture declares."""

    motto: str | None = None


def with_field(kind: Kind, extra: Field, factory: type = MottoEntry) -> Kind:
    """A copy of ``kind`` with ``extra`` as its last field, an index column before the computed one, and a CSV column before the common tail."""
    record = Record(kind.record.label, (*kind.record.fields, extra), factory, one_of=kind.record.one_of)
    own_columns = kind.csv_columns[: len(kind.csv_columns) - len(CSV_TAIL)]
    return dataclasses.replace(
        kind,
        record=record,
        index_columns=(*kind.index_columns[:-1], extra.name, kind.index_columns[-1]),
        csv_columns=(*own_columns, extra.name, *CSV_TAIL),
    )


def use_kind(monkeypatch: pytest.MonkeyPatch, kind: Kind) -> Kind:
    """Put ``kind`` in place of the declared kind of its name, for the length of a test: every output reads it."""
    monkeypatch.setitem(declaration.KINDS, kind.name, kind)
    monkeypatch.setitem(declaration.KIND_BY_FOLDER, kind.folder, kind)
    return kind


@pytest.fixture
def motto_forum(monkeypatch) -> Kind:
    """The forum kind with ``motto``."""
    return use_kind(monkeypatch, with_field(KINDS["forum"], MOTTO))


ALPHA_WITH_MOTTO = {
    "forums/alpha-forum.yaml": """\
        id: alpha-forum
        kind: forum
        name: Alpha Forum
        acronym: AF
        summary: A universal forum.
        pathway: universal
        established: 1959
        motto: Safe skies & open doors
        sources:
          - title: Example brief
            url: https://example.org/brief
            accessed: 2026-01-10
            supports: [acronym, pathway, established]
        last_reviewed: 2026-01-15
        """,
}


# --- the model and the facts agree with the declaration ---------------------------------


def test_the_model_has_every_declared_field_in_the_declared_shape():
    assert model_problems() == []


def test_every_declared_fact_is_one_a_source_can_support():
    assert fact_problems() == []


def test_a_field_declared_but_not_on_the_model_says_what_to_add():
    kinds = {**KINDS, "forum": with_field(KINDS["forum"], MOTTO, factory=Entry)}
    assert model_problems(kinds) == [
        "Entry has no field 'motto', which forum declares: add `motto: str | None = None` to Entry in generator/kinds/model.py"
    ]
    year = Field("founded", Year(), "Year it was founded", required=True)
    kinds = {**KINDS, "forum": with_field(KINDS["forum"], year, factory=Entry)}
    assert model_problems(kinds) == [
        "Entry has no field 'founded', which forum declares: add `founded: int | None = None` to Entry in generator/kinds/model.py"
    ]
    listed = Field("mottos", ListOf(Text()), "Its mottos")
    kinds = {**KINDS, "forum": with_field(KINDS["forum"], listed, factory=Entry)}
    assert model_problems(kinds) == [
        "Entry has no field 'mottos', which forum declares: add `mottos: list[str] = field(default_factory=list)` to Entry in generator/kinds/model.py"
    ]


def test_a_field_of_the_wrong_shape_on_the_model_says_what_to_make_it():
    as_text = Field("established", Text(), "Year it was founded, in words")
    forum = KINDS["forum"]
    fields = tuple(as_text if f.name == "established" else f for f in forum.record.fields)
    kinds = {**KINDS, "forum": dataclasses.replace(forum, record=Record(forum.record.label, fields, Entry))}
    assert model_problems(kinds) == [
        "Entry.established does not match what forum declares: make it `established: str | None = None` in generator/kinds/model.py"
    ]


def test_a_field_on_the_model_but_declared_nowhere_is_named():
    @dataclasses.dataclass
    class Coloured(MottoEntry):
        colour: str | None = None

    kinds = {**KINDS, "forum": with_field(KINDS["forum"], MOTTO, factory=Coloured)}
    problems = model_problems(kinds)
    assert "Coloured.colour is declared nowhere: declare it in generator/kinds/declaration.py, or remove it from Coloured in generator/kinds/model.py" \
        in problems
    assert not any("motto" in p for p in problems)


def test_a_fact_missing_from_the_facts_says_so():
    kinds = {**KINDS, "forum": with_field(KINDS["forum"], MOTTO)}
    assert fact_problems(kinds) == [
        "forum declares 'motto' as a fact, but FACTS in generator/kinds/declaration.py does not list it,"
        " so no source can say it supports it: add it to FACTS"
    ]


def test_a_column_naming_no_field_is_refused_when_declared():
    forum = KINDS["forum"]
    with pytest.raises(ValueError, match="forum: index column 'motto' is neither a field of the kind"):
        dataclasses.replace(forum, index_columns=("motto",))
    with pytest.raises(ValueError, match="forum: CSV column 'membership_colour' is neither"):
        dataclasses.replace(forum, csv_columns=("id", "membership_colour"))


# --- one more field, found in every output ----------------------------------------------


def test_without_the_declaration_the_field_is_unknown(errors):
    [line] = errors({X: forum_x("motto: Safe skies\n")})
    assert line.startswith(f"{XP}:10:1: error: unknown field 'motto'; a forum entry has: id, kind, name, ")


def test_validation_accepts_the_declared_field_and_rejects_a_wrong_type(motto_forum, check, errors):
    assert check({X: forum_x("motto: Safe skies\n")}).returncode == 0
    assert errors({X: forum_x("motto: 42\n")}) == [f"{XP}:10:8: error: 'motto' must be text, but is the number 42; write \"42\" in quotes if you mean text"]
    assert errors({X: forum_x("motto: no\n")}) == [
        f"{XP}:10:8: error: 'motto' must be text, but is false (written no); YAML reads an unquoted no as false: write \"no\" in quotes"
    ]


def test_the_json_schema_has_the_field(motto_forum):
    schema = kind_schema(motto_forum)
    assert schema["properties"]["motto"] == {
        "type": "string", "minLength": 1, "maxLength": 200, "pattern": r"^[^\n]*\S[^\n]*$", "description": MOTTO.doc,
    }
    assert "motto" not in kind_schema(KINDS["gap"])["properties"]


def test_the_skeleton_of_new_has_the_field(motto_forum, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "forum", "brand-new", "--entries", "entries"]) == 0
    text = (tmp_path / "entries" / "forums" / "brand-new.yaml").read_text(encoding="utf-8")
    assert re.search(r"^# motto: Safe skies for all +# optional: What it says of itself, in a few words$", text, re.MULTILINE), text
    assert "motto" not in skeleton(KINDS["gap"], "x")


def test_the_issue_form_has_the_field(motto_forum):
    items = {item.get("id"): item for item in issue_form()["body"]}
    assert items["motto"] == {
        "type": "input", "id": "motto",
        "attributes": {"label": "Motto (for forums)", "description": MOTTO.doc + "."},
        "validations": {"required": False},
    }


@pytest.fixture
def motto_atlas(motto_forum, make_entries, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    return build_atlas(make_entries(ALPHA_WITH_MOTTO))


def test_the_fields_page_lists_the_field(motto_atlas):
    fields = render_pages(motto_atlas)["fields.md"].markdown
    forums = fields.split("## Forums")[1].split("## Gaps")[0]
    assert (
        '<tr><td data-label="Field"><code>motto</code></td><td data-label="Type">text</td><td data-label="Required">no</td>'
        f'<td data-label="Meaning">{MOTTO.doc}</td><td data-label="Example"><code>Safe skies for all</code></td></tr>'
    ) in forums


def test_the_facts_box_shows_the_field_with_its_label(motto_atlas):
    page = render_pages(motto_atlas)["forums/alpha-forum.md"].markdown
    facts = re.search(r'<table class="atlas-facts">.*?</table>', page, re.DOTALL)
    assert facts is not None
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td>' + re.escape(str(FACT_SEPARATOR)) + r'(.*?)</td></tr>', facts.group())
    assert [label for label, _ in rows] == ["Acronym", "Pathway", "Established", "Motto"]
    assert rows[-1][1] == "Safe skies &amp; open doors"


def test_the_index_has_the_column(motto_atlas):
    index = render_pages(motto_atlas)["forums/index.md"].markdown
    assert '<th scope="col">Seat</th><th scope="col">Motto</th><th scope="col">Gaps addressed</th>' in index
    row = re.search(r"<tr[ >][^\n]*?Alpha Forum.*?</tr>", index)
    assert row is not None
    assert '<td data-label="Seat">—</td><td data-label="Motto">Safe skies &amp; open doors</td>' in row.group()


def test_the_csv_has_the_column(motto_forum, make_entries, tmp_path, monkeypatch, capsys):
    entries = make_entries(ALPHA_WITH_MOTTO)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    assert main(["export", "--entries", str(entries), "--out", str(tmp_path / "out")]) == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "forums.csv").read_text(encoding="utf-8"))))
    assert list(rows[0])[:12] == ["id", "name", "acronym", "type", "pathway", "established", "seat",
                                  "membership_count", "membership_as_of", "website", "topics", "motto"]
    assert rows[0]["motto"] == "Safe skies & open doors"
    assert "motto" not in (tmp_path / "out" / "gaps.csv").read_text(encoding="utf-8").splitlines()[0]


# --- the facts box and the index follow the declaration ---------------------------------


def test_a_field_left_out_of_the_facts_box_is_not_in_it(monkeypatch, make_entries):
    forum = KINDS["forum"]
    fields = tuple(dataclasses.replace(f, in_facts_box=False) if f.name == "established" else f for f in forum.record.fields)
    use_kind(monkeypatch, dataclasses.replace(forum, record=Record(forum.record.label, fields, Entry)))
    page = render_pages(build_atlas(make_entries()))["forums/alpha-forum.md"].markdown
    assert re.findall(r'<tr><th scope="row">([^<]*)</th>', page) == ["Pathway", "Website"]


def test_a_value_shows_as_its_type_says(make_entries):
    atlas = build_atlas(make_entries())
    show = ValueHtml(atlas, "initiatives/gamma-guidelines.md", directory_urls=True)
    led_by = declaration.LED_BY.type
    assert show.html(declaration.PATHWAY.type, "universal") == '<a href="../../pathways/universal/">Universal forums</a>'
    assert show.html(led_by, ["alpha-forum", "alpha-forum"]) == (
        '<a href="../../forums/alpha-forum/">Alpha Forum</a>, <a href="../../forums/alpha-forum/">Alpha Forum</a>')
    assert show.html(declaration.ESTABLISHED.type, 1959) == "1959"
    assert show.html(declaration.SEAT.type, "<Geneva>") == "&lt;Geneva&gt;"
    membership = Membership(1200, note="Member States", as_of=None)
    assert show.html(declaration.MEMBERSHIP, membership) == "1,200 Member States"
    assert show.html(declaration.WEBSITE.type, "https://a.example/") == '<a href="https://a.example/" rel="noopener noreferrer nofollow">https://a.example/</a>'
