"""What changed between two editions: entries, claims and facts.

The comparison reads the editions' data only, never today's declaration, so that
editions of different schema versions compare: a field only the newer edition has
shows as added, one only the older has as removed. An entry whose ``aliases`` name
an id the older edition had, and the newer has not, was renamed.

Values are compared as text, so ``2015`` and ``"2015"`` are the same year. Lists
of records (sources, history, cases, topics) are compared item by item, each item
known by what it is about (:data:`ITEM_IDENTITY`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.editions.snapshot import Snapshot

CLAIMS = "addresses"
NOT_FACTS = ("id", "kind", CLAIMS)  # an entry's identity, and its claims (compared as claims)
ITEM_IDENTITY = ("url", "document", "gap", "topic", "date", "claim", "title")  # what a record in a list is about, first found first


@dataclass(frozen=True)
class EntryRef:
    """An entry as an edition names it."""

    id: str
    kind: str
    name: str


@dataclass(frozen=True)
class Rename:
    old: EntryRef
    new: EntryRef


@dataclass(frozen=True)
class ClaimChange:
    """A claim on a gap added, removed or changed; for each part, its old and new value (None: none)."""

    entry: EntryRef
    gap: EntryRef
    change: str  # "added", "removed" or "changed"
    level: tuple[str | None, str | None]
    basis: tuple[str | None, str | None]
    evidence_revised: bool = False  # the quote or its source changed, the level and basis perhaps not


@dataclass(frozen=True)
class FactChange:
    """A fact of an entry with its old and new value; None where it had none (a field added or removed)."""

    entry: EntryRef
    field: str  # its path: ``website``, ``membership.count``, ``sources[https://…].accessed``
    old: Any
    new: Any

    @property
    def change(self) -> str:
        return "added" if self.old is None else "removed" if self.new is None else "changed"


@dataclass(frozen=True)
class EditionDiff:
    """The changes from edition ``old`` (None: from nothing) to edition ``new``."""

    old: Snapshot | None
    new: Snapshot
    added: list[EntryRef] = field(default_factory=list)
    removed: list[EntryRef] = field(default_factory=list)
    renamed: list[Rename] = field(default_factory=list)
    claims: list[ClaimChange] = field(default_factory=list)
    facts: list[FactChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.claims or self.facts)

    def facts_by_entry(self) -> dict[str, list[FactChange]]:
        grouped: dict[str, list[FactChange]] = {}
        for change in self.facts:
            grouped.setdefault(change.entry.id, []).append(change)
        return grouped


def entry_ref(data: Mapping[str, Any]) -> EntryRef:
    name = str(data.get("name") or data["id"])
    acronym = data.get("acronym")
    return EntryRef(str(data["id"]), str(data["kind"]), f"{name} ({acronym})" if acronym else name)


def compare(old: Snapshot | None, new: Snapshot) -> EditionDiff:
    """What changed from ``old`` to ``new``, every list in a stable order."""
    before = dict(old.entries) if old else {}
    after = new.entries
    renames = _renames(before, after)
    renamed_from = {r.old.id for r in renames}
    renamed_to = {r.new.id: r.old.id for r in renames}
    diff = EditionDiff(
        old,
        new,
        added=[entry_ref(after[i]) for i in after if i not in before and i not in renamed_to],
        removed=[entry_ref(before[i]) for i in before if i not in after and i not in renamed_from],
        renamed=renames,
    )
    gaps = {i: entry_ref(d) for i, d in {**before, **after}.items() if d.get("kind") == "gap"}
    for new_id, data in after.items():
        old_id = renamed_to.get(new_id, new_id)
        previous = before.get(old_id) if old else None
        if old is not None and previous is None:
            previous = {}
        if previous is None:
            continue  # the first edition: no change to list
        diff.claims.extend(_claim_changes(entry_ref(data), previous.get(CLAIMS, []), data.get(CLAIMS, []), gaps))
        diff.facts.extend(_fact_changes(entry_ref(data), previous, data) if previous else [])
    for old_id in (e.id for e in diff.removed):
        diff.claims.extend(_claim_changes(entry_ref(before[old_id]), before[old_id].get(CLAIMS, []), [], gaps))
    return diff


def _renames(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Rename]:
    renames = []
    for new_id, data in after.items():
        if new_id in before:
            continue
        for alias in data.get("aliases", []):
            if alias in before and alias not in after:
                renames.append(Rename(entry_ref(before[alias]), entry_ref(data)))
                break
    return renames


def _claims_by_gap(claims: Any) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for claim in claims if isinstance(claims, list) else []:
        if isinstance(claim, dict) and isinstance(claim.get("gap"), str):
            found.setdefault(claim["gap"], claim)
    return found


def _claim_changes(entry: EntryRef, old: Any, new: Any, gaps: Mapping[str, EntryRef]) -> list[ClaimChange]:
    before, after = _claims_by_gap(old), _claims_by_gap(new)
    changes = []
    for gap_id in sorted(set(before) | set(after)):
        was, now = before.get(gap_id), after.get(gap_id)
        gap = gaps.get(gap_id, EntryRef(gap_id, "gap", gap_id))
        level = (_text(was, "level"), _text(now, "level"))
        basis = (_text(was, "basis"), _text(now, "basis"))
        if was is None or now is None:
            changes.append(ClaimChange(entry, gap, "added" if was is None else "removed", level, basis))
            continue
        revised = not (_same(was.get("evidence"), now.get("evidence")) and _same(was.get("source"), now.get("source")))
        if level[0] != level[1] or basis[0] != basis[1] or revised:
            changes.append(ClaimChange(entry, gap, "changed", level, basis, revised))
    return changes


def _text(claim: Mapping[str, Any] | None, part: str) -> str | None:
    value = claim.get(part) if claim else None
    return None if value is None else str(value)


def _same(a: Any, b: Any) -> bool:
    """Equal as the atlas shows them: scalars as text, lists and records part by part."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    return (a is None) == (b is None) and str(a).strip() == str(b).strip()


