"""``python -m generator check`` as a contributor and CI run it: exit codes, output formats, no tracebacks."""

from __future__ import annotations

import json
import os
import re

import pytest
from conftest import VALID_ATLAS, XP, X, dedent, forum_x

SUMMARY_OK = re.compile(r"^(\d+) entries are valid(, \d+ warnings?)?$")


def test_check_passes_on_the_small_fixture_with_nothing_on_stdout(run_cli):
    code, out, err = run_cli("check", "--entries", "tests/fixtures/small")
    assert (code, out) == (0, "")
    assert SUMMARY_OK.match(err.splitlines()[-1]).group(1) == "8"
    assert "Traceback" not in err
    # What stderr says besides the summary are warnings, never errors.
    assert all(": warning: " in line for line in err.splitlines()[:-1])


def test_check_uses_atlas_entries_when_no_folder_is_given(run_cli, make_entries, tmp_path):
    make_entries({X: forum_x("seat: no\n")})
    code, out, _ = run_cli("check", cwd=tmp_path, env={"ATLAS_ENTRIES": "entries"})
    assert code == 1
    assert out.startswith(f"{XP}:10:7: error: 'seat' must be text")


def test_check_defaults_to_entries_in_the_working_directory(run_cli, make_entries, tmp_path):
    make_entries()
    assert run_cli("check", cwd=tmp_path) == (0, "", "4 entries are valid\n")


def test_check_exits_1_and_counts_the_problems(run_cli, make_entries, tmp_path):
    make_entries({X: forum_x("seat: no\nwebsite: ftp://x.example.org/\n"), "gaps/g.yaml": "- a list\n"})
    code, out, err = run_cli("check", "--entries", "entries", cwd=tmp_path)
    assert code == 1
    assert out.splitlines() == [
        "entries/forums/x.yaml:10:7: error: 'seat' must be text, but is false (written no); "
        "YAML reads an unquoted no as false: write \"no\" in quotes",
        "entries/forums/x.yaml:11:10: error: 'website' must be an http(s) URL (like https://example.org/page), "
        "but is 'ftp://x.example.org/'",
        "entries/gaps/g.yaml:1:1: error: an entry must be a mapping of fields (`name: value` lines) at the top level",
    ]
    assert err == "3 errors in 2 files\n"


def test_paths_are_relative_to_the_working_directory(run_cli, make_entries, tmp_path, repo_root):
    entries = make_entries({X: forum_x("seat: no\n")})
    _, inside, _ = run_cli("check", "--entries", ".", cwd=entries)
    assert inside.startswith("forums/x.yaml:10:7: error: ")
    _, from_repo, _ = run_cli("check", "--entries", str(entries), cwd=repo_root)
    assert from_repo.startswith(os.path.relpath(entries / "forums" / "x.yaml", repo_root) + ":10:7: error: ")


# --- usage errors: exit 2 -------------------------------------------------------------


