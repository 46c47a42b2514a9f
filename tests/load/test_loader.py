"""Reading entry files: YAML syntax, unsafe or surprising YAML, bytes on disk, and where files sit.

Each test writes one broken file beside the minimal valid atlas and asserts the
exact, complete output of ``python -m generator check`` (run in-process from the
temporary folder, so paths read ``entries/...``).
"""

from __future__ import annotations

import os

import pytest
from conftest import XP, X, forum_x

# --- YAML syntax -----------------------------------------------------------------


def test_duplicate_key_names_both_lines(errors):
    assert errors({X: forum_x("name: Other\n")}) == [
        f"{XP}:10:1: error: duplicate field 'name' (first given at line 3); keep one",
    ]


def test_duplicate_key_in_nested_mapping(errors):
    text = forum_x(
        """\
        membership:
          count: 3
          count: 4
        """
    )
    assert errors({X: text}) == [
        f"{XP}:12:3: error: duplicate field 'membership.count' (first given at line 11); keep one",
    ]


def test_tab_indentation_of_a_key_has_a_hint(errors):
    text = forum_x(replace={"    url:": "\turl:"})
    assert errors({X: text}) == [
        f"{XP}:7:1: error: YAML syntax: found a tab character that violates indentation (a tab: indent with spaces, not tabs)",
    ]


def test_tab_indentation_of_a_list_item_has_a_hint(errors):
    # The C loader words this one without naming the tab; the hint must still say it.
    text = forum_x(replace={"  - title:": "\t- title:"})
    assert errors({X: text}) == [
        f"{XP}:6:1: error: YAML syntax: found character that cannot start any token (a tab: indent with spaces, not tabs)",
    ]


def test_syntax_error_points_at_the_line(errors):
    text = forum_x(replace={"name: X Forum": "name: [X Forum"})
    assert errors({X: text}) == [
        f"{XP}:4:8: error: YAML syntax: did not find expected ',' or ']'",
    ]


def test_colon_in_plain_text_is_a_syntax_error_at_the_colon(errors):
    text = forum_x(replace={"summary: A forum.": "summary: A forum: of states"})
    assert errors({X: text}) == [
        f"{XP}:4:17: error: YAML syntax: mapping values are not allowed in this context",
    ]


def test_several_documents(errors):
    text = forum_x("---\nid: y\n")
    assert errors({X: text}) == [
        f"{XP}:10:1: error: file holds several YAML documents (`---`); put one entry in each file",
    ]


EMPTY = f"{XP}:1:1: error: file is empty; an entry needs at least id, kind, name, summary, sources and last_reviewed"


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"], ids=["empty", "blank", "comment"])
def test_empty_file(errors, text):
    assert errors({X: text}) == [EMPTY]


def test_file_with_only_a_document_marker_is_empty(errors):
    assert errors({X: "---\n"}) == [EMPTY]


def test_top_level_list(errors):
    assert errors({X: "- id: x\n- kind: forum\n"}) == [
        f"{XP}:1:1: error: an entry must be a mapping of fields (`name: value` lines) at the top level",
    ]


def test_top_level_text(errors):
    assert errors({X: "just some words\n"}) == [
        f"{XP}:1:1: error: an entry must be a mapping of fields (`name: value` lines) at the top level",
    ]


def test_non_text_field_name(errors):
    assert errors({X: forum_x("1959: founded\n")}) == [
        f"{XP}:10:1: error: field names must be plain text, not '1959'",
    ]


# --- tags, anchors, merge keys ----------------------------------------------------
# (More of what YAML would change silently: tests/load/test_yaml_strict.py.)


@pytest.mark.parametrize(
    ("value", "col", "message"),
    [
        (
            "!!python/object:os.system ls",
            7,
            "'seat' starts with '!!python/object:os.system', which YAML reads as a tag and drops from the text; quote the value",
        ),
        ("!!python/object/apply:os.system [ls]", 7, "'seat' has the YAML tag '!!python/object/apply:os.system'; tags are not allowed in entries: remove it"),
        ("!!python/name:os.system ''", 7, "'seat' has the YAML tag '!!python/name:os.system'; tags are not allowed in entries: remove it"),
        ("!!binary aGVsbG8=", 7, "'seat' starts with '!!binary', which YAML reads as a tag and drops from the text; quote the value"),
        ("!custom x", 7, "'seat' starts with '!custom', which YAML reads as a tag and drops from the text; quote the value"),
    ],
    ids=["python-object", "python-apply", "python-name", "binary", "local-tag"],
)
def test_unsafe_or_unknown_tag(errors, value, col, message):
    assert errors({X: forum_x(f"seat: {value}\n")}) == [f"{XP}:10:{col}: error: {message}"]


