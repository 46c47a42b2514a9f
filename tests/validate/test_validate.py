"""Validating entries: fields, types, YAML 1.1 surprises, ids, kinds, references, URLs, sources, coverage.

Each test breaks one thing beside the minimal valid atlas and asserts the exact,
complete output of ``check`` (``PATH:LINE:COL: error: MESSAGE``).
"""

from __future__ import annotations

import pytest
from conftest import VALID_ATLAS, XP, X, dedent, forum_x

from generator.kinds.declaration import KINDS

GAMMA = "initiatives/gamma-guidelines.yaml"


def gamma(replace: dict[str, str]) -> str:
    text = dedent(VALID_ATLAS[GAMMA])
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


# --- fields -------------------------------------------------------------------------


def test_valid_atlas_has_no_problems(check):
    result = check()
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "4 entries are valid\n")
    strict = check({}, "--strict")
    assert (strict.returncode, strict.stdout, strict.stderr) == (0, "", "4 entries are valid\n")


def test_missing_required_field(errors):
    assert errors({X: forum_x(replace={"name: X Forum\n": ""})}) == [
        f"{XP}:1:1: error: missing required field 'name' (Full name)",
    ]


def test_missing_required_field_of_a_nested_record(errors):
    assert errors({X: forum_x("membership: {}\n")}) == [
        f"{XP}:10:13: error: missing required field 'membership.count' (Number of members)",
    ]


def test_unknown_field_with_did_you_mean(errors):
    # One message for one typo: 'summary' is not also reported missing.
    assert errors({X: forum_x(replace={"summary:": "sumary:"})}) == [
        f"{XP}:4:1: error: unknown field 'sumary'; did you mean 'summary'?",
    ]


def test_unknown_field_in_a_nested_record(errors):
    assert errors({X: forum_x(replace={"  - title:": "  - titel:"})}) == [
        f"{XP}:6:5: error: unknown field 'titel' in 'sources[0]'; did you mean 'title'?",
    ]


def test_unknown_field_without_close_match_lists_the_fields(errors):
    fields = ", ".join(KINDS["forum"].record.by_name)
    assert fields.startswith("id, kind, name, acronym, summary, description, related, sources, last_reviewed")
    assert errors({X: forum_x("colour: blue\n")}) == [
        f"{XP}:10:1: error: unknown field 'colour'; a forum entry has: {fields}",
    ]


def test_field_of_another_kind_is_unknown(errors):
    gap = forum_x("established: 1959\n", replace={"id: x": "id: g", "kind: forum": "kind: gap"})
    fields = ", ".join(KINDS["gap"].record.by_name)
    assert "established" not in fields
    assert errors({"gaps/g.yaml": gap}) == [
        f"entries/gaps/g.yaml:10:1: error: unknown field 'established'; a gap entry has: {fields}",
    ]


# --- types --------------------------------------------------------------------------


def test_list_where_text_is_wanted(errors):
    assert errors({X: forum_x(replace={"name: X Forum": "name: [X, Forum]"})}) == [
        f"{XP}:3:7: error: 'name' must be text, but is a list",
    ]


def test_number_where_text_is_wanted(errors):
    assert errors({X: forum_x(replace={"name: X Forum": "name: 1959"})}) == [
        f"{XP}:3:7: error: 'name' must be text, but is the number 1959; write \"1959\" in quotes if you mean text",
    ]


def test_empty_value(errors):
    assert errors({X: forum_x(replace={"name: X Forum": "name:"})}) == [
        f"{XP}:3:6: error: 'name' must be text, but is empty; give a value or remove the line",
    ]


def test_text_where_year_is_wanted(errors):
    assert errors({X: forum_x("established: long ago\n")}) == [
        f"{XP}:10:14: error: 'established' must be a year (like 1959), but is the text 'long ago'",
    ]


def test_quoted_year(errors):
    assert errors({X: forum_x('established: "1959"\n')}) == [
        f"{XP}:10:14: error: 'established' must be a year (like 1959), but is the text '1959'; remove the quotes",
    ]


