"""Who says so: claims named or by category, cases of a gap, quotes checked against the brief,
the source policy, per-fact sources, and how all of it is shown.

Through ``python -m generator check --entries DIR`` (exact messages and line:col, exit 0 or 1)
and through the functions, on the minimal atlas of conftest and on tests/fixtures/evidence.
"""

from __future__ import annotations

import json
import os
import re

import markdown
import pytest
from conftest import REPO_ROOT, VALID_ATLAS, XP, X, dedent, forum_x
from html_helpers import counted, parse

from generator.kinds.declaration import BASES, KINDS
from generator.pipeline import build_atlas
from generator.render.content import fill_placeholders, source_policy_table
from generator.render.html_pieces import NAMED_ONLY
from generator.render.pages import render_pages
from generator.validate.quotes import Document
from generator.validate.source_policy import ORIGINAL_HINT, REJECTED, rejected

EVIDENCE = REPO_ROOT / "tests" / "fixtures" / "evidence"
GOLDEN = REPO_ROOT / "tests" / "golden"
BRIEF_URL = "https://example.org/brief"
BASIS_DOC = "Who the source says it of: named (this entry) or category (a group it belongs to; never above emerging)"


def claim(*lines: str) -> str:
    """``addresses:`` with one claim on dialogue (line 11 of forums/x.yaml), its fields from line 12."""
    return "addresses:\n  - gap: dialogue\n" + "".join(f"    {line}\n" for line in lines)


CATEGORY = (
    "level: emerging",  # 12
    "basis: category",  # 13
    'evidence: "Small groups can offer discretion."',  # 14
    f"source: {BRIEF_URL}",  # 15
    "category: Small groups",  # 16
    f"category_source: {BRIEF_URL}",  # 17
)


# --- claims -----------------------------------------------------------------------------


def test_named_and_category_claims_are_valid(check):
    result = check({X: forum_x(claim(*CATEGORY))}, "--strict")
    assert (result.returncode, result.stdout) == (0, ""), result


def test_missing_basis(errors):
    text = forum_x(claim("level: partial", 'evidence: "Universal fora are indispensable."', f"source: {BRIEF_URL}"))
    assert errors({X: text}) == [f"{XP}:11:5: error: missing required field 'addresses[0].basis' ({BASIS_DOC})"]


def test_missing_source(errors):
    text = forum_x(claim("level: partial", "basis: named", 'evidence: "Universal fora are indispensable."'))
    assert errors({X: text}) == [
        f"{XP}:11:5: error: missing required field 'addresses[0].source' "
        "(Where the evidence comes from: a document listed under sources (like 'brief') or the URL of one)"
    ]


def test_basis_is_named_or_category(errors):
    text = forum_x(claim("level: partial", "basis: guessed", 'evidence: "Universal fora are indispensable."', f"source: {BRIEF_URL}"))
    assert errors({X: text}) == [f"{XP}:13:12: error: 'addresses[0].basis' must be one of named, category, but is 'guessed'"]


@pytest.mark.parametrize("level", ["strong", "partial"])
def test_category_claim_above_emerging(errors, level):
    text = forum_x(claim(f"level: {level}", *CATEGORY[1:]))
    assert errors({X: text}) == [
        f"{XP}:12:12: error: 'addresses[0].level' is '{level}', but a claim with basis category is never above emerging; "
        "lower it, or cite a passage that names the entry (basis: named)"
    ]


def test_category_claim_without_category_or_its_source(errors):
    assert errors({X: forum_x(claim(*CATEGORY[:4]))}) == [
        f"{XP}:11:5: error: missing field 'addresses[0].category' (the group the passage speaks of, in its words), which a claim with basis category needs",
        f"{XP}:11:5: error: missing field 'addresses[0].category_source' "
        "(the source that shows the entry belongs to the group), which a claim with basis category needs",
    ]


def test_category_the_evidence_does_not_quote(errors):
    text = forum_x(claim(*CATEGORY[:4], "category: Large coalitions", CATEGORY[5]))
    assert errors({X: text}) == [
        f"{XP}:16:15: error: 'addresses[0].category' is 'Large coalitions', which the evidence does not quote; quote the passage that names the group"
    ]


