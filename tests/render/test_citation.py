"""Cite this entry: the BibTeX, RIS and CSL-JSON downloads parse, by a parser or the CSL schema, whatever the entry's name."""

from __future__ import annotations

import json

import bibtexparser
import jsonschema
import pytest
import rispy
from conftest import HOSTILE, REPO_ROOT, SITE_URL

from generator.pipeline import build_atlas
from generator.render.citation import Citation, citation_file

CSL_SCHEMA = json.loads((REPO_ROOT / "tests" / "citation_schemas" / "csl-data.json").read_text(encoding="utf-8"))
SITE = "https://atlas.example.org/"
TRICKY = {
    "forums/tricky.yaml": """\
        id: tricky
        kind: forum
        name: "Braces } {and} \\\\end{document} 50% & #1 $x$ ~ ^ _ Café “quoted”"
        summary: A forum with a name that LaTeX would read as commands.
        pathway: universal
        sources:
          - title: Example brief
            url: https://example.org/brief
            accessed: 2026-01-10
            supports: [pathway]
        last_reviewed: 2026-01-15
        """,
}


@pytest.fixture
def citations(make_entries) -> dict[str, Citation]:
    atlas = build_atlas(make_entries({**HOSTILE, **TRICKY}))
    return {e.id: Citation(e, "2026-01-20", SITE) for e in atlas.entries.values()}


def test_bibtex_parses_to_the_entry_s_own_title(citations: dict[str, Citation]) -> None:
    from pylatexenc.latex2text import LatexNodes2Text

    for entry_id, citation in citations.items():
        library = bibtexparser.parse_string(citation.bibtex())
        assert not library.failed_blocks, (entry_id, citation.bibtex())
        [parsed] = library.entries
        assert parsed.key == f"sga-{entry_id}" and parsed.entry_type == "misc"
        fields = parsed.fields_dict
        latex = fields["title"].value.replace(r"\textless", "<").replace(r"\textgreater", ">")  # macros latex2text does not know
        read = LatexNodes2Text().latex_to_text(latex).replace("\u02c6", "^")  # it reads \\textasciicircum as the modifier letter
        assert read == citation.title
        assert fields["url"].value == f"{SITE}{citation.entry.kind}s/{entry_id}/"
        assert fields["year"].value == "2026"


def test_ris_parses_with_its_title_url_and_date(citations: dict[str, Citation]) -> None:
    for citation in citations.values():
        [record] = rispy.loads(citation.ris())
        assert record["type_of_reference"] == "ELEC"
        assert record["title"] == citation.title
        assert record["urls"] == [citation.url]
        assert record["date"] == "2026/01/20"
        assert record["authors"] == ["Space Governance Atlas"]
        assert citation.ris().startswith("TY  - ELEC\n") and citation.ris().rstrip().endswith("ER  -")


def test_csl_json_is_valid_against_the_csl_schema(citations: dict[str, Citation]) -> None:
    for citation in citations.values():
        data = json.loads(citation.csl())
        jsonschema.validate(data, CSL_SCHEMA)
        assert data[0]["title"] == citation.title and data[0]["URL"] == citation.url
        assert data[0]["issued"] == {"date-parts": [[2026, 1, 20]]}


def test_the_citation_names_entry_atlas_edition_review_date_and_address(citations: dict[str, Citation]) -> None:
    text = citations["alpha-forum"].text()
    assert text == (
        "Space Governance Atlas. “Alpha Forum”. Space Governance Atlas, edition of 2026-01-20; "
        "entry last reviewed 2026-01-15. https://atlas.example.org/forums/alpha-forum/"
    )
    assert citations["alpha-forum"].files().keys() == {citation_file(citations["alpha-forum"].entry, s) for s in ("bib", "ris", "json")}


def test_without_an_address_a_citation_leaves_the_url_out(make_entries) -> None:
    atlas = build_atlas(make_entries())
    citation = Citation(atlas.entries["alpha-forum"], "2026-01-20", None)
    assert "http" not in citation.text() and "url" not in citation.bibtex()
    jsonschema.validate(json.loads(citation.csl()), CSL_SCHEMA)
    assert ("citation_public_url", citation.url) not in citation.meta()



def test_the_repository_s_citation_file_is_valid_cff_and_names_the_site() -> None:
    import yaml

    schema = json.loads((REPO_ROOT / "tests" / "citation_schemas" / "cff-1.2.0.json").read_text(encoding="utf-8"))
    cff = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.validate(cff, schema)
    assert cff["url"] == SITE_URL and cff["title"] == "Space Governance Atlas"


def test_plain_text_skips_the_latex_encoder_with_the_same_result() -> None:
    from generator.render.citation import _LATEX, _PLAIN, latex

    plain = "".join(chr(c) for c in range(32, 127) if _PLAIN.fullmatch(chr(c)))
    assert set("az AZ 09,.;:()/'-") <= set(plain)
    for char in plain:
        assert _LATEX.unicode_to_latex(char) == char, repr(char)
    for text in ("Edition of 2026-12-04; entry last reviewed 2026-11-20", "Inter-Agency (IADC)", "50% & {x}_y", "Café"):
        assert latex(text) == _LATEX.unicode_to_latex(text)