@pytest.mark.parametrize("tag", ["!!int", "!!bool", "!!timestamp"])
def test_core_tag_is_refused_too(errors, tag):
    # Even a core tag changes what was typed: `!!int abc` is the text 'abc', `!!str 12` the text '12'.
    assert errors({X: forum_x(f"established: {tag} abc\n")}) == [
        f"{XP}:10:14: error: 'established' starts with '{tag}', which YAML reads as a tag and drops from the text; quote the value",
    ]


def test_set_tag(errors):
    assert errors({X: forum_x("related: !!set {a, b}\n")}) == [
        f"{XP}:10:10: error: 'related' has the YAML tag '!!set'; tags are not allowed in entries: remove it",
    ]


def test_omap_tag(errors):
    assert errors({X: forum_x("membership: !!omap [count: 3]\n")}) == [
        f"{XP}:10:13: error: 'membership' has the YAML tag '!!omap'; tags are not allowed in entries: remove it",
    ]


def test_anchor_and_alias_of_a_scalar(errors):
    text = forum_x("seat: *n\n", replace={"name: X Forum": "name: &n X Forum"})
    # Reported at the anchor, which comes first (and already drops '&n' from the name).
    assert errors({X: text}) == [
        f"{XP}:3:7: error: 'name' starts with '&n', which YAML reads as an anchor and drops from the text; quote the value",
    ]


def test_alias_of_a_mapping(errors):
    text = forum_x(
        """\
        membership: &m
          count: 3
        history:
          - *m
        """
    )
    assert errors({X: text}) == [
        f"{XP}:10:13: error: 'membership' has the YAML anchor '&m'; anchors are not allowed in entries: remove it",
    ]


def test_alias_alone(errors):
    assert errors({X: forum_x("seat: *n\n")}) == [
        f"{XP}:10:7: error: 'seat' starts with '*n', which YAML reads as an alias (a copy of another value); quote the value",
    ]


def test_billion_laughs_is_refused_quickly(errors):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]")
    # Refused at the first anchor (line 1, column 4), before anything is expanded.
    assert errors({X: "\n".join(lines) + "\n"}) == [
        f"{XP}:1:4: error: 'a' has the YAML anchor '&a'; anchors are not allowed in entries: remove it",
    ]


def test_merge_key(errors):
    text = forum_x(
        """\
        membership:
          <<: {count: 3}
        """
    )
    assert errors({X: text}) == [
        f"{XP}:11:3: error: merge keys (`<<`) are not allowed in entries; write the fields out",
    ]


# --- bytes on disk ------------------------------------------------------------------


def test_nul_byte(errors):
    data = forum_x().encode().replace(b"A forum.", b"A fo\x00rum.")
    assert errors({X: data}) == [
        f"{XP}:4:1: error: file contains a NUL byte; entry files are UTF-8 text",
    ]


def test_invalid_utf8(errors):
    data = forum_x().encode().replace(b"A forum.", b"A f\xe9rum.")
    assert errors({X: data}) == [
        f"{XP}:4:13: error: file is not valid UTF-8 (byte 0xe9); save it as UTF-8",
    ]


def test_utf16_file_is_not_utf8(errors):
    data = forum_x().encode("utf-16")
    [line] = errors({X: data})
    # A UTF-16 file starts with a byte-order mark (and has NUL bytes in every other position).
    assert line == f"{XP}:1:1: error: file is UTF-16; save it as UTF-8"


def test_utf8_byte_order_mark_is_accepted(check):
    result = check({X: "\ufeff" + forum_x()})
    assert (result.returncode, result.stdout) == (0, "")


def test_non_ascii_text_is_fine(check):
    result = check({X: forum_x(replace={"A forum.": "Un forum à Genève — “quoted”."})})
    assert (result.returncode, result.stdout) == (0, "")


def test_file_over_one_mebibyte(errors):
    text = forum_x("description: |\n" + ("  " + "a" * 98 + "\n") * 11000)
    size = len(text.encode())
    assert size > 1024 * 1024
    assert errors({X: text}) == [
        f"{XP}:1:1: error: file is {size} bytes; an entry file may be at most 1048576 bytes",
    ]