def test_category_may_be_quoted_across_an_ellipsis_and_typographic_marks(check):
    lines = (*CATEGORY[:2], 'evidence: "Small \u2018groups\u2019 [\u2026] can offer discretion."', CATEGORY[3],
             "category: Small 'groups'", CATEGORY[5])
    result = check({X: forum_x(claim(*lines))})
    assert (result.returncode, result.stdout) == (0, ""), result


def test_category_fields_on_a_named_claim(errors):
    text = forum_x(claim("level: partial", "basis: named", *CATEGORY[2:]))
    assert errors({X: text}) == [
        f"{XP}:16:15: error: 'addresses[0].category' is only for claims with basis category; remove it, or set basis: category",
        f"{XP}:17:22: error: 'addresses[0].category_source' is only for claims with basis category; remove it, or set basis: category",
    ]


@pytest.mark.parametrize(("field", "line", "col"), [("source", 15, 13), ("category_source", 17, 22)])
def test_a_claim_source_not_listed(errors, field, line, col):
    lines = [f"{field}: https://other.example.org/" if x.startswith(f"{field}:") else x for x in CATEGORY]
    assert errors({X: forum_x(claim(*lines))}) == [
        f"{XP}:{line}:{col}: error: 'addresses[0].{field}' is 'https://other.example.org/', which is not one of this entry's sources; "
        "give the url or document of a source listed under 'sources'"
    ]


# --- cases of a gap ---------------------------------------------------------------------


def case(gap: str = "dialogue", source: str = BRIEF_URL) -> str:
    return f'  - gap: {gap}\n    note: It is a case.\n    evidence: "Small groups can offer discretion."\n    source: {source}\n'


def test_a_case_is_valid_and_needs_no_claim(check):
    result = check({X: forum_x("illustrates:\n" + case())}, "--strict")
    assert (result.returncode, result.stdout) == (0, ""), result


def test_a_case_repeating_a_gap(errors):
    assert errors({X: forum_x("illustrates:\n" + case() + case())}) == [
        f"{XP}:15:10: error: 'illustrates[1].gap' repeats 'dialogue' (already in illustrates[0]); list each gap once"
    ]


def test_a_case_of_a_gap_the_entry_also_claims(errors):
    text = forum_x(claim(*CATEGORY) + "illustrates:\n" + case())  # illustrates: line 18
    assert errors({X: text}) == [
        f"{XP}:19:10: error: 'illustrates[0].gap' is 'dialogue', which 'addresses' claims this entry fills; "
        "an entry is a case of a gap or addresses it, not both"
    ]


def test_a_case_source_not_listed(errors):
    assert errors({X: forum_x("illustrates:\n" + case(source="https://other.example.org/"))}) == [
        f"{XP}:14:13: error: 'illustrates[0].source' is 'https://other.example.org/', which is not one of this entry's sources; "
        "give the url or document of a source listed under 'sources'"
    ]


def test_a_case_needs_its_note_evidence_and_source(errors):
    lines = errors({X: forum_x("illustrates:\n  - gap: dialogue\n")})
    assert sorted(line.split("missing required field ")[1].split(" ")[0] for line in lines) == [
        "'illustrates[0].evidence'", "'illustrates[0].note'", "'illustrates[0].source'",
    ]
    assert all(line.startswith(f"{XP}:11:5: error: missing required field ") for line in lines)


# --- quotes from the brief --------------------------------------------------------------

BRIEF = """\
Universal fora are *indispensable* for legitimacy, says the [Committee](https://example.org/copuos).[1]

Small groups \u2014 \u201cminilateral\u201d ones [sic] \u2014 can offer discretion and speed.\u00b2

> Such outputs do not have clear pathways to dock themselves into universal diplomatic processes.
"""
X_BRIEF = {"    url: https://example.org/brief\n": "    document: brief\n"}  # forums/x.yaml cites the brief


