"""Property-based tests (hypothesis): generated entry files thrown at load, validate, link and render.

Whatever a file holds, the core must give either valid entries whose pages carry no markup from the
data, or problems that each name a file, a line and a column (1-based) and say something; never an
exception. Every example is one file dropped beside the small valid atlas of test_hostile.

The runs are derandomized (the same examples every time, so CI is stable) and keep no example
database. ``ATLAS_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py`` searches harder.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_hostile import BASE_ATLAS, MARK, TODAY_EPOCH, cli_env, scan, write_tree

from generator.link.atlas import link_atlas
from generator.render.pages import render_pages
from generator.validate.entries import validate_folder

EXAMPLES = int(os.environ.get("ATLAS_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much, HealthCheck.large_base_example],
)
FOLDERS = ("forums", "gaps", "initiatives", "pathways")


# --- the property ------------------------------------------------------------------


@pytest.fixture(scope="module")
def entries(tmp_path_factory) -> Path:
    """The base atlas; each example adds one file and removes it again."""
    return write_tree(tmp_path_factory.mktemp("fuzz") / "entries", BASE_ATLAS)


def _lines_in(data: bytes) -> int:
    """An upper bound of the lines a YAML parser may count (it breaks lines at CR, LF, NEL, LS, PS)."""
    return len(data.decode("utf-8", "replace").splitlines()) + data.count(b"\r") + 1


def check_file(entries: Path, folder: str, data: bytes, name: str = "fuzz.yaml") -> list:
    """Validate the atlas with ``data`` at ``folder/name``; render when valid; check every promise."""
    path = entries / folder / name
    path.write_bytes(data)
    try:
        result = validate_folder(entries)
    finally:
        path.unlink()
    for problem in result.problems:
        assert isinstance(problem.path, str) and problem.path, problem
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        assert isinstance(problem.col, int) and problem.col >= 1, problem
        assert isinstance(problem.message, str) and problem.message.strip(), problem
        assert problem.severity in ("error", "warning"), problem
        if problem.path.endswith(f"{folder}/{name}"):
            assert problem.line <= _lines_in(data), (problem, data[:200])
    if not result.errors:
        assert any(e.path.endswith(f"{folder}/{name}") for e in result.entries)
        pages = render_pages(link_atlas(result.entries))
        for page in pages.values():
            if page.path == "fields.md":  # made from the declaration of the kinds alone: no entry data
                continue
            assert "<script" not in page.markdown.lower(), page.path
            assert "<" not in page.title, page.title
            assert scan(page.markdown).problems == [], (page.path, scan(page.markdown).problems)
    return result.problems


# --- (a) YAML-ish text ---------------------------------------------------------------

ANY_CHAR = st.characters(exclude_categories=("Cs",))  # every category but lone surrogates (not encodable)
SPECIAL = [
    "\u202e", "\u202d", "\u2066", "\u2067", "\u2069", "\u200e", "\u200f", "\u061c", "\u200b", "\u2060",
    "\ufeff", "\u00ad", "\u2028", "\u2029", "\x85", "\x00", "\x07", "\x1b", "\x7f", "\t", "\r", "\r\n",
    "\U0001F680", "\U000E0041", "\U0010FFFD", "\ufffd", "\uffff", "с", "о", "İ", "ß", "ﬀ",
]
PAYLOADS = [
    "<script>alert('XSSMARK')</script>", "<img src=x onerror=alert('XSSMARK')>", "<svg onload=alert('XSSMARK')>",
    "<iframe src=javascript:alert('XSSMARK')>", "[x](javascript:alert('XSSMARK'))", "[x](JaVaScRiPt:alert('XSSMARK'))",
    "![x](javascript:alert('XSSMARK'))", "[x](data:text/html;base64,PHNjcmlwdD4=)", "[x](vbscript:msgbox('XSSMARK'))",
    "<a href=\"javascript:alert('XSSMARK')\">a</a>", "&lt;script&gt;alert('XSSMARK')&lt;/script&gt;", "&#x3C;script&#x3E;",
    "[x](&#106;avascript:alert('XSSMARK'))", "<javascript:alert('XSSMARK')>", "{ onclick=\"alert('XSSMARK')\" }",
    "--8<-- \"/etc/passwd\"", "{{ 7*7 }}", "{% raw %}", "{{ config }}", "</title><script>alert('XSSMARK')</script>",
    "<textarea>", "<div>", "<!--", "|", "\" onmouseover=\"alert('XSSMARK')\"", "' onfocus='alert(1)'", "<style>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert('XSSMARK')\">", "<base href=//evil.example/>",
    "<form action=javascript:alert('XSSMARK')><input onfocus=alert('XSSMARK') autofocus>", "<math><mtext>",
    "<template><script>alert('XSSMARK')</script></template>", "<noscript><img src=x onerror=alert('XSSMARK')></noscript>",
    "[a](https://ok.example/)](javascript:alert('XSSMARK'))", "<https://example.org/>", "`<script>`", "*", "_", "\\",
]
TOKENS = [
    "id: fuzz", "kind: forum", "kind: gap", "name: ", "summary: ", "description: ", "sources:", "  - title: T",
    "    url: https://example.org/", "last_reviewed: 2026-01-15", "pathway: universal", "addresses:", "  - gap: dialogue",
    "    level: strong", "    basis: named", "    basis: category", "    evidence: e", "    source: https://example.org/",
    "    category: e", "    category_source: brief", "illustrates:", "coverage_note: ", "    supports: [pathway]",
    "related: [alpha-forum]", "led_by: [alpha-forum]", "history:", "membership:",
    "\n", "\n", "\n", "  ", "    ", "- ", ": ", ":", "{", "}", "[", "]", ", ", "&a ", "*a", "<<: ", "? ", "|", "|-", ">", ">-",
    "'", '"', "# ", "---\n", "...\n", "%YAML 1.1\n", "%TAG !e! tag:yaml.org,2002:python/\n", "!e!object:os.system ",
    "!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!timestamp ", "!!binary ", "!!set ", "!!omap ", "!!python/name:os.system ",
    "!!python/object/apply:os.system ", "!x ", "!<tag:yaml.org,2002:str> ", "! ", "~", "null", "yes", "no", "on", "y",
    "2026-01-15", "2026-02-30", "2026-13-45T25:61:61", "1959", "-1", "1e400", ".nan", ".inf", "0x1F", "0o17", "0b101", "1_000",
    "1:20:30", "=", "<<", "\\u202e", "\\x07", "\\ud800", '"\\U0001F680"', "TODO", "\t",
]
TOKEN_TEXT = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.sampled_from(SPECIAL), st.sampled_from(PAYLOADS), st.text(ANY_CHAR, max_size=6)),
    max_size=60,
).map("".join)


@FUZZ
@given(text=st.text(ANY_CHAR, max_size=400), folder=st.sampled_from(FOLDERS))
@example(text="", folder="forums")
@example(text="\ufeff", folder="forums")
@example(text="- a\n- b\n", folder="gaps")
def test_any_unicode_text(entries: Path, text: str, folder: str):
    check_file(entries, folder, text.encode("utf-8"))


@FUZZ
@given(text=TOKEN_TEXT, folder=st.sampled_from(FOLDERS))
@example(text="id: fuzz\nkind: forum\nestablished: !!bool maybe\n", folder="forums")
@example(text="id: fuzz\nkind: forum\nestablished: !!int \"\"\n", folder="forums")
@example(text="id: fuzz\nkind: forum\nlast_reviewed: !!timestamp yesterday\n", folder="forums")
@example(text="id: fuzz\nkind: forum\nname: !!float -\n", folder="forums")
@example(text="a: &a [*a]\n", folder="forums")
def test_yaml_token_soup(entries: Path, text: str, folder: str):
    check_file(entries, folder, text.encode("utf-8"))


@FUZZ
@given(data=st.binary(max_size=300), folder=st.sampled_from(FOLDERS))
@example(data=b"\xff\xfei\x00d\x00", folder="forums")
@example(data=b"id: fuzz\n\xc3", folder="forums")
def test_any_bytes(entries: Path, data: bytes, folder: str):
    check_file(entries, folder, data)


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.dates(),
    st.datetimes(), st.text(ANY_CHAR, max_size=30), st.sampled_from(PAYLOADS), st.sampled_from(SPECIAL),
)
STRUCTURES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(ANY_CHAR, max_size=12), inner, max_size=4)),
    max_leaves=20,
)
FIELD_NAMES = ["id", "kind", "name", "acronym", "summary", "description", "related", "sources", "last_reviewed", "aliases",
               "history", "fact_checks", "type", "pathway", "established", "seat", "membership", "website", "addresses",
               "status", "led_by", "started", "title", "url", "document", "gap", "level", "note", "evidence", "source",
               "basis", "category", "category_source", "illustrates", "coverage_note", "supports"]


VALID_FORUM = yaml.safe_load(BASE_ATLAS["forums/alpha-forum.yaml"]) | {"id": "fuzz"}


def _dump(value: object, flow: bool, unicode: bool) -> bytes:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(value, Dumper=dumper, default_flow_style=flow, allow_unicode=unicode, sort_keys=False, width=80).encode("utf-8")


@st.composite
def mutated_dumps(draw) -> bytes:
    """A random structure (keys mostly entry fields) dumped as YAML, then damaged."""
    keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(ANY_CHAR, max_size=12))
    top = draw(st.one_of(st.just(VALID_FORUM), st.dictionaries(keys, STRUCTURES, max_size=12), STRUCTURES))
    data = _dump(top, draw(st.booleans()), draw(st.booleans()))
    for _ in range(draw(st.integers(0, 3))):
        how = draw(st.sampled_from(["truncate", "flip", "rename", "huge", "empty", "duplicate", "delete", "tab", "insert"]))
        lines = data.split(b"\n")
        i = draw(st.integers(0, max(0, len(data) - 1)))
        n = draw(st.integers(0, max(0, len(lines) - 1)))
        if how == "truncate":
            data = data[:i]
        elif how == "flip" and data:
            data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i + 1 :]
        elif how == "rename":
            old = draw(st.sampled_from(FIELD_NAMES)).encode()
            data = data.replace(old, draw(st.text(ANY_CHAR, max_size=8)).encode("utf-8"), 1)
        elif how == "huge":
            data += b"\n" + draw(st.sampled_from(FIELD_NAMES)).encode() + b": " + b"x" * draw(st.sampled_from([1000, 100_000, 1_100_000]))
        elif how == "empty":
            lines[n] = lines[n].split(b":", 1)[0] + b":" if b":" in lines[n] else b""
            data = b"\n".join(lines)
        elif how == "duplicate":
            data = b"\n".join(lines[: n + 1] + lines[n:])
        elif how == "delete":
            data = b"\n".join(lines[:n] + lines[n + 1 :])
        elif how == "tab":
            lines[n] = b"\t" + lines[n]
            data = b"\n".join(lines)
        elif how == "insert":
            data = data[:i] + draw(st.sampled_from(TOKENS + SPECIAL)).encode("utf-8") + data[i:]
    return data


@FUZZ
@given(data=mutated_dumps(), folder=st.sampled_from(FOLDERS))
def test_mutated_yaml_dumps(entries: Path, data: bytes, folder: str):
    check_file(entries, folder, data)


# --- (b) structured, near-valid entries -----------------------------------------------

# Text that passes the checks of a one-line text field (no controls, no line breaks, not blank).
CLEAN_CHAR = st.characters(exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Co", "Cn"))
CLEAN_TEXT = st.one_of(
    st.text(CLEAN_CHAR, min_size=1, max_size=40),
    st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(CLEAN_CHAR, max_size=8)), min_size=1, max_size=4).map(" ".join),
).map(str.strip).filter(lambda s: s and not s.startswith("TODO"))
NASTY_TEXT = st.lists(st.one_of(st.sampled_from(SPECIAL), st.sampled_from(PAYLOADS), st.text(ANY_CHAR, max_size=10)), max_size=6).map("".join)
ANY_VALUE = st.one_of(SCALARS, NASTY_TEXT, st.lists(NASTY_TEXT, max_size=3), st.dictionaries(st.sampled_from(FIELD_NAMES), SCALARS, max_size=3))
SLUGS = st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}\Z")
GOOD_URLS = st.builds(lambda path: "https://example.org/" + path, st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=20))
BAD_URLS = st.sampled_from(["javascript:alert(1)", "data:text/html,x", "//evil.example/", "http://", "https://e.org/a b", "ftp://e.org/", "HTTPS://E.ORG/"])
URLS = st.sampled_from(range(10)).flatmap(lambda n: BAD_URLS if n == 9 else GOOD_URLS)


def _maybe(good: st.SearchStrategy) -> st.SearchStrategy:
    """A good value for the field nine times in ten, else anything at all."""
    return st.sampled_from(range(10)).flatmap(lambda n: ANY_VALUE if n == 9 else good)  # hypothesis favours the first


SOURCE = st.fixed_dictionaries(
    {"title": _maybe(CLEAN_TEXT), "url": _maybe(URLS)},
    optional={
        "publisher": _maybe(CLEAN_TEXT),
        "date": _maybe(st.sampled_from([2020, "2020-05", dt.date(2020, 1, 2)])),
        "accessed": _maybe(st.dates()),
        "supports": _maybe(st.lists(
            st.sampled_from(["acronym", "type", "pathway", "status", "led_by", "established", "started", "seat", "membership", "website"]),
            max_size=3,
        )),
    },
)
CLAIM = st.fixed_dictionaries(
    {"gap": _maybe(st.sampled_from(["dialogue", "alpha-forum", "nowhere"])), "level": _maybe(st.sampled_from(["strong", "partial", "emerging"])),
     "basis": _maybe(st.sampled_from(["named", "category"])), "evidence": _maybe(CLEAN_TEXT),
     "source": _maybe(st.sampled_from(["https://example.org/", "brief", "https://elsewhere.example/"]))},
    optional={"note": _maybe(CLEAN_TEXT), "category": _maybe(CLEAN_TEXT), "category_source": _maybe(st.sampled_from(["https://example.org/", "brief"]))},
)
CASE_OF = st.fixed_dictionaries(
    {"gap": _maybe(st.sampled_from(["dialogue", "alpha-forum", "nowhere"])), "note": _maybe(CLEAN_TEXT), "evidence": _maybe(CLEAN_TEXT),
     "source": _maybe(st.sampled_from(["https://example.org/", "brief"]))},
)
COMMON_REQUIRED = {
    "name": _maybe(CLEAN_TEXT),
    "summary": _maybe(CLEAN_TEXT),
    "sources": _maybe(st.lists(SOURCE, min_size=1, max_size=2)),
    "last_reviewed": _maybe(st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1))),
}
OPTIONAL = {
    "acronym": _maybe(CLEAN_TEXT.filter(lambda s: len(s) <= 40)),
    "description": _maybe(st.lists(CLEAN_TEXT, min_size=1, max_size=3).map("\n\n".join)),
    "related": _maybe(st.lists(st.sampled_from(["alpha-forum", "dialogue", "universal", "gamma-guidelines", "fuzz", "nowhere"]), max_size=3)),
    "aliases": _maybe(st.lists(SLUGS, max_size=2)),
    "history": _maybe(st.lists(
        st.fixed_dictionaries({"date": st.sampled_from([1959, "2020-05", dt.date(2020, 1, 2)]), "event": _maybe(CLEAN_TEXT)}),
        max_size=2,
    )),
    "fact_checks": _maybe(st.lists(st.fixed_dictionaries({"claim": _maybe(CLEAN_TEXT), "finding": _maybe(CLEAN_TEXT)}), max_size=2)),
    "type": _maybe(CLEAN_TEXT),
    "pathway": _maybe(st.sampled_from(["universal", "dialogue", "nowhere"])),
    "established": _maybe(st.integers(900, 3100)),
    "seat": _maybe(CLEAN_TEXT),
    "membership": _maybe(st.fixed_dictionaries({"count": _maybe(st.integers(-5, 10**13))}, optional={"note": _maybe(CLEAN_TEXT), "as_of": st.dates()})),
    "website": _maybe(URLS),
    "addresses": _maybe(st.lists(CLAIM, max_size=2)),
    "illustrates": _maybe(st.lists(CASE_OF, max_size=2)),
    "coverage_note": _maybe(CLEAN_TEXT),
    "status": _maybe(st.sampled_from(["proposed", "adopted", "in-force", "ongoing", "concluded", "Ongoing"])),
    "led_by": _maybe(st.lists(st.sampled_from(["alpha-forum", "gamma-guidelines", "nowhere"]), max_size=2)),
    "started": _maybe(st.sampled_from([2023, "2023-04", dt.date(2023, 4, 5), 99])),
}
KIND_FIELDS = {
    "forum": {"type", "pathway", "established", "seat", "membership", "website", "addresses", "illustrates", "coverage_note"},
    "initiative": {"type", "pathway", "status", "led_by", "started", "website", "addresses", "illustrates", "coverage_note"},
    "gap": set(),
    "pathway": set(),
}
COMMON_OPTIONAL = {"acronym", "description", "related", "aliases", "history", "fact_checks"}


@st.composite
def near_valid_entries(draw) -> tuple[str, dict]:
    kind = draw(st.sampled_from(list(KIND_FIELDS)))
    entry: dict = {"id": draw(_maybe(st.just("fuzz"))), "kind": draw(_maybe(st.just(kind)))}
    for key, strategy in COMMON_REQUIRED.items():
        if draw(st.sampled_from(range(10))) != 9:  # a required field is left out one time in ten
            entry[key] = draw(strategy)
    allowed = sorted(COMMON_OPTIONAL | KIND_FIELDS[kind])
    for key in draw(st.lists(st.sampled_from(allowed), unique=True, max_size=len(allowed))):
        entry[key] = draw(OPTIONAL[key])
    if draw(st.sampled_from(range(10))) == 9:  # now and then a field the kind does not have
        entry[draw(st.sampled_from([*FIELD_NAMES, "bogus"]))] = draw(ANY_VALUE)
    return f"{kind}s", entry


@FUZZ
@given(case=near_valid_entries(), flow=st.booleans(), unicode=st.booleans())
def test_near_valid_entries(entries: Path, case: tuple[str, dict], flow: bool, unicode: bool):
    folder, entry = case
    check_file(entries, folder, _dump(entry, flow, unicode))


# --- valid entries full of payloads: rendered pages stay inert --------------------------

SHORT_PAYLOADS = [p for p in PAYLOADS if len(p) <= 40]
PAYLOAD_TEXT = (
    st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(CLEAN_CHAR, max_size=6)), min_size=1, max_size=3)
    .map(" ".join)
    .map(str.strip)
    .filter(lambda s: s and not s.startswith("TODO") and len(s) <= 200)  # 200: the shortest limit (seat, type)
)


@st.composite
def payload_forums(draw) -> dict:
    text = lambda: draw(PAYLOAD_TEXT)
    return {
        "id": "fuzz", "kind": "forum", "name": text(), "acronym": draw(st.sampled_from(SHORT_PAYLOADS)).strip() or "x",
        "summary": text(), "description": "\n\n".join(text() for _ in range(draw(st.integers(1, 3)))),
        "type": text(), "seat": text(), "pathway": "universal",
        "membership": {"count": 3, "note": draw(st.sampled_from(SHORT_PAYLOADS)).strip() or "x"},
        "website": "https://example.org/" + draw(st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=30)),
        "addresses": [{"gap": "dialogue", "level": "strong", "basis": "named", "note": text(), "evidence": text() + "\n" + text(),
                       "source": "https://example.org/s"}],
        "coverage_note": text(),
        "history": [{"date": 2020, "event": text()}],
        "fact_checks": [{"claim": text(), "finding": text()}],
        "sources": [{"title": text(), "url": "https://example.org/s", "publisher": text(), "accessed": dt.date(2026, 1, 10),
                     "supports": ["acronym", "type", "pathway", "seat", "membership"]}],
        "related": ["gamma-guidelines"],
        "last_reviewed": dt.date(2026, 1, 15),
    }


@FUZZ
@given(entry=payload_forums())
def test_payloads_in_valid_entries_render_inert(entries: Path, entry: dict):
    problems = check_file(entries, "forums", _dump(entry, False, True))
    errors = [p for p in problems if p.severity == "error"]
    assert errors == [], errors  # the payloads are valid text: they must be shown, not refused
    # check_file rendered the pages and scanned them; the marker is in the data, never in markup
    assert MARK in "".join(PAYLOADS)


# --- known bugs, found by searching ----------------------------------------------------


@FUZZ
@given(text=TOKEN_TEXT, folder=st.sampled_from(FOLDERS))
@example(text="id: fuzz\nkind: forum\nname: a \x07 b\n", folder="forums")
def test_every_problem_is_one_line(entries: Path, text: str, folder: str):
    for problem in check_file(entries, folder, text.encode("utf-8")):
        assert "\n" not in problem.message and "\r" not in problem.message, problem


# --- the command line on a few generated files -------------------------------------------


@settings(max_examples=6, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.one_of(TOKEN_TEXT.map(lambda t: t.encode("utf-8")), mutated_dumps(), near_valid_entries().map(lambda c: _dump(c[1], False, True))))
def test_check_command_exits_0_or_1_without_traceback(tmp_path_factory, data: bytes):
    root = tmp_path_factory.mktemp("cli")
    entries = write_tree(root / "entries", BASE_ATLAS)
    (entries / "forums" / "fuzz.yaml").write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--entries", "entries"],
        cwd=root, env=cli_env(SOURCE_DATE_EPOCH=TODAY_EPOCH), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode in (0, 1), result
    assert "Traceback" not in result.stdout + result.stderr
    if result.returncode == 1:
        assert re.match(r"^entries/\S+:\d+:\d+: error: ", result.stdout), result.stdout
        assert "entries/forums/fuzz.yaml:" in result.stdout
    else:
        assert result.stdout == ""
    shutil.rmtree(root)