def test_year_out_of_range(errors):
    assert errors({X: forum_x("established: 959\n")}) == [
        f"{XP}:10:14: error: 'established' must be between 1000 and 2999, but is 959",
    ]


def test_text_where_list_is_wanted(errors):
    assert errors({X: forum_x("related: dialogue\n")}) == [
        f"{XP}:10:10: error: 'related' must be a list, but is the text 'dialogue' (start each item on its own line with '- ')",
    ]


def test_mapping_where_list_is_wanted(errors):
    text = forum_x(
        replace={
            "sources:\n  - title: Example brief\n    url: https://example.org/brief\n    accessed: 2026-01-10\n": (
                "sources:\n  title: Example brief\n  url: https://example.org/brief\n  accessed: 2026-01-10\n"
            )
        }
    )
    assert errors({X: text}) == [
        f"{XP}:6:3: error: 'sources' must be a list, but is a mapping (start each item on its own line with '- ')",
    ]


def test_list_where_a_record_is_wanted(errors):
    text = forum_x(replace={"  - title: Example brief\n    url: https://example.org/brief\n    accessed: 2026-01-10\n": "  - [a, b]\n"})
    assert errors({X: text}) == [
        f"{XP}:6:5: error: 'sources[0]' must be a mapping with the fields title, url, document, publisher, date, accessed, supports, but is a list",
    ]


def test_list_where_membership_is_wanted_says_what_is_wanted(errors):
    assert errors({X: forum_x("membership: [1, 2]\n")}) == [
        f"{XP}:10:13: error: 'membership' must be a mapping with the fields count, as_of, note, but is a list"
    ]


def test_control_character_in_text(errors):
    assert errors({X: forum_x(replace={"name: X Forum": 'name: "X\\u0007 Forum"'})}) == [
        f"{XP}:3:7: error: 'name' contains the control character U+0007; remove it",
    ]


# --- YAML 1.1 surprises -------------------------------------------------------------


def test_no_read_as_false_in_text_field(errors):
    assert errors({X: forum_x("seat: no\n")}) == [
        f"{XP}:10:7: error: 'seat' must be text, but is false (written no); YAML reads an unquoted no as false: write \"no\" in quotes",
    ]


def test_yes_read_as_true_in_nested_text_field(errors):
    text = forum_x(
        """\
        addresses:
          - gap: dialogue
            level: strong
            basis: named
            evidence: Yes
            source: https://example.org/brief
        """
    )
    assert errors({X: text}) == [
        f"{XP}:14:15: error: 'addresses[0].evidence' must be text, but is true (written Yes); YAML reads an unquoted Yes as true: write \"Yes\" in quotes",
    ]


def test_unquoted_date_in_text_field(errors):
    assert errors({X: forum_x("seat: 2020-01-01\n")}) == [
        f"{XP}:10:7: error: 'seat' must be text, but is the date 2020-01-01; YAML reads an unquoted 2020-01-01 as a date: write \"2020-01-01\" in quotes",
    ]


def test_unquoted_date_in_markdown_field(errors):
    assert errors({X: forum_x(replace={"summary: A forum.": "summary: 2020-01-01"})}) == [
        f"{XP}:4:10: error: 'summary' must be Markdown text (one paragraph), but is the date 2020-01-01; "
        "YAML reads an unquoted 2020-01-01 as a date: write \"2020-01-01\" in quotes",
    ]


def test_quoted_words_are_text(check):
    result = check({X: forum_x('seat: "no"\ntype: "2020-01-01"\n')})
    assert (result.returncode, result.stdout) == (0, "")


# --- dates --------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2025-13-01", "2025-02-30"])
def test_invalid_date(errors, value):
    assert errors({X: forum_x(replace={"last_reviewed: 2026-01-15": f"last_reviewed: {value}"})}) == [
        f"{XP}:9:16: error: 'last_reviewed' is not a valid date: '{value}'; write a real date as YYYY-MM-DD",
    ]


def test_leap_day_is_a_valid_date(check):
    result = check({X: forum_x(replace={"last_reviewed: 2026-01-15": "last_reviewed: 2024-02-29"})})
    assert (result.returncode, result.stdout) == (0, "")