@pytest.fixture
def with_brief(check, tmp_path):
    """``check`` with tmp_path/content/brief.md and ``--content content``."""
    (tmp_path / "content").mkdir(exist_ok=True)
    (tmp_path / "content" / "brief.md").write_text(BRIEF, encoding="utf-8")

    def run(text: str, *args: str):
        return check({X: text}, "--content", "content", *args)

    return run


def quoted(evidence: str) -> str:
    """forums/x.yaml citing the brief, with a named claim quoting ``evidence`` (on line 14, at column 15)."""
    return forum_x(claim("level: partial", "basis: named", f"evidence: {json.dumps(evidence, ensure_ascii=False)}", "source: brief"), X_BRIEF)


@pytest.mark.parametrize(
    "evidence",
    [
        "Universal fora are indispensable for legitimacy",  # emphasis and link markup in the brief do not matter
        "says the Committee.",  # nor the footnote mark
        "Small groups - \"minilateral\" ones - can offer discretion",  # straight quotes and hyphens; [sic] left out
        "Small groups \u2013 \u201cminilateral\u201d ones \u2014 can offer discretion and speed.",  # an en dash for the em dash
        "Universal fora \u2026 for legitimacy",  # an ellipsis skips words
        "Small groups [\u2026] can offer [...] speed",
        "Such outputs do not have clear pathways",  # a quote block's marker is not part of the text
    ],
)
def test_a_quote_found_in_the_brief(with_brief, evidence):
    result = with_brief(quoted(evidence), "--strict")
    assert (result.returncode, result.stdout) == (0, ""), result


def test_a_quote_not_found_in_the_brief_names_the_closest_passage(with_brief):
    result = with_brief(quoted("Universal fora are essential for legitimacy"))
    assert result.returncode == 1
    assert result.lines == [
        f"{XP}:14:15: error: 'addresses[0].evidence': quote not found in 'brief'; "
        "the closest passage is \"Universal fora are indispensable for legitimacy, says the Committee.\""
    ]


def test_an_ellipsis_does_not_allow_parts_out_of_order(with_brief):
    result = with_brief(quoted("for legitimacy \u2026 Universal fora"))
    assert result.returncode == 1
    assert result.lines[0].startswith(f"{XP}:14:15: error: 'addresses[0].evidence': quote not found in 'brief'; the closest passage is ")


def test_a_case_quote_is_checked_too(with_brief):
    text = forum_x('illustrates:\n  - gap: dialogue\n    note: A case.\n    evidence: "outputs have clear pathways"\n    source: brief\n', X_BRIEF)
    result = with_brief(text)
    assert result.lines == [
        f"{XP}:13:15: error: 'illustrates[0].evidence': quote not found in 'brief'; the closest passage is "
        "\"Such outputs do not have clear pathways to dock themselves into universal diplomatic processes.\""
    ]


def test_a_fact_check_claim_is_checked_against_the_brief(with_brief):
    good = forum_x("fact_checks:\n  - claim: \"can offer discretion and speed\"\n    finding: The sources agree.\n", X_BRIEF)
    result = with_brief(good, "--strict")
    assert (result.returncode, result.stdout) == (0, ""), result
    bad = forum_x("fact_checks:\n  - claim: \"can offer secrecy\"\n    finding: The sources agree.\n", X_BRIEF)
    result = with_brief(bad)
    assert result.returncode == 1
    assert result.lines == [
        f"{XP}:11:12: error: 'fact_checks[0].claim': quote not found in 'brief'; the closest passage is "
        "\"Small groups - \"minilateral\" ones - can offer discretion and speed.\""
    ]


def test_quotes_from_a_web_source_are_not_checked(with_brief):
    text = forum_x(claim("level: partial", "basis: named", 'evidence: "Words the brief does not have."', f"source: {BRIEF_URL}"))
    result = with_brief(text, "--strict")
    assert (result.returncode, result.stdout) == (0, ""), result