def test_file_of_exactly_one_mebibyte_is_read(errors):
    text = forum_x("description: |\n")
    filler = 1024 * 1024 - len(text.encode()) - len("  \n")
    text += "  " + "a" * filler + "\n"
    assert len(text.encode()) == 1024 * 1024
    # Read, not refused for size: the description is merely too long for its field
    # (a block scalar is located at its '|' indicator).
    assert errors({X: text}) == [
        f"{XP}:10:14: error: 'description' is {filler} characters long; at most 20000 are allowed",
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlinked_entry_file(errors, make_entries, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(forum_x(replace={"id: x": "id: y"}))
    entries = make_entries()
    (entries / "forums" / "y.yaml").symlink_to(outside)
    assert errors({}) == [
        "entries/forums/y.yaml:1:1: error: entry files may not be symbolic links; commit the file itself",
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlinked_kind_folder(errors, make_entries, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "z.yaml").write_text(forum_x(replace={"id: x": "id: z", "kind: forum": "kind: gap"}))
    entries = make_entries()
    (entries / "gaps" / "more").symlink_to(outside, target_is_directory=True)
    assert errors({}) == [
        "entries/gaps/more:1:1: error: folders in entries/ may not be symbolic links",
    ]


# --- nesting ------------------------------------------------------------------------


def test_deeply_nested_list(errors):
    # The top-level mapping is level 1 and seat's list level 2: the 16th '[' (column 6 + 16) is level 17.
    text = forum_x("seat: " + "[" * 20 + "]" * 20 + "\n")
    assert errors({X: text}) == [
        f"{XP}:10:22: error: nesting is too deep; entries nest at most 16 levels",
    ]


def test_sixteen_levels_are_allowed(errors):
    # 15 '[' after the top-level mapping: 16 levels, so only the type of 'seat' is wrong.
    text = forum_x("seat: " + "[" * 15 + "]" * 15 + "\n")
    assert errors({X: text}) == [f"{XP}:10:7: error: 'seat' must be text, but is a list"]


def test_very_deeply_nested_list_gives_no_recursion_error(errors):
    text = forum_x("seat: " + "[" * 5000 + "]" * 5000 + "\n")
    assert errors({X: text}) == [
        f"{XP}:10:22: error: nesting is too deep; entries nest at most 16 levels",
    ]


def test_deeply_nested_mapping(errors):
    lines = "membership:\n" + "".join("  " * i + f"a{i}:\n" for i in range(1, 25)) + "  " * 25 + "b: 1\n"
    # The top-level mapping is level 1, membership's value (line 11) level 2, a<k>'s value level k + 2:
    # a15's value, the mapping that starts at a16 (line 26, column 33), is level 17.
    assert errors({X: forum_x(lines)}) == [
        f"{XP}:26:33: error: nesting is too deep; entries nest at most 16 levels",
    ]


# --- where files sit ----------------------------------------------------------------


def test_unknown_kind_folder_with_did_you_mean(errors):
    assert errors({"forum/x.yaml": forum_x()}) == [
        "entries/forum/x.yaml:1:1: error: 'forum/' is not a kind folder; did you mean 'forums/'?",
    ]


def test_unknown_kind_folder_without_close_match(errors):
    assert errors({"misc/x.yaml": forum_x()}) == [
        "entries/misc/x.yaml:1:1: error: 'misc/' is not a kind folder; use one of forums/, gaps/, initiatives/, pathways/, topics/",
    ]


def test_yml_suffix(errors):
    assert errors({"forums/x.yml": forum_x()}) == [
        "entries/forums/x.yml:1:1: error: entry files end in .yaml; rename it to x.yaml",
    ]


def test_file_directly_in_entries(errors):
    assert errors({"x.yaml": forum_x()}) == [
        "entries/x.yaml:1:1: error: entry files belong in a kind folder: forums/, gaps/, initiatives/, pathways/, topics/",
    ]


def test_file_in_a_subfolder_of_a_kind_folder(errors):
    assert errors({"forums/old/x.yaml": forum_x()}) == [
        "entries/forums/old/x.yaml:1:1: error: entry files sit directly in a kind folder; move it to forums/",
    ]


def test_other_files_and_hidden_files_are_ignored(check):
    result = check({"forums/README.md": "notes", "forums/.x.yaml": "not: [valid", ".hidden/y.yaml": "{"})
    assert (result.returncode, result.stdout) == (0, "")
