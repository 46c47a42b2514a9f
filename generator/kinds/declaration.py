"""The one declaration of the entry kinds and their fields.

Validation, the JSON Schemas, the field reference page, the skeletons of ``new``,
the issue form, the facts box, the kind indexes and the CSV exports are all
derived from :data:`KINDS`. To add a field to a kind, declare it in the kind's
fields below (with ``fact=`` to show it in the facts box, a source saying it
supports it, and then in :data:`FACTS` too); name it in the kind's
``index_columns`` or ``csv_columns`` to give it a column there. The typed
entries in :mod:`generator.kinds.model` follow the declaration: a test says
what to add to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.kinds.fields import (
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
from generator.kinds.model import Case, Claim, Entry, FactCheck, HistoryEvent, Membership, Source, TopicTag

LEVELS = ("strong", "partial", "emerging")
# Ids no entry may take, and what each is kept for ({kind}: the entry's kind).
RESERVED_IDS = {
    "index": "the page listing every {kind}",  # <kind>s/index.md
    "no-topic": "the timeline's filter of the events of entries with no topic",
}
LEVEL_MEANINGS = {
    "strong": "filling the gap is part of its core function today",
    "partial": "it fills the gap in part, for some actors, or some of the time",
    "emerging": "it could, or is starting to",
}
BASES = ("named", "category")
BASIS_MEANINGS = {
    "named": "the cited passage says it of this entry, by name, acronym or an unambiguous reference",
    "category": "the passage says it of a group, and a source of the entry shows it belongs to that group; never above emerging",
}
STATUSES = ("proposed", "adopted", "in-force", "ongoing", "concluded")

MEMBERSHIP = Record(
    "membership",
    (
        Field("count", Integer(0), "Number of members", required=True, example=104),
        Field("as_of", Date(), "Date the count was true", example="2025-06-25"),
        Field("note", Text(max_length=100), "What the members are", example="Member States"),
    ),
    Membership,
)

# The facts: fields shown in an entry's facts box (the type beside its kind, under its name),
# each of which a source must say it supports.
ACRONYM = Field("acronym", Text(max_length=40), "Short name or acronym", example="SDA", fact="Acronym")
TYPE = Field("type", Text(max_length=200), "What sort of body or instrument it is", example="industry association", fact="Type", in_facts_box=False)
PATHWAY = Field("pathway", Ref("pathway"), "Id of the pathway it belongs to", example="de-facto-operational-norms", fact="Pathway")
STATUS = Field("status", Choice(*STATUSES), "Where it stands", example="ongoing", fact="Status")
LED_BY = Field("led_by", ListOf(Ref("forum"), unique=True), "Ids of the forums that lead it", example=["esa"], fact="Led by")
ESTABLISHED = Field("established", Year(), "Year it was founded", example=2009, fact="Established")
STARTED = Field("started", LooseDate(), "When it started", example=2023, fact="Started")
SEAT = Field("seat", Text(max_length=200), "Where it is based", example="Isle of Man", fact="Seat")
MEMBERSHIP_FIELD = Field("membership", MEMBERSHIP, "How many members it has", fact="Membership")
FACTS = (ACRONYM, TYPE, PATHWAY, STATUS, LED_BY, ESTABLISHED, STARTED, SEAT, MEMBERSHIP_FIELD)  # in the order sources name them
FACT_NAMES = tuple(f.name for f in FACTS)

SOURCE = Record(
    "a source",
    (
        Field("title", Text(), "Title of the page or document", required=True, example="COPUOS: overview", hint="title of the page"),
        Field("url", Url(), "Web address (http or https) of the page", example="https://www.unoosa.org/oosa/en/ourwork/copuos/index.html"),
        Field("document", Ref("document"), "Name of a document shipped with the atlas (a page in content/), instead of a url", example="brief"),
        Field("publisher", Text(), "Who published it", example="United Nations Office for Outer Space Affairs"),
        Field("date", LooseDate(), "When it was published", example="2025-06-25"),
        Field("accessed", Date(), "When the page was last read", example="2026-11-26"),
        Field("supports", ListOf(Choice(*FACT_NAMES), unique=True), "The facts of the entry this source states", example=["established", "seat"]),
    ),
    Source,
    one_of=("url", "document"),
    one_of_hint="http(s) address, or `document: NAME` for a page of the atlas",
)

#: The `source` of every quoted piece of evidence: claims, cases and topic tags.
EVIDENCE_SOURCE = Field(
    "source", Text(), "Where the evidence comes from: a document listed under sources (like 'brief') or the URL of one", required=True, example="brief"
)

CLAIM = Record(
    "a coverage claim",
    (
        Field("gap", Ref("gap"), "Id of the gap addressed", required=True, example="docking-gap"),
        Field("level", Choice(*LEVELS), "How strongly: " + "; ".join(f"{k}: {v}" for k, v in LEVEL_MEANINGS.items()), required=True, example="partial"),
        Field(
            "basis",
            Choice(*BASES),
            "Who the source says it of: named (this entry) or category (a group it belongs to; never above emerging)",
            required=True,
            example="named",
        ),
        Field(
            "note",
            Markdown(one_paragraph=True, max_length=2000),
            "Why this level, in one neutral sentence",
            example="Its guidelines were later adopted by COPUOS.",
        ),
        Field(
            "evidence",
            Text(multiline=True, max_length=2000),
            "Verbatim quote from the source that supports the claim ('…' skips words)",
            required=True,
            example="shaping debris mitigation guidelines",
        ),
        EVIDENCE_SOURCE,
        Field(
            "category",
            Text(max_length=300),
            "With basis category: the group the passage speaks of, in the evidence's words",
            example="institutions operating outside formal diplomatic mandates",
        ),
        Field(
            "category_source",
            Text(),
            "With basis category: the source (document or URL listed under sources) that shows the entry belongs to the group",
            example="https://www.swp-berlin.org/en/about-swp",
        ),
    ),
    Claim,
)

CASE = Record(
    "a case of a gap",
    (
        Field("gap", Ref("gap"), "Id of the gap it is a case of", required=True, example="docking-gap"),
        Field(
            "note",
            Markdown(one_paragraph=True, max_length=2000),
            "How it is a case of the gap, in one neutral sentence",
            required=True,
            example="Its outputs have no clear route into the UN.",
        ),
        Field(
            "evidence",
            Text(multiline=True, max_length=2000),
            "Verbatim quote from the source that presents it as such a case",
            required=True,
            example="these outputs do not have clear pathways",
        ),
        EVIDENCE_SOURCE,
    ),
    Case,
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

FACT_CHECK = Record(
    "a fact check",
    (
        Field("claim", Text(multiline=True, max_length=2000), "The brief's words being checked", required=True, example="a three-fold increase"),
        Field("finding", Markdown(max_length=4000), "What the checked sources say", required=True, example="The sources report a tenfold increase."),
        Field("source", Text(), "'brief' or a URL listed under sources", example="https://www.example.org/"),
    ),
    FactCheck,
)

TOPIC_TAG = Record(
    "a topic tag",
    (
        Field("topic", Ref("topic"), "Id of the topic", required=True, example="space-debris"),
        Field(
            "evidence",
            Text(multiline=True, max_length=2000),
            "Verbatim quote from the source that says the entry deals with the topic ('…' skips words)",
            required=True,
            example="shaping debris mitigation guidelines",
        ),
        EVIDENCE_SOURCE,
    ),
    TopicTag,
)

COMMON = (
    Field("id", Slug(), "Unique id; equals the file name without .yaml", required=True, example="space-data-association"),
    Field("kind", Choice("forum", "gap", "initiative", "pathway", "topic"), "Kind of entry; equals the folder it sits in", required=True, example="forum"),
    Field("name", Text(max_length=300), "Full name", required=True, example="Space Data Association"),
    ACRONYM,
    Field(
        "summary",
        Markdown(one_paragraph=True, max_length=3000),
        "What it is, in one paragraph",
        required=True,
        example="A not-for-profit association of satellite operators.",
    ),
    Field("description", Markdown(), "Longer description (Markdown)", example="It runs a data centre for conjunction analysis."),
    Field("related", ListOf(Ref("forum", "gap", "initiative", "pathway", "topic"), unique=True), "Ids of closely related entries", example=["iadc"]),
    Field("sources", ListOf(SOURCE, min_items=1), "Sources of the facts given (at least one)", required=True),
    Field("last_reviewed", Date(), "When the entry was last checked against its sources", required=True, example="2026-11-26"),
    Field("aliases", ListOf(Slug(), unique=True), "Former ids of this entry; their pages redirect here", example=["old-id"]),
    Field("history", ListOf(HISTORY), "Dated events"),
    Field("fact_checks", ListOf(FACT_CHECK), "Where checked sources disagree with, or cannot confirm, the brief"),
)

ADDRESSES = Field("addresses", ListOf(CLAIM), "Gaps this entry addresses, with level, basis and evidence")
ILLUSTRATES = Field("illustrates", ListOf(CASE), "Gaps a source gives this entry as a case of (never counted as coverage)")
COVERAGE_NOTE = Field(
    "coverage_note",
    Markdown(one_paragraph=True, max_length=2000),
    "With no claim: what the sources say of its role, and why the atlas records no claim",
    example="The brief presents it as the universal anchor whose constraints the gaps describe.",
)
TOPICS = Field("topics", ListOf(TOPIC_TAG), "Topics its sources say it deals with, each with the quote that says so")
SYNONYMS = Field(
    "synonyms", ListOf(Text(max_length=80), unique=True), "Other names and acronyms readers search for", example=["ASAT", "anti-satellite weapons"]
)
WEBSITE = Field("website", Url(), "Official website", example="https://www.space-data.org/", in_facts_box=True)
ACTOR = (TOPICS, ADDRESSES, ILLUSTRATES, COVERAGE_NOTE)


# Columns the atlas computes rather than reads from one field: what they show is in
# generator/render/list_pages.py (index columns, named by their label) and in
# generator/exports.py (CSV columns).
GAPS_ADDRESSED_COLUMN = "Gaps addressed"
CLAIMS_COLUMN = "Claims"
MEMBERS_COLUMN = "Members"
TAGGED_COLUMN = "Forums and initiatives"
COMPUTED_INDEX_COLUMNS = (GAPS_ADDRESSED_COLUMN, CLAIMS_COLUMN, MEMBERS_COLUMN, TAGGED_COLUMN)
COMPUTED_CSV_COLUMNS = ("gaps_addressed", "gaps_illustrated", "sources")
# The CSV columns every kind ends with (a CSV column of a record field takes one of its parts: membership_count).
CSV_TAIL = ("summary", "gaps_addressed", "related", "sources", "last_reviewed", "gaps_illustrated")


@dataclass(frozen=True)
class Kind:
    """An entry kind: its name, folder, fields, and the columns of its index page and of its CSV file.

    ``index_columns`` are field names or computed columns (:data:`COMPUTED_INDEX_COLUMNS`), after the name;
    ``csv_columns`` are field names, ``<record field>_<part>`` (``membership_count``) or :data:`COMPUTED_CSV_COLUMNS`.
    """

    name: str
    title: str
    description: str
    record: Record
    index_columns: tuple[str, ...] = ()
    csv_columns: tuple[str, ...] = ("id", "name", *CSV_TAIL)

    def __post_init__(self) -> None:
        for column in self.index_columns:
            if column not in COMPUTED_INDEX_COLUMNS and column not in self.record.by_name:
                raise ValueError(f"{self.name}: index column '{column}' is neither a field of the kind nor one of {', '.join(COMPUTED_INDEX_COLUMNS)}")
        for column in self.csv_columns:
            if column not in COMPUTED_CSV_COLUMNS and self.csv_part(column) is None:
                raise ValueError(
                    f"{self.name}: CSV column '{column}' is neither a field of the kind, a part of a record field, nor one of {', '.join(COMPUTED_CSV_COLUMNS)}"
                )

    @property
    def folder(self) -> str:
        """The folder under entries/ that holds this kind: the plural."""
        return f"{self.name}s"

    @property
    def is_actor(self) -> bool:
        """Whether its entries can address gaps (forums and initiatives)."""
        return ADDRESSES.name in self.record.by_name

    def csv_part(self, column: str) -> tuple[Field, Field | None] | None:
        """The field a CSV column holds, and the part of it (``membership_count``: membership, count); None for no field."""
        if column in self.record.by_name:
            return self.record.by_name[column], None
        for whole in self.record.fields:
            if isinstance(whole.type, Record) and column.startswith(whole.name + "_"):
                part = whole.type.by_name.get(column.removeprefix(whole.name + "_"))
                if part is not None:
                    return whole, part
        return None


def _kind(
    name: str,
    title: str,
    description: str,
    specific: tuple[Field, ...],
    *,
    index_columns: tuple[str, ...],
    csv_columns: tuple[str, ...] = ("id", "name", *CSV_TAIL),
) -> Kind:
    """A kind whose entries have the common fields and then its ``specific`` ones."""
    return Kind(name, title, description, Record(f"a {name} entry", COMMON + specific, Entry), index_columns, csv_columns)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        _kind(
            "forum",
            "Forums",
            "A body where space governance is made or discussed.",
            (TYPE, PATHWAY, ESTABLISHED, SEAT, MEMBERSHIP_FIELD, WEBSITE, *ACTOR),
            index_columns=("acronym", "pathway", "established", "seat", GAPS_ADDRESSED_COLUMN),
            csv_columns=(
                "id",
                "name",
                "acronym",
                "type",
                "pathway",
                "established",
                "seat",
                "membership_count",
                "membership_as_of",
                "website",
                "topics",
                *CSV_TAIL,
            ),
        ),
        _kind(
            "gap",
            "Gaps",
            "A function that governance falls short of.",
            (),
            index_columns=("summary", CLAIMS_COLUMN),
        ),
        _kind(
            "initiative",
            "Initiatives",
            "An instrument, programme, agreement or event that acts on governance.",
            (TYPE, PATHWAY, STATUS, LED_BY, STARTED, WEBSITE, *ACTOR),
            index_columns=("acronym", "pathway", "status", "led_by", GAPS_ADDRESSED_COLUMN),
            csv_columns=("id", "name", "acronym", "type", "pathway", "status", "led_by", "started", "website", "topics", *CSV_TAIL),
        ),
        _kind(
            "pathway",
            "Pathways",
            "A route by which governance is made.",
            (),
            index_columns=("summary", MEMBERS_COLUMN),
        ),
        _kind(
            "topic",
            "Topics",
            "An issue readers come with, across the gaps: the forums and initiatives whose sources say they deal with it.",
            (SYNONYMS,),
            index_columns=("synonyms", TAGGED_COLUMN),
            csv_columns=("id", "name", "synonyms", *CSV_TAIL),
        ),
    )
}

KIND_BY_FOLDER = {kind.folder: kind for kind in KINDS.values()}