def test_the_document_functions():
    brief = Document.from_markdown("brief", BRIEF)
    assert brief.contains("indispensable for legitimacy, says the Committee.")
    assert brief.contains("\u201cminilateral\u201d ones \u2026 speed")
    assert not brief.contains("")
    assert not brief.contains("\u2026")
    assert not brief.contains("minilateral ones [sic]")  # [sic] is not in the normalised text
    assert brief.closest("Small groups offer discretion") == "Small groups - \"minilateral\" ones - can offer discretion and speed."


# --- the source policy ------------------------------------------------------------------

REJECTED_URLS = [
    ("https://wiki3.en-us.nina.az/Inter-Agency_Space_Debris_Coordination_Committee.html", "a copy of Wikipedia"),
    ("https://library.kiwix.org/content/wikipedia_en_all/A/COPUOS", "a copy of Wikipedia"),
    ("https://speed.lescigales.org/wiki/Outer_space", "a proxy"),
    ("https://en-wikipedia-org.translate.goog/wiki/COPUOS", "a proxy"),
    ("https://docslib.org/doc/123/space-debris", "a copy of a document scraped from elsewhere"),
    ("https://houstonareamun.org/wp-content/uploads/copuos.pdf", "a Model United Nations club page"),
    ("https://www.examplemun.org/committees/copuos", "a Model United Nations club page"),
    ("https://acronyms.thefreedictionary.com/COPUOS", "a dictionary"),
]


@pytest.mark.parametrize(("url", "what"), REJECTED_URLS, ids=[w for _, w in REJECTED_URLS])
def test_a_source_on_a_rejected_host(errors, url, what):
    assert errors({X: forum_x(replace={f"url: {BRIEF_URL}": f"url: {url}"})}) == [
        f"{XP}:7:10: error: 'sources[0].url' is on a host never accepted as a source ({what}): {url}; {ORIGINAL_HINT}"
    ]


@pytest.mark.parametrize(("url", "what"), REJECTED_URLS[::2])
def test_a_history_source_on_a_rejected_host(errors, url, what):
    text = forum_x(f"history:\n  - date: 1959\n    event: Founded.\n    source: {url}\n")
    assert errors({X: text}) == [
        f"{XP}:13:13: error: 'history[0].source' is on a host never accepted as a source ({what}): {url}; {ORIGINAL_HINT}"
    ]


@pytest.mark.parametrize("url", [
    "https://en.wikipedia.org/wiki/COPUOS", "https://www.unoosa.org/", "https://www.esa.int/", "https://www.wikidata.org/wiki/Q1",
    "https://community.example.org/", "https://munich.example.org/",
])
def test_hosts_that_are_not_rejected(url):
    assert rejected(url) is None


def test_wikipedia_as_the_only_web_source_is_a_warning(check):
    url = "https://fr.wikipedia.org/wiki/COPUOS"
    result = check({X: forum_x(replace={f"url: {BRIEF_URL}": f"url: {url}"})})
    assert (result.returncode, result.stdout) == (0, "")
    assert (
        f"{XP}:7:10: warning: 'sources[0].url' is on Wikipedia, and the entry cites no other web source; "
        "Wikipedia may not be the only support: add the original beside it"
    ) in result.stderr.splitlines()
    strict = check({X: forum_x(replace={f"url: {BRIEF_URL}": f"url: {url}"})}, "--strict")
    assert strict.returncode == 1
    assert strict.lines == [
        f"{XP}:7:10: error: 'sources[0].url' is on Wikipedia, and the entry cites no other web source; "
        "Wikipedia may not be the only support: add the original beside it"
    ]


def test_wikipedia_beside_another_web_source_is_fine(check):
    beside = "  - title: COPUOS on Wikipedia\n    url: https://en.wikipedia.org/wiki/COPUOS\n    accessed: 2026-01-10\n"
    text = forum_x(replace={"last_reviewed: 2026-01-15\n": beside + "last_reviewed: 2026-01-15\n"})
    result = check({X: text}, "--strict")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "5 entries are valid\n"), result


# --- facts and the sources that support them --------------------------------------------