def test_missing_entries_folder_is_a_usage_error(run_cli, tmp_path):
    assert run_cli("check", "--entries", "nope", cwd=tmp_path) == (
        2, "", "python -m generator check: error: entries folder not found: nope\n",
    )


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["check", "--bogus"], "python -m generator: error: unrecognized arguments: --bogus"),
        ([], "python -m generator: error: the following arguments are required: COMMAND"),
        (["chek"], "python -m generator: error: argument COMMAND: invalid choice: 'chek'"),
        (["check", "--format", "xml"], "python -m generator check: error: argument --format: invalid choice: 'xml'"),
    ],
    ids=["unknown-option", "no-command", "unknown-command", "unknown-format"],
)
def test_usage_errors_exit_2_with_usage(run_cli, tmp_path, args, complaint):
    code, out, err = run_cli(*args, cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err.startswith("usage: python -m generator")
    assert complaint in err
    assert "Traceback" not in err


# --- output formats -----------------------------------------------------------------


@pytest.fixture
def two_problems(make_entries, tmp_path):
    """forums/x.yaml with a missing name (1:1) and `seat: no` (line 9 once the name line is gone)."""
    make_entries({X: forum_x("seat: no\n", replace={"name: X Forum\n": ""})})
    return tmp_path


def test_github_format(run_cli, two_problems):
    code, out, err = run_cli("check", "--entries", "entries", "--format", "github", cwd=two_problems)
    assert code == 1
    assert out.splitlines() == [
        f"::error file={XP},line=1,col=1::missing required field 'name' (Full name)",
        f"::error file={XP},line=9,col=7::'seat' must be text, but is false (written no); "
        "YAML reads an unquoted no as false: write \"no\" in quotes",
    ]
    assert err == "2 errors in 1 file\n"


def test_github_format_escapes_percent_and_newlines():
    from generator.problems import Problem

    problem = Problem("entries/forums/x.yaml", 3, 7, "100% sure\nnext line")
    assert problem.as_github() == "::error file=entries/forums/x.yaml,line=3,col=7::100%25 sure%0Anext line"


def test_json_format(run_cli, two_problems):
    code, out, err = run_cli("check", "--entries", "entries", "--format", "json", cwd=two_problems)
    assert code == 1
    records = json.loads(out)
    assert [{k: r[k] for k in ("path", "line", "col", "message")} for r in records] == [
        {"path": XP, "line": 1, "col": 1, "message": "missing required field 'name' (Full name)"},
        {
            "path": XP, "line": 9, "col": 7,
            "message": "'seat' must be text, but is false (written no); YAML reads an unquoted no as false: write \"no\" in quotes",
        },
    ]
    assert records[1]["field"] == "seat"
    assert all(r["severity"] == "error" for r in records)
    assert err == "2 errors in 1 file\n"


def test_json_names_the_missing_field(run_cli, two_problems):
    _, out, _ = run_cli("check", "--entries", "entries", "--format", "json", cwd=two_problems)
    assert json.loads(out)[0]["field"] == "name"


def test_json_field_of_nested_problem(check):
    result = check({X: forum_x(replace={"url: https://example.org/brief": "url: ftp://example.org/brief"})}, "--format", "json")
    [record] = json.loads(result.stdout)
    assert (record["field"], record["line"], record["col"]) == ("sources[0].url", 7, 10)


def test_json_format_when_valid_is_an_empty_list(run_cli, make_entries, tmp_path):
    make_entries()
    assert run_cli("check", "--entries", "entries", "--format", "json", cwd=tmp_path) == (0, "[]\n", "4 entries are valid\n")


# --- warnings -----------------------------------------------------------------------

OLD = {"gaps/dialogue.yaml": dedent(VALID_ATLAS["gaps/dialogue.yaml"]).replace("last_reviewed: 2026-01-15", "last_reviewed: 2020-01-15")}
OLD_WARNING = (
    "entries/gaps/dialogue.yaml:9:16: warning: 'last_reviewed' is 2209 days old (more than 365); "
    "check the entry against its sources and update the date"
)


def test_stale_entry_is_a_warning_on_stderr(check):
    result = check(OLD)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.splitlines() == [OLD_WARNING, "4 entries are valid, 1 warning"]


def test_strict_turns_warnings_into_errors(check):
    result = check(OLD, "--strict")
    assert result.returncode == 1
    assert result.lines == [OLD_WARNING.replace(": warning: ", ": error: ")]


def test_max_age(check):
    assert check(OLD, "--max-age", "2209").stderr == "4 entries are valid\n"
    assert check(OLD, "--max-age", "2208").stderr.splitlines()[-1] == "4 entries are valid, 1 warning"


def test_source_without_accessed_date_is_a_warning(check):
    result = check({X: forum_x(replace={"    accessed: 2026-01-10\n": ""})})
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.splitlines() == [
        f"{XP}:6:5: warning: 'sources[0]' has no 'accessed' date; add the date you last read https://example.org/brief",
        "5 entries are valid, 1 warning",
    ]


def test_github_format_annotates_warnings(check):
    result = check(OLD, "--format", "github")
    assert (result.returncode, result.lines) == (0, [
        "::warning file=entries/gaps/dialogue.yaml,line=9,col=16::'last_reviewed' is 2209 days old (more than 365); "
        "check the entry against its sources and update the date",
    ])


# --- never a traceback --------------------------------------------------------------

NESTED = "seat: " + "[" * 3000 + "]" * 3000 + "\n"


def bad_files() -> dict[str, str | bytes]:
    """One broken file per kind of mistake, each named after it."""
    def f(stem: str, extra: str = "", replace: dict[str, str] | None = None, folder: str = "forums") -> tuple[str, str]:
        return f"{folder}/{stem}.yaml", forum_x(extra, {"id: x": f"id: {stem}", **(replace or {})})

    files = dict(
        [
            f("missing-name", replace={"name: X Forum\n": ""}),
            f("typo", replace={"summary:": "sumary:"}),
            f("unknown", "colour: red\n"),
            f("list-name", replace={"name: X Forum": "name: [a]"}),
            f("text-year", "established: long ago\n"),
            f("quoted-year", 'established: "1959"\n'),
            f("no-false", "seat: no\n"),
            f("date-text", "seat: 2020-01-01\n"),
            f("bad-month", replace={"last_reviewed: 2026-01-15": "last_reviewed: 2025-13-01"}),
            f("bad-day", replace={"last_reviewed: 2026-01-15": "last_reviewed: 2025-02-30"}),
            f("time", replace={"last_reviewed: 2026-01-15": "last_reviewed: 2025-02-03 10:00:00"}),
            f("stem", replace={"id: x": "id: other"}),
            f("kind", replace={"kind: forum": "kind: gap"}),
            f("kind-word", replace={"kind: forum": "kind: 12"}),
            f("dangling", "related: [dialog]\n"),
            f("wrong-kind", "pathway: dialogue\n"),
            f("self", "related: [self]\n"),
            f("ftp", replace={"url: https://example.org/brief": "url: ftp://example.org/"}),
            f("js", "website: javascript:alert(1)\n"),
            f("no-url", replace={"    url: https://example.org/brief\n": ""}),
            f("paragraphs", replace={"summary: A forum.": "summary: |\n  a\n\n  b"}),
            f("level", "addresses:\n  - gap: dialogue\n    level: strnog\n    evidence: x\n"),
            f("claim-scalar", "addresses: [dialogue]\n"),
            f("claims-mapping", "addresses: {gap: dialogue}\n"),
            f("membership-list", "membership: [1, 2]\n"),
            f("huge-int", "established: 99999999999999999999999999\n"),
            f("float-nan", "established: .nan\n"),
            f("inf-count", "membership:\n  count: .inf\n"),
            f("null-sources", replace={"sources:\n  - title: Example brief\n    url: https://example.org/brief\n    accessed: 2026-01-10\n": "sources:\n"}),
            f("sources-of-lists", replace={"  - title: Example brief\n    url: https://example.org/brief\n    accessed: 2026-01-10\n": "  - [a, b]\n"}),
            f("empty-sources", replace={"sources:\n  - title: Example brief\n    url: https://example.org/brief\n    accessed: 2026-01-10\n": "sources: []\n"}),
            f("dup-key", "name: again\n"),
            f("tab", replace={"  - title:": "\t- title:"}),
            f("syntax", replace={"name: X Forum": "name: [x"}),
            f("documents", "---\nid: y\n"),
            f("python", "seat: !!python/object/apply:os.system [echo hi]\n"),
            f("binary", "seat: !!binary aGk=\n"),
            f("set", "related: !!set {a}\n"),
            f("alias", "seat: *a\n", {"name: X Forum": "name: &a X"}),
            f("merge", "membership:\n  <<: {count: 1}\n"),
            f("nested", NESTED),
            f("key-list", "[a, b]: c\n"),
            f("null-key", "~: c\n"),
            f("control", replace={"name: X Forum": 'name: "a\\u0000b"'}),
            f("bidi", replace={"name: X Forum": 'name: "a\\u202eb"'}),
            f("todo", replace={"name: X Forum": "name: TODO"}),
            f("date-int", replace={"last_reviewed: 2026-01-15": "last_reviewed: 20260115"}),
            f("accessed-bad", replace={"accessed: 2026-01-10": "accessed: yesterday"}),
            f("history-bad", "history:\n  - date: 2020-02-30\n    event: x\n"),
            f("history-text", "history: founded\n"),
            f("aliases-bad", "aliases: [Not An Id]\n"),
            f("BadCase"),
            f("a" * 65),
            f("gap-dup", "addresses:\n  - gap: dialogue\n    level: strong\n    evidence: a\n  - gap: dialogue\n    level: weak\n    evidence: b\n"),
            ("forums/empty.yaml", ""),
            ("forums/top-list.yaml", "- a\n"),
            ("forums/top-null.yaml", "~\n"),
            ("forums/top-int.yaml", "42\n"),
            ("forums/nul.yaml", b"id: nul\x00\n"),
            ("forums/latin1.yaml", "id: latin1\nname: caf\xe9\n".encode("latin-1")),
            ("forums/utf16.yaml", forum_x(replace={"id: x": "id: utf16"}).encode("utf-16")),
            ("forums/huge.yaml", forum_x("description: |\n" + ("  " + "a" * 98 + "\n") * 11000, {"id: x": "id: huge"})),
            ("forum/misplaced.yaml", forum_x(replace={"id: x": "id: misplaced"})),
            ("forums/suffix.yml", forum_x(replace={"id: x": "id: suffix"})),
            ("top.yaml", forum_x(replace={"id: x": "id: top"})),
            ("forums/deep/er.yaml", forum_x(replace={"id: x": "id: er"})),
        ]
    )
    return files


@pytest.fixture(scope="module")
def bad_tree(tmp_path_factory):
    from conftest import write_entries

    root = tmp_path_factory.mktemp("bad")
    write_entries(root / "entries", bad_files())
    os.symlink(root / "entries" / "forums" / "typo.yaml", root / "entries" / "forums" / "link.yaml")
    return root


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_no_traceback_for_any_bad_data_and_every_bad_file_is_named(run_cli, bad_tree, fmt):
    code, out, err = run_cli("check", "--entries", "entries", "--format", fmt, cwd=bad_tree)
    assert code == 1
    assert "Traceback" not in out + err
    assert "Exception" not in out + err
    if fmt == "json":
        paths = {r["path"] for r in json.loads(out)}
    elif fmt == "github":
        paths = {m.group(1) for m in re.finditer(r"^::error file=([^,]+),line=\d+,col=\d+::", out, re.M)}
    else:
        paths = {m.group(1) for m in re.finditer(r"^(.+?):\d+:\d+: error: ", out, re.M)}
    expected = {f"entries/{rel}" for rel in bad_files()} | {"entries/forums/link.yaml"}
    assert paths == expected


def test_no_traceback_for_a_misfitting_core_tag(run_cli, make_entries, tmp_path):
    make_entries({X: forum_x("established: !!bool abc\n"), "forums/t.yaml": forum_x("seat: !!timestamp abc\n", {"id: x": "id: t"})})
    code, out, err = run_cli("check", "--entries", "entries", cwd=tmp_path)
    assert "Traceback" not in out + err
    assert code == 1
    assert {line.split(":")[0] for line in out.splitlines()} == {XP, "entries/forums/t.yaml"}
