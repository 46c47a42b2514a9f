"""The What's new pages: the editions, newest first, and what each changed; the unreleased changes.

Every item names its entry and links to the entry's page while the atlas still has it
(under its id, or under the id it was renamed to).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from generator.editions.diff import ClaimChange, EditionDiff, EntryRef, FactChange
from generator.editions.history import History
from generator.kinds.declaration import KINDS
from generator.render.context import RenderContext
from generator.render.html_pieces import SEARCH_END, data_table, link_html, printed
from generator.render.page import Page
from generator.render.urls import entry_page, file_href, relative_url, up_to_root

WHATS_NEW_FOLDER = "whats-new/"  # the docs folder of the What's new pages
WHATS_NEW = f"{WHATS_NEW_FOLDER}index.md"
UNRELEASED = "unreleased"
EDITIONS_DATA = "data/editions"  # the editions' snapshots and changes, as files of the site
LONG_VALUE = 240  # a value longer than this is folded under its first words
EXCLUDED = {"search": {"exclude": True}}  # old text in the results would mislead a search: the entries' own pages are found instead


def edition_page(name: str) -> str:
    return f"{WHATS_NEW_FOLDER}{name}.md"


def snapshot_file(name: str) -> str:
    return f"{EDITIONS_DATA}/{name}.json"


def changes_file(name: str) -> str:
    return f"{EDITIONS_DATA}/{name}.changes.json"


def whats_new_pages(context: RenderContext) -> list[Page]:
    """The index of editions, a page per edition, and the unreleased changes when the build shows them."""
    history = context.history
    pages = [Page(WHATS_NEW, _index(context, history), "What's new", meta=EXCLUDED)]
    for diff in history.changes:
        here = edition_page(diff.new.name)
        pages.append(Page(here, _edition(context, here, diff, unreleased=False), f"Edition {diff.new.name}", meta=EXCLUDED))
    if history.unreleased is not None:
        here = edition_page(UNRELEASED)
        pages.append(Page(here, _edition(context, here, history.unreleased, unreleased=True), "Unreleased changes", meta=EXCLUDED))
    return pages


THIS_EDITION = f"{WHATS_NEW_FOLDER}this-edition.md"  # the PDF's chapter; the site has a page per edition instead


def this_edition_page(context: RenderContext) -> Page | None:
    """What the atlas as built changed (since the latest edition, or in it), for the PDF; None before any edition."""
    diff = context.history.this_edition()
    if diff is None:
        return None
    markdown = _edition(context, THIS_EDITION, diff, unreleased=diff is context.history.since_latest, fact_values=False)
    title = "Changes in this edition"
    return Page(THIS_EDITION, f"# {title}\n" + markdown.split("\n", 1)[1], title)


def change_counts(diff: EditionDiff) -> str:
    """``3 entries added, 2 claims changed, 40 facts changed``; ``no change`` when there is none."""
    claims: dict[str, int] = {}
    for claim in diff.claims:
        claims[claim.change] = claims.get(claim.change, 0) + 1
    parts = [
        _count(len(diff.added), "entry", "entries", "added"),
        _count(len(diff.removed), "entry", "entries", "removed"),
        _count(len(diff.renamed), "entry", "entries", "renamed"),
        *(_count(claims.get(change, 0), "claim", "claims", change) for change in ("added", "removed", "changed")),
        _count(len(diff.facts), "fact", "facts", "changed"),
    ]
    return ", ".join(p for p in parts if p) or "no change"


def _count(n: int, one: str, many: str, done: str) -> str:
    return f"{n:,} {one if n == 1 else many} {done}" if n else ""


def _index(context: RenderContext, history: History) -> str:
    here, urls = WHATS_NEW, context.directory_urls
    lines = ["# What's new", ""]
    if not history.editions:
        lines += ["No edition of the atlas has been recorded yet. `python -m generator edition` records one.", "", SEARCH_END]
        return "\n".join(lines) + "\n"
    lines += [
        f"The atlas is published in dated editions; it has {len(history.editions)}. Each records every entry, claim and fact, "
        "and its page lists what changed since the one before: entries added, removed and renamed; claims added, removed, "
        "or changed in level or basis; facts, each with its old and new value. The Data page offers each edition, and its changes, as JSON.",
        "",
        SEARCH_END,
        "",
    ]
    if history.unreleased is not None:
        link = relative_url(here, edition_page(UNRELEASED), urls)
        latest = history.editions[-1].name
        lines += [
            f'<p class="atlas-unreleased"><strong>Unreleased:</strong> since the edition of {latest}, '
            f'{escape(change_counts(history.unreleased))}. <a href="{escape(link)}">See the unreleased changes</a>.</p>',
            "",
        ]
    lines.append(editions_table(history, here, urls))
    return "\n".join(lines) + "\n"


EDITIONS_HEADER = ("Edition", "Schema version", "Entries", "What changed", "Data (JSON)")


def editions_table(history: History, here: str, urls: bool) -> str:
    """Every edition, newest first: its page, its schema version, size and changes, and its files (the snapshot, the changes)."""
    if not history.editions:
        return '<p class="atlas-no-claim">No edition has been recorded yet.</p>'
    rows = []
    for diff in history.newest_first():
        name = diff.new.name
        page = link_html(up_to_root(here, urls), edition_page(name), name, urls)
        data = f'<a href="{escape(file_href(here, snapshot_file(name), urls))}">edition</a>'
        if diff.old is not None:
            data += f', <a href="{escape(file_href(here, changes_file(name), urls))}">changes</a>'
        what = f"the first edition: {len(diff.new.entries):,} entries" if diff.old is None else change_counts(diff)
        rows.append([page, str(diff.new.schema_version), f"{len(diff.new.entries):,}", escape(what), Markup(data)])
    return data_table("atlas-editions", "Editions, newest first", EDITIONS_HEADER, rows)


class _Links:
    """Links to the entries a diff names, from one page: to the entry's page while the atlas has it."""

    def __init__(self, context: RenderContext, here: str) -> None:
        self.context, self.here = context, here
        self.up = up_to_root(here, context.directory_urls)
        self.renamed = {alias: e for e in context.atlas.entries.values() for alias in e.aliases}

    def entry(self, ref: EntryRef) -> Markup:
        current = self.context.atlas.entries.get(ref.id) or self.renamed.get(ref.id)
        if current is None:
            return Markup(f"{escape(ref.name)} <span class=\"atlas-muted\">(no longer in the atlas)</span>")
        return link_html(self.up, entry_page(current.kind, current.id), ref.name, self.context.directory_urls)