@pytest.mark.parametrize("value", ["2025-02-03 10:00:00", "2025-02-03T10:00:00Z"])
def test_date_with_time(errors, value):
    assert errors({X: forum_x(replace={"last_reviewed: 2026-01-15": f"last_reviewed: {value}"})}) == [
        f"{XP}:9:16: error: 'last_reviewed' must be a date without a time (YYYY-MM-DD)",
    ]


def test_text_where_date_is_wanted(errors):
    assert errors({X: forum_x(replace={"last_reviewed: 2026-01-15": "last_reviewed: last week"})}) == [
        f"{XP}:9:16: error: 'last_reviewed' must be a date (YYYY-MM-DD), but is the text 'last week'",
    ]


# --- ids and kinds ------------------------------------------------------------------

SLUG_RULE = (
    "must be an id of lowercase letters, digits and single hyphens (like 'space-data-association'), "
    "at most 64 characters, but"
)


@pytest.mark.parametrize("bad", ["x_y", "x--y", "-x", "x-", "x.y"], ids=["underscore", "double-hyphen", "leading", "trailing", "dot"])
def test_bad_id_pattern(errors, bad):
    assert errors({f"forums/{bad}.yaml": forum_x(replace={"id: x": f"id: {bad}"})}) == [
        f"entries/forums/{bad}.yaml:1:5: error: 'id' {SLUG_RULE} is '{bad}'",
    ]


def test_uppercase_id(errors):
    assert errors({"forums/Xy.yaml": forum_x(replace={"id: x": "id: Xy"})}) == [
        f"entries/forums/Xy.yaml:1:5: error: 'id' {SLUG_RULE} is 'Xy'",
    ]


def test_id_longer_than_64_characters(errors):
    long = "a" * 65
    assert errors({f"forums/{long}.yaml": forum_x(replace={"id: x": f"id: {long}"})}) == [
        f"entries/forums/{long}.yaml:1:5: error: 'id' {SLUG_RULE} is 65 characters long",
    ]


def test_id_of_64_characters_is_valid(check):
    ok = "a" * 64
    result = check({f"forums/{ok}.yaml": forum_x(replace={"id: x": f"id: {ok}"})})
    assert (result.returncode, result.stdout) == (0, "")


def test_id_not_equal_to_file_stem(errors):
    assert errors({X: forum_x(replace={"id: x": "id: y"})}) == [
        f"{XP}:1:5: error: 'id' is 'y' but the file is named 'x.yaml'; the id must equal the file name",
    ]


def test_duplicate_id_across_kind_folders(errors):
    gap = forum_x(replace={"kind: forum": "kind: gap"})
    assert errors({X: forum_x(), "gaps/x.yaml": gap}) == [
        "entries/gaps/x.yaml:1:5: error: id 'x' is already used by entries/forums/x.yaml; ids are unique across all kinds",
    ]


def test_kind_not_matching_folder(errors):
    assert errors({X: forum_x(replace={"kind: forum": "kind: gap"})}) == [
        f"{XP}:2:7: error: 'kind' is 'gap' but the file is in 'forums/'; move it to 'gaps/' or set kind: forum",
    ]


@pytest.mark.parametrize(
    ("extra", "replace", "expected"),
    [
        ("", {"kind: forum": "kind: 12"}, "2:7: error: 'kind' must be one of forum, gap, initiative, pathway, topic, but is the number 12"),
        (
            "addresses:\n  - gap: dialogue\n    level: 1\n    basis: named\n    evidence: A quote.\n    source: https://example.org/brief\n", {},
            "12:12: error: 'addresses[0].level' must be one of strong, partial, emerging, but is the number 1",
        ),
    ],
    ids=["kind", "level"],
)
def test_choice_given_a_number_gets_no_quoting_hint(errors, extra, replace, expected):
    assert errors({X: forum_x(extra, replace)}) == [f"{XP}:{expected}"]


def test_unknown_kind_with_did_you_mean(errors):
    assert errors({X: forum_x(replace={"kind: forum": "kind: forumm"})}) == [
        f"{XP}:2:7: error: 'kind' must be one of forum, gap, initiative, pathway, topic, but is 'forumm'; did you mean 'forum'?",
    ]