def test_supports_a_field_the_kind_does_not_have(errors):
    text = forum_x(replace={"    accessed: 2026-01-10\n": "    accessed: 2026-01-10\n    supports: [status]\n"})
    assert errors({X: text}) == [f"{XP}:9:16: error: 'sources[0].supports[0]' is 'status', which forum entries do not have; remove it"]


def test_supports_a_fact_the_entry_lacks(errors):
    text = forum_x(replace={"    accessed: 2026-01-10\n": "    accessed: 2026-01-10\n    supports: [seat]\n"})
    assert errors({X: text}) == [f"{XP}:9:16: error: 'sources[0].supports[0]' is 'seat', but the entry gives no seat; remove it, or add the fact"]


def test_supports_only_facts(errors):
    text = forum_x(replace={"    accessed: 2026-01-10\n": "    accessed: 2026-01-10\n    supports: [website]\n"})
    [line] = errors({X: text})
    assert line.startswith(
        f"{XP}:9:16: error: 'sources[0].supports[0]' must be one of "
        "acronym, type, pathway, status, led_by, established, started, seat, membership, but is 'website'"
    )


def test_a_fact_no_source_supports_is_a_warning_and_strict_fails(check):
    result = check({X: forum_x("seat: Vienna\n")})
    message = "'seat' is shown as a fact, but no source supports it; add 'seat' to 'supports' of the source that states it, or remove the fact"
    assert (result.returncode, result.stdout) == (0, "")
    assert f"{XP}:10:7: warning: {message}" in result.stderr.splitlines()
    strict = check({X: forum_x("seat: Vienna\n")}, "--strict")
    assert (strict.returncode, strict.lines) == (1, [f"{XP}:10:7: error: {message}"])
    supported = forum_x("seat: Vienna\n", {"    accessed: 2026-01-10\n": "    accessed: 2026-01-10\n    supports: [seat]\n"})
    assert check({X: supported}, "--strict").returncode == 0


def test_the_facts_box_links_each_fact_to_its_sources(small_fixture):
    pages = render_pages(build_atlas(small_fixture))
    html = markdown.markdown(pages["forums/alpha-forum.md"].markdown, extensions=["tables"])
    facts = next(t for t in parse(html).tables if "atlas-facts" in t.cls)
    rows = {r[0]: r[1] for r in facts.rows}
    for label in ("Acronym", "Pathway", "Established", "Seat", "Membership"):  # supports of source 2
        assert rows[label].endswith(" [2]"), (label, rows[label])
    assert "[" not in rows["Website"]  # a website needs no support
    page = pages["forums/alpha-forum.md"].markdown
    assert 'Vienna, Austria <a class="atlas-ref" href="#source-2">[2]</a>' in page
    assert '<li id="source-2">' in page


# --- the same claim on an initiative and the forum that leads it -------------------------

GAMMA = "initiatives/gamma-guidelines.yaml"


def gamma_claiming(evidence: str) -> str:
    return dedent(VALID_ATLAS[GAMMA]).replace(
        "related: [alpha-forum]\n",
        "related: [alpha-forum]\naddresses:\n  - gap: dialogue\n    level: partial\n    basis: named\n"
        f'    evidence: "{evidence}"\n    source: https://example.org/brief\n',
    ).replace("sources:\n", "sources:\n  - title: Example brief\n    url: https://example.org/brief\n    accessed: 2026-01-10\n")


def test_an_initiative_repeating_its_leaders_claim(check):
    result = check({GAMMA: gamma_claiming("Universal fora are indispensable.")})
    message = (
        "'addresses[0]' claims 'dialogue' with the same evidence as alpha-forum (entries/forums/alpha-forum.yaml), which leads it;"
        " the claim is counted twice: keep it on the entry the source says it of"
    )
    assert (result.returncode, result.stdout) == (0, "")
    assert f"entries/{GAMMA}:10:5: warning: {message}" in result.stderr.splitlines()
    assert check({GAMMA: gamma_claiming("Universal fora are indispensable.")}, "--strict").lines == [f"entries/{GAMMA}:10:5: error: {message}"]