def _edition(context: RenderContext, here: str, diff: EditionDiff, *, unreleased: bool, fact_values: bool = True) -> str:
    """An edition's changes; ``fact_values`` false names each entry's changed facts without their values (for print)."""
    links = _Links(context, here)
    urls = context.directory_urls
    old = diff.old
    if unreleased:
        title = "# Unreleased changes"
        assert old is not None
        intro = f"What the entries change since the edition of {old.name}, not yet recorded as an edition: {change_counts(diff)}."
    else:
        title = f"# Edition {diff.new.name}"
        snapshot = f'<a href="{escape(file_href(here, snapshot_file(diff.new.name), urls))}">the edition</a>'
        if old is None:
            size = f"{len(diff.new.entries):,} entries, schema version {diff.new.schema_version}"
            intro = f"The first recorded edition of the atlas: {size}. As JSON: {snapshot}."
        else:
            data = f'{snapshot} and <a href="{escape(file_href(here, changes_file(diff.new.name), urls))}">its changes</a>'
            versions = f"schema version {old.schema_version}" + (f" → {diff.new.schema_version}" if old.schema_version != diff.new.schema_version else "")
            intro = f"What changed since the edition of {old.name} ({versions}): {change_counts(diff)}. As JSON: {data}."
    lines = [title, "", intro, "", SEARCH_END, ""]
    if old is None:
        lines.append(_entry_list(links, "Entries", diff.added))
        return "\n".join(lines) + "\n"
    for heading, refs in (("Entries added", diff.added), ("Entries removed", diff.removed)):
        if refs:
            lines += [_entry_list(links, heading, refs), ""]
    if diff.renamed:
        items = "".join(f"<li>{escape(r.old.name)} (<code>{escape(r.old.id)}</code>) → {links.entry(r.new)}</li>" for r in diff.renamed)
        lines += ["## Entries renamed", "", f'<ul class="atlas-list">{items}</ul>', ""]
    if diff.claims:
        lines += ["## Claims", "", _claims_table(context, links, diff.claims), ""]
    if diff.facts and not fact_values:
        items = "".join(
            f"<li>{links.entry(changes[0].entry)}: {escape(', '.join(field_label(c.entry.kind, c.field) for c in changes))}</li>"
            for changes in diff.facts_by_entry().values()
        )
        note = "The facts that changed, by entry; the site's What's new page and the edition's changes (JSON) give each old and new value."
        lines += ["## Facts", "", note, "", f'<ul class="atlas-list">{items}</ul>', ""]
    elif diff.facts:
        lines += ["## Facts", "", "Each fact with its value before and after; — where it had none.", ""]
        for changes in diff.facts_by_entry().values():
            lines += [f"### {links.entry(changes[0].entry)}", "", _facts_table(changes), ""]
    return "\n".join(lines) + "\n"