# --- references ---------------------------------------------------------------------


def test_reference_to_missing_id_with_did_you_mean(errors):
    assert errors({X: forum_x("related: [dialog]\n")}) == [
        f"{XP}:10:11: error: 'related[0]' names 'dialog', but there is no entry with that id; did you mean 'dialogue'?",
    ]


def test_reference_to_missing_id_without_close_match(errors):
    assert errors({X: forum_x("pathway: zzzz\n")}) == [
        f"{XP}:10:10: error: 'pathway' names 'zzzz', but there is no pathway with that id; "
        "check the spelling, or add entries/pathways/zzzz.yaml",
    ]


def test_did_you_mean_only_suggests_entries_of_the_wanted_kind(errors):
    # 'alpha-forun' is close to the forum alpha-forum, but a pathway is wanted.
    assert errors({X: forum_x("pathway: alpha-forun\n")}) == [
        f"{XP}:10:10: error: 'pathway' names 'alpha-forun', but there is no pathway with that id; "
        "check the spelling, or add entries/pathways/alpha-forun.yaml",
    ]


def test_addresses_gap_naming_a_forum(errors):
    text = forum_x(
        """\
        addresses:
          - gap: alpha-forum
            level: strong
            basis: named
            evidence: A quote.
            source: https://example.org/brief
        """
    )
    assert errors({X: text}) == [
        f"{XP}:11:10: error: 'addresses[0].gap' must name a gap, but 'alpha-forum' is a forum",
    ]


def test_led_by_naming_an_initiative(errors):
    other = forum_x(replace={"id: x": "id: y", "kind: forum": "kind: initiative"})
    assert errors({GAMMA: gamma({"led_by: [alpha-forum]": "led_by: [alpha-forum, y]"}), "initiatives/y.yaml": other}) == [
        "entries/initiatives/gamma-guidelines.yaml:6:23: error: 'led_by[1]' must name a forum, but 'y' is an initiative",
    ]


def test_led_by_naming_an_initiative_points_at_the_item(errors):
    other = forum_x(replace={"id: x": "id: y", "kind: forum": "kind: initiative"})
    [line] = errors({GAMMA: gamma({"led_by: [alpha-forum]": "led_by: [alpha-forum, y]"}), "initiatives/y.yaml": other})
    assert line.startswith("entries/initiatives/gamma-guidelines.yaml:6:23: error: 'led_by[1]' must name a forum, but 'y' is a")
    assert line.endswith(" initiative")


def test_pathway_naming_a_gap(errors):
    assert errors({X: forum_x("pathway: dialogue\n")}) == [
        f"{XP}:10:10: error: 'pathway' must name a pathway, but 'dialogue' is a gap",
    ]


def test_self_reference_in_related(errors):
    assert errors({X: forum_x("related: [x]\n")}) == [
        f"{XP}:10:11: error: 'related[0]' names the entry itself",
    ]


def test_repeated_reference_in_related(errors):
    assert errors({X: forum_x("related: [dialogue, dialogue]\n")}) == [
        f"{XP}:10:21: error: 'related[1]' repeats 'dialogue'; list it once",
    ]


def test_invalid_entry_is_not_reported_missing_by_entries_that_name_it(errors):
    # gamma-guidelines names alpha-forum twice; alpha-forum's own error is the only one reported.
    text = dedent(VALID_ATLAS["forums/alpha-forum.yaml"]) + "colour: blue\n"
    fields = ", ".join(KINDS["forum"].record.by_name)
    assert errors({"forums/alpha-forum.yaml": text}) == [
        f"entries/forums/alpha-forum.yaml:21:1: error: unknown field 'colour'; a forum entry has: {fields}",
    ]


# --- URLs and sources ---------------------------------------------------------------

URL_RULE = "must be an http(s) URL (like https://example.org/page), but is"


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/brief", "javascript:alert(1)", "/brief.html", "example.org/brief", "https:///brief", "https://example.org/a b"],
    ids=["ftp", "javascript", "relative", "no-scheme", "no-host", "space"],
)
def test_bad_source_url(errors, url):
    text = forum_x(replace={"url: https://example.org/brief": f"url: '{url}'"})
    assert errors({X: text}) == [
        f"{XP}:7:10: error: 'sources[0].url' {URL_RULE} '{url}'",
    ]


