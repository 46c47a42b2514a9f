"""Who says so: the rules on an entry's claims, cases, sources and the facts they support.

Within one entry: every claim, case and topic tag names a source the entry lists, once per gap or topic; a category
claim quotes its category and stays at emerging; sources are on hosts fit to cite;
every fact shown has a source that says it supports it. With the documents shipped
with the atlas: every quote from one of them occurs in it. Across entries: an
initiative does not repeat, with the same evidence, a claim of the forum that leads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from generator.kinds.declaration import FACT_NAMES, KINDS
from generator.kinds.fields import Checker
from generator.kinds.model import Entry
from generator.load.entry import KeyPath, dotted
from generator.validate.quotes import Document, normalise, quote_parts
from generator.validate.source_policy import NOT_ALONE, ORIGINAL_HINT, not_alone, rejected

CATEGORY_CEILING = "emerging"


def listed_sources(entry: Entry) -> set[str]:
    """What a claim's ``source`` may name: the URLs and documents under the entry's ``sources``."""
    return {s.url for s in entry.sources if s.url} | {s.document for s in entry.sources if s.document}


def check_evidence(entry: Entry, checker: Checker) -> None:
    """Every rule on one entry's claims, cases, sources and facts."""
    listed = listed_sources(entry)
    _check_claims(entry, checker)
    _check_cases(entry, checker)
    _check_topics(entry, checker)
    refs: list[tuple[KeyPath, str | None]] = [(("addresses", i, "source"), c.source) for i, c in enumerate(entry.addresses)]
    refs += [(("addresses", i, "category_source"), c.category_source) for i, c in enumerate(entry.addresses)]
    refs += [(("illustrates", i, "source"), c.source) for i, c in enumerate(entry.illustrates)]
    refs += [(("fact_checks", i, "source"), f.source) for i, f in enumerate(entry.fact_checks)]
    refs += [(("topics", i, "source"), t.source) for i, t in enumerate(entry.topics)]
    for path, ref in refs:
        if ref is not None and ref not in listed:
            checker.error(
                path, f"'{dotted(path)}' is {ref!r}, which is not one of this entry's sources; give the url or document of a source listed under 'sources'"
            )
    _check_hosts(entry, checker)
    _check_facts(entry, checker)


def _check_claims(entry: Entry, checker: Checker) -> None:
    seen: dict[str, int] = {}
    for i, claim in enumerate(entry.addresses):
        if claim.gap in seen:
            checker.error(
                ("addresses", i, "gap"), f"'addresses[{i}].gap' repeats '{claim.gap}' (already claimed in addresses[{seen[claim.gap]}]); make one claim per gap"
            )
        seen.setdefault(claim.gap, i)
        if claim.basis == "named":
            for name in ("category", "category_source"):
                if getattr(claim, name) is not None:
                    checker.error(("addresses", i, name), f"'addresses[{i}].{name}' is only for claims with basis category; remove it, or set basis: category")
            continue
        if claim.level != CATEGORY_CEILING:
            checker.error(
                ("addresses", i, "level"),
                f"'addresses[{i}].level' is '{claim.level}', but a claim with basis category is never above {CATEGORY_CEILING}; "
                "lower it, or cite a passage that names the entry (basis: named)",
            )
        for name, doc in (
            ("category", "the group the passage speaks of, in its words"),
            ("category_source", "the source that shows the entry belongs to the group"),
        ):
            if getattr(claim, name) is None:
                checker.error(
                    ("addresses", i), f"missing field 'addresses[{i}].{name}' ({doc}), which a claim with basis category needs", field=f"addresses[{i}].{name}"
                )
        if claim.category is not None and normalise(claim.category) not in " ".join(quote_parts(claim.evidence)):
            checker.error(
                ("addresses", i, "category"),
                f"'addresses[{i}].category' is {claim.category!r}, which the evidence does not quote; quote the passage that names the group",
            )


def _check_cases(entry: Entry, checker: Checker) -> None:
    claimed = {c.gap for c in entry.addresses}
    seen: dict[str, int] = {}
    for i, case in enumerate(entry.illustrates):
        path = ("illustrates", i, "gap")
        if case.gap in seen:
            checker.error(path, f"'illustrates[{i}].gap' repeats '{case.gap}' (already in illustrates[{seen[case.gap]}]); list each gap once")
        elif case.gap in claimed:
            checker.error(
                path,
                f"'illustrates[{i}].gap' is '{case.gap}', which 'addresses' claims this entry fills; an entry is a case of a gap or addresses it, not both",
            )
        seen.setdefault(case.gap, i)


def _check_topics(entry: Entry, checker: Checker) -> None:
    seen: dict[str, int] = {}
    for i, tag in enumerate(entry.topics):
        if tag.topic in seen:
            checker.error(("topics", i, "topic"), f"'topics[{i}].topic' repeats '{tag.topic}' (already in topics[{seen[tag.topic]}]); tag each topic once")
        seen.setdefault(tag.topic, i)