def test_an_initiative_with_its_own_evidence(check):
    result = check({GAMMA: gamma_claiming("The guidelines foster dialogue.")}, "--strict")
    assert (result.returncode, result.stdout) == (0, ""), result


# --- pages: named, by category, and cases, apart -----------------------------------------


@pytest.fixture(scope="module")
def evidence_pages():
    return render_pages(build_atlas(EVIDENCE))


def test_golden_gap_page(evidence_pages):
    page = evidence_pages["gaps/docking.md"].markdown
    golden = GOLDEN / "docking.md"
    if os.environ.get("ATLAS_UPDATE_GOLDEN") == "1":
        golden.write_text(page, encoding="utf-8")
    assert page == golden.read_text(encoding="utf-8")


def test_the_gap_page_shows_named_category_and_cases_apart(evidence_pages):
    page = evidence_pages["gaps/docking.md"].markdown
    coverage, _, cases = page.partition("## Cases of this gap")
    cases = cases.partition("\n## ")[0]  # to the next section (the relations list names every claimant)
    assert f"<p>{counted_markup(1, 1)} claims.</p>" in coverage
    assert '<dl class="atlas-legend">' in coverage and str(NAMED_ONLY) in coverage
    assert '<tr id="claim-named-forum" class="atlas-claim--named"><td data-label="Who"><a href="../../forums/named-forum/">' in coverage
    assert '<tr id="claim-group-forum" class="atlas-claim--category"><td data-label="Who"><a href="../../forums/group-forum/">' in coverage
    assert '<span aria-hidden="true">◆</span> named</span>' in coverage
    assert '<span aria-hidden="true">◇</span> by category</span>: <q>Bridging institutions</q>' in coverage
    assert "case-forum" not in coverage  # a case is never shown as coverage
    assert "they are not counted as coverage" in cases
    assert '<a href="../../forums/case-forum/">Case Forum</a>' in cases
    assert "named-forum" not in cases and "group-forum" not in cases
    html = markdown.markdown(page, extensions=["tables"])
    text = parse(html).text
    assert "Show named claims only" in text


def counted_markup(named: int, category: int) -> str:
    return f'<span class="atlas-when-all">{named} named · {category} by category</span><span class="atlas-when-named">{named} named</span>'


def test_cases_are_not_counted(evidence_pages):
    index = parse(markdown.markdown(evidence_pages["coverage/index.md"].markdown, extensions=["tables"])).tables
    rows = {r[0]: r for t in index for r in t.rows}
    assert rows["Docking gap"] == ["Docking gap", counted(1), "0", counted(0, 1), counted(1, 1)]
    matrix = parse(markdown.markdown(evidence_pages["coverage/matrix.md"].markdown, extensions=["tables"])).tables
    rows = {r[0]: r for t in matrix for r in t.rows}
    assert rows["Claims per gap"] == ["Claims per gap", counted(1, 1)]
    assert rows["Case Forum"] == ["Case Forum", ""]  # its case leaves its cell blank
    assert rows["Named Forum (NF)"] == ["Named Forum (NF)", "●●● strong ◆"]
    assert rows["Group Forum"] == ["Group Forum", "●○○ emerging ◇"]
    matrix_md = evidence_pages["coverage/matrix.md"].markdown
    assert 'role="img" aria-label="named"' in matrix_md and 'role="img" aria-label="by category"' in matrix_md
    gaps = {r[0]: r for t in parse(markdown.markdown(evidence_pages["gaps/index.md"].markdown, extensions=["tables"])).tables for r in t.rows}
    assert gaps["Docking gap"][-1] == counted(1, 1)


def test_an_entry_that_is_a_case_says_so(evidence_pages):
    page = evidence_pages["forums/case-forum.md"].markdown
    assert "## A case of" in page
    assert '<p class="atlas-no-claim">The atlas records no claim that Case Forum addresses a gap.</p>' in page
    assert "<p>The brief gives its outputs as a case of the docking gap, not a remedy for it.</p>" in page