@pytest.mark.parametrize("url", ["ftp://x.example.org/", "javascript:alert(1)", "../x"], ids=["ftp", "javascript", "relative"])
def test_bad_website(errors, url):
    assert errors({X: forum_x(f"website: '{url}'\n")}) == [
        f"{XP}:10:10: error: 'website' {URL_RULE} '{url}'",
    ]


def test_source_with_neither_url_nor_document(errors):
    text = forum_x(replace={"    url: https://example.org/brief\n": "    publisher: Someone\n"})
    assert errors({X: text}) == [
        f"{XP}:6:5: error: missing required field 'sources[0].url' (Web address (http or https) of the page; or 'document')",
    ]


def test_source_with_both_url_and_document(errors):
    text = forum_x(replace={"    url: https://example.org/brief\n": "    url: https://example.org/brief\n    document: brief\n"})
    assert errors({X: text}) == [
        f"{XP}:6:5: error: 'sources[0]' gives 'url' and 'document'; give only one",
    ]


def test_source_document_must_be_a_page_of_the_site(check, tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "brief.md").write_text("# The brief\n")
    (tmp_path / "pages" / "about.md").write_text("# About\n")
    ok = forum_x(replace={"    url: https://example.org/brief\n    accessed: 2026-01-10\n": "    document: brief\n"})
    assert check({X: ok}, "--content", "pages").returncode == 0
    bad = forum_x(replace={"    url: https://example.org/brief\n    accessed: 2026-01-10\n": "    document: breif\n"})
    result = check({X: bad}, "--content", "pages")
    assert (result.returncode, result.lines) == (1, [
        f"{XP}:7:15: error: 'sources[0].document' names the document 'breif', but the site has no page breif.md "
        "(documents: about, brief)",
    ])


def test_empty_list_of_sources(errors):
    text = forum_x(replace={"sources:\n  - title: Example brief\n    url: https://example.org/brief\n    accessed: 2026-01-10\n": "sources: []\n"})
    assert errors({X: text}) == [
        f"{XP}:5:10: error: 'sources' needs at least 1 item",
    ]


# --- Markdown and coverage ----------------------------------------------------------


def test_summary_with_two_paragraphs(errors):
    text = forum_x(replace={"summary: A forum.": "summary: |\n  First paragraph.\n\n  Second paragraph."})
    assert errors({X: text}) == [
        f"{XP}:4:10: error: 'summary' must be one paragraph; move the rest to 'description'",
    ]


def test_description_may_have_paragraphs(check):
    result = check({X: forum_x("description: |\n  First.\n\n  Second.\n")})
    assert (result.returncode, result.stdout) == (0, "")


def claim(level: str, extra: str = "", source: str = "https://example.org/brief") -> str:
    """forums/x.yaml with one claim on dialogue at ``level`` (lines 10-13), then ``extra`` (from line 14)."""
    block = dedent(
        f"""\
        addresses:
          - gap: dialogue
            level: {level}
            basis: named
            evidence: A quote.
            source: {source}
        """
    )
    return forum_x(block + extra)


def test_coverage_level_with_did_you_mean(errors):
    assert errors({X: claim("strnog")}) == [
        f"{XP}:12:12: error: 'addresses[0].level' must be one of strong, partial, emerging, but is 'strnog'; did you mean 'strong'?",
    ]


def test_coverage_level_without_close_match(errors):
    assert errors({X: claim("total")}) == [
        f"{XP}:12:12: error: 'addresses[0].level' must be one of strong, partial, emerging, but is 'total'",
    ]


def test_two_claims_on_one_gap(errors):
    text = claim("strong", "  - gap: dialogue\n    level: partial\n    basis: named\n    evidence: Another quote.\n    source: https://example.org/brief\n")
    assert errors({X: text}) == [
        f"{XP}:16:10: error: 'addresses[1].gap' repeats 'dialogue' (already claimed in addresses[0]); make one claim per gap",
    ]