def _check_hosts(entry: Entry, checker: Checker) -> None:
    """Sources on hosts never cited are errors; Wikipedia as the only web source is a warning."""
    urls: list[tuple[KeyPath, str]] = [(("sources", i, "url"), s.url) for i, s in enumerate(entry.sources) if s.url]
    urls += [(("history", i, "source"), h.source) for i, h in enumerate(entry.history) if h.source]
    for path, url in urls:
        rule = rejected(url)
        if rule is not None:
            checker.error(path, f"'{dotted(path)}' is on a host never accepted as a source ({rule.what}): {url}; {ORIGINAL_HINT}")
    web = [(path, url) for path, url in urls if path[0] == "sources"]
    if web and all(not_alone(url) for _, url in web):
        checker.warn(
            web[0][0],
            f"'{dotted(web[0][0])}' is on {NOT_ALONE.what}, and the entry cites no other web source; "
            f"{NOT_ALONE.what} may not be the only support: add the original beside it",
        )


def _has(entry: Entry, name: str) -> bool:
    value = getattr(entry, name, None)
    return value is not None and value != []


def _check_facts(entry: Entry, checker: Checker) -> None:
    """Each source's ``supports`` names facts the entry gives; each fact given has a source that supports it."""
    fields = KINDS[entry.kind].record.by_name
    supported: set[str] = set()
    for i, source in enumerate(entry.sources):
        for j, name in enumerate(source.supports):
            path = ("sources", i, "supports", j)
            if name not in fields:
                checker.error(path, f"'{dotted(path)}' is '{name}', which {entry.kind} entries do not have; remove it")
            elif not _has(entry, name):
                checker.error(path, f"'{dotted(path)}' is '{name}', but the entry gives no {name}; remove it, or add the fact")
            supported.add(name)
    for name in FACT_NAMES:
        if name in fields and _has(entry, name) and name not in supported:
            checker.warn(
                (name,), f"'{name}' is shown as a fact, but no source supports it; add '{name}' to 'supports' of the source that states it, or remove the fact"
            )


def quoted_paths(entry: Entry) -> list[KeyPath]:
    """The places whose positions :func:`check_quotes` and :func:`check_shared_claims` may point at."""
    paths: list[KeyPath] = [("addresses", i) for i in range(len(entry.addresses))]
    paths += [("addresses", i, "evidence") for i in range(len(entry.addresses))]
    paths += [("illustrates", i, "evidence") for i in range(len(entry.illustrates))]
    paths += [("fact_checks", i, "claim") for i in range(len(entry.fact_checks))]
    paths += [("topics", i, "evidence") for i in range(len(entry.topics))]
    return paths


def check_quotes(entry: Entry, checker: Checker, documents: Mapping[str, Document]) -> None:
    """Every quote from a document shipped with the atlas occurs in it.

    A claim's, case's or topic tag's evidence is looked for in the document its ``source`` names;
    a fact check's ``claim`` (the brief's words) in the documents the entry cites.
    """
    quotes: list[tuple[KeyPath, str, list[str]]] = []
    quotes += [(("addresses", i, "evidence"), c.evidence, [c.source]) for i, c in enumerate(entry.addresses)]
    quotes += [(("illustrates", i, "evidence"), c.evidence, [c.source]) for i, c in enumerate(entry.illustrates)]
    quotes += [(("topics", i, "evidence"), t.evidence, [t.source]) for i, t in enumerate(entry.topics)]
    cited = [s.document for s in entry.sources if s.document]
    quotes += [(("fact_checks", i, "claim"), f.claim, cited) for i, f in enumerate(entry.fact_checks)]
    for path, quote, names in quotes:
        shipped = [documents[name] for name in names if name in documents]
        if shipped and not any(doc.contains(quote) for doc in shipped):
            where = " or ".join(f"'{doc.name}'" for doc in shipped)
            closest = shipped[0].closest(quote)
            hint = f'; the closest passage is "{closest}"' if closest else ""
            checker.error(path, f"'{dotted(path)}': quote not found in {where}{hint}")


def check_shared_claims(checked: Iterable[tuple[Checker, Entry]], by_id: Mapping[str, Entry]) -> None:
    """Warn when an initiative repeats, with the same evidence, a claim of a forum that leads it."""
    for checker, entry in checked:
        for i, claim in enumerate(entry.addresses):
            for leader_id in entry.led_by:
                leader = by_id.get(leader_id)
                if leader is None:
                    continue
                same = [c for c in leader.addresses if c.gap == claim.gap and normalise(c.evidence) == normalise(claim.evidence)]
                if same:
                    checker.warn(
                        ("addresses", i),
                        f"'addresses[{i}]' claims '{claim.gap}' with the same evidence as {leader.id} ({leader.path}), which leads it;"
                        " the claim is counted twice: keep it on the entry the source says it of",
                    )
