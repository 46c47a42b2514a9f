"""The one declaration of the entry kinds and their fields.

Validation, the JSON Schemas, the field reference page and the skeletons of
``new`` are all derived from :data:`KINDS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.fields import (
    Choice,
    Date,
    Field,
    Integer,
    ListOf,
    LooseDate,
    Markdown,
    Record,
    Ref,
    Slug,
    Text,
    Url,
    Year,
)
from generator.model import Claim, Entry, FactCheck, HistoryEvent, Membership, Source

LEVELS = ("strong", "partial", "emerging")
LEVEL_MEANINGS = {
    "strong": "filling the gap is part of its core function today",
    "partial": "it fills the gap in part, for some actors, or some of the time",
    "emerging": "it could, or is starting to",
}
STATUSES = ("proposed", "adopted", "in-force", "ongoing", "concluded")

SOURCE = Record(
    "a source",
    (
        Field("title", Text(), "Title of the page or document", required=True, example="COPUOS: overview"),
        Field("url", Url(), "Web address (http or https) of the page", example="https://www.unoosa.org/oosa/en/ourwork/copuos/index.html"),
        Field("document", Ref("document"), "Name of a document shipped with the atlas (a page in content/), instead of a url", example="brief"),
        Field("publisher", Text(), "Who published it", example="United Nations Office for Outer Space Affairs"),
        Field("date", LooseDate(), "When it was published", example="2025-06-25"),
        Field("accessed", Date(), "When the page was last read", example="2026-11-26"),
    ),
    Source,
    one_of=("url", "document"),
)

CLAIM = Record(
    "a coverage claim",
    (
        Field("gap", Ref("gap"), "Id of the gap addressed", required=True, example="docking-gap"),
        Field("level", Choice(*LEVELS), "How strongly: " + "; ".join(f"{k}: {v}" for k, v in LEVEL_MEANINGS.items()), required=True, example="partial"),
        Field("note", Markdown(one_paragraph=True, max_length=2000), "Why this level, in one neutral sentence", example="Its guidelines were later adopted by COPUOS."),
        Field("evidence", Text(multiline=True, max_length=2000), "Quote from the brief or a cited source that supports the claim", required=True, example="shaping debris mitigation guidelines"),
        Field("source", Text(), "Where the evidence comes from: 'brief' or a URL listed under sources", example="brief"),
    ),
    Claim,
)

HISTORY = Record(
    "a history event",
    (
        Field("date", LooseDate(), "When it happened", required=True, example="1959-12-12"),
        Field("event", Text(max_length=1000), "What happened, in one sentence", required=True, example="Established as a permanent committee."),
        Field("source", Url(), "Web address of a source for the event", example="https://www.unoosa.org/"),
    ),
    HistoryEvent,
)

MEMBERSHIP = Record(
    "membership",
    (
        Field("count", Integer(0), "Number of members", required=True, example=104),
        Field("as_of", Date(), "Date the count was true", example="2025-06-25"),
        Field("note", Text(max_length=100), "What the members are", example="Member States"),
    ),
    Membership,
)

FACT_CHECK = Record(
    "a fact check",
    (
        Field("claim", Text(multiline=True, max_length=2000), "The brief's words being checked", required=True, example="a three-fold increase"),
        Field("finding", Markdown(max_length=4000), "What the checked sources say", required=True, example="The sources report a tenfold increase."),
        Field("source", Text(), "'brief' or a URL listed under sources", example="https://www.example.org/"),
    ),
    FactCheck,
)

COMMON = (
    Field("id", Slug(), "Unique id; equals the file name without .yaml", required=True, example="space-data-association"),
    Field("kind", Choice("forum", "gap", "initiative", "pathway"), "Kind of entry; equals the folder it sits in", required=True, example="forum"),
    Field("name", Text(max_length=300), "Full name", required=True, example="Space Data Association"),
    Field("acronym", Text(max_length=40), "Short name or acronym", example="SDA"),
    Field("summary", Markdown(one_paragraph=True, max_length=3000), "What it is, in one paragraph", required=True, example="A not-for-profit association of satellite operators."),
    Field("description", Markdown(), "Longer description (Markdown)", example="It runs a data centre for conjunction analysis."),
    Field("related", ListOf(Ref("forum", "gap", "initiative", "pathway"), unique=True), "Ids of closely related entries", example=["iadc"]),
    Field("sources", ListOf(SOURCE, min_items=1), "Sources of the facts given (at least one)", required=True),
    Field("last_reviewed", Date(), "When the entry was last checked against its sources", required=True, example="2026-11-26"),
    Field("aliases", ListOf(Slug(), unique=True), "Former ids of this entry; their pages redirect here", example=["old-id"]),
    Field("history", ListOf(HISTORY), "Dated events"),
    Field("fact_checks", ListOf(FACT_CHECK), "Where checked sources disagree with, or cannot confirm, the brief"),
)

ADDRESSES = Field("addresses", ListOf(CLAIM), "Gaps this entry addresses, with level and evidence")
PATHWAY = Field("pathway", Ref("pathway"), "Id of the pathway it belongs to", example="de-facto-operational-norms")
WEBSITE = Field("website", Url(), "Official website", example="https://www.space-data.org/")
TYPE = Field("type", Text(max_length=200), "What sort of body or instrument it is", example="industry association")


@dataclass(frozen=True)
class Kind:
    """An entry kind: its name, folder, and fields."""

    name: str
    title: str
    description: str
    record: Record

    @property
    def folder(self) -> str:
        """The folder under entries/ that holds this kind: the plural."""
        return f"{self.name}s"


def _kind(name: str, title: str, description: str, specific: tuple[Field, ...]) -> Kind:
    return Kind(name, title, description, Record(f"a {name} entry", COMMON + specific, Entry))


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        _kind(
            "forum",
            "Forums",
            "A body where space governance is made or discussed.",
            (
                TYPE,
                PATHWAY,
                Field("established", Year(), "Year it was founded", example=2009),
                Field("seat", Text(max_length=200), "Where it is based", example="Isle of Man"),
                Field("membership", MEMBERSHIP, "How many members it has"),
                WEBSITE,
                ADDRESSES,
            ),
        ),
        _kind("gap", "Gaps", "A function that governance falls short of.", ()),
        _kind(
            "initiative",
            "Initiatives",
            "An instrument, programme, agreement or event that acts on governance.",
            (
                TYPE,
                PATHWAY,
                Field("status", Choice(*STATUSES), "Where it stands", example="ongoing"),
                Field("led_by", ListOf(Ref("forum"), unique=True), "Ids of the forums that lead it", example=["esa"]),
                Field("started", LooseDate(), "When it started", example=2023),
                WEBSITE,
                ADDRESSES,
            ),
        ),
        _kind("pathway", "Pathways", "A route by which governance is made.", ()),
    )
}

KIND_BY_FOLDER = {kind.folder: kind for kind in KINDS.values()}