def test_claim_source_must_be_listed(errors):
    assert errors({X: claim("strong", source="https://other.example.org/")}) == [
        f"{XP}:15:13: error: 'addresses[0].source' is 'https://other.example.org/', which is not one of this entry's sources; "
        "give the url or document of a source listed under 'sources'",
    ]


def test_claim_without_evidence(errors):
    text = forum_x(
        """\
        addresses:
          - gap: dialogue
            level: strong
            basis: named
            source: https://example.org/brief
        """
    )
    assert errors({X: text}) == [
        f"{XP}:11:5: error: missing required field 'addresses[0].evidence' "
        "(Verbatim quote from the source that supports the claim ('…' skips words))",
    ]


# --- many problems at once ----------------------------------------------------------


def test_every_error_in_every_file_is_reported_at_once_and_sorted(errors):
    files = {
        "pathways/p.yaml": forum_x(replace={"id: x": "id: p", "kind: forum": "kind: pathway", "summary: A forum.": "summary: [a]"}),
        X: forum_x("seat: no\n", replace={"last_reviewed: 2026-01-15": "last_reviewed: 2025-13-01"}),
        "forums/a.yaml": forum_x("website: ftp://a.example.org/\n", replace={"id: x": "id: a"}),
        "gaps/g.yaml": forum_x(replace={"id: x": "id: g", "kind: forum": "kind: gap", "summary:": "sumary:"}),
        "forum/z.yaml": forum_x(replace={"id: x": "id: z"}),
    }
    assert errors(files) == [
        "entries/forum/z.yaml:1:1: error: 'forum/' is not a kind folder; did you mean 'forums/'?",
        "entries/forums/a.yaml:10:10: error: 'website' must be an http(s) URL (like https://example.org/page), but is 'ftp://a.example.org/'",
        f"{XP}:9:16: error: 'last_reviewed' is not a valid date: '2025-13-01'; write a real date as YYYY-MM-DD",
        f"{XP}:10:7: error: 'seat' must be text, but is false (written no); YAML reads an unquoted no as false: write \"no\" in quotes",
        "entries/gaps/g.yaml:4:1: error: unknown field 'sumary'; did you mean 'summary'?",
        "entries/pathways/p.yaml:4:10: error: 'summary' must be Markdown text (one paragraph), but is a list",
    ]


def test_valid_file_beside_invalid_ones_gives_no_message(check):
    result = check({X: forum_x("seat: no\n"), "forums/ok.yaml": forum_x(replace={"id: x": "id: ok"})})
    assert result.returncode == 1
    assert not [line for line in result.lines if "forums/ok.yaml" in line]
    assert not [line for line in result.lines if "alpha-forum" in line or "gamma-guidelines" in line]
    assert len(result.lines) == 1
    assert result.stderr == "1 error in 1 file\n"


def test_reserved_id_index(errors):
    text = forum_x().replace("id: x\n", "id: index\n")
    assert errors({"forums/index.yaml": text}) == [
        "entries/forums/index.yaml:1:5: error: 'id' may not be 'index': that name is kept for the page listing every forum; choose another id"
    ]


def test_reserved_alias_index(errors):
    assert errors({X: forum_x("aliases: [index]\n")}) == [
        f"{XP}:10:11: error: 'aliases[0]' may not be 'index': that name is kept for the page listing every forum; choose another id"
    ]


def test_a_changed_file_is_checked_again(make_entries, tmp_path, monkeypatch, capsys):
    """Results of unchanged files are reused between runs in one process (`mkdocs serve`); a changed file is read again."""
    import os

    from generator.pipeline import check_entries

    entries = make_entries({X: forum_x()})
    monkeypatch.chdir(tmp_path)
    assert check_entries(entries).errors == []
    target = entries / X
    target.write_text(forum_x("sumary: typo\n"), encoding="utf-8")
    os.utime(target, ns=(1, 1))  # a new modification time even on coarse clocks
    assert [p.message for p in check_entries(entries).errors] == ["unknown field 'sumary'; did you mean 'summary'?"]
    target.write_text(forum_x(), encoding="utf-8")
    assert check_entries(entries).errors == []