def _fact_changes(entry: EntryRef, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FactChange]:
    before = _flatten({k: v for k, v in old.items() if k not in NOT_FACTS})
    after = _flatten({k: v for k, v in new.items() if k not in NOT_FACTS})
    for path in set(before) & set(after):  # a record in both: compared part by part
        if isinstance(before[path], dict) and isinstance(after[path], dict):
            before.update(_flatten(before.pop(path), path + "."))
            after.update(_flatten(after.pop(path), path + "."))
    changes = []
    for path in sorted(set(before) | set(after), key=lambda p: (_field_rank(p, new, old), p)):
        was, now = before.get(path), after.get(path)
        if not _same(was, now):
            changes.append(FactChange(entry, path, was, now))
    return changes


def _field_rank(path: str, *entries: Mapping[str, Any]) -> int:
    """Facts in the order the entry gives its fields (the newer edition's order, then the older's)."""
    name = path.split(".", 1)[0].split("[", 1)[0]
    order = [k for e in entries for k in e]
    return order.index(name) if name in order else len(order)


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Facts by path: records' parts by dotted name, list items by what they are about."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, path + "."))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for ident, item in _identified(value):
                out[f"{path}[{ident}]"] = item
        else:
            out[path] = value
    return out


def _identified(items: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Each record of a list with what it is about (``#2`` on a second record about the same)."""
    seen: dict[str, int] = {}
    out: list[tuple[str, dict[str, Any]]] = []
    for item in items:
        key = next((str(item[k]) for k in ITEM_IDENTITY if isinstance(item.get(k), (str, int))), str(len(out) + 1))
        seen[key] = seen.get(key, 0) + 1
        out.append((key if seen[key] == 1 else f"{key}#{seen[key]}", item))
    return out