def _entry_list(links: _Links, heading: str, refs: Sequence[EntryRef]) -> str:
    items = "".join(f"<li>{links.entry(r)} <span class=\"atlas-muted\">({escape(r.kind)})</span></li>" for r in refs)
    return f'## {heading} ({len(refs)})\n\n<ul class="atlas-list">{items}</ul>'


CLAIM_HEADER = ("Entry", "Gap", "Change", "Level", "Basis")


def _claims_table(context: RenderContext, links: _Links, claims: Sequence[ClaimChange]) -> str:
    rows = []
    for claim in claims:
        gap = links.entry(claim.gap)
        change = claim.change + ("; evidence revised" if claim.evidence_revised else "")
        rows.append([links.entry(claim.entry), gap, escape(change), _before_after(claim.level), _before_after(claim.basis)])
    return data_table("atlas-changes", "Claims added, removed or changed", CLAIM_HEADER, rows)


def _before_after(pair: tuple[str | None, str | None]) -> Markup:
    old, new = pair
    if old == new:
        return escape(new or "—")
    return Markup(f"{escape(old or 'none')} → {escape(new or 'removed')}")


FACT_HEADER = ("Field", "Change", "Before", "After")


def _facts_table(changes: Sequence[FactChange]) -> str:
    rows = []
    for change in changes:
        rows.append([escape(field_label(change.entry.kind, change.field)), escape(change.change), _value(change.old), _value(change.new)])
    return data_table("atlas-changes", None, FACT_HEADER, rows)


def field_label(kind: str, path: str) -> str:
    """A fact's path in words: ``sources[https://…].accessed`` → ``Sources › https://… › accessed``, by today's labels where it has them."""
    name, _, rest = path.partition(".")
    top, _, item = name.partition("[")
    declared = KINDS.get(kind)
    field = declared.record.by_name.get(top) if declared else None
    parts = [field.label if field else top]
    if item:
        parts.append(item.rstrip("]"))
    if rest:
        parts.append(rest)
    return " › ".join(parts)


def _value(value: Any) -> Markup:
    if value is None:
        return Markup("—")
    text = _as_text(value)
    if len(text) <= LONG_VALUE:
        return printed(text)
    return printed(Markup("<details><summary>{}…</summary>{}</details>").format(text[:120].rstrip(), text))


def _as_text(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_as_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)

