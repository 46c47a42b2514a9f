"""Input that would silently change what was typed, or the atlas as a whole, is an error.

1. YAML that changes the text a contributor typed, without a word: anchors, aliases and tags
   (a value starting with ``&``, ``*`` or ``!``), YAML 1.1 numbers in another base or with
   ``_`` or ``:``, a `` #`` that cuts text short, directives.
2. Dates later than the edition's date (SOURCE_DATE_EPOCH, or today in UTC): one entry must
   never move the edition date of the whole atlas.

Each error is asserted with its exact message and position through ``check`` (in-process, and
once as a real subprocess), and through the functions; valid input next to it still passes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import TODAY_EPOCH, XP, X, forum_x, write_entries

from generator import settings
from generator.edition import Ceiling, edition_ceiling
from generator.errors import AtlasInvalid, SettingsInvalid
from generator.load.reader import load_entry
from generator.pipeline import build_atlas
from generator.validate.entries import validate_folder

QUOTE = "quote the value"
EDITION = "2026-02-01"  # TODAY_EPOCH, which the check fixture sets as SOURCE_DATE_EPOCH
FUTURE = "an entry's dates cannot be in the future"


def later(field: str, shown: str, origin: str = "SOURCE_DATE_EPOCH", edition: str = EDITION) -> str:
    return f"'{field}' is {shown}, later than the edition date {edition} ({origin}); {FUTURE}"


# --- 1. anchors, aliases and tags that eat typed text --------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # An anchor takes the first word of a plain value away.
        ("seat: &Co is a firm", f"10:7: error: 'seat' starts with '&Co', which YAML reads as an anchor and drops from the text; {QUOTE}"),
        # The C parser stops at a '.' in an anchor name: still said in the contributor's terms.
        ("seat: &Co. is a firm", f"10:7: error: 'seat' starts with '&Co.', which YAML reads as an anchor; {QUOTE}"),
        ("seat: *Bold text", f"10:7: error: 'seat' starts with '*Bold', which YAML reads as an alias (a copy of another value); {QUOTE}"),
        ("seat: *Bold* text", f"10:7: error: 'seat' starts with '*Bold*', which YAML reads as an alias; {QUOTE}"),
        ("seat: !Important fact", f"10:7: error: 'seat' starts with '!Important', which YAML reads as a tag and drops from the text; {QUOTE}"),
        ("seat: !Important! fact", f"10:7: error: 'seat' starts with '!Important!', which YAML reads as a tag; {QUOTE}"),
        ("seat: !!str 12", f"10:7: error: 'seat' starts with '!!str', which YAML reads as a tag and drops from the text; {QUOTE}"),
        ("seat: ! 12", f"10:7: error: 'seat' starts with '!', which YAML reads as a tag and drops from the text; {QUOTE}"),
        ('seat: !!str "12"', "10:7: error: 'seat' has the YAML tag '!!str'; tags are not allowed in entries: remove it"),
        ('seat: &a "Geneva"', "10:7: error: 'seat' has the YAML anchor '&a'; anchors are not allowed in entries: remove it"),
        (
            "related: [alpha-forum, &x universal]",
            f"10:24: error: 'related[1]' starts with '&x', which YAML reads as an anchor and drops from the text; {QUOTE}",
        ),
        ("related: !!seq [alpha-forum]", "10:10: error: 'related' has the YAML tag '!!seq'; tags are not allowed in entries: remove it"),
        ("&a seat: Geneva", "10:1: error: the field name 'seat' starts with '&a', which YAML reads as an anchor; remove it"),
        ("!!str seat: Geneva", "10:1: error: the field name 'seat' starts with '!!str', which YAML reads as a tag; remove it"),
        ("*a : Geneva", "10:1: error: field names must be plain text, not the alias '*a'"),
    ],
    ids=[
        "anchor", "anchor-with-dot", "alias", "alias-emphasis", "tag", "tag-with-bang", "core-tag", "bare-tag",
        "tag-on-quoted", "anchor-on-quoted", "anchor-in-flow-list", "tag-on-list", "anchor-on-key", "tag-on-key", "alias-key",
    ],
)
def test_anchor_alias_or_tag_is_refused(errors, line, expected):
    assert errors({X: forum_x(line + "\n")}) == [f"{XP}:{expected}"]


def test_anchor_at_the_top_level(errors):
    assert errors({X: "--- &top\n" + forum_x()}) == [
        f"{XP}:1:5: error: the entry has the YAML anchor '&top'; anchors are not allowed in entries: remove it",
    ]


def test_quoted_values_keep_every_character(check):
    text = forum_x(
        """\
        seat: "&Co. is a firm, *really*, !important"
        acronym: '!!str'
        type: "Room #5"
        """
    )
    result = check({X: text})
    assert (result.returncode, result.stdout) == (0, "")


def test_the_refused_value_is_named_in_json_output(check):
    result = check({X: forum_x("seat: &Co is a firm\n")}, "--format", "json")
    assert result.returncode == 1
    assert '"field": "seat"' in result.stdout and '"line": 10' in result.stdout and '"col": 7' in result.stdout


# --- 1. numbers YAML 1.1 reads otherwise than typed -----------------------------------

DECIMAL = "write the number in decimal digits ({0}), or quote it if you mean text"


@pytest.mark.parametrize(
    ("typed", "reading", "value"),
    [
        ("1:20", "the base-60 number 80", "80"),
        ("010", "the octal number 8", "8"),
        ("00", "the octal number 0", "0"),
        ("0x7A7", "the hexadecimal number 1959", "1959"),
        ("-0x1A", "the hexadecimal number -26", "-26"),
        ("0b101", "the binary number 5", "5"),
        ("1_959", "the number 1959", "1959"),
        ("1:20.5", "the base-60 number 80.5", "80.5"),
        ("1_0.5", "the number 10.5", "10.5"),
    ],
)
def test_number_that_is_not_what_was_typed(errors, typed, reading, value):
    assert errors({X: forum_x(f"established: {typed}\n")}) == [
        f"{XP}:10:14: error: 'established' is {typed}, which YAML reads as {reading}; {DECIMAL.format(value)}",
    ]


@pytest.mark.parametrize(("typed", "reading"), [(".inf", "infinity"), ("-.inf", "minus infinity"), (".NaN", "not a number")])
def test_infinity_and_not_a_number(errors, typed, reading):
    assert errors({X: forum_x(f"established: {typed}\n")}) == [
        f"{XP}:10:14: error: 'established' is {typed}, which YAML reads as {reading}; quote it if you mean text",
    ]


def test_number_in_a_nested_field_and_in_a_text_field(errors):
    text = forum_x("membership:\n  count: 1_000\nseat: 12:30\n")
    # Both reported at once: neither stops the reading of the file.
    assert errors({X: text}) == [
        f"{XP}:11:10: error: 'membership.count' is 1_000, which YAML reads as the number 1000; {DECIMAL.format(1000)}",
        f"{XP}:12:7: error: 'seat' is 12:30, which YAML reads as the base-60 number 750; {DECIMAL.format(750)}",
    ]


def test_0o_is_no_yaml_1_1_number_and_stays_text(errors):
    # YAML 1.1 has no 0o prefix: '0o17' is read as the text typed, and the field says what it wants.
    assert errors({X: forum_x("established: 0o17\n")}) == [
        f"{XP}:10:14: error: 'established' must be a year (like 1959), but is the text '0o17'",
    ]


def test_decimal_numbers_pass(check):
    result = check({X: forum_x("established: +1959\nmembership:\n  count: 0\n")})
    assert (result.returncode, result.stdout) == (0, "")


# --- 1. a ' #' that cuts plain text ---------------------------------------------------


def test_comment_that_cuts_text_on_the_same_line(errors):
    assert errors({X: forum_x("seat: Room #5, Palais des Nations\n")}) == [
        f"{XP}:10:12: error: 'seat' is cut before '#5, Palais des Nations': YAML reads it as a comment and drops it from the text; {QUOTE}",
    ]


def test_comment_that_cuts_text_on_the_next_line(errors):
    text = forum_x("seat: The forum is\n  #1 in Geneva\n")
    assert errors({X: text}) == [
        f"{XP}:11:3: error: 'seat' is cut before '#1 in Geneva': YAML reads it as a comment and drops it from the text; {QUOTE}",
    ]


def test_comment_that_cuts_a_list_item(errors):
    assert errors({X: forum_x("related: [alpha-forum #x\n  ]\n")}) == [
        f"{XP}:10:23: error: 'related[0]' is cut before '#x': YAML reads it as a comment and drops it from the text; {QUOTE}",
    ]


def test_long_cut_text_is_shortened(errors):
    [line] = errors({X: forum_x("seat: Geneva #" + "x" * 60 + "\n")})
    assert f"'#{'x' * 36}...'" in line


def test_ordinary_comments_pass(check):
    text = forum_x(
        """\
        seat: Geneva  # where its secretariat sits
        type: body # of states
        acronym: XF #
        # a comment line
        established: 1959
          #an indented comment after a number, not text
        website: https://x.example.org/#about
        """,
        replace={"name: X Forum": "name: X Forum  # C# and F#", "last_reviewed: 2026-01-15": "last_reviewed: 2026-01-15 #checked"},
    )
    result = check({X: text})
    assert (result.returncode, result.stdout) == (0, "")


# --- 1. directives, documents ---------------------------------------------------------


def test_yaml_1_2_directive(errors):
    assert errors({X: "%YAML 1.2\n---\n" + forum_x()}) == [
        f"{XP}:1:1: error: the YAML directive '%YAML 1.2' is not allowed in entries (they are always read as YAML 1.1); remove the line",
    ]


def test_tag_directive(errors):
    assert errors({X: "# An entry\n%TAG !e! tag:example.org,2026:\n---\n" + forum_x()}) == [
        f"{XP}:2:1: error: the YAML directive '%TAG !e! tag:example.org,2026:' is not allowed in entries; remove the line",
    ]


def test_yaml_1_1_directive_and_document_markers_pass(check):
    result = check({X: "%YAML 1.1\n---\n" + forum_x() + "...\n"})
    assert (result.returncode, result.stdout) == (0, "")


def test_explicit_key_is_read_as_typed(check):
    result = check({X: forum_x("? seat\n: Geneva\n")})
    assert (result.returncode, result.stdout) == (0, "")


@pytest.mark.parametrize("char", ["@", "`"])
def test_reserved_indicator_has_a_hint(errors, char):
    assert errors({X: forum_x(f"seat: {char}home\n")}) == [
        f"{XP}:10:7: error: YAML syntax: found character that cannot start any token (a value cannot start with '{char}': {QUOTE})",
    ]


def test_every_value_problem_of_a_file_at_once_with_the_stopping_one(errors):
    text = forum_x("established: 010\nseat: Room #5\ntype: &t body\n")
    assert errors({X: text}) == [
        f"{XP}:10:14: error: 'established' is 010, which YAML reads as the octal number 8; {DECIMAL.format(8)}",
        f"{XP}:11:12: error: 'seat' is cut before '#5': YAML reads it as a comment and drops it from the text; {QUOTE}",
        f"{XP}:12:7: error: 'type' starts with '&t', which YAML reads as an anchor and drops from the text; {QUOTE}",
    ]


def test_through_the_function(tmp_path: Path):
    path = tmp_path / "forums" / "x.yaml"
    path.parent.mkdir()
    path.write_text(forum_x("seat: &Co is a firm\n"), encoding="utf-8")
    raw, problems = load_entry(path, "x.yaml", "forums")
    assert raw is None
    [problem] = problems
    assert (problem.line, problem.col, problem.field) == (10, 7, "seat")
    assert problem.message == f"'seat' starts with '&Co', which YAML reads as an anchor and drops from the text; {QUOTE}"


def test_through_the_command_line(run_cli, tmp_path: Path):
    write_entries(tmp_path / "entries", {X: forum_x("seat: !Important fact\nestablished: 0x7A7\n")})
    code, out, err = run_cli("check", "--entries", "entries", cwd=tmp_path)
    assert code == 1, err
    assert out.splitlines() == [
        f"{XP}:10:7: error: 'seat' starts with '!Important', which YAML reads as a tag and drops from the text; {QUOTE}",
    ]
    assert "Traceback" not in err


# --- 1. the skeletons of `new` stay valid --------------------------------------------

FILL = {
    "'TODO: full name'": "Test Entry",
    "TODO: what it is, in one paragraph, with its sources below.": "An entry written from the skeleton.",
    '"TODO: title of the page"': "Example page",
    '"TODO: https://…"': "https://example.org/page",
    "YYYY-MM-DD": "2026-01-15",
}


@pytest.mark.parametrize("kind", ["forum", "gap", "initiative", "pathway"])
def test_filled_skeleton_with_its_comments_passes(check, run_cli, tmp_path: Path, kind):
    write_entries(tmp_path / "entries", {})
    code, _, err = run_cli("new", kind, f"new-{kind}", "--entries", "entries", cwd=tmp_path)
    assert code == 0, err
    path = tmp_path / "entries" / f"{kind}s" / f"new-{kind}.yaml"
    text = path.read_text(encoding="utf-8")
    for placeholder, value in FILL.items():
        text = text.replace(placeholder, value)
    assert "# required" in text  # the comments after values stay
    result = check({f"{kind}s/new-{kind}.yaml": text})
    assert (result.returncode, result.stdout) == (0, ""), result


@pytest.mark.parametrize("kind", ["forum", "initiative"])
def test_every_optional_line_of_a_skeleton_uncommented_reads_cleanly(run_cli, tmp_path: Path, kind):
    """Each commented example, uncommented with its trailing comment, is plain YAML the loader accepts."""
    code, _, err = run_cli("new", kind, f"new-{kind}", "--entries", "entries", cwd=tmp_path)
    assert code == 0, err
    path = tmp_path / "entries" / f"{kind}s" / f"new-{kind}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    body = [line.replace("# ", "", 1) if line.lstrip().startswith("# ") and ":" in line and not line.startswith("# A ") else line for line in lines]
    text = "\n".join(line for line in body if not line.startswith(("Replace every", "Then run"))) + "\n"
    path.write_text(text, encoding="utf-8")
    raw, problems = load_entry(path, "x", f"{kind}s")
    assert problems == [] and raw is not None
    assert raw.data["established" if kind == "forum" else "started"] in (2009, 2023)


# --- 2. no date later than the edition's ---------------------------------------------


@pytest.mark.parametrize(
    ("extra", "replace", "expected"),
    [
        ("", {"last_reviewed: 2026-01-15": "last_reviewed: 2027-01-05"}, ("9:16", "last_reviewed", "2027-01-05")),
        ("", {"accessed: 2026-01-10": "accessed: 2026-02-02"}, ("8:15", "sources[0].accessed", "2026-02-02")),
        ("", {"accessed: 2026-01-10": "accessed: 2026-01-10\n    date: 2027"}, ("9:11", "sources[0].date", "2027")),
        ("", {"accessed: 2026-01-10": "accessed: 2026-01-10\n    date: 2026-03"}, ("9:11", "sources[0].date", "2026-03")),
        ("history:\n  - date: 2026-02-02\n    event: Meets.\n", {}, ("11:11", "history[0].date", "2026-02-02")),
        ("membership:\n  count: 3\n  as_of: 2026-06-01\n", {}, ("12:10", "membership.as_of", "2026-06-01")),
        ("established: 2027\n", {}, ("10:14", "established", "2027")),
    ],
    ids=["last_reviewed", "accessed", "source-year", "source-month", "history", "as_of", "established"],
)
def test_date_later_than_the_edition(errors, extra, replace, expected):
    at, field, shown = expected
    assert errors({X: forum_x(extra, replace=replace)}) == [f"{XP}:{at}: error: {later(field, shown)}"]


def test_initiative_start_later_than_the_edition(errors):
    text = forum_x("started: 2026-03\n", replace={"id: x": "id: y", "kind: forum": "kind: initiative"})
    assert errors({"initiatives/y.yaml": text}) == [
        f"entries/initiatives/y.yaml:10:10: error: {later('started', '2026-03')}",
    ]


def test_every_future_date_of_an_entry_at_once(errors):
    text = forum_x(
        "history:\n  - date: '2030'\n    event: Meets.\n",
        replace={"last_reviewed: 2026-01-15": "last_reviewed: 2026-02-02", "accessed: 2026-01-10": "accessed: 2026-02-03"},
    )
    assert errors({X: text}) == [
        f"{XP}:8:15: error: {later('sources[0].accessed', '2026-02-03')}",
        f"{XP}:9:16: error: {later('last_reviewed', '2026-02-02')}",
        f"{XP}:11:11: error: {later('history[0].date', '2030')}",
    ]


def test_dates_on_or_within_the_edition_date_pass(check):
    # The edition day itself, its month and its year are not later than it.
    text = forum_x(
        "established: 2026\nhistory:\n  - date: 2026-02\n    event: Meets.\n  - date: 2026-02-01\n    event: Meets again.\n",
        replace={"last_reviewed: 2026-01-15": "last_reviewed: 2026-02-01", "accessed: 2026-01-10": "accessed: 2026-02-01"},
    )
    result = check({X: text})
    assert (result.returncode, result.stdout) == (0, "")


def test_without_source_date_epoch_the_ceiling_is_today_in_utc(make_entries, tmp_path: Path, monkeypatch, capsys):
    from generator.cli import main

    today = dt.datetime.now(dt.UTC).date()
    tomorrow = today + dt.timedelta(days=1)
    make_entries({X: forum_x(replace={"last_reviewed: 2026-01-15": f"last_reviewed: {tomorrow.isoformat()}"})})
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert main(["check", "--entries", "entries"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{XP}:9:16: error: {later('last_reviewed', tomorrow.isoformat(), 'today, UTC', today.isoformat())}",
    ]


def test_future_date_stops_build_export_and_pdf(run_cli, make_entries, tmp_path: Path):
    """`build_atlas` (behind `mkdocs build`, `pdf` and `export`) refuses it: the edition date cannot move."""
    entries = make_entries({X: forum_x(replace={"last_reviewed: 2026-01-15": "last_reviewed: 2026-03-01"})})
    for command in (["export", "--out", "out"], ["pdf", "--out", "out/atlas.pdf"]):
        code, _, err = run_cli(*command, "--entries", "entries", cwd=tmp_path)
        assert code == 1, err
        assert f"{XP}:9:16: error: {later('last_reviewed', '2026-03-01')}" in err.splitlines()
    assert not (tmp_path / "out").exists()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        with pytest.raises(AtlasInvalid):
            build_atlas(entries)
        mp.setenv("SOURCE_DATE_EPOCH", "1773000000")  # 2026-03-08: the same entries are fine
        settings.current.cache_clear()  # settings are read once a process: these stand for new processes
        assert build_atlas(entries).edition == dt.date(2026, 3, 8)
        mp.delenv("SOURCE_DATE_EPOCH")
        settings.current.cache_clear()
        assert build_atlas(entries).edition == dt.date(2026, 3, 1)  # the latest review, never later than today


def test_the_ceiling_is_part_of_the_cached_result(make_entries):
    entries = make_entries({X: forum_x(replace={"last_reviewed: 2026-01-15": "last_reviewed: 2026-03-01"})})
    early = Ceiling(dt.date(2026, 2, 1), "SOURCE_DATE_EPOCH")
    late = Ceiling(dt.date(2026, 3, 1), "SOURCE_DATE_EPOCH")
    assert [p.message for p in validate_folder(entries, ceiling=early).errors] == [later("last_reviewed", "2026-03-01")]
    assert validate_folder(entries, ceiling=late).errors == []
    assert len(validate_folder(entries, ceiling=early).errors) == 1


def test_source_date_epoch_is_read_in_one_place(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", f" {TODAY_EPOCH} ")
    assert settings.current().source_date_epoch == int(TODAY_EPOCH)
    assert edition_ceiling() == Ceiling(dt.date(2026, 2, 1), "SOURCE_DATE_EPOCH")
    settings.current.cache_clear()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert edition_ceiling().origin == "today, UTC"


def test_a_source_date_epoch_that_is_no_number_is_a_usage_error(monkeypatch, make_entries, run_cli, tmp_path: Path):
    make_entries({})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(SettingsInvalid, match="SOURCE_DATE_EPOCH='soon' is not a whole number"):
        settings.current()
    code, _, err = run_cli("check", "--entries", "entries", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": "soon"})
    assert code == 2
    assert err.strip() == "python -m generator check: error: SOURCE_DATE_EPOCH='soon' is not a whole number"