def test_an_entry_with_no_claim_shows_its_coverage_note(evidence_pages):
    page = evidence_pages["initiatives/quiet-initiative.md"].markdown
    assert (
        '## Gaps addressed\n\n<p class="atlas-no-claim">The atlas records no claim that Quiet Initiative addresses a gap.</p>\n'
        '<div class="atlas-coverage-note"><p>The brief mentions it as "a standing dialogue" and says nothing of a gap it fills.</p></div>\n'
    ) in page
    assert "## A case of" not in page


def test_an_entry_with_claims_shows_basis(evidence_pages):
    page = evidence_pages["forums/group-forum.md"].markdown
    table = next(t for t in parse(markdown.markdown(page, extensions=["tables"])).tables if t.rows[0][0] == "Gap")
    assert table.rows[0] == ["Gap", "Level", "Basis", "Why this level", "Evidence"]
    assert table.rows[1][2] == "◇ by category: Bridging institutions [2]"
    assert "atlas-no-claim" not in page


# --- the source policy documented where contributors read it -----------------------------


def test_the_methodology_page_shows_the_source_policy(small_fixture):
    text = (REPO_ROOT / "content" / "methodology.md").read_text(encoding="utf-8")
    assert "<!-- atlas:source-policy -->" in text
    filled = fill_placeholders(text, build_atlas(small_fixture), here="methodology.md")
    assert "atlas:source-policy" not in filled
    assert source_policy_table() in filled
    rows = next(t.rows for t in parse(markdown.markdown(filled, extensions=["tables"])).tables if t.rows[0][0] == "Host")
    assert rows[0] == ["Host", "Rule", "Domains"]
    shown = {r[0]: r[2] for r in rows[1:]}
    for rule in REJECTED:
        assert rule.what in shown, rule.what
        for domain in rule.domains:
            assert domain in shown[rule.what].split(", ") or f"{domain} and the like" in shown[rule.what], domain
    assert "wikipedia.org" in shown["Wikipedia"]


def test_contributing_names_every_rejected_domain():
    text = (REPO_ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    missing = [d for rule in REJECTED for d in rule.domains if f"`{d}`" not in text]
    assert missing == []
    assert "`wikipedia.org`" in text


# --- the JSON Schema --------------------------------------------------------------------


def test_the_schema_requires_basis_and_knows_the_new_fields(run_cli, tmp_path):
    code, stdout, stderr = run_cli("schema", "--out", str(tmp_path))
    assert code == 0, stdout + stderr
    for kind in ("forum", "initiative"):
        schema = json.loads((tmp_path / f"{kind}.schema.json").read_text(encoding="utf-8"))
        props = schema["properties"]
        item = props["addresses"]["items"]
        assert {"gap", "level", "basis", "evidence", "source"} <= set(item["required"])
        assert item["properties"]["basis"]["enum"] == ["named", "category"] == list(BASES)
        assert {"category", "category_source"} <= set(item["properties"])
        case_item = props["illustrates"]["items"]
        assert set(case_item["required"]) == {"gap", "note", "evidence", "source"}
        assert props["coverage_note"]["type"] == "string"
        supports = props["sources"]["items"]["properties"]["supports"]
        assert supports["type"] == "array"
        assert set(supports["items"]["enum"]) == {"acronym", "type", "pathway", "status", "led_by", "established", "started", "seat", "membership"}
    gap = json.loads((tmp_path / "gap.schema.json").read_text(encoding="utf-8"))
    assert not {"addresses", "illustrates", "coverage_note"} & set(gap["properties"])
    assert "supports" in gap["properties"]["sources"]["items"]["properties"]
    assert set(KINDS) == {"forum", "gap", "initiative", "pathway", "topic"}


def test_every_rejected_rule_has_a_name_and_a_domain():
    assert all(rule.what and rule.domains for rule in REJECTED)
    assert re.fullmatch(r"[a-z0-9.-]+", " ".join(d for r in REJECTED for d in r.domains).replace(" ", "")) is not None
